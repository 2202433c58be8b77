package io.pekkozmq.monitor;

import static io.pekkozmq.monitor.EventSequenceInteropTest.drainUntilClosed;
import static io.pekkozmq.monitor.EventSequenceInteropTest.greeting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.Socket;
import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every monitor event type, produced by a real scenario on our sockets, with its value and
 * endpoints. Two cannot be produced here:
 * <ul>
 *   <li>ACCEPT_FAILED: libzmq reports it when accept(2) fails (EMFILE, ENFILE, ENOBUFS...). A
 *       connection reset before it is accepted is still accepted on Linux, so the only way is to
 *       exhaust the process's file descriptors, which would break everything else in the JVM.</li>
 *   <li>HANDSHAKE_FAILED_AUTH: it carries a ZAP handler's status (300, 400, 500); there is no ZAP
 *       (and no PLAIN or CURVE mechanism) yet.</li>
 * </ul>
 * PIPES_STATS has its own test ({@link PipesStatsTest}).
 */
class EventScenarioTest extends RuntimePerClass {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static SocketEvent next(TestProbe<SocketEvent> p, EventType expected) {
    SocketEvent e = p.receiveMessage(WAIT);
    assertEquals(expected, e.type(), "expected " + expected + ", got " + e.toLine());
    return e;
  }

  private static SocketEvent await(TestProbe<SocketEvent> p, EventType type) {
    return p.fishForMessage(WAIT, "waiting for " + type,
        e -> e.type() == type ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0);
  }

  private static java.net.Socket raw(String endpoint) throws java.io.IOException {
    java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), URI.create(endpoint).getPort());
    s.setSoTimeout((int) WAIT.toMillis());
    return s;
  }

  // ---- a whole connection, both sides ---------------------------------------------------------

  @Test
  void aConnectionLifecycleReportsEachEventWithConsistentIdsAndEndpoints() {
    ZSocket pull = zmq.socket(SocketType.PULL);
    ZSocket push = zmq.socket(SocketType.PUSH);
    TestProbe<SocketEvent> bound = monitor(pull);
    TestProbe<SocketEvent> connecting = monitor(push);
    String ep = pull.bind("tcp://127.0.0.1:*");
    SocketEvent listening = next(bound, EventType.LISTENING);
    assertEquals(ep, listening.endpoint());
    assertTrue(listening.bindSide());

    push.connect(ep);
    SocketEvent delayed = next(connecting, EventType.CONNECT_DELAYED);
    assertEquals(115, delayed.value(), "EINPROGRESS");
    SocketEvent connected = next(connecting, EventType.CONNECTED);
    assertEquals(ep, connected.remoteEndpoint());
    assertEquals(ep, connected.endpoint(), "v1 reports a connection's remote endpoint on the connect side");
    SocketEvent handshakeC = next(connecting, EventType.HANDSHAKE_SUCCEEDED);
    assertEquals(0, handshakeC.value());

    SocketEvent accepted = next(bound, EventType.ACCEPTED);
    assertEquals(ep, accepted.localEndpoint());
    assertEquals(connected.localEndpoint(), accepted.remoteEndpoint(), "both sides name the same connection");
    next(bound, EventType.HANDSHAKE_SUCCEEDED);

    push.close();
    SocketEvent stoppedC = next(connecting, EventType.MONITOR_STOPPED);
    assertEquals("", stoppedC.endpoint());
    // the peer's close is a disconnect of that connection, never of the socket (seed 004)
    SocketEvent disconnected = next(bound, EventType.DISCONNECTED);
    assertEquals(accepted.value(), disconnected.value(), "DISCONNECTED carries the connection's id");
    assertEquals(ep, disconnected.endpoint());
    pull.close();
    SocketEvent closed = next(bound, EventType.CLOSED);
    assertEquals(listening.value(), closed.value(), "CLOSED carries the listener's id, as LISTENING did");
    next(bound, EventType.MONITOR_STOPPED);
    bound.expectNoMessage(Duration.ofMillis(100));
    connecting.expectNoMessage(Duration.ofMillis(10));
  }

  // ---- bind failures --------------------------------------------------------------------------

  @Test
  void bindingAnAddressInUseGivesBindFailedWithEaddrinuseAfterTheListenersClose() {
    try (ZSocket holder = zmq.socket(SocketType.PULL); ZSocket pull = zmq.socket(SocketType.PULL)) {
      String ep = holder.bind("tcp://127.0.0.1:*");
      TestProbe<SocketEvent> events = monitor(pull);
      ZmqException e = assertThrows(ZmqException.class, () -> pull.bind(ep));
      assertEquals(Errno.EADDRINUSE, e.errno());
      SocketEvent closed = next(events, EventType.CLOSED);
      assertEquals("", closed.endpoint(), "libzmq's tcp listener has no endpoint yet when it closes");
      SocketEvent failed = next(events, EventType.BIND_FAILED);
      assertEquals(98, failed.value(), "EADDRINUSE");
      assertEquals(ep.substring("tcp://".length()), failed.endpoint(), "libzmq reports the address without its scheme");
    }
  }

  // ---- the connecter --------------------------------------------------------------------------

  @Test
  void aRefusedConnectRetriesWithIntervalsDoublingUpToTheMaximum() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (ZSocket push = zmq.socket(SocketType.PUSH)) {
      push.setOption(ZmqOption.RECONNECT_IVL, 20);
      push.setOption(ZmqOption.RECONNECT_IVL_MAX, 160);
      TestProbe<SocketEvent> events = monitor(push);
      push.connect("tcp://127.0.0.1:" + port);
      List<Long> intervals = new ArrayList<>();
      while (intervals.size() < 6) {
        next(events, EventType.CONNECT_DELAYED);
        next(events, EventType.CLOSED);
        intervals.add(next(events, EventType.CONNECT_RETRIED).value());
      }
      for (int k = 0; k < intervals.size(); k++) {
        long base = Math.min(20L << k, 160);
        long v = intervals.get(k);
        assertTrue(v >= base && v < base + 20, "retry " + k + " after " + v + " ms; all " + intervals);
      }
    }
  }

  // ---- handshake failures -----------------------------------------------------------------------

  /** A NULL-mechanism command frame. */
  private static byte[] command(byte[] body) {
    ByteArrayOutputStream cmd = new ByteArrayOutputStream();
    cmd.write(4);
    cmd.write(body.length);
    cmd.writeBytes(body);
    return cmd.toByteArray();
  }

  private static byte[] named(String name, byte[] rest) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(name.length());
    b.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(rest);
    return b.toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mechanism-mismatch", "unexpected-command", "malformed-error"})
  void aProtocolViolationInTheHandshakeGivesHandshakeFailedProtocolWithLibzmqsCode(String violation) throws Exception {
    try (ZSocket pull = zmq.socket(SocketType.PULL)) {
      TestProbe<SocketEvent> events = monitor(pull);
      String ep = pull.bind("tcp://127.0.0.1:*");
      long expected;
      try (java.net.Socket peer = raw(ep)) {
        var out = peer.getOutputStream();
        switch (violation) {
          case "mechanism-mismatch" -> {
            out.write(greeting("CURVE", false));
            expected = 0x11000002L; // ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH
          }
          case "unexpected-command" -> {
            out.write(greeting("NULL", false));
            out.write(command(named("HELLO", new byte[0])));
            expected = 0x10000001L; // ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND
          }
          default -> {
            out.write(greeting("NULL", false));
            out.write(command(named("ERROR", new byte[] {50, 'x'}))); // says 50 bytes of reason, has 1
            expected = 0x10000015L; // ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR
          }
        }
        next(events, EventType.LISTENING);
        SocketEvent accepted = next(events, EventType.ACCEPTED);
        SocketEvent failed = next(events, EventType.HANDSHAKE_FAILED_PROTOCOL);
        assertEquals(expected, failed.value(), failed.toLine());
        assertEquals(ep, failed.endpoint());
        assertEquals(accepted.value(), next(events, EventType.DISCONNECTED).value());
        drainUntilClosed(peer);
      }
    }
  }

  @Test
  void aSilentPeerGivesHandshakeFailedNoDetailWithEagainAfterTheHandshakeInterval() throws Exception {
    try (ZSocket pull = zmq.socket(SocketType.PULL)) {
      pull.setOption(ZmqOption.HANDSHAKE_IVL, 100);
      TestProbe<SocketEvent> events = monitor(pull);
      String ep = pull.bind("tcp://127.0.0.1:*");
      try (java.net.Socket silent = raw(ep)) {
        await(events, EventType.ACCEPTED);
        assertEquals(11, next(events, EventType.HANDSHAKE_FAILED_NO_DETAIL).value(), "libzmq's leftover EAGAIN");
        next(events, EventType.DISCONNECTED);
      }
    }
  }

  @Test
  void aPeerLeavingMidGreetingGivesHandshakeFailedNoDetailWithEpipeOrEconnreset() throws Exception {
    try (ZSocket pull = zmq.socket(SocketType.PULL)) {
      TestProbe<SocketEvent> events = monitor(pull);
      String ep = pull.bind("tcp://127.0.0.1:*");
      try (java.net.Socket peer = raw(ep)) {
        peer.getOutputStream().write(new byte[] {(byte) 0xff, 0, 0});
      }
      await(events, EventType.ACCEPTED);
      long errno = next(events, EventType.HANDSHAKE_FAILED_NO_DETAIL).value();
      assertTrue(errno == 32 || errno == 104, "EPIPE (end of stream) or ECONNRESET, got " + errno);
      next(events, EventType.DISCONNECTED);
    }
  }

  // ---- close failures ---------------------------------------------------------------------------

  @Test
  void closingAnIpcWildcardWhoseFileIsGoneGivesCloseFailedWithEnoentInsteadOfClosed() throws Exception {
    ZSocket pull = zmq.socket(SocketType.PULL);
    TestProbe<SocketEvent> events = monitor(pull);
    String ep = pull.bind("ipc://*");
    next(events, EventType.LISTENING);
    Path file = Path.of(ep.substring("ipc://".length()));
    Files.delete(file);
    pull.close();
    SocketEvent failed = next(events, EventType.CLOSE_FAILED);
    assertEquals(2, failed.value(), "ENOENT");
    assertEquals(ep, failed.endpoint());
    next(events, EventType.MONITOR_STOPPED);
    Files.deleteIfExists(file.getParent());
  }

  @Test
  void closingAnIpcWildcardRemovesItsFileAndDirectoryAndGivesClosed() {
    ZSocket pull = zmq.socket(SocketType.PULL);
    TestProbe<SocketEvent> events = monitor(pull);
    String ep = pull.bind("ipc://*");
    Path file = Path.of(ep.substring("ipc://".length()));
    next(events, EventType.LISTENING);
    pull.close();
    next(events, EventType.CLOSED);
    next(events, EventType.MONITOR_STOPPED);
    assertTrue(!Files.exists(file.getParent()), "the directory made for ipc://* is gone");
  }

  // ---- MONITOR_STOPPED, exactly once ------------------------------------------------------------

  @Test
  void unmonitoringStopsOnceAndNothingFollowsNotEvenTheSocketsClose() {
    ZSocket pull = zmq.socket(SocketType.PULL);
    TestProbe<SocketEvent> events = monitor(pull);
    pull.bind("tcp://127.0.0.1:*");
    next(events, EventType.LISTENING);
    pull.actor().tell(new Socket.Unmonitor(events.ref()));
    pull.actor().tell(new Socket.Unmonitor(events.ref()));
    next(events, EventType.MONITOR_STOPPED);
    pull.bind("tcp://127.0.0.1:*");
    pull.close();
    events.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void closingTheSocketStopsEachSubscriberOnceEvenIfClosedTwice() {
    ZSocket pull = zmq.socket(SocketType.PULL);
    TestProbe<SocketEvent> a = monitor(pull);
    TestProbe<SocketEvent> b = testKit.createTestProbe(SocketEvent.class);
    pull.monitor(b.ref(), EventType.CLOSED.value()); // MONITOR_STOPPED ends it even if not asked for
    pull.close();
    pull.actor().tell(new Socket.Close(null));
    next(a, EventType.MONITOR_STOPPED);
    next(b, EventType.MONITOR_STOPPED);
    a.expectNoMessage(Duration.ofMillis(200));
    b.expectNoMessage(Duration.ofMillis(10));
  }

  @Test
  void terminatingTheContextStopsEverySubscriberOnce() {
    TestProbe<SocketEvent> a = testKit.createTestProbe(SocketEvent.class);
    TestProbe<SocketEvent> b = testKit.createTestProbe(SocketEvent.class);
    ZContext ctx = new ZContext();
    try {
      ZSocket pull = ctx.socket(SocketType.PULL);
      ZSocket push = ctx.socket(SocketType.PUSH);
      pull.monitor(a.ref(), EventType.ALL_V1);
      push.monitor(b.ref(), EventType.ALL_V1);
      String ep = pull.bind("tcp://127.0.0.1:*");
      push.connect(ep);
      await(a, EventType.HANDSHAKE_SUCCEEDED);
      await(b, EventType.HANDSHAKE_SUCCEEDED);
    } finally {
      ctx.close();
    }
    // the sockets close concurrently, so either may first see the other's connection go (as in
    // libzmq); the listener's close always comes, and the end comes last, once
    List<EventType> seenA = untilStopped(a);
    assertTrue(seenA.contains(EventType.CLOSED), seenA.toString());
    untilStopped(b);
    a.expectNoMessage(Duration.ofMillis(200));
    b.expectNoMessage(Duration.ofMillis(10));
  }

  private static List<EventType> untilStopped(TestProbe<SocketEvent> p) {
    List<EventType> seen = new ArrayList<>();
    while (seen.isEmpty() || seen.get(seen.size() - 1) != EventType.MONITOR_STOPPED) {
      seen.add(p.receiveMessage(WAIT).type());
    }
    return seen;
  }
}
