package io.pekkozmq.engine.security;

/**
 * CURVE long-term key pairs (X25519, 32-byte keys), as libzmq's {@code zmq_curve_keypair} and
 * {@code zmq_curve_public}.
 *
 * @param publicKey 32 bytes
 * @param secretKey 32 bytes
 */
public record CurveKeys(byte[] publicKey, byte[] secretKey) {
  public static final int KEY_SIZE = 32;

  /** A fresh key pair from a strong random source. */
  public static CurveKeys generate() {
    throw new UnsupportedOperationException("contract stub: sec-engine implements this");
  }

  /** The public key that belongs to a 32-byte secret key. */
  public static byte[] publicFromSecret(byte[] secretKey) {
    throw new UnsupportedOperationException("contract stub: sec-engine implements this");
  }

  /**
   * A key given as 40 characters of Z85 or as 32 raw bytes, as libzmq's CURVE_* options accept.
   *
   * @param what names the key in the error, e.g. {@code "CURVE_SERVERKEY"}
   * @throws IllegalArgumentException naming {@code what} and what is wrong (length, character)
   */
  public static byte[] parseKey(String what, Object key) {
    throw new UnsupportedOperationException("contract stub: sec-engine implements this");
  }

  public String publicZ85() {
    return Z85.encode(publicKey);
  }

  public String secretZ85() {
    return Z85.encode(secretKey);
  }
}
