package io.pekkozmq.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyScripts;
import io.pekkozmq.testkit.PyZmq;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code ./pzmq relay} as a process between libzmq peers (pyzmq); every wait is bounded. */
class PzmqRelayCliTest {
  private static final Duration RUN = Duration.ofSeconds(60);

  /** The first invocation may build the jar: a generous limit, once. */
  @BeforeAll
  static void buildOnce() {
    Launcher l = Launcher.run(null, Duration.ofMinutes(10), "relay", "--help");
    assertEquals(0, l.exitCode(), l.describe());
  }

  private static void assertUsageError(Launcher l, String named) {
    assertEquals(Pzmq.USAGE, l.exitCode(), l.describe());
    assertTrue(l.stderr().contains(named), "stderr should name " + named + ": " + l.stderr());
  }

  // ---- usage ----------------------------------------------------------------------------------

  @Test
  void helpExitsZero() {
    Launcher l = Launcher.run(null, RUN, "relay", "--help");
    assertEquals(0, l.exitCode(), l.describe());
    assertTrue(l.stdout().contains("--from-type"), l.describe());
  }

  @Test
  void badArgumentsExitTwoNamingTheArgument() {
    String ok = "tcp://127.0.0.1:" + Launcher.freePort();
    assertUsageError(Launcher.run(null, RUN, "relay", "--from-type", "PUSH", "--from-bind", ok,
        "--to-type", "PUSH", "--to-connect", ok), "--from-type");
    assertUsageError(Launcher.run(null, RUN, "relay", "--from-type", "PULL", "--from-bind", ok,
        "--to-type", "FOO", "--to-connect", ok), "FOO");
    assertUsageError(Launcher.run(null, RUN, "relay", "--from-type", "PULL", "--from-bind", "tcp:/nowhere",
        "--to-type", "PUSH", "--to-connect", ok), "tcp:/nowhere");
    assertUsageError(Launcher.run(null, RUN, "relay", "--from-type", "PULL", "--from-bind", ok,
        "--to-type", "PUSH"), "--to-bind");
    assertUsageError(Launcher.run(null, RUN, "relay", "--from-type", "PULL", "--from-bind", ok,
        "--to-type", "PUSH", "--to-connect", ok, "--count", "-1"), "--count");
  }

  @Test
  void addressInUseExitsOne() throws IOException {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Launcher l = Launcher.run(null, RUN, "relay", "--from-type", "PULL",
          "--from-bind", "tcp://127.0.0.1:" + taken.getLocalPort(),
          "--to-type", "PUSH", "--to-connect", "tcp://127.0.0.1:" + Launcher.freePort());
      assertEquals(Pzmq.FAILED, l.exitCode(), l.describe());
      assertTrue(l.stderr().toLowerCase().contains("in use"), l.describe());
    }
  }

  @Test
  void idleTimeoutExitsThree() {
    Launcher l = Launcher.run(null, RUN, "relay", "--from-type", "PULL", "--from-bind", "tcp://127.0.0.1:*",
        "--to-type", "PUSH", "--to-bind", "tcp://127.0.0.1:*", "--timeout", "300");
    assertEquals(Pzmq.TIMEOUT, l.exitCode(), l.describe());
  }

  /** A timeout shorter than the sockets' start ends the source before it is bound: still a timeout (exit 3). */
  @Test
  void idleTimeoutBeforeTheSocketsAreBoundExitsThree() {
    Launcher l = Launcher.run(null, RUN, "relay", "--from-type", "PULL", "--from-bind", "tcp://127.0.0.1:*",
        "--to-type", "PUSH", "--to-bind", "tcp://127.0.0.1:*", "--timeout", "1");
    assertEquals(Pzmq.TIMEOUT, l.exitCode(), l.describe());
  }

  // ---- with libzmq ----------------------------------------------------------------------------

  /** argv: count. PUSH binds a random port, prints it, sends count two-frame messages. */
  private static final String PY_PUSH = """
      import sys, zmq
      ctx = zmq.Context()
      s = ctx.socket(zmq.PUSH)
      print('port', s.bind_to_random_port('tcp://127.0.0.1'), flush=True)
      for i in range(int(sys.argv[1])):
          s.send_multipart([b'%d' % i, b'x' * (i % 50)])
      s.close(linger=20000)
      # pyzmq does not terminate a context at interpreter exit, and exit drops what it still
      # queues: only term() makes close's linger wait for delivery
      ctx.term()
      """;

  /** argv: endpoint, count, size. PULL connects and checks count messages in order. */
  private static final String PY_PULL = """
      import sys, zmq
      s = zmq.Context().socket(zmq.PULL)
      s.setsockopt(zmq.RCVTIMEO, 20000)
      s.connect(sys.argv[1])
      for i in range(int(sys.argv[2])):
          try:
              m = s.recv_multipart()
          except zmq.Again:
              print('TIMEOUT after', i, flush=True)
              sys.exit(1)
          if int(m[0].split(b' ')[0]) != i:
              print('BAD', i, m[0][:20], flush=True)
              sys.exit(1)
      print('OK', flush=True)
      """;

  @Test
  void relaysFromALibzmqPushToALibzmqPullAndExitsOnceDelivered() {
    PyZmq.requireLibzmq();
    int n = 1_000;
    String out = "tcp://127.0.0.1:" + Launcher.freePort();
    try (PyPeer push = PyZmq.start(PY_PUSH, Integer.toString(n))) {
      String in = "tcp://127.0.0.1:" + push.awaitLine("port ", RUN).substring(5).trim();
      try (Launcher relay = Launcher.start("relay", "--from-type", "PULL", "--from-connect", in,
              "--to-type", "PUSH", "--to-bind", out, "--count", Integer.toString(n));
          PyPeer pull = PyZmq.start(PY_PULL, out, Integer.toString(n))) {
        relay.input(null);
        assertEquals("OK", pull.awaitLine("", RUN), pull.stderr());
        assertEquals(0, relay.await(RUN), relay.describe());
        assertTrue(relay.stdout().contains("from " + in + "\n") && relay.stdout().contains("to " + out + "\n"),
            relay.describe());
      }
    }
  }

  @Test
  void withNoConsumerTheSenderIsHeldAtHighWaterMarkAndTheRelayStaysWithinASmallHeap() throws IOException {
    PyZmq.requireLibzmq();
    int hwm = 100;
    int size = 8 * 1024;
    int total = 30_000; // 240 MB: would not fit the relay's 64 MB heap if it buffered
    String in = "tcp://127.0.0.1:" + Launcher.freePort();
    String out = "tcp://127.0.0.1:" + Launcher.freePort();
    try (Launcher relay = Launcher.start(Map.of("PZMQ_JAVA_OPTS", "-Xmx64m"), "relay",
            "--from-type", "PULL", "--from-bind", in, "--to-type", "PUSH", "--to-bind", out,
            "--hwm", Integer.toString(hwm), "--count", Integer.toString(total));
        PyPeer flood = PyZmq.start(PyScripts.FLOOD, in, Integer.toString(hwm), Integer.toString(size), Integer.toString(total))) {
      relay.input(null);
      int held = Integer.parseInt(flood.awaitLine("HELD ", RUN).substring(5).trim());
      // in flight at most: the sender's SNDHWM, the kernel's socket buffers, the relay's RCVHWM, the
      // source's batch, the one message the sink holds; the relay's PUSH has no peer, so none there
      long kernel = PyScripts.kernelBufferedMessages(size);
      long bound = hwm + kernel + hwm + 64 + 2;
      System.out.printf("relay without consumer: libzmq sender held after %d of %d messages of %d B (bound %d)%n",
          held, total, size, bound);
      assertTrue(held >= 2 * hwm, "the sender fills both HWMs before it is held: " + held);
      assertTrue(held <= bound, "the sender must be held at HWM: " + held + " > " + bound);
      // a consumer arrives: everything flows, in order, and the relay exits 0 after the last one
      try (PyPeer pull = PyZmq.start(PY_PULL, out, Integer.toString(total))) {
        flood.writeLine("go");
        assertEquals("OK", pull.awaitLine("", RUN), pull.stderr());
        assertEquals("SENT " + total, flood.awaitLine("SENT", RUN));
        assertEquals(0, relay.await(RUN), relay.describe());
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\nrelay: " + relay.describe(), e);
      }
    }
  }
}
