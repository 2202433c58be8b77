package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyScripts;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Heartbeats against real libzmq (pyzmq): an idle connection where one side or both heartbeat
 * with timeouts far below the idle time. If either side failed to answer the other's PINGs, or
 * sent PINGs libzmq did not understand, one of the two would drop the connection; neither may.
 */
class HeartbeatInteropTest extends ContextPerClass {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int IDLE_MS = 600;

  /** argv: bind|connect, endpoint, heartbeat 1|0, idle ms. Counts its own disconnects while idle. */
  private static final String PEER = """
      import sys, time, zmq
      from zmq.utils.monitor import recv_monitor_message
      """ + PyScripts.BIND_OR_CONNECT + """
      mode, ep, hb, idle = sys.argv[1], sys.argv[2], sys.argv[3] == "1", int(sys.argv[4])
      ctx = zmq.Context()
      s = ctx.socket(zmq.DEALER)
      s.setsockopt(zmq.LINGER, 0)
      s.setsockopt(zmq.RCVTIMEO, 20000)
      if hb:
          s.setsockopt(zmq.HEARTBEAT_IVL, 100)
          s.setsockopt(zmq.HEARTBEAT_TIMEOUT, 300)
          s.setsockopt(zmq.HEARTBEAT_TTL, 500)
      mon = s.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_DISCONNECTED)
      mon.setsockopt(zmq.RCVTIMEO, 20000)
      bind_or_connect(s, mode, ep)
      e = recv_monitor_message(mon)
      assert e["event"] == zmq.EVENT_HANDSHAKE_SUCCEEDED, e
      print("HANDSHAKEN")
      time.sleep(idle / 1000.0)
      drops = 0
      while True:
          try:
              e = recv_monitor_message(mon, zmq.NOBLOCK)
          except zmq.Again:
              break
          if e["event"] == zmq.EVENT_DISCONNECTED:
              drops += 1
      s.send(b"after-idle")
      print("REPLY " + s.recv().decode())
      print("DROPS %d" % drops)
      s.disable_monitor()
      mon.close()
      s.close()
      ctx.term()
      """;

  private LibzmqPeers libzmq;

  @BeforeAll
  void start() throws Exception {
    libzmq = LibzmqPeers.create("pzmq-hb", WAIT);
  }

  @ParameterizedTest(name = "ours={0} theirs={1} we-bind={2} {3}")
  @CsvSource({
      "true,false,true,tcp", "true,false,false,tcp",
      "false,true,true,tcp", "false,true,false,tcp",
      "true,true,true,ipc", "true,true,false,ipc"})
  void idleConnectionWithHeartbeatsStaysUp(boolean ours, boolean theirs, boolean weBind, String transport) {
    try (ZSocket dealer = ctx.socket(SocketType.DEALER)) {
      TestProbe<SocketEvent> events = probe(SocketEvent.class);
      dealer.monitor(events.ref(), EventType.HANDSHAKE_SUCCEEDED.value() | EventType.DISCONNECTED.value());
      if (ours) {
        dealer.setOption(ZmqOption.HEARTBEAT_IVL, 100);
        dealer.setOption(ZmqOption.HEARTBEAT_TIMEOUT, 300);
        dealer.setOption(ZmqOption.HEARTBEAT_TTL, 500);
      }
      String ep = libzmq.endpoint(transport, ours + "-" + theirs + "-" + weBind);
      try (PyPeer py = libzmq.join(PEER, dealer, weBind, ep, theirs ? "1" : "0", Integer.toString(IDLE_MS))) {
        py.awaitLine("HANDSHAKEN", WAIT);
        assertEquals(EventType.HANDSHAKE_SUCCEEDED, events.receiveMessage(WAIT).type());
        Msg m = dealer.recv(WAIT);
        assertEquals("after-idle", m == null ? null : m.first().text(), py.stderr());
        events.expectNoMessage(Duration.ofMillis(1)); // we never dropped the idle peer
        dealer.send("echo");
        assertEquals("REPLY echo", py.awaitLine("REPLY ", WAIT));
        assertEquals("DROPS 0", py.awaitLine("DROPS ", WAIT), "libzmq dropped the idle connection");
        assertEquals(0, py.waitFor(WAIT), py.stderr());
      }
    }
  }
}
