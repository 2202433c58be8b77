package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Raw TCP clients that are not ZeroMQ peers (scanners, stalled or lying greetings, oversized
 * frames, the wrong socket type) against our bound sockets: each is dropped with the monitor event
 * libzmq gives, and real peers on the same socket keep working and lose nothing.
 */
class HostileInputTest extends RuntimePerClass {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static SocketEvent await(TestProbe<SocketEvent> probe, EventType type) {
    return MonitorProbes.await(probe, type, WAIT);
  }

  private static Socket raw(String endpoint) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), URI.create(endpoint).getPort());
    s.setSoTimeout((int) WAIT.toMillis());
    return s;
  }

  /** Reads until the server closes the connection; fails if it does not within WAIT. */
  private static void awaitClosedByServer(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // our greeting and READY; we only care that the stream ends
      }
    } catch (java.net.SocketException reset) {
      // a reset is a close too
    }
  }

  /** Our PUSH connected to the same PULL still delivers. */
  private static void assertStillDelivers(ZSocket pull, ZSocket push, String text) {
    push.send(text);
    Msg m = pull.recv(WAIT);
    assertNotNull(m, "a real peer stopped getting through");
    assertEquals(text, m.first().text());
  }

  @Test
  void portScannersNeitherBreakTheListenerNorSwallowMessages() throws Exception {
    try (ZSocket push = zmq.socket(SocketType.PUSH)) {
      TestProbe<SocketEvent> events = monitor(push);
      String ep = push.bind("tcp://127.0.0.1:*");
      raw(ep).close();
      await(events, EventType.ACCEPTED);
      await(events, EventType.DISCONNECTED);
      try (Socket silent = raw(ep)) {
        await(events, EventType.ACCEPTED);
        int n = 200;
        // while only scanners are connected there is no pipe, so these wait rather than vanish
        CompletableFuture<Integer> sender = CompletableFuture.supplyAsync(() -> {
          for (int i = 0; i < n; i++) {
            if (!push.send(Msg.ofStrings(Integer.toString(i)), WAIT)) return i;
          }
          return n;
        });
        raw(ep).close();
        await(events, EventType.DISCONNECTED);
        try (ZSocket pull = zmq.socket(SocketType.PULL)) {
          pull.connect(ep);
          for (int i = 0; i < n; i++) {
            Msg m = pull.recv(WAIT);
            assertNotNull(m, "message " + i + " lost");
            assertEquals(Integer.toString(i), m.first().text());
          }
          assertEquals(n, sender.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
        assertTrue(silent.getInputStream().available() <= 64, "the silent scanner got at most our greeting");
      }
    }
  }

  @Test
  void aStalledGreetingIsDroppedAfterTheHandshakeIntervalAndOthersKeepWorking() throws Exception {
    try (ZSocket pull = zmq.socket(SocketType.PULL); ZSocket push = zmq.socket(SocketType.PUSH)) {
      pull.setOption(ZmqOption.HANDSHAKE_IVL, 200);
      TestProbe<SocketEvent> events = monitor(pull);
      String ep = pull.bind("tcp://127.0.0.1:*");
      push.connect(ep);
      await(events, EventType.HANDSHAKE_SUCCEEDED);
      try (Socket stalled = raw(ep)) {
        stalled.getOutputStream().write(new byte[] {(byte) 0xff, 0, 0, 0, 0});
        long start = System.nanoTime();
        await(events, EventType.ACCEPTED);
        await(events, EventType.HANDSHAKE_FAILED_NO_DETAIL);
        await(events, EventType.DISCONNECTED);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms >= 100 && ms < 5_000, "dropped after " + ms + " ms, HANDSHAKE_IVL is 200");
        awaitClosedByServer(stalled);
      }
      assertStillDelivers(pull, push, "after the stalled greeting");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"zmtp2-greeting", "curve-mechanism", "huge-frame-over-maxmsgsize", "huge-frame-no-limit"})
  void aLyingPeerIsDroppedWithTheRightEventAndOthersKeepWorking(String lie) throws Exception {
    try (ZSocket pull = zmq.socket(SocketType.PULL); ZSocket push = zmq.socket(SocketType.PUSH)) {
      if (lie.equals("huge-frame-over-maxmsgsize")) pull.setOption(ZmqOption.MAXMSGSIZE, 1024L);
      TestProbe<SocketEvent> events = monitor(pull);
      String ep = pull.bind("tcp://127.0.0.1:*");
      push.connect(ep);
      await(events, EventType.HANDSHAKE_SUCCEEDED);
      try (Socket liar = raw(ep)) {
        var out = liar.getOutputStream();
        switch (lie) {
          case "zmtp2-greeting" -> {
            // ZMTP 2.0: the signature, then revision 0x01 and socket type 0x08 (PUSH)
            out.write(new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 1, 8, 0, 0});
            assertEquals(0x10000000L, await(events, EventType.HANDSHAKE_FAILED_PROTOCOL).value(), "ZMTP_UNSPECIFIED");
          }
          case "curve-mechanism" -> {
            out.write(MockZmtpPeer.greeting(3, 1, "CURVE"));
            assertEquals(0x11000002L, await(events, EventType.HANDSHAKE_FAILED_PROTOCOL).value(), "ZMTP_MECHANISM_MISMATCH");
          }
          default -> {
            out.write(MockZmtpPeer.greeting(3, 1, "NULL"));
            out.write(MockZmtpPeer.frame(0x04, MockZmtpPeer.readyBody("PUSH")));
            await(events, EventType.HANDSHAKE_SUCCEEDED);
            // a long frame claiming 2^63 bytes (negative as a signed long)
            out.write(new byte[] {2, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 'x', 'y'});
          }
        }
        await(events, EventType.DISCONNECTED);
        awaitClosedByServer(liar);
      }
      assertStillDelivers(pull, push, "after " + lie);
    }
  }

  @Test
  void aRawPeerAnnouncingPubToOurPullIsRefusedAndDeliversNothing() throws Exception {
    try (ZSocket pull = zmq.socket(SocketType.PULL); ZSocket push = zmq.socket(SocketType.PUSH)) {
      TestProbe<SocketEvent> events = monitor(pull);
      String ep = pull.bind("tcp://127.0.0.1:*");
      try (Socket pub = raw(ep)) {
        var out = pub.getOutputStream();
        out.write(MockZmtpPeer.greeting(3, 1, "NULL"));
        out.write(MockZmtpPeer.frame(0x04, MockZmtpPeer.readyBody("PUB")));
        out.write(new byte[] {0, 5, 'e', 'v', 'i', 'l', '!'});
        // libzmq 4.3 drops a peer of the wrong socket type with DISCONNECTED alone (no
        // HANDSHAKE_FAILED_* event; see EventSequenceInteropTest in the monitor module)
        await(events, EventType.ACCEPTED);
        SocketEvent next = events.receiveMessage(WAIT);
        assertEquals(EventType.DISCONNECTED, next.type(), next.toLine());
        awaitClosedByServer(pub);
      }
      push.connect(ep);
      assertStillDelivers(pull, push, "the first message is the real peer's");
    }
  }

  private static final String LIBZMQ_PUB = """
      import sys, zmq
      ctx = zmq.Context()
      s = ctx.socket(zmq.PUB)
      s.setsockopt(zmq.LINGER, 0)
      s.connect(sys.argv[1])
      for _ in range(10):
          s.send(b"evil")
      print("SENT")
      sys.stdin.readline()
      """;

  @Test
  void aLibzmqPubConnectingToOurPullIsRefusedAndDeliversNothing() throws Exception {
    PyZmq.requireLibzmq();
    try (ZSocket pull = zmq.socket(SocketType.PULL); ZSocket push = zmq.socket(SocketType.PUSH)) {
      TestProbe<SocketEvent> events = monitor(pull);
      String ep = pull.bind("tcp://127.0.0.1:*");
      try (PyPeer py = PyZmq.start(LIBZMQ_PUB, ep)) {
        py.awaitLine("SENT", WAIT);
        // whichever side reads the other's READY first refuses: we drop it with DISCONNECTED alone
        // (as libzmq does), or libzmq closes first and we see a handshake that failed without detail
        events.fishForMessage(WAIT, "waiting for the connection to be dropped", e -> switch (e.type()) {
          case HANDSHAKE_SUCCEEDED -> throw new AssertionError("a PUB completed a handshake with our PULL");
          case HANDSHAKE_FAILED_PROTOCOL -> throw new AssertionError("libzmq reports no protocol error for this: " + e.toLine());
          case DISCONNECTED -> FishingOutcomes.complete();
          default -> FishingOutcomes.continueAndIgnore();
        });
      }
      push.connect(ep);
      assertStillDelivers(pull, push, "the first message is the real peer's");
    }
  }
}
