package io.pekkozmq.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the real {@code ./pzmq} launcher as a process; every wait is bounded. */
class PzmqCliTest {
  private static final Duration RUN = Duration.ofSeconds(60);

  /** The first invocation may build the jar: a generous limit, once. */
  @BeforeAll
  static void buildOnce() {
    Launcher l = Launcher.run(null, Duration.ofMinutes(10), "--help");
    assertEquals(0, l.exitCode(), l.describe());
  }

  private static void assertUsageError(Launcher l, String named) {
    assertEquals(Pzmq.USAGE, l.exitCode(), l.describe());
    assertTrue(l.stderr().contains(named), "stderr should name " + named + ": " + l.stderr());
  }

  @Test
  void helpExitsZeroEverywhere() {
    for (String[] args : new String[][] {{"--help"}, {"send", "--help"}, {"recv", "--help"}, {"echo", "--help"},
        {"req", "--help"}, {"perf", "--help"}, {"perf", "local_thr", "--help"}, {"demo", "--help"}}) {
      Launcher l = Launcher.run(null, RUN, args);
      assertEquals(0, l.exitCode(), String.join(" ", args) + ": " + l.describe());
      assertTrue(l.stdout().contains("Usage:"), l.describe());
    }
  }

  @Test
  void unknownSocketTypeExitsTwoNamingTheArgument() {
    assertUsageError(Launcher.run(null, RUN, "recv", "--type", "FOO", "--connect", "tcp://127.0.0.1:5555"), "FOO");
  }

  @Test
  void malformedEndpointExitsTwoNamingTheArgument() {
    assertUsageError(Launcher.run(null, RUN, "send", "--connect", "tcp:/nowhere"), "tcp:/nowhere");
  }

  @Test
  void unknownOptionExitsTwoNamingTheOption() {
    assertUsageError(Launcher.run(null, RUN, "recv", "--frobnicate"), "--frobnicate");
  }

  @Test
  void badPerfArgumentExitsTwo() {
    assertUsageError(Launcher.run(null, RUN, "perf", "local_thr", "tcp://127.0.0.1:5555", "sixteen", "10"), "sixteen");
  }

  @Test
  void addressInUseExitsOne() throws IOException {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Launcher l = Launcher.run(null, RUN, "recv", "--bind", "tcp://127.0.0.1:" + taken.getLocalPort());
      assertEquals(Pzmq.FAILED, l.exitCode(), l.describe());
      assertTrue(l.stderr().toLowerCase().contains("in use"), l.describe());
    }
  }

  @Test
  void recvTimeoutExitsThree() {
    Launcher l = Launcher.run(null, RUN, "recv", "--bind", "tcp://127.0.0.1:" + Launcher.freePort(), "--timeout", "300");
    assertEquals(Pzmq.TIMEOUT, l.exitCode(), l.describe());
  }

  @Test
  void sendReachesRecvInText() {
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    try (Launcher recv = Launcher.start("recv", "--bind", ep, "--count", "3")) {
      recv.input(null);
      Launcher send = Launcher.run("one\ttwo frames\nhello\n\n", RUN, "send", "--connect", ep);
      assertEquals(0, send.exitCode(), send.describe());
      assertEquals(0, recv.await(RUN), recv.describe());
      assertEquals("one\ttwo frames\nhello\n\n", recv.stdout());
    }
  }

  @Test
  void sendReachesRecvInHexWithEmptyFrames() {
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    try (Launcher recv = Launcher.start("recv", "--type", "PAIR", "--bind", ep, "--count", "2", "--format", "hex")) {
      recv.input(null);
      Launcher send = Launcher.run("00ff - 41\ndeadbeef\n", RUN, "send", "--type", "PAIR", "--connect", ep,
          "--format", "hex");
      assertEquals(0, send.exitCode(), send.describe());
      assertEquals(0, recv.await(RUN), recv.describe());
      assertEquals("00ff - 41\ndeadbeef\n", recv.stdout());
    }
  }

  @Test
  void sendWaitsForPeersAndWritesEvents(@TempDir Path dir) throws IOException {
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    Path events = dir.resolve("events.txt");
    try (Launcher recv = Launcher.start("recv", "--connect", ep, "--count", "1")) {
      recv.input(null);
      Launcher send = Launcher.run("after the handshake\n", RUN, "send", "--bind", ep, "--wait-peers", "1",
          "--events", events.toString());
      assertEquals(0, send.exitCode(), send.describe());
      assertEquals(0, recv.await(RUN), recv.describe());
      assertEquals("after the handshake\n", recv.stdout());
      String log = Files.readString(events);
      assertTrue(log.lines().anyMatch(line -> line.startsWith("LISTENING ") && line.endsWith(" " + ep + " -")), log);
      assertTrue(log.contains("HANDSHAKE_SUCCEEDED "), log);
    }
  }

  // ---- against libzmq (pyzmq) --------------------------------------------------------------------

  private static final String PY_PULL = """
      import sys, zmq
      s = zmq.Context().socket(zmq.PULL)
      port = s.bind_to_random_port('tcp://127.0.0.1')
      print('port', port)
      for _ in range(int(sys.argv[1])):
          print('\\t'.join(f.decode() for f in s.recv_multipart()))
      """;

  private static final String PY_PUSH = """
      import sys, zmq
      ctx = zmq.Context()
      s = ctx.socket(zmq.PUSH)
      port = s.bind_to_random_port('tcp://127.0.0.1')
      print('port', port)
      for m in sys.argv[1:]:
          s.send_multipart([f.encode() for f in m.split('|')])
      s.close(linger=10000)
      # pyzmq does not terminate a context at interpreter exit, and exit drops what it still
      # queues: only term() makes close's linger wait for delivery
      ctx.term()
      """;

  private static final String PY_REQ = """
      import sys, zmq
      s = zmq.Context().socket(zmq.REQ)
      s.connect(sys.argv[1])
      for m in sys.argv[2:]:
          s.send_string(m)
          print(s.recv_string())
      """;

  private static final String PY_REP_UPPER = """
      import sys, zmq
      ctx = zmq.Context()
      s = ctx.socket(zmq.REP)
      port = s.bind_to_random_port('tcp://127.0.0.1')
      print('port', port)
      for _ in range(int(sys.argv[1])):
          s.send_string(s.recv_string().upper())
      s.close(linger=5000)
      # pyzmq does not terminate a context at interpreter exit, and exit drops what it still
      # queues: only term() makes close's linger wait for delivery
      ctx.term()
      """;

  private static String port(PyPeer py) {
    return py.awaitLine("port ", Duration.ofSeconds(30)).substring(5).trim();
  }

  @Test
  void sendReachesPyzmqPull() {
    PyZmq.requireLibzmq();
    try (PyPeer py = PyZmq.start(PY_PULL, "2")) {
      String ep = "tcp://127.0.0.1:" + port(py);
      Launcher send = Launcher.run("to\tlibzmq\nsecond\n", RUN, "send", "--connect", ep);
      assertEquals(0, send.exitCode(), send.describe());
      assertEquals("to\tlibzmq", py.readLine(RUN));
      assertEquals("second", py.readLine(RUN));
    }
  }

  @Test
  void recvTakesFromPyzmqPush() {
    PyZmq.requireLibzmq();
    try (PyPeer py = PyZmq.start(PY_PUSH, "from|libzmq", "bye")) {
      String ep = "tcp://127.0.0.1:" + port(py);
      Launcher recv = Launcher.run(null, RUN, "recv", "--connect", ep, "--count", "2", "--timeout", "30000");
      assertEquals(0, recv.exitCode(), recv.describe());
      assertEquals("from\tlibzmq\nbye\n", recv.stdout());
    }
  }

  @Test
  void echoAnswersPyzmqReq() {
    PyZmq.requireLibzmq();
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    try (Launcher echo = Launcher.start("echo", "--bind", ep, "--count", "2", "--timeout", "30000");
        PyPeer py = PyZmq.start(PY_REQ, ep, "ping", "pong")) {
      echo.input(null);
      assertEquals("ping", py.readLine(RUN));
      assertEquals("pong", py.readLine(RUN));
      assertEquals(0, echo.await(RUN), echo.describe());
    }
  }

  @Test
  void routerEchoReturnsToTheSenderWithItsEnvelope() {
    PyZmq.requireLibzmq();
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    try (Launcher echo = Launcher.start("echo", "--type", "ROUTER", "--bind", ep, "--count", "1", "--timeout", "30000");
        PyPeer py = PyZmq.start(PY_REQ, ep, "via router")) {
      echo.input(null);
      assertEquals("via router", py.readLine(RUN));
      assertEquals(0, echo.await(RUN), echo.describe());
    }
  }

  @Test
  void reqAndDealerTalkToPyzmqRep() {
    PyZmq.requireLibzmq();
    try (PyPeer py = PyZmq.start(PY_REP_UPPER, "4")) {
      String ep = "tcp://127.0.0.1:" + port(py);
      Launcher req = Launcher.run("hello\nworld\n", RUN, "req", "--connect", ep, "--timeout", "30000");
      assertEquals(0, req.exitCode(), req.describe());
      assertEquals("HELLO\nWORLD\n", req.stdout());
      Launcher dealer = Launcher.run("via\ndealer\n", RUN, "req", "--type", "DEALER", "--connect", ep, "--timeout", "30000");
      assertEquals(0, dealer.exitCode(), dealer.describe());
      assertEquals("VIA\nDEALER\n", dealer.stdout());
    }
  }

  // ---- perf against libzmq's C tools ----------------------------------------------------------------

  private static Path cTool(Path dir, String tool) throws IOException, InterruptedException {
    boolean haveCc = Files.isExecutable(Path.of("/usr/bin/cc")) && Files.exists(Path.of("/usr/include/zmq.h"));
    if (!haveCc) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError("cc and libzmq headers are required on CI");
      Assumptions.assumeTrue(false, "no cc or /usr/include/zmq.h");
    }
    Path bin = dir.resolve(tool);
    Process cc = new ProcessBuilder("cc", "-O2", Launcher.root().resolve("bench/c/" + tool + ".c").toString(),
        "-o", bin.toString(), "-lzmq", "-lpthread").redirectErrorStream(true).start();
    cc.getOutputStream().close();
    if (!cc.waitFor(120, TimeUnit.SECONDS)) {
      cc.destroyForcibly();
      throw new AssertionError("cc did not finish within 120 s");
    }
    String log = new String(cc.getInputStream().readAllBytes());
    assertEquals(0, cc.exitValue(), "cc " + tool + ": " + log);
    return bin;
  }

  private static Process startC(Path bin, String... args) throws IOException {
    return startC(java.util.Map.of(), bin, args);
  }

  private static Process startC(java.util.Map<String, String> env, Path bin, String... args) throws IOException {
    java.util.List<String> cmd = new java.util.ArrayList<>();
    cmd.add(bin.toString());
    cmd.addAll(java.util.List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    return pb.start();
  }

  private static String finish(Process p) throws InterruptedException, IOException {
    if (!p.waitFor(RUN.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("C tool did not finish within " + RUN);
    }
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void perfRemoteThrFeedsLibzmqLocalThr(@TempDir Path dir) throws Exception {
    Path localThr = cTool(dir, "local_thr");
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    Process c = startC(localThr, ep, "16", "100000");
    try {
      Launcher ours = Launcher.run(null, RUN, "perf", "remote_thr", ep, "16", "100000");
      assertEquals(0, ours.exitCode(), ours.describe());
      String out = finish(c);
      System.out.println("pekko-zmq remote_thr -> libzmq local_thr:\n" + out);
      assertTrue(out.contains("mean throughput:"), out);
    } finally {
      c.destroyForcibly();
    }
  }

  /**
   * bench/run.sh's steady-state rows: with PERF_WARMUP both tools of a pair let that many messages go
   * by before the clock, so a mismatch would leave the receiver waiting (the run would time out);
   * with PERF_COST=1 each prints its process's cost per message. Ours sends into libzmq's, and
   * libzmq's into ours.
   */
  @Test
  void perfWarmupAndCostAgreeWithLibzmqsTools(@TempDir Path dir) throws Exception {
    java.util.Map<String, String> env = java.util.Map.of("PERF_WARMUP", "30000", "PERF_COST", "1");
    Path localThr = cTool(dir, "local_thr");
    Path remoteThr = cTool(dir, "remote_thr");
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    Process c = startC(env, localThr, ep, "16", "20000");
    try (Launcher ours = Launcher.start(env, "perf", "remote_thr", ep, "16", "20000")) {
      ours.input(null);
      assertEquals(0, ours.await(RUN), ours.describe());
      String out = finish(c);
      assertTrue(out.contains("message count: 20000\n"), out); // the warm-up is not counted
      assertTrue(out.matches("(?s).*cpu per message: \\d+ \\[ns\\].*"), out);
      assertTrue(ours.stdout().matches("(?s)cpu per message: \\d+ \\[ns\\]\nallocated per message: [\\d.]+ \\[B\\]\n"),
          ours.describe());
    } finally {
      c.destroyForcibly();
    }
    String ep2 = "tcp://127.0.0.1:" + Launcher.freePort();
    try (Launcher ours = Launcher.start(env, "perf", "local_thr", ep2, "16", "20000")) {
      ours.input(null);
      Process c2 = startC(env, remoteThr, ep2, "16", "20000");
      try {
        assertTrue(finish(c2).matches("(?s)cpu per message: \\d+ \\[ns\\]\n"), "libzmq's remote_thr prints its cost");
        assertEquals(0, ours.await(RUN), ours.describe());
        assertTrue(ours.stdout().contains("message count: 20000\n"), ours.describe());
        assertTrue(ours.stdout().contains("allocated per message: "), ours.describe());
      } finally {
        c2.destroyForcibly();
      }
    }
  }

  @Test
  void perfWithoutCostPrintsLibzmqsLinesOnlyAndABadWarmupExitsTwo() {
    Launcher plain = Launcher.run(null, RUN, "perf", "inproc_thr", "16", "1000");
    assertEquals(0, plain.exitCode(), plain.describe());
    assertTrue(plain.stdout().startsWith("message size: 16 [B]\nmessage count: 1000\nmean throughput: "), plain.describe());
    assertFalse(plain.stdout().contains("per message"), plain.describe());
    try (Launcher bad = Launcher.start(java.util.Map.of("PERF_WARMUP", "lots"), "perf", "inproc_thr", "16", "10")) {
      bad.input(null);
      assertEquals(2, bad.await(RUN), bad.describe());
      assertTrue(bad.stderr().contains("PERF_WARMUP must be a number of messages (0 or more), not 'lots'"), bad.describe());
    }
  }

  @Test
  void perfLocalThrMeasuresLibzmqRemoteThr(@TempDir Path dir) throws Exception {
    Path remoteThr = cTool(dir, "remote_thr");
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    try (Launcher ours = Launcher.start("perf", "local_thr", ep, "16", "100000")) {
      ours.input(null);
      Process c = startC(remoteThr, ep, "16", "100000");
      try {
        finish(c);
        assertEquals(0, ours.await(RUN), ours.describe());
        System.out.println("libzmq remote_thr -> pekko-zmq local_thr:\n" + ours.stdout());
        assertTrue(ours.stdout().contains("mean throughput:"), ours.describe());
      } finally {
        c.destroyForcibly();
      }
    }
  }

  @Test
  void demoExitsZero() {
    Launcher demo = Launcher.run(null, Duration.ofSeconds(90), "demo");
    assertEquals(0, demo.exitCode(), demo.describe());
    assertTrue(demo.stdout().contains("== done"), demo.describe());
  }
}
