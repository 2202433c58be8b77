package io.pekkozmq.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.security.CurveKeys;
import io.pekkozmq.engine.security.Z85;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The security flags and {@code pzmq keygen}, driving the real {@code ./pzmq} as processes; every wait is bounded. */
class PzmqSecurityCliTest {
  private static final Duration RUN = Duration.ofSeconds(90);
  /** libzmq's curve_keygen, without its introduction: each block starts with an empty line. */
  private static final Pattern KEYGEN =
      Pattern.compile("\\A\n== CURVE PUBLIC KEY ==\n(\\S{40})\n\n== CURVE SECRET KEY ==\n(\\S{40})\n\\z");

  /** The first invocation may build the jar: a generous limit, once. */
  @BeforeAll
  static void buildOnce() {
    Launcher l = Launcher.run(null, Duration.ofMinutes(10), "--help");
    assertEquals(0, l.exitCode(), l.describe());
  }

  /** A key pair as `pzmq keygen` prints it: [public, secret], both Z85. */
  private static String[] keygen() {
    Launcher l = Launcher.run(null, RUN, "keygen");
    assertEquals(0, l.exitCode(), l.describe());
    Matcher m = KEYGEN.matcher(l.stdout());
    assertTrue(m.matches(), "not curve_keygen's layout: [" + l.stdout() + "]");
    return new String[] {m.group(1), m.group(2)};
  }

  private static void assertUsageError(Launcher l, String named) {
    assertEquals(Pzmq.USAGE, l.exitCode(), l.describe());
    assertTrue(l.stderr().contains(named), "stderr should name " + named + ": " + l.stderr());
  }

  @Test
  void keygenPrintsCurveKeygenLayoutWithAMatchingPair() {
    String[] a = keygen();
    String[] b = keygen();
    assertArrayEquals(Z85.decode(a[0]), CurveKeys.publicFromSecret(Z85.decode(a[1])), "public key does not belong to the secret");
    assertArrayEquals(Z85.decode(b[0]), CurveKeys.publicFromSecret(Z85.decode(b[1])));
    assertNotEquals(a[1], b[1], "two runs gave the same secret key");
  }

  @Test
  void badKeysAndContradictoryFlagsExitTwoNamingTheFlag() {
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    String[] pair = keygen();
    assertUsageError(Launcher.run(null, RUN, "recv", "--bind", ep, "--curve-server", "--curve-secretkey", "short"),
        "--curve-secretkey");
    assertUsageError(Launcher.run(null, RUN, "recv", "--bind", ep, "--curve-server", "--curve-secretkey",
        "\"" + pair[1].substring(1)), "--curve-secretkey"); // '"' is not in Z85's alphabet
    assertUsageError(Launcher.run(null, RUN, "send", "--connect", ep, "--curve-serverkey", "x".repeat(41)),
        "--curve-serverkey");
    assertUsageError(Launcher.run(null, RUN, "recv", "--bind", ep, "--curve-server", "--curve-secretkey", pair[1],
        "--allow-curve", "nope"), "--allow-curve");
    assertUsageError(Launcher.run(null, RUN, "recv", "--bind", ep, "--curve-server", "--curve-secretkey", pair[1],
        "--curve-publickey", keygen()[0]), "--curve-publickey does not belong");
    assertUsageError(Launcher.run(null, RUN, "recv", "--bind", ep, "--curve-server"), "--curve-server needs --curve-secretkey");
    assertUsageError(Launcher.run(null, RUN, "recv", "--bind", ep, "--plain-server"), "--allow-plain");
    assertUsageError(Launcher.run(null, RUN, "recv", "--bind", ep, "--allow-ip", "127.0.0.1"), "--zap-domain");
    assertUsageError(Launcher.run(null, RUN, "recv", "--bind", ep, "--deny-ip", "localhost", "--zap-domain", "d"),
        "--deny-ip");
    assertUsageError(Launcher.run(null, RUN, "perf", "local_thr", "--curve-server", ep, "16", "10"), "--curve-secretkey");
  }

  @Test
  void curveSendReachesCurveRecvAllowedByKey() {
    String[] server = keygen();
    String[] client = keygen();
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    try (Launcher recv = Launcher.start("recv", "--bind", ep, "--count", "2", "--timeout", "60000",
        "--curve-server", "--curve-secretkey", server[1], "--allow-curve", client[0])) {
      recv.input(null);
      Launcher send = Launcher.run("sealed\tin a box\nsecond\n", RUN, "send", "--connect", ep,
          "--curve-serverkey", server[0], "--curve-secretkey", client[1], "--curve-publickey", client[0]);
      assertEquals(0, send.exitCode(), send.describe());
      assertEquals(0, recv.await(RUN), recv.describe());
      assertEquals("sealed\tin a box\nsecond\n", recv.stdout());
    }
  }

  @Test
  void curveClientWithAnUnknownKeyIsRefusedAndExitsWithTheReason() {
    String[] server = keygen();
    String[] allowed = keygen();
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    try (Launcher recv = Launcher.start("recv", "--bind", ep, "--timeout", "60000", "--events", "-",
        "--curve-server", "--curve-secretkey", server[1], "--allow-curve", allowed[0])) {
      recv.input(null);
      // no --curve-secretkey: a fresh pair, which the server does not know
      Launcher send = Launcher.run("never delivered\n", RUN, "send", "--connect", ep, "--curve-serverkey", server[0]);
      assertEquals(Pzmq.FAILED, send.exitCode(), send.describe());
      assertTrue(send.stderr().contains("HANDSHAKE_FAILED_AUTH") && send.stderr().contains("refused our key")
          && send.stderr().contains("400"), send.describe());
      recv.close();
      assertTrue(!recv.stdout().contains("never delivered"), recv.describe());
    }
  }

  @Test
  void plainUserWithTheRightPasswordGetsThroughAndAWrongOneIsRefused() {
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    try (Launcher recv = Launcher.start("recv", "--bind", ep, "--count", "1", "--timeout", "60000",
        "--plain-server", "--allow-plain", "alice:open sesame", "--allow-ip", "127.0.0.1")) {
      recv.input(null);
      Launcher wrong = Launcher.run("not this one\n", RUN, "send", "--connect", ep,
          "--plain-username", "alice", "--plain-password", "open barley");
      assertEquals(Pzmq.FAILED, wrong.exitCode(), wrong.describe());
      assertTrue(wrong.stderr().contains("HANDSHAKE_FAILED_AUTH") && wrong.stderr().contains("password"), wrong.describe());
      Launcher right = Launcher.run("welcome\n", RUN, "send", "--connect", ep,
          "--plain-username", "alice", "--plain-password", "open sesame");
      assertEquals(0, right.exitCode(), right.describe());
      assertEquals(0, recv.await(RUN), recv.describe());
      assertEquals("welcome\n", recv.stdout());
    }
  }

  @Test
  void curvePerfPairMeasuresBetweenTwoPzmqProcesses() {
    String[] server = keygen();
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    try (Launcher local = Launcher.start("perf", "local_thr", "--curve-server", "--curve-secretkey", server[1], ep, "1024",
        "20000")) {
      local.input(null);
      Launcher remote = Launcher.run(null, RUN, "perf", "remote_thr", "--curve-serverkey", server[0], ep, "1024", "20000");
      assertEquals(0, remote.exitCode(), remote.describe());
      assertEquals(0, local.await(RUN), local.describe());
      assertTrue(local.stdout().contains("message count: 20000") && local.stdout().contains("mean throughput:"),
          local.describe());
    }
  }

  // ---- against libzmq (pyzmq built with libsodium) --------------------------------------------------

  /** A CURVE server PULL: prints its public key and port, then each message. argv: count. */
  private static final String PY_CURVE_PULL = """
      import sys, zmq
      assert zmq.has('curve'), 'pyzmq without CURVE'
      public, secret = zmq.curve_keypair()
      s = zmq.Context().socket(zmq.PULL)
      s.curve_secretkey = secret
      s.curve_publickey = public
      s.curve_server = True
      port = s.bind_to_random_port('tcp://127.0.0.1')
      print('key', public.decode())
      print('port', port, flush=True)
      for _ in range(int(sys.argv[1])):
          print('\\t'.join(f.decode() for f in s.recv_multipart()), flush=True)
      """;

  /** A CURVE client PUSH with a fresh key pair. argv: endpoint, server key, messages ('|' between frames). */
  private static final String PY_CURVE_PUSH = """
      import sys, zmq
      assert zmq.has('curve'), 'pyzmq without CURVE'
      public, secret = zmq.curve_keypair()
      ctx = zmq.Context()
      s = ctx.socket(zmq.PUSH)
      s.curve_secretkey = secret
      s.curve_publickey = public
      s.curve_serverkey = sys.argv[2].encode()
      s.connect(sys.argv[1])
      for m in sys.argv[3:]:
          s.send_multipart([f.encode() for f in m.split('|')])
      s.close(linger=30000)
      ctx.term()
      print('sent', flush=True)
      """;

  @Test
  void curveSendReachesPyzmqCurveServer() {
    PyZmq.requireLibzmq();
    try (PyPeer py = PyZmq.start(PY_CURVE_PULL, "2")) {
      String key = py.awaitLine("key ", RUN).substring(4).trim();
      String ep = "tcp://127.0.0.1:" + py.awaitLine("port ", RUN).substring(5).trim();
      Launcher send = Launcher.run("to\tlibzmq\nover curve\n", RUN, "send", "--connect", ep, "--curve-serverkey", key);
      assertEquals(0, send.exitCode(), send.describe());
      assertEquals("to\tlibzmq", py.readLine(RUN));
      assertEquals("over curve", py.readLine(RUN));
    }
  }

  @Test
  void curveRecvTakesFromPyzmqCurveClient() {
    PyZmq.requireLibzmq();
    String[] server = keygen();
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    try (Launcher recv = Launcher.start("recv", "--bind", ep, "--count", "2", "--timeout", "60000",
        "--curve-server", "--curve-secretkey", server[1]);
        PyPeer py = PyZmq.start(PY_CURVE_PUSH, ep, server[0], "from|libzmq", "bye")) {
      recv.input(null);
      assertEquals(0, recv.await(RUN), recv.describe());
      assertEquals("from\tlibzmq\nbye\n", recv.stdout());
      assertEquals("sent", py.readLine(RUN));
    }
  }
}
