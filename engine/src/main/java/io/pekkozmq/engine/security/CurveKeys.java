package io.pekkozmq.engine.security;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * CURVE long-term key pairs (X25519, 32-byte keys), as libzmq's {@code zmq_curve_keypair} and
 * {@code zmq_curve_public}.
 *
 * <p>Keys are in libsodium's layout: a public key is the little-endian u-coordinate, a secret key
 * the 32 raw scalar bytes (RFC 7748's encodings). The JDK's X25519 takes the scalar as those bytes
 * but the u-coordinate as a {@link BigInteger}; {@link #publicKeyObject} and {@link #rawPublic}
 * translate.
 *
 * @param publicKey 32 bytes
 * @param secretKey 32 bytes
 */
public record CurveKeys(byte[] publicKey, byte[] secretKey) {
  public static final int KEY_SIZE = 32;
  private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  private static final byte[] BASE_POINT = new byte[KEY_SIZE];
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    BASE_POINT[0] = 9;
  }

  public CurveKeys {
    checkLength("public key", publicKey);
    checkLength("secret key", secretKey);
    publicKey = publicKey.clone();
    secretKey = secretKey.clone();
  }

  /** A fresh key pair from a strong random source. */
  public static CurveKeys generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
      KeyPair kp = g.generateKeyPair();
      byte[] secret = ((XECPrivateKey) kp.getPrivate()).getScalar()
          .orElseThrow(() -> new IllegalStateException("X25519 private key without a scalar"));
      return new CurveKeys(rawPublic((XECPublicKey) kp.getPublic()), secret);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no X25519: " + e, e);
    }
  }

  /** The public key that belongs to a 32-byte secret key. */
  public static byte[] publicFromSecret(byte[] secretKey) {
    checkLength("secret key", secretKey);
    try {
      return x25519(secretKey, BASE_POINT);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 failed on the base point: " + e, e);
    }
  }

  /**
   * A key given as 40 characters of Z85 or as 32 raw bytes, as libzmq's CURVE_* options accept.
   *
   * @param what names the key in the error, e.g. {@code "CURVE_SERVERKEY"}
   * @throws IllegalArgumentException naming {@code what} and what is wrong (length, character)
   */
  public static byte[] parseKey(String what, Object key) {
    if (key == null) {
      throw new IllegalArgumentException(what + ": a key is required (40 characters of Z85 or 32 bytes), got null");
    }
    String z85;
    if (key instanceof byte[] b) {
      if (b.length == KEY_SIZE) {
        return b.clone();
      }
      int n = b.length == 41 && b[40] == 0 ? 40 : b.length;
      if (n != 40) {
        throw new IllegalArgumentException(
            what + ": a key is 32 bytes or 40 characters of Z85, got " + b.length + " bytes");
      }
      z85 = new String(b, 0, 40, StandardCharsets.ISO_8859_1);
    } else if (key instanceof String s) {
      z85 = s.length() == 41 && s.charAt(40) == 0 ? s.substring(0, 40) : s;
      if (z85.length() != 40) {
        throw new IllegalArgumentException(
            what + ": a Z85 key is 40 characters, got " + s.length());
      }
    } else {
      throw new IllegalArgumentException(
          what + ": a key is a String (Z85) or a byte[], got " + key.getClass().getSimpleName());
    }
    try {
      return Z85.decode(z85);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": bad Z85 key: " + e.getMessage(), e);
    }
  }

  public String publicZ85() {
    return Z85.encode(publicKey);
  }

  public String secretZ85() {
    return Z85.encode(secretKey);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] secretKey() {
    return secretKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CurveKeys k && Arrays.equals(k.publicKey, publicKey) && Arrays.equals(k.secretKey, secretKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "CurveKeys[public=" + publicZ85() + ", secret=<hidden>]";
  }

  // ------------------------------------------------------------ X25519 over raw keys (package use)

  /**
   * X25519(scalar, u) with both in libsodium's byte layout; the 32-byte little-endian result.
   *
   * @throws GeneralSecurityException if the JDK refuses (e.g. a small-order point, all-zero result)
   */
  static byte[] x25519(byte[] secret, byte[] peerPublic) throws GeneralSecurityException {
    KeyAgreement ka = KeyAgreement.getInstance("X25519");
    ka.init(privateKeyObject(secret));
    ka.doPhase(publicKeyObject(peerPublic), true);
    return ka.generateSecret();
  }

  static PrivateKey privateKeyObject(byte[] secret) throws GeneralSecurityException {
    return KeyFactory.getInstance("X25519")
        .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, secret.clone()));
  }

  static PublicKey publicKeyObject(byte[] raw) throws GeneralSecurityException {
    byte[] be = new byte[KEY_SIZE];
    for (int i = 0; i < KEY_SIZE; i++) {
      be[i] = raw[KEY_SIZE - 1 - i];
    }
    be[0] &= 0x7f; // RFC 7748: the top bit of the u-coordinate is ignored
    BigInteger u = new BigInteger(1, be).mod(P);
    return KeyFactory.getInstance("X25519")
        .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
  }

  static byte[] rawPublic(XECPublicKey key) {
    byte[] be = key.getU().toByteArray();
    byte[] le = new byte[KEY_SIZE];
    for (int i = 0; i < KEY_SIZE && i < be.length; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }

  /** A fresh key pair as raw bytes, for short-term (per-connection) keys. */
  static CurveKeys shortTerm() {
    return generate();
  }

  static SecureRandom random() {
    return RANDOM;
  }

  private static void checkLength(String what, byte[] key) {
    if (key == null || key.length != KEY_SIZE) {
      throw new IllegalArgumentException(
          "a CURVE " + what + " is " + KEY_SIZE + " bytes, got " + (key == null ? "null" : key.length + " bytes"));
    }
  }
}
