package io.pekkozmq.engine.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void savesAndLoadsBothFiles() throws IOException {
    CurveKeys keys = CurveKeys.generate();
    Certificate cert = Certificate.of(keys, Map.of("name", "server one"));
    Path base = dir.resolve("server.key");
    cert.save(base);
    Certificate pub = Certificate.load(base);
    assertArrayEquals(keys.publicKey(), pub.publicKey());
    assertNull(pub.secretKey());
    Certificate sec = Certificate.load(dir.resolve("server.key_secret"));
    assertArrayEquals(keys.publicKey(), sec.publicKey());
    assertArrayEquals(keys.secretKey(), sec.secretKey());
    assertEquals(Map.of("name", "server one"), sec.metadata());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("server.key_secret"))));
  }

  @Test
  void readsZplVariants() throws IOException {
    CurveKeys keys = CurveKeys.generate();
    Path f = dir.resolve("c");
    Files.writeString(f, "#  comment\n\nmetadata\n    email = \"a@b\"  # trailing comment\n    bare = word\n"
        + "curve\n    public-key = '" + keys.publicZ85() + "'\n\tsecret-key = \"" + keys.secretZ85() + "\"\n");
    Certificate c = Certificate.load(f);
    assertArrayEquals(keys.publicKey(), c.publicKey());
    assertArrayEquals(keys.secretKey(), c.secretKey());
    assertEquals(List.of("email", "bare"), List.copyOf(c.metadata().keySet()));
    assertEquals("a@b", c.metadata().get("email"));
    assertEquals("word", c.metadata().get("bare"));
  }

  @Test
  void rejectsFilesWithoutAGoodKey() throws IOException {
    Path none = dir.resolve("none");
    Files.writeString(none, "metadata\ncurve\n");
    var e = assertThrows(IOException.class, () -> Certificate.load(none));
    assertTrue(e.getMessage().contains("no curve/public-key"), e.getMessage());
    Path bad = dir.resolve("bad");
    Files.writeString(bad, "curve\n    public-key = \"tooshort\"\n");
    e = assertThrows(IOException.class, () -> Certificate.load(bad));
    assertTrue(e.getMessage().contains("public-key"), e.getMessage());
  }

  @Test
  void directoryLoadsPublicCertificatesAndSkipsOthers() throws IOException {
    CurveKeys a = CurveKeys.generate();
    CurveKeys b = CurveKeys.generate();
    Certificate.of(a, Map.of()).save(dir.resolve("a.key"));
    Certificate.of(b, Map.of()).save(dir.resolve("b.key"));
    Files.writeString(dir.resolve("README"), "not a certificate\n");
    Files.createDirectory(dir.resolve("sub"));
    List<Certificate> certs = Certificate.loadDirectory(dir);
    assertEquals(2, certs.size());
    assertArrayEquals(a.publicKey(), certs.get(0).publicKey());
    assertArrayEquals(b.publicKey(), certs.get(1).publicKey());
    assertNull(certs.get(0).secretKey());
  }

  private static final String PY_CREATE = """
      import sys, zmq, zmq.auth
      pub, sec = zmq.auth.create_certificates(sys.argv[1], "client", metadata={"owner": "py"})
      p, s = zmq.auth.load_certificate(sec)
      print("KEYS " + p.decode() + " " + s.decode(), flush=True)
      """;

  /** Files written by pyzmq's create_certificates load here, with the same keys. */
  @Test
  void loadsPyzmqCertificates() throws IOException {
    PyZmq.requireLibzmq();
    String[] keys;
    try (PyPeer py = PyZmq.start(PY_CREATE, dir.toString())) {
      keys = py.awaitLine("KEYS ", TIMEOUT).split(" ");
      assertEquals(0, py.waitFor(TIMEOUT), py.stderr());
    }
    Certificate pub = Certificate.load(dir.resolve("client.key"));
    Certificate sec = Certificate.load(dir.resolve("client.key_secret"));
    assertEquals(keys[1], pub.publicZ85());
    assertNull(pub.secretKey());
    assertEquals(keys[2], Z85.encode(sec.secretKey()));
    assertEquals(Map.of("owner", "py"), sec.metadata());
    // and libsodium's key pair agrees with our X25519
    assertArrayEquals(sec.publicKey(), CurveKeys.publicFromSecret(sec.secretKey()));
    assertEquals(1, Certificate.loadDirectory(dir).size());
  }

  private static final String PY_LOAD = """
      import sys, zmq, zmq.auth
      p, s = zmq.auth.load_certificate(sys.argv[1] + "_secret")
      p2, s2 = zmq.auth.load_certificate(sys.argv[1])
      certs = zmq.auth.load_certificates(sys.argv[2])
      print("LOADED %s %s %s %s %d %s" % (p.decode(), s.decode(), p2.decode(), s2, len(certs),
            zmq.curve_public(s).decode()), flush=True)
      """;

  /** Our files load in pyzmq's load_certificate / load_certificates, and libzmq agrees on the public key. */
  @Test
  void pyzmqLoadsOurCertificates() {
    PyZmq.requireLibzmq();
    CurveKeys keys = CurveKeys.generate();
    Path base = dir.resolve("ours.key");
    try {
      Certificate.of(keys, Map.of("owner", "java")).save(base);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    try (PyPeer py = PyZmq.start(PY_LOAD, base.toString(), dir.toString())) {
      String[] f = py.awaitLine("LOADED ", TIMEOUT).split(" ");
      assertEquals(keys.publicZ85(), f[1]);
      assertEquals(keys.secretZ85(), f[2]);
      assertEquals(keys.publicZ85(), f[3]);
      assertEquals("None", f[4]);
      assertEquals("1", f[5]);
      assertEquals(keys.publicZ85(), f[6]);
      assertEquals(0, py.waitFor(TIMEOUT), py.stderr());
    }
  }
}
