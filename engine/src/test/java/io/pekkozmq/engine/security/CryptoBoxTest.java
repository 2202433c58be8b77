package io.pekkozmq.engine.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** NaCl's published vectors, as libsodium's test/default/box.c, box2.c, secretbox.c and core1.c carry them. */
class CryptoBoxTest {
  static final HexFormat HEX = HexFormat.of();
  static final byte[] ALICE_SK = CurveKeysTest.ALICE_SK;
  static final byte[] ALICE_PK = CurveKeysTest.ALICE_PK;
  static final byte[] BOB_SK = CurveKeysTest.BOB_SK;
  static final byte[] BOB_PK = CurveKeysTest.BOB_PK;
  static final byte[] NONCE = HEX.parseHex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37");
  /** core1.c's firstkey: HSalsa20(shared, 0): crypto_box_beforenm(bobpk, alicesk). */
  static final byte[] FIRSTKEY = HEX.parseHex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
  static final byte[] M = HEX.parseHex(
      "be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01"
      + "233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59f"
      + "fd4924ca1c60902e52f0a089bc76897040e082f937763848645e0705");
  /** The box, tag first (NaCl's c without its 16 zero bytes). */
  static final byte[] C = HEX.parseHex(
      "f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c"
      + "98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acf"
      + "eabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5");
  static final byte[] SMALL_ORDER = HEX.parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");

  @Test
  void beforenmIsCore1sFirstKey() throws Exception {
    assertArrayEquals(FIRSTKEY, CryptoBox.beforenm(BOB_PK, ALICE_SK));
    assertArrayEquals(FIRSTKEY, CryptoBox.beforenm(ALICE_PK, BOB_SK));
  }

  /** box.c: crypto_box(m, nonce, bobpk, alicesk) and the afternm form. */
  @Test
  void boxMatchesNacl() throws Exception {
    byte[] out = new byte[CryptoBox.boxLength(M.length)];
    CryptoBox.forKeys(BOB_PK, ALICE_SK).seal(NONCE, M, 0, M.length, out, 0);
    assertArrayEquals(C, out);
    CryptoBox afternm = new CryptoBox(FIRSTKEY);
    Arrays.fill(out, (byte) 0);
    afternm.seal(NONCE, M, 0, M.length, out, 0);
    assertArrayEquals(C, out);
    // the same instance again (reused cipher and MAC)
    afternm.seal(NONCE, M, 0, M.length, out, 0);
    assertArrayEquals(C, out);
    // leading-byte form equals sealing the concatenation
    byte[] joined = new byte[C.length];
    afternm.seal(NONCE, M[0], M, 1, M.length - 1, joined, 0);
    assertArrayEquals(C, joined);
  }

  /** box2.c: crypto_box_open(c, nonce, alicepk, bobsk) gives m. */
  @Test
  void openMatchesNacl() throws Exception {
    byte[] m = new byte[M.length];
    assertTrue(CryptoBox.forKeys(ALICE_PK, BOB_SK).open(NONCE, C, 0, C.length, m, 0));
    assertArrayEquals(M, m);
    byte[] inPlace = C.clone();
    assertTrue(new CryptoBox(FIRSTKEY).open(NONCE, inPlace, 0, inPlace.length, inPlace, CryptoBox.MAC_BYTES));
    assertArrayEquals(M, Arrays.copyOfRange(inPlace, CryptoBox.MAC_BYTES, inPlace.length));
  }

  /** secretbox.c: crypto_secretbox(m, nonce, firstkey) is the same box. */
  @Test
  void secretboxMatchesNacl() {
    byte[] out = new byte[C.length];
    new CryptoBox(FIRSTKEY).seal(NONCE, M, 0, M.length, out, 0);
    assertArrayEquals(C, out);
  }

  @Test
  void smallOrderKeysAreRefused() {
    assertThrows(GeneralSecurityException.class, () -> CryptoBox.beforenm(SMALL_ORDER, ALICE_SK));
    assertThrows(GeneralSecurityException.class, () -> CryptoBox.beforenm(new byte[32], ALICE_SK));
  }

  @Test
  void everyFlippedBitAndTruncationFailsAndWritesNothing() {
    CryptoBox box = new CryptoBox(FIRSTKEY);
    byte[] out = new byte[M.length];
    for (int bit = 0; bit < C.length * 8; bit += 7) {
      byte[] c = C.clone();
      c[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFalse(box.open(NONCE, c, 0, c.length, out, 0), "bit " + bit);
    }
    byte[] n = NONCE.clone();
    n[23] ^= 1;
    assertFalse(box.open(n, C, 0, C.length, out, 0));
    assertFalse(box.open(NONCE, C, 0, C.length - 1, out, 0));
    assertFalse(box.open(NONCE, C, 0, 15, out, 0));
    assertArrayEquals(new byte[M.length], out, "nothing decrypted from a box that failed");
    assertTrue(box.open(NONCE, C, 0, C.length, out, 0), "the instance still works after failures");
  }

  @Test
  void roundTripsAtManySizes() {
    Random r = new Random(26);
    byte[] key = new byte[32];
    r.nextBytes(key);
    CryptoBox a = new CryptoBox(key);
    CryptoBox b = new CryptoBox(key);
    for (int len = 0; len < 300; len += 13) {
      byte[] m = new byte[len];
      r.nextBytes(m);
      byte[] nonce = new byte[24];
      r.nextBytes(nonce);
      byte[] c = new byte[len + 16];
      a.seal(nonce, m, 0, len, c, 0);
      byte[] back = new byte[len];
      assertTrue(b.open(nonce, c, 0, c.length, back, 0));
      assertArrayEquals(m, back);
    }
  }
}
