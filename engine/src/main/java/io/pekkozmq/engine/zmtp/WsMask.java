package io.pekkozmq.engine.zmtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * RFC 6455 5.3 masking: payload byte {@code k} is XORed with byte {@code k % 4} of the 32-bit key
 * (most significant first). Eight bytes at a time, so masking costs about what the copy it rides
 * on costs; {@code phase} is the payload position of the first byte, for a payload handled in parts.
 */
final class WsMask {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private WsMask() {}

  /** The key repeated over 8 bytes, rotated so that its first byte applies at {@code phase}. */
  private static long spread(int mask, long phase) {
    int rot = Integer.rotateLeft(mask, 8 * (int) (phase & 3));
    return ((long) rot << 32) | (rot & 0xffffffffL);
  }

  /** Masks (or unmasks) {@code a[off, off+len)} in place. */
  static void xor(byte[] a, int off, int len, int mask, long phase) {
    long m = spread(mask, phase);
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      LONGS.set(a, off + i, (long) LONGS.get(a, off + i) ^ m);
    }
    for (; i < len; i++) {
      a[off + i] ^= (byte) (m >>> (56 - 8 * (i & 7)));
    }
  }

  /** Puts {@code src[off, off+len)} masked into {@code out}, which has room for it. */
  static void putMasked(ByteBuffer out, byte[] src, int off, int len, int mask, long phase) {
    long m = spread(mask, phase);
    ByteOrder order = out.order();
    out.order(ByteOrder.BIG_ENDIAN);
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      out.putLong((long) LONGS.get(src, off + i) ^ m);
    }
    for (; i < len; i++) {
      out.put((byte) (src[off + i] ^ (m >>> (56 - 8 * (i & 7)))));
    }
    out.order(order);
  }
}
