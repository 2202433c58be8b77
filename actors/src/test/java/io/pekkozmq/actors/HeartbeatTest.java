package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ZMTP heartbeats (libzmq's test_heartbeats in spirit) against a hand-written peer that completes
 * the handshake and then does only what each test tells it: PING timing and bytes, the timeout
 * for a silent peer, the TTL a peer asks for, and any traffic counting as life.
 */
class HeartbeatTest extends RuntimePerClass {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static SocketEvent await(TestProbe<SocketEvent> probe, EventType type) {
    return MonitorProbes.await(probe, type, WAIT);
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  @Test
  void silentPeerIsDisconnectedAfterTheTimeoutAndTheSessionReconnects() throws Exception {
    try (ServerSocket server = MockZmtpPeer.listen(WAIT); ZSocket dealer = zmq.socket(SocketType.DEALER)) {
      TestProbe<SocketEvent> events = monitor(dealer);
      dealer.setOption(ZmqOption.HEARTBEAT_IVL, 100);
      dealer.setOption(ZmqOption.HEARTBEAT_TIMEOUT, 400);
      dealer.setOption(ZmqOption.HEARTBEAT_TTL, 1_500);
      dealer.setOption(ZmqOption.HEARTBEAT_CONTEXT, "ctx");
      dealer.setOption(ZmqOption.RECONNECT_IVL, 50);
      dealer.connect(MockZmtpPeer.endpointOf(server));
      try (MockZmtpPeer peer = MockZmtpPeer.accept(server, WAIT)) {
        long start = System.nanoTime(); // our handshake can only complete after this
        peer.handshake("ROUTER", 1);
        await(events, EventType.HANDSHAKE_SUCCEEDED);
        MockZmtpPeer.WireFrame ping = peer.readFrame();
        // 04 PING, TTL 15 deciseconds, the context
        assertTrue(ping.command());
        assertArrayEquals(MockZmtpPeer.pingBody(15, "ctx"), ping.body());
        // the peer never answers: the timeout runs from that PING, sent one interval after the handshake
        await(events, EventType.DISCONNECTED);
        long silent = millisSince(start);
        assertTrue(silent >= 100 + 400 - 10, "disconnected too early: " + silent + " ms");
        assertTrue(silent < 5_000, "disconnected too late: " + silent + " ms");
        assertTrue(peer.closedByPeer(), "our side closed the TCP connection");
      }
      // as after any lost connection, the session reconnects
      try (MockZmtpPeer again = MockZmtpPeer.accept(server, WAIT)) {
        again.handshake("ROUTER", 1);
        await(events, EventType.HANDSHAKE_SUCCEEDED);
        assertTrue(again.readFrame().isCommand("PING"));
      }
    }
  }

  /** Every socket type heartbeats (libzmq applies heartbeats in the engine, whatever the pattern). */
  @ParameterizedTest(name = "{0} with a {1} peer")
  @CsvSource({"PAIR,PAIR", "PUB,SUB", "SUB,PUB", "XPUB,XSUB", "XSUB,XPUB", "REQ,REP", "REP,REQ",
      "DEALER,ROUTER", "ROUTER,DEALER", "PUSH,PULL", "PULL,PUSH"})
  void everySocketTypeDropsASilentPeer(String ours, String theirs) throws Exception {
    try (ZSocket socket = zmq.socket(SocketType.parse(ours))) {
      TestProbe<SocketEvent> events = monitor(socket);
      socket.setOption(ZmqOption.HEARTBEAT_IVL, 50);
      socket.setOption(ZmqOption.HEARTBEAT_TIMEOUT, 150);
      String ep = socket.bind("tcp://127.0.0.1:*");
      try (MockZmtpPeer peer = MockZmtpPeer.connect(ep, WAIT)) {
        long start = System.nanoTime();
        peer.handshake(theirs, 1);
        await(events, EventType.HANDSHAKE_SUCCEEDED);
        await(events, EventType.DISCONNECTED);
        long silent = millisSince(start);
        assertTrue(silent >= 50 + 150 - 10 && silent < 5_000, "disconnected after " + silent + " ms");
        assertTrue(peer.closedByPeer());
      }
    }
  }

  @Test
  void pingIsAnsweredAndItsTtlIsHonoured() throws Exception {
    try (ZSocket router = zmq.socket(SocketType.ROUTER)) {
      TestProbe<SocketEvent> events = monitor(router);
      String ep = router.bind("tcp://127.0.0.1:*"); // no heartbeats of our own
      try (MockZmtpPeer peer = MockZmtpPeer.connect(ep, WAIT)) {
        peer.handshake("DEALER", 1);
        await(events, EventType.HANDSHAKE_SUCCEEDED);
        // no TTL: we answer and never drop the peer for its silence
        peer.ping(0, "first");
        MockZmtpPeer.WireFrame pong = peer.readFrame();
        assertTrue(pong.isCommand("PONG"));
        assertEquals("\u0004PONGfirst", pong.text());
        events.expectNoMessage(Duration.ofMillis(600));
        // a context longer than 16 bytes is echoed truncated; a TTL of 3 deciseconds is 300 ms
        long pinged = System.nanoTime();
        peer.ping(3, "0123456789abcdefXYZ");
        assertEquals("\u0004PONG0123456789abcdef", peer.readFrame().text());
        await(events, EventType.DISCONNECTED);
        long silent = millisSince(pinged);
        assertTrue(silent >= 300 - 10 && silent < 5_000, "dropped " + silent + " ms after the PING");
        assertTrue(peer.closedByPeer());
      }
    }
  }

  @Test
  void anyTrafficCountsAsLife() throws Exception {
    try (ZSocket pull = zmq.socket(SocketType.PULL)) {
      TestProbe<SocketEvent> events = monitor(pull);
      pull.setOption(ZmqOption.HEARTBEAT_IVL, 50);
      pull.setOption(ZmqOption.HEARTBEAT_TIMEOUT, 150);
      String ep = pull.bind("tcp://127.0.0.1:*");
      try (MockZmtpPeer peer = MockZmtpPeer.connect(ep, WAIT)) {
        peer.handshake("PUSH", 1);
        await(events, EventType.HANDSHAKE_SUCCEEDED);
        // never a PONG, but a message every 40 ms for eight timeouts' worth: the connection lives
        int n = 30;
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
          try {
            for (int i = 0; i < n; i++) {
              peer.writeData("m" + i);
              Thread.sleep(40); // the peer's pace, not a synchronisation
            }
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
        for (int i = 0; i < n; i++) {
          assertEquals("m" + i, pull.recvString(WAIT));
        }
        writer.get();
        events.expectNoMessage(Duration.ofMillis(1));
        // then it falls silent
        await(events, EventType.DISCONNECTED);
      }
    }
  }

  @Test
  void optionsKeepLibzmqUnitsAndBounds() {
    try (ZSocket s = zmq.socket(SocketType.DEALER)) {
      assertEquals(-1, s.getOption(ZmqOption.HEARTBEAT_TIMEOUT), "libzmq's default: the interval");
      assertEquals(0, s.getOption(ZmqOption.HEARTBEAT_IVL));
      s.setOption(ZmqOption.HEARTBEAT_TTL, 1_234);
      assertEquals(1_200, s.getOption(ZmqOption.HEARTBEAT_TTL), "kept in deciseconds, as libzmq");
      assertThrows(ZmqException.class, () -> s.setOption(ZmqOption.HEARTBEAT_TTL, 6_553_600));
      assertThrows(ZmqException.class, () -> s.setOption(ZmqOption.HEARTBEAT_TIMEOUT, -1));
      ZmqException tooLong = assertThrows(ZmqException.class,
          () -> s.setOption(ZmqOption.HEARTBEAT_CONTEXT, "0123456789abcdefX"));
      assertTrue(tooLong.getMessage().contains("16"), tooLong.getMessage());
      s.setOption(ZmqOption.HEARTBEAT_CONTEXT, "ok".getBytes(StandardCharsets.US_ASCII));
      assertArrayEquals("ok".getBytes(StandardCharsets.US_ASCII), (byte[]) s.getOption(ZmqOption.HEARTBEAT_CONTEXT));
    }
  }
}
