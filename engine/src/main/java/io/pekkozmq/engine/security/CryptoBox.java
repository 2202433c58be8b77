package io.pekkozmq.engine.security;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * NaCl's {@code crypto_box} / {@code crypto_secretbox} (XSalsa20-Poly1305), assembled from Bouncy
 * Castle's XSalsa20 and Poly1305 and the JDK's X25519; no primitive is implemented here.
 *
 * <ul>
 *   <li>{@code crypto_box_beforenm(pk, sk)} = HSalsa20(X25519(sk, pk), 16 zero bytes)
 *       ({@link #beforenm}). BC does not expose HSalsa20, but its XSalsa20 key setup is exactly
 *       HSalsa20(key, nonce[0..16)) and leaves the derived key in the Salsa20 state words 1-4 and
 *       11-14, which {@link Engine#subkey} reads back.
 *   <li>{@code crypto_secretbox(k, n, m)}: the XSalsa20 key stream for (k, n); its first 32 bytes are
 *       the one-time Poly1305 key, the rest encrypts m; the 16-byte tag over the cipher text comes
 *       first. The box layout is the one libzmq puts on the wire: {@code tag(16) ciphertext}
 *       (NaCl's output without its 16 leading zero bytes).
 *   <li>{@code crypto_box_afternm} is {@code crypto_secretbox} under the precomputed key.
 * </ul>
 *
 * <p>One instance per key (per connection and direction of use), single-threaded: the cipher, MAC
 * and scratch arrays are reused, so sealing and opening allocate nothing here (BC's XSalsa20 key
 * setup makes one small int array per message).
 */
public final class CryptoBox {
  public static final int KEY_BYTES = 32;
  public static final int NONCE_BYTES = 24;
  public static final int MAC_BYTES = 16;
  private static final byte[] ZERO32 = new byte[32];
  private static final byte[] ZERO_NONCE = new byte[NONCE_BYTES];

  private final byte[] key;
  private final Engine cipher = new Engine();
  private final Poly1305 mac = new Poly1305();
  private final KeyParameter macKey = new KeyParameter(new byte[32]);
  private final byte[] tag = new byte[MAC_BYTES];

  /** A box under a 32-byte symmetric key: a secretbox key, or a precomputed {@link #beforenm} key. */
  public CryptoBox(byte[] key) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException("an XSalsa20-Poly1305 key is 32 bytes");
    }
    this.key = key.clone();
    cipher.init(true, new ParametersWithIV(new KeyParameter(this.key), ZERO_NONCE));
  }

  /** {@code crypto_box} between our secret key and the peer's public key (beforenm done once). */
  public static CryptoBox forKeys(byte[] peerPublic, byte[] ourSecret) throws GeneralSecurityException {
    return new CryptoBox(beforenm(peerPublic, ourSecret));
  }

  /**
   * {@code crypto_box_beforenm}: HSalsa20 of the X25519 shared secret.
   *
   * @throws GeneralSecurityException when X25519 refuses the key (a small-order point), as
   *     libsodium's does
   */
  public static byte[] beforenm(byte[] peerPublic, byte[] ourSecret) throws GeneralSecurityException {
    byte[] shared = CurveKeys.x25519(ourSecret, peerPublic);
    try {
      Engine e = new Engine();
      e.init(true, new ParametersWithIV(new KeyParameter(shared), ZERO_NONCE));
      return e.subkey();
    } finally {
      java.util.Arrays.fill(shared, (byte) 0);
    }
  }

  /** Bytes a sealed box of {@code plainLength} bytes takes. */
  public static int boxLength(int plainLength) {
    return plainLength + MAC_BYTES;
  }

  /**
   * Seals {@code in[inOff, inOff+len)} under {@code nonce} into {@code out[outOff, outOff+len+16)}
   * (tag, then cipher text). {@code out} may not overlap {@code in}.
   */
  public void seal(byte[] nonce, byte[] in, int inOff, int len, byte[] out, int outOff) {
    start(nonce);
    cipher.processBytes(in, inOff, len, out, outOff + MAC_BYTES);
    finishSeal(out, outOff, len);
  }

  /**
   * Seals one leading byte followed by {@code in[inOff, inOff+len)}, as CURVE's MESSAGE plain text
   * (flags, then the frame's bytes) without first copying them together.
   */
  public void seal(byte[] nonce, byte first, byte[] in, int inOff, int len, byte[] out, int outOff) {
    start(nonce);
    out[outOff + MAC_BYTES] = cipher.returnByte(first);
    cipher.processBytes(in, inOff, len, out, outOff + MAC_BYTES + 1);
    finishSeal(out, outOff, len + 1);
  }

  private void finishSeal(byte[] out, int outOff, int plainLen) {
    mac.init(macKey);
    mac.update(out, outOff + MAC_BYTES, plainLen);
    mac.doFinal(out, outOff);
  }

  /**
   * Opens the box {@code in[inOff, inOff+boxLen)} (tag, then cipher text): checks the tag and only
   * then decrypts into {@code out[outOff, outOff+boxLen-16)}. {@code out} may be {@code in} at
   * {@code inOff + 16} (in place). Returns false, writing nothing, if the box is shorter than a tag
   * or the tag does not match.
   */
  public boolean open(byte[] nonce, byte[] in, int inOff, int boxLen, byte[] out, int outOff) {
    if (boxLen < MAC_BYTES) {
      return false;
    }
    start(nonce);
    int clen = boxLen - MAC_BYTES;
    mac.init(macKey);
    mac.update(in, inOff + MAC_BYTES, clen);
    mac.doFinal(tag, 0);
    if (!MessageDigest.isEqual(tag(in, inOff), tag)) {
      return false;
    }
    cipher.processBytes(in, inOff + MAC_BYTES, clen, out, outOff);
    return true;
  }

  private final byte[] received = new byte[MAC_BYTES];

  private byte[] tag(byte[] in, int off) {
    System.arraycopy(in, off, received, 0, MAC_BYTES);
    return received;
  }

  /** Keys the stream for {@code nonce} and takes its first 32 bytes as the Poly1305 key. */
  private void start(byte[] nonce) {
    if (nonce.length != NONCE_BYTES) {
      throw new IllegalArgumentException("an XSalsa20 nonce is 24 bytes");
    }
    cipher.rekey(key, nonce);
    cipher.processBytes(ZERO32, 0, 32, macKey.getKey(), 0);
  }

  /** BC's XSalsa20 with a re-key that reuses the engine, and read access to the derived key. */
  private static final class Engine extends XSalsa20Engine {
    void rekey(byte[] key, byte[] nonce) {
      setKey(key, nonce);
      reset();
    }

    /** HSalsa20's output: after XSalsa20's key setup, the Salsa20 key words of the state. */
    byte[] subkey() {
      byte[] k = new byte[32];
      int[] words = {engineState[1], engineState[2], engineState[3], engineState[4],
          engineState[11], engineState[12], engineState[13], engineState[14]};
      for (int i = 0; i < 8; i++) {
        int w = words[i];
        k[4 * i] = (byte) w;
        k[4 * i + 1] = (byte) (w >>> 8);
        k[4 * i + 2] = (byte) (w >>> 16);
        k[4 * i + 3] = (byte) (w >>> 24);
      }
      return k;
    }
  }
}
