package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.security.CurveKeys;
import io.pekkozmq.engine.security.SecurityOptions;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The security options as libzmq 4.3.4's options_t stores them: the last one set chooses the mechanism. */
class SecurityOptionTest {
  private static final CurveKeys KEYS = CurveKeys.generate();

  private static SocketOptions options() {
    return SocketOptions.fromConfig(ConfigFactory.load().getConfig("pekko-zmq.socket"));
  }

  private static void assertMechanism(SocketOptions o, String mechanism, boolean plainServer, boolean curveServer) {
    assertEquals(mechanism, o.mechanismName());
    assertEquals(plainServer, o.get(ZmqOption.PLAIN_SERVER), "PLAIN_SERVER reads as_server && PLAIN");
    assertEquals(curveServer, o.get(ZmqOption.CURVE_SERVER), "CURVE_SERVER reads as_server && CURVE");
    SecurityOptions s = o.security();
    assertEquals(mechanism, s.kind().name());
    assertEquals(plainServer || curveServer, s.asServer(), "the greeting's as-server bit");
  }

  @Test
  void nullByDefaultAndNeverAsServer() {
    SocketOptions o = options();
    assertMechanism(o, "NULL", false, false);
    assertArrayEquals(new byte[32], (byte[]) o.get(ZmqOption.CURVE_SERVERKEY), "unset keys read as 32 zero bytes, as libzmq's");
    assertEquals("", o.get(ZmqOption.ZAP_DOMAIN));
  }

  @Test
  void plainServerOnAndOff() {
    SocketOptions o = options();
    o.set(ZmqOption.PLAIN_SERVER, true);
    assertMechanism(o, "PLAIN", true, false);
    o.set(ZmqOption.PLAIN_SERVER, false);
    assertMechanism(o, "NULL", false, false);
  }

  @Test
  void aPlainUserNameOrPasswordMakesAPlainClient() {
    SocketOptions o = options();
    o.set(ZmqOption.PLAIN_SERVER, true);
    o.set(ZmqOption.PLAIN_USERNAME, "admin");
    assertMechanism(o, "PLAIN", false, false);
    o.set(ZmqOption.PLAIN_PASSWORD, "secret");
    SecurityOptions s = o.security();
    assertArrayEquals("admin".getBytes(StandardCharsets.UTF_8), s.plainUsername());
    assertArrayEquals("secret".getBytes(StandardCharsets.UTF_8), s.plainPassword());
    assertArrayEquals("secret".getBytes(StandardCharsets.UTF_8), (byte[]) o.get(ZmqOption.PLAIN_PASSWORD));
  }

  @Test
  void curveServerAndTheServerKeyMakingAClient() {
    SocketOptions o = options();
    o.set(ZmqOption.CURVE_SECRETKEY, KEYS.secretZ85());
    o.set(ZmqOption.CURVE_SERVER, true);
    assertMechanism(o, "CURVE", false, true);
    assertArrayEquals(KEYS.secretKey(), o.security().curveSecretKey());
    o.set(ZmqOption.CURVE_SERVERKEY, KEYS.publicKey());
    assertMechanism(o, "CURVE", false, false);
    assertArrayEquals(KEYS.publicKey(), o.security().curveServerKey());
    o.set(ZmqOption.CURVE_SERVER, false);
    assertMechanism(o, "NULL", false, false);
  }

  @Test
  void anyCurveKeyChoosesCurveAndKeepsTheServerRoleAsLibzmqDoes() {
    SocketOptions o = options();
    o.set(ZmqOption.PLAIN_SERVER, true);
    o.set(ZmqOption.CURVE_SECRETKEY, KEYS.secretKey());
    // libzmq's set_curve_key sets mechanism = CURVE and leaves as_server alone
    assertMechanism(o, "CURVE", false, true);
    o.set(ZmqOption.CURVE_PUBLICKEY, KEYS.publicZ85().getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(KEYS.publicKey(), (byte[]) o.get(ZmqOption.CURVE_PUBLICKEY), "Z85 as text bytes is decoded");
  }

  @Test
  void zapDomainAloneKeepsNullButGoesIntoTheSecurityOptions() {
    SocketOptions o = options();
    o.set(ZmqOption.ZAP_DOMAIN, "global");
    o.set(ZmqOption.ZAP_ENFORCE_DOMAIN, true);
    assertMechanism(o, "NULL", false, false);
    assertEquals("global", o.security().zapDomain());
    assertTrue(o.security().zapEnforceDomain());
    SocketOptions copy = o.copy();
    o.set(ZmqOption.ZAP_DOMAIN, "other");
    assertEquals("global", copy.security().zapDomain(), "a connection keeps the copy it started with");
  }

  @Test
  void badKeysAndCredentialsFailWithEinvalNamingTheOption() {
    SocketOptions o = options();
    assertInvalid(() -> o.set(ZmqOption.CURVE_SERVERKEY, new byte[31]), "CURVE_SERVERKEY");
    assertInvalid(() -> o.set(ZmqOption.CURVE_SECRETKEY, "not a key"), "CURVE_SECRETKEY");
    assertInvalid(() -> o.set(ZmqOption.CURVE_PUBLICKEY, KEYS.publicZ85().substring(1) + "\""), "CURVE_PUBLICKEY");
    assertInvalid(() -> o.set(ZmqOption.PLAIN_USERNAME, ""), "PLAIN_USERNAME");
    assertInvalid(() -> o.set(ZmqOption.PLAIN_PASSWORD, new byte[256]), "PLAIN_PASSWORD");
    assertInvalid(() -> o.set(ZmqOption.ZAP_DOMAIN, "d".repeat(256)), "ZAP_DOMAIN");
    assertInvalid(() -> ZmqOption.MECHANISM.validate("CURVE"), "MECHANISM");
    assertMechanism(o, "NULL", false, false);
    assertFalse(o.security().zapEnforceDomain());
  }

  private static void assertInvalid(org.junit.jupiter.api.function.Executable set, String option) {
    ZmqException e = assertThrows(ZmqException.class, set);
    assertEquals(Errno.EINVAL, e.errno());
    assertTrue(e.getMessage().contains(option), e.getMessage());
  }
}
