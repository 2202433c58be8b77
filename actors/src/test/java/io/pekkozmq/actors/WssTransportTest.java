package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * wss:// (ZWS 2.0 over the JDK's TLS) between our sockets, with self-signed certificates made by
 * the JDK's keytool for this run; a wrong host name or an untrusted certificate is refused with a
 * monitor event and delivers nothing.
 */
class WssTransportTest extends RuntimePerClass {
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** PEM certificate and PKCS#8 key, as openssl would write them. */
  record Pem(String cert, String key) {}

  private Pem localhost;
  private Pem stranger;

  @BeforeAll
  void makeCertificates() throws Exception {
    Path dir = Files.createTempDirectory("pzmq-wss");
    localhost = selfSigned(dir, "localhost", "SAN=dns:localhost,ip:127.0.0.1");
    stranger = selfSigned(dir, "stranger", "SAN=dns:localhost,ip:127.0.0.1");
  }

  static Pem selfSigned(Path dir, String alias, String san) throws Exception {
    Path store = dir.resolve(alias + ".p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=" + alias, "-ext", san, "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
    assertEquals(0, p.exitValue(), "keytool failed: " + out);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(store.toFile())) {
      ks.load(in, "changeit".toCharArray());
    }
    Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes());
    String cert = "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(ks.getCertificate(alias).getEncoded())
        + "\n-----END CERTIFICATE-----\n";
    String key = "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(ks.getKey(alias, "changeit".toCharArray()).getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    return new Pem(cert, key);
  }

  private ZSocket server(SocketType type, Pem pem) {
    ZSocket s = zmq.socket(type);
    s.setOption(ZmqOption.WSS_CERT_PEM, pem.cert());
    s.setOption(ZmqOption.WSS_KEY_PEM, pem.key());
    return s;
  }

  private ZSocket client(SocketType type, String trusted, String hostname) {
    ZSocket s = zmq.socket(type);
    s.setOption(ZmqOption.WSS_TRUST_PEM, trusted);
    if (hostname != null) s.setOption(ZmqOption.WSS_HOSTNAME, hostname);
    s.setOption(ZmqOption.RECONNECT_IVL, -1); // one attempt: a refusal is final
    return s;
  }

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i * 7);
    return b;
  }

  @Test
  void reqRepRoundTripsOverTlsCheckedAgainstTheHostName() {
    try (ZSocket rep = server(SocketType.REP, localhost); ZSocket req = client(SocketType.REQ, localhost.cert(), "localhost")) {
      String ep = rep.bind("wss://127.0.0.1:*/roundtrip");
      assertTrue(ep.matches("wss://127\\.0\\.0\\.1:\\d+/roundtrip"), ep);
      req.connect(ep);
      for (int i = 0; i < 10; i++) {
        req.send("ping-" + i);
        assertEquals("ping-" + i, rep.recvString(WAIT));
        rep.send("pong-" + i);
        assertEquals("pong-" + i, req.recvString(WAIT));
      }
    }
  }

  @Test
  void largeAndManyMessagesCrossTlsRecordsWhole() {
    try (ZSocket pull = server(SocketType.PULL, localhost); ZSocket push = client(SocketType.PUSH, localhost.cert(), null)) {
      // no WSS_HOSTNAME: the endpoint's host, an IP address the certificate names
      push.connect(pull.bind("wss://127.0.0.1:*"));
      byte[] big = filled(200_000);
      int n = 20_000;
      Thread sender = new Thread(() -> { // past the HWM a send waits for the reader: not on this thread
        push.send(Msg.of(Frame.wrap(big, 0), Frame.of("end")));
        for (int i = 0; i < n; i++) push.send("m" + i);
      });
      sender.setDaemon(true);
      sender.start();
      Msg first = pull.recv(WAIT);
      assertNotNull(first);
      assertArrayEquals(big, first.frame(0).toByteArray());
      assertEquals("end", first.frame(1).text());
      for (int i = 0; i < n; i++) assertEquals("m" + i, pull.recvString(WAIT), "message " + i);
    }
  }

  @Test
  void aCertificateForAnotherHostNameIsRefusedWithAnEvent() {
    try (ZSocket pull = server(SocketType.PULL, localhost); ZSocket push = client(SocketType.PUSH, localhost.cert(), "zeromq.org")) {
      TestProbe<SocketEvent> events = monitor(push);
      push.connect(pull.bind("wss://127.0.0.1:*/host"));
      SocketEvent failed = MonitorProbes.await(events, EventType.HANDSHAKE_FAILED_NO_DETAIL, WAIT);
      assertTrue(failed.value() != 0, "errno " + failed.value());
      MonitorProbes.await(events, EventType.DISCONNECTED, WAIT);
      // the refused session may already have let go of its pipe (no reconnect): bounded either way
      push.send(Msg.ofStrings("must not arrive"), Duration.ofMillis(200));
      assertNull(pull.recv(Duration.ofMillis(300)));
    }
  }

  @Test
  void anUntrustedCertificateIsRefusedWithAnEventOnBothSides() {
    try (ZSocket pull = server(SocketType.PULL, stranger); ZSocket push = client(SocketType.PUSH, localhost.cert(), "localhost")) {
      TestProbe<SocketEvent> clientEvents = monitor(push);
      TestProbe<SocketEvent> serverEvents = monitor(pull);
      push.connect(pull.bind("wss://127.0.0.1:*"));
      MonitorProbes.await(clientEvents, EventType.HANDSHAKE_FAILED_NO_DETAIL, WAIT);
      // the client's alert ends the server's side of the handshake too
      MonitorProbes.await(serverEvents, EventType.HANDSHAKE_FAILED_NO_DETAIL, WAIT);
      // and the listener keeps serving clients that trust it
      try (ZSocket good = client(SocketType.PUSH, stranger.cert(), "localhost")) {
        good.connect(pull.lastEndpoint());
        good.send("trusted");
        assertEquals("trusted", pull.recvString(WAIT));
      }
    }
  }

  @Test
  void brokenPemIsRefusedAtBind() {
    try (ZSocket s = zmq.socket(SocketType.PAIR)) {
      s.setOption(ZmqOption.WSS_CERT_PEM, localhost.cert());
      s.setOption(ZmqOption.WSS_KEY_PEM, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
      ZmqException e = assertThrows(ZmqException.class, () -> s.bind("wss://127.0.0.1:*"));
      assertEquals(Errno.EINVAL, e.errno());
      assertTrue(e.getMessage().contains("PKCS#8"), e.getMessage());
      assertThrows(ZmqException.class, () -> s.setOption(ZmqOption.WSS_TRUST_PEM, "not pem"));
    }
  }
}
