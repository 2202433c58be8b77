package io.pekkozmq.engine.zmtp;

import io.pekkozmq.engine.Frame;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * ZMTP 3.x frame decoder (RFC 23 "framing"), single-threaded: owned by one {@link ZmtpConnection}.
 * An explicit state machine (flags → size → body) so input may be split at any byte.
 *
 * <p>Frames that lie wholly inside a heap input buffer are sliced out of it (no copy) unless they
 * are at most {@code copyThreshold} bytes, which are copied so the read buffer stays reusable. A
 * body that spans reads is accumulated into its own array, which is then the frame's array, so no
 * frame is copied twice. The announced size is untrusted: the array starts at most at
 * {@link #FIRST_CHUNK} bytes and doubles (capped at the announced size) only as bytes arrive.
 */
final class FrameDecoder {
  static final int WIRE_MORE = 1;
  static final int WIRE_LONG = 2;
  static final int WIRE_COMMAND = 4;
  /** Largest size a Java array may have in practice. */
  static final long MAX_FRAME = Integer.MAX_VALUE - 8;
  static final int FIRST_CHUNK = 1 << 20;

  private static final int FLAGS = 0;
  private static final int SIZE = 1;
  private static final int BODY = 2;

  private final long maxMsgSize;
  private final int copyThreshold;

  private int state = FLAGS;
  private int wireFlags;
  private int sizeBytesLeft;
  private long size;
  private byte[] body;
  private int bodyLen;
  private int bodyGot;
  private boolean sliced;
  private ProtocolError error;
  private String errorDetail;

  FrameDecoder(long maxMsgSize, int copyThreshold) {
    this.maxMsgSize = maxMsgSize;
    this.copyThreshold = copyThreshold;
  }

  ProtocolError error() {
    return error;
  }

  String errorDetail() {
    return errorDetail;
  }

  /** True if a frame returned since the last call points into an input buffer; resets. */
  boolean takeSliced() {
    boolean s = sliced;
    sliced = false;
    return s;
  }

  /** True between frames (nothing partial buffered). */
  boolean atFrameBoundary() {
    return state == FLAGS;
  }

  /** The next whole frame, or null when more input is needed or on error (see {@link #error()}). */
  Frame next(ByteBuffer in) {
    if (error != null) {
      return null;
    }
    if (state == FLAGS && in.hasArray()) {
      // Fast path: a whole short frame in the buffer.
      int rem = in.remaining();
      if (rem >= 2) {
        byte[] a = in.array();
        int p = in.arrayOffset() + in.position();
        int wf = a[p];
        if ((wf & WIRE_LONG) == 0) {
          int n = a[p + 1] & 0xff;
          if (rem >= 2 + n && (maxMsgSize < 0 || n <= maxMsgSize)) {
            in.position(in.position() + 2 + n);
            return whole(a, p + 2, n, wf);
          }
        }
      }
    }
    while (in.hasRemaining()) {
      switch (state) {
        case FLAGS -> {
          wireFlags = in.get();
          sizeBytesLeft = (wireFlags & WIRE_LONG) != 0 ? 8 : 1;
          size = 0;
          state = SIZE;
        }
        case SIZE -> {
          size = (size << 8) | (in.get() & 0xff);
          if (--sizeBytesLeft == 0) {
            if (!sizeAcceptable()) {
              return null;
            }
            int n = (int) size;
            if (in.hasArray() && in.remaining() >= n) {
              state = FLAGS;
              int p = in.arrayOffset() + in.position();
              in.position(in.position() + n);
              return whole(in.array(), p, n, wireFlags);
            }
            body = new byte[Math.min(n, FIRST_CHUNK)];
            bodyLen = n;
            bodyGot = 0;
            state = BODY;
          }
        }
        default -> {
          int n = Math.min(in.remaining(), bodyLen - bodyGot);
          if (bodyGot + n > body.length) {
            body = Arrays.copyOf(body, (int) Math.min(bodyLen, Math.max(2L * body.length, bodyGot + n)));
          }
          in.get(body, bodyGot, n);
          bodyGot += n;
          if (bodyGot == bodyLen) {
            state = FLAGS;
            byte[] b = body;
            body = null;
            return Frame.wrap(b, frameFlags(wireFlags));
          }
        }
      }
    }
    return null;
  }

  private boolean sizeAcceptable() {
    if (size < 0) {
      fail("frame size 0x" + Long.toHexString(size) + " has the top bit set");
      return false;
    }
    if (maxMsgSize >= 0 && size > maxMsgSize) {
      fail("EMSGSIZE: frame of " + size + " bytes exceeds maxMsgSize " + maxMsgSize);
      return false;
    }
    if (size > MAX_FRAME) {
      fail("EMSGSIZE: frame of " + size + " bytes is larger than a Java array can hold");
      return false;
    }
    return true;
  }

  private void fail(String detail) {
    error = ProtocolError.ZMTP_UNSPECIFIED;
    errorDetail = detail;
  }

  private Frame whole(byte[] a, int off, int n, int wf) {
    int flags = frameFlags(wf);
    if (n <= copyThreshold) {
      if (n == 0) {
        return Frame.EMPTY.withFlags(flags);
      }
      return Frame.wrap(Arrays.copyOfRange(a, off, off + n), flags);
    }
    sliced = true;
    return Frame.slice(a, off, n, flags);
  }

  /** MORE and COMMAND share their wire bit values with {@link Frame}; a command never has MORE. */
  private static int frameFlags(int wf) {
    return (wf & WIRE_COMMAND) != 0 ? Frame.COMMAND : (wf & WIRE_MORE);
  }
}
