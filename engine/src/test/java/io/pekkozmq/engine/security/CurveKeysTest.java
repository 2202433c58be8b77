package io.pekkozmq.engine.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CurveKeysTest {
  static final HexFormat HEX = HexFormat.of();
  /** RFC 7748 section 6.1 (also NaCl's alicesk/alicepk, bobsk/bobpk). */
  static final byte[] ALICE_SK = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  static final byte[] ALICE_PK = HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  static final byte[] BOB_SK = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
  static final byte[] BOB_PK = HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  static final byte[] SHARED = HEX.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

  @Test
  void publicFromSecretMatchesKnownPairs() {
    assertArrayEquals(ALICE_PK, CurveKeys.publicFromSecret(ALICE_SK));
    assertArrayEquals(BOB_PK, CurveKeys.publicFromSecret(BOB_SK));
  }

  @Test
  void sharedSecretMatchesRfc7748() throws Exception {
    assertArrayEquals(SHARED, CurveKeys.x25519(ALICE_SK, BOB_PK));
    assertArrayEquals(SHARED, CurveKeys.x25519(BOB_SK, ALICE_PK));
  }

  @Test
  void generatedPairsAreConsistentAndDistinct() {
    CurveKeys a = CurveKeys.generate();
    CurveKeys b = CurveKeys.generate();
    assertArrayEquals(a.publicKey(), CurveKeys.publicFromSecret(a.secretKey()));
    assertArrayEquals(b.publicKey(), CurveKeys.publicFromSecret(b.secretKey()));
    assertFalse(Arrays.equals(a.secretKey(), b.secretKey()));
    assertEquals(40, a.publicZ85().length());
    assertArrayEquals(a.publicKey(), Z85.decode(a.publicZ85()));
    assertArrayEquals(a.secretKey(), Z85.decode(a.secretZ85()));
    assertFalse(a.toString().contains(a.secretZ85()), "toString must not show the secret");
  }

  @Test
  void parseKeyAcceptsZ85AndRawBytes() {
    String z = Z85.encode(ALICE_PK);
    assertArrayEquals(ALICE_PK, CurveKeys.parseKey("CURVE_SERVERKEY", z));
    assertArrayEquals(ALICE_PK, CurveKeys.parseKey("CURVE_SERVERKEY", z + "\0"));
    assertArrayEquals(ALICE_PK, CurveKeys.parseKey("CURVE_SERVERKEY", ALICE_PK));
    assertArrayEquals(ALICE_PK, CurveKeys.parseKey("CURVE_SERVERKEY", z.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void parseKeyErrorsNameTheOption() {
    var e = assertThrows(IllegalArgumentException.class, () -> CurveKeys.parseKey("CURVE_PUBLICKEY", new byte[31]));
    assertTrue(e.getMessage().startsWith("CURVE_PUBLICKEY") && e.getMessage().contains("31 bytes"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CurveKeys.parseKey("CURVE_SECRETKEY", "abc"));
    assertTrue(e.getMessage().startsWith("CURVE_SECRETKEY") && e.getMessage().contains("got 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> CurveKeys.parseKey("CURVE_SERVERKEY", "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh~"));
    assertTrue(e.getMessage().startsWith("CURVE_SERVERKEY") && e.getMessage().contains("index 39"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CurveKeys.parseKey("CURVE_SERVERKEY", 42));
    assertTrue(e.getMessage().contains("Integer"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CurveKeys.parseKey("CURVE_SERVERKEY", null));
    assertTrue(e.getMessage().startsWith("CURVE_SERVERKEY"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CurveKeys.publicFromSecret(new byte[16]));
  }
}
