package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A libzmq peer (pyzmq) that restarts mid-stream. The PUSH/PULL and PAIR streams against libzmq and
 * JeroMQ are {@link PushPullPairInteropTest}.
 */
class LibzmqInteropTest extends ContextPerClass {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @BeforeAll
  void start() {
    PyZmq.requireLibzmq();
  }

  /** argv: port, how many to receive before exiting (-1: until "END"), then prints the sequence numbers. */
  private static final String RESTARTING_PULL = """
      import sys, zmq
      port, count = sys.argv[1], int(sys.argv[2])
      ctx = zmq.Context()
      s = ctx.socket(zmq.PULL)
      s.setsockopt(zmq.LINGER, 0)
      s.setsockopt(zmq.RCVTIMEO, 20000)
      s.bind("tcp://127.0.0.1:" + port)
      print("READY")
      seqs = []
      while count < 0 or len(seqs) < count:
          m = s.recv_multipart()
          if m[0] == b"END":
              break
          seqs.append(m[0].decode())
      print("GOT " + ",".join(seqs))
      s.close()
      ctx.term()
      """;

  @Test
  void pushReconnectsToARestartedLibzmqPullAndEverythingSentAfterTheReconnectArrives() {
    int port = PushPullTest.freePort();
    String ep = "tcp://127.0.0.1:" + port;
    TestProbe<SocketEvent> probe = probe(SocketEvent.class);
    try (ZSocket push = ctx.socket(SocketType.PUSH)) {
      push.setOption(ZmqOption.RECONNECT_IVL, 20);
      push.setOption(ZmqOption.RECONNECT_IVL_MAX, 100);
      push.monitor(probe.ref(), EventType.HANDSHAKE_SUCCEEDED.value() | EventType.DISCONNECTED.value());
      int first = 1_000;
      int outage = 200;
      int after = 1_000;
      try (PyPeer py = PyZmq.start(RESTARTING_PULL, Integer.toString(port), Integer.toString(first))) {
        py.awaitLine("READY", WAIT);
        push.connect(ep);
        for (int i = 0; i < first; i++) push.send(Msg.ofStrings(Integer.toString(i), "before"));
        assertEquals(seqLine(0, first), py.awaitLine("GOT ", WAIT));
        assertEquals(0, py.waitFor(WAIT), py.stderr());
      }
      expectEvent(probe, EventType.HANDSHAKE_SUCCEEDED);
      expectEvent(probe, EventType.DISCONNECTED);
      // sent while no libzmq peer exists: libzmq's PUSH keeps these in the connecter's pipe too,
      // but anything already written to the dead TCP connection is gone; they may or may not arrive
      for (int i = first; i < first + outage; i++) push.send(Msg.ofStrings(Integer.toString(i), "outage"));
      try (PyPeer py = PyZmq.start(RESTARTING_PULL, Integer.toString(port), "-1")) {
        py.awaitLine("READY", WAIT);
        expectEvent(probe, EventType.HANDSHAKE_SUCCEEDED);
        for (int i = first + outage; i < first + outage + after; i++) push.send(Msg.ofStrings(Integer.toString(i), "after"));
        push.send("END");
        String got = py.awaitLine("GOT ", WAIT).substring(4);
        List<Integer> seqs = new ArrayList<>();
        for (String s : got.split(",")) if (!s.isEmpty()) seqs.add(Integer.parseInt(s));
        for (int k = 1; k < seqs.size(); k++) assertTrue(seqs.get(k) > seqs.get(k - 1), "reordered at " + k + ": " + got);
        List<Integer> afterReconnect = seqs.stream().filter(s -> s >= first + outage).toList();
        assertEquals(after, afterReconnect.size(), "every message sent after the reconnect arrives: " + got);
        long outageArrived = seqs.stream().filter(s -> s < first + outage).count();
        assertTrue(outageArrived <= outage);
        System.out.println("restart: " + outageArrived + " of " + outage + " messages sent during the outage arrived");
      }
    }
  }

  private static void expectEvent(TestProbe<SocketEvent> probe, EventType type) {
    SocketEvent e = probe.receiveMessage(WAIT);
    assertEquals(type, e.type(), e.toLine());
  }

  private static String seqLine(int from, int to) {
    StringBuilder b = new StringBuilder("GOT ");
    for (int i = from; i < to; i++) b.append(i == from ? "" : ",").append(i);
    return b.toString();
  }
}
