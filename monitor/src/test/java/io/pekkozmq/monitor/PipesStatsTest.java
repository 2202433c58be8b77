package io.pekkozmq.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

/**
 * libzmq's zmq_socket_monitor_pipes_stats: one PIPES_STATS event per peer, carrying the messages
 * queued outbound and inbound in that peer's pipe; EINVAL without a monitor that asks for it,
 * EAGAIN without peers. (pyzmq's libzmq is built without the draft API, so these semantics come
 * from libzmq's socket_base_t::query_pipes_stats, not from a run.)
 */
class PipesStatsTest extends RuntimePerClass {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private TestProbe<SocketEvent> statsProbe(ZSocket s) {
    TestProbe<SocketEvent> p = testKit.createTestProbe();
    s.monitor(p.ref(), EventType.PIPES_STATS.value());
    return p;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void withoutAMonitorAskingForItTheRequestIsInvalid() {
    try (ZSocket push = zmq.socket(SocketType.PUSH)) {
      push.connect("inproc://pipes-stats-nobody");
      ZmqException none = assertThrows(ZmqException.class, push::requestPipesStats);
      assertEquals(Errno.EINVAL, none.errno());
      assertTrue(none.getMessage().contains("PIPES_STATS"), none.getMessage());
      push.monitor(testKit.createTestProbe(SocketEvent.class).ref(), EventType.ALL_V1); // v1: no PIPES_STATS
      assertEquals(Errno.EINVAL, assertThrows(ZmqException.class, push::requestPipesStats).errno());
    }
  }

  @Test
  void withoutPeersTheRequestIsEagain() {
    try (ZSocket pull = zmq.socket(SocketType.PULL)) {
      statsProbe(pull);
      pull.bind("tcp://127.0.0.1:*");
      assertEquals(Errno.EAGAIN, assertThrows(ZmqException.class, pull::requestPipesStats).errno());
    }
  }

  @Test
  void eachInprocPeerReportsWhatWaitsInItsPipeFromBothEnds() {
    try (ZSocket push = zmq.socket(SocketType.PUSH); ZSocket pull = zmq.socket(SocketType.PULL)) {
      push.bind("inproc://pipes-stats");
      pull.connect("inproc://pipes-stats");
      for (int i = 0; i < 5; i++) push.send("m" + i); // nobody reads: all five wait in the pipe
      TestProbe<SocketEvent> pushStats = statsProbe(push);
      TestProbe<SocketEvent> pullStats = statsProbe(pull);
      push.requestPipesStats();
      SocketEvent out = pushStats.receiveMessage(WAIT);
      assertEquals(EventType.PIPES_STATS, out.type());
      assertEquals(List.of(5L, 0L), out.values(), "outbound, inbound");
      pull.requestPipesStats();
      SocketEvent in = pullStats.receiveMessage(WAIT);
      assertEquals(List.of(0L, 5L), in.values());
      assertEquals("inproc://pipes-stats", in.remoteEndpoint(), "the connecting side names the endpoint");
      pull.recv(WAIT);
      pull.requestPipesStats();
      assertEquals(List.of(0L, 4L), pullStats.receiveMessage(WAIT).values());
      pushStats.expectNoMessage(Duration.ofMillis(50));
    }
  }

  @Test
  void aConnectingSocketReportsOnePipePerEndpointEvenBeforeItConnects() throws Exception {
    String a = "tcp://127.0.0.1:" + freePort();
    String b = "tcp://127.0.0.1:" + freePort();
    try (ZSocket push = zmq.socket(SocketType.PUSH)) {
      push.setOption(ZmqOption.LINGER, 0);
      push.connect(a);
      push.connect(b);
      for (int i = 0; i < 3; i++) push.send("m" + i); // round-robin over the two waiting pipes: 2 and 1
      TestProbe<SocketEvent> stats = statsProbe(push);
      push.requestPipesStats();
      Map<String, List<Long>> byPeer = new HashMap<>();
      for (int i = 0; i < 2; i++) {
        SocketEvent e = stats.receiveMessage(WAIT);
        assertEquals("", e.localEndpoint(), "not connected yet");
        byPeer.put(e.remoteEndpoint(), e.values());
      }
      assertEquals(Map.of(a, List.of(2L, 0L), b, List.of(1L, 0L)), byPeer);
      stats.expectNoMessage(Duration.ofMillis(50));
    }
  }

  @Test
  void aBoundSocketReportsItsAcceptedPeerUnderTheConnectionsEndpoints() {
    try (ZSocket pull = zmq.socket(SocketType.PULL); ZSocket push = zmq.socket(SocketType.PUSH)) {
      TestProbe<SocketEvent> handshakes = testKit.createTestProbe();
      pull.monitor(handshakes.ref(), EventType.HANDSHAKE_SUCCEEDED.value());
      TestProbe<SocketEvent> stats = statsProbe(pull);
      String ep = pull.bind("tcp://127.0.0.1:*");
      push.connect(ep);
      SocketEvent handshake = handshakes.receiveMessage(WAIT);
      for (int i = 0; i < 10; i++) push.send("m" + i);
      // the pipe joins the socket just after the handshake, and the ten cross the network
      // asynchronously: ask until they are all in the pull's pipe
      for (int round = 0; ; round++) {
        if (round == 1000) fail("the pull never held the ten messages");
        try {
          pull.requestPipesStats();
        } catch (ZmqException e) {
          assertEquals(Errno.EAGAIN, e.errno(), e.getMessage()); // no pipe yet
          continue;
        }
        SocketEvent e = stats.receiveMessage(WAIT);
        assertEquals(handshake.localEndpoint(), e.localEndpoint());
        assertEquals(handshake.remoteEndpoint(), e.remoteEndpoint());
        assertTrue(e.bindSide());
        if (e.values().equals(List.of(0L, 10L))) break;
      }
    }
  }
}
