package io.pekkozmq.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.samples.cli.perf.Fanout;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ws:// endpoints through the real {@code ./pzmq}: send to recv, and perf's throughput pair. */
class PzmqWsCliTest {
  private static final Duration RUN = Duration.ofSeconds(60);

  /** The first invocation may build the jar: a generous limit, once. */
  @BeforeAll
  static void buildOnce() {
    Launcher l = Launcher.run(null, Duration.ofMinutes(10), "--help");
    assertEquals(0, l.exitCode(), l.describe());
  }

  @Test
  void sendReachesRecvOverWebSocket() {
    String ep = "ws://127.0.0.1:" + Launcher.freePort() + "/cli";
    try (Launcher recv = Launcher.start("recv", "--bind", ep, "--count", "2")) {
      recv.input(null);
      Launcher send = Launcher.run("one\ttwo frames\nhello\n", RUN, "send", "--connect", ep);
      assertEquals(0, send.exitCode(), send.describe());
      assertEquals(0, recv.await(RUN), recv.describe());
      assertEquals("one\ttwo frames\nhello\n", recv.stdout());
    }
  }

  @Test
  void perfThroughputRunsOverWebSocket() {
    String ep = "ws://127.0.0.1:" + Launcher.freePort() + "/thr";
    try (Launcher local = Launcher.start("perf", "local_thr", ep, "16", "20000")) {
      local.input(null);
      Launcher remote = Launcher.run(null, RUN, "perf", "remote_thr", ep, "16", "20000");
      assertEquals(0, remote.exitCode(), remote.describe());
      assertEquals(0, local.await(RUN), local.describe());
      assertTrue(local.stdout().contains("mean throughput:"), local.describe());
    }
  }

  /** wss:// with the PEM flags: a certificate made by the JDK's keytool for this run. */
  @Test
  void sendReachesRecvOverWss(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path[] pem = selfSigned(dir);
    String ep = "wss://127.0.0.1:" + Launcher.freePort() + "/tls";
    try (Launcher recv = Launcher.start("recv", "--bind", ep, "--count", "1", "--wss-cert", pem[0].toString(),
        "--wss-key", pem[1].toString())) {
      recv.input(null);
      Launcher send = Launcher.run("over tls\n", RUN, "send", "--connect", ep, "--wss-trust", pem[0].toString(),
          "--wss-hostname", "localhost");
      assertEquals(0, send.exitCode(), send.describe());
      assertEquals(0, recv.await(RUN), recv.describe());
      assertEquals("over tls\n", recv.stdout());
    }
  }

  @Test
  void wssFlagsAreChecked(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    Launcher half = Launcher.run(null, RUN, "recv", "--bind", "wss://127.0.0.1:1/x", "--wss-cert", "c.pem");
    assertEquals(Pzmq.USAGE, half.exitCode(), half.describe());
    assertTrue(half.stderr().contains("--wss-cert and --wss-key go together"), half.describe());
    java.nio.file.Path notPem = java.nio.file.Files.writeString(dir.resolve("not.pem"), "hello");
    Launcher bad = Launcher.run(null, RUN, "send", "--connect", "wss://127.0.0.1:1/x", "--wss-trust", notPem.toString());
    assertEquals(Pzmq.USAGE, bad.exitCode(), bad.describe());
    assertTrue(bad.stderr().contains("--wss-trust: " + notPem + " holds no PEM block"), bad.describe());
  }

  /** A certificate for localhost and 127.0.0.1 and its PKCS#8 key, as PEM files: {cert, key}. */
  private static java.nio.file.Path[] selfSigned(java.nio.file.Path dir) throws Exception {
    java.nio.file.Path store = dir.resolve("ks.p12");
    String keytool = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "srv", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "keytool did not finish");
    assertEquals(0, p.exitValue(), "keytool failed: " + out);
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    java.util.Base64.Encoder b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes());
    java.nio.file.Path cert = java.nio.file.Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n"
        + b64.encodeToString(ks.getCertificate("srv").getEncoded()) + "\n-----END CERTIFICATE-----\n");
    java.nio.file.Path key = java.nio.file.Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + b64.encodeToString(ks.getKey("srv", "changeit".toCharArray()).getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    return new java.nio.file.Path[] {cert, key};
  }

  @Test
  void aMalformedWebSocketEndpointIsAUsageError() {
    Launcher l = Launcher.run(null, RUN, "send", "--connect", "ws://127.0.0.1/no-port");
    assertEquals(Pzmq.USAGE, l.exitCode(), l.describe());
    assertTrue(l.stderr().contains("ws://127.0.0.1/no-port"), l.describe());
  }

  @Test
  void fanoutDerivesAWebSocketSyncEndpoint() {
    assertEquals("ws://127.0.0.1:5556/p", Fanout.syncEndpoint("ws://127.0.0.1:5555/p"));
    assertEquals("wss://[::1]:5556", Fanout.syncEndpoint("wss://[::1]:5555"));
  }
}
