package io.pekkozmq.engine.zmtp;

import io.pekkozmq.engine.Frame;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * ZWS 2.0 frame decoder (RFC 45 over RFC 6455 framing), single-threaded: owned by one
 * {@link ZmtpConnection}, an explicit state machine (header → extended length → mask → flags →
 * body) so input may be split at any byte, as {@link FrameDecoder} is for ZMTP.
 *
 * <p>A binary message is one ZeroMQ frame: its payload's first byte carries MORE (bit 0) and
 * COMMAND (bit 1), the rest is the body. Ping, pong and close come back as frames flagged
 * {@link #PING}, {@link #PONG} or {@link #CLOSE} (not wire bits) for the connection to answer.
 * As libzmq's ws_decoder: fragmented messages, text and unknown opcodes are refused, and so is a
 * frame whose mask bit is not what the side demands (clients mask, servers do not). Also refused:
 * reserved bits, a 64-bit length with the top bit set (RFC 6455 5.2), a control frame over 125
 * bytes, an empty binary message (no flags byte).
 *
 * <p>Bodies are unmasked in place in the input's backing array (the engine reads into a buffer it
 * owns, as under CURVE) and sliced out of it as {@link FrameDecoder} does; small ones are copied,
 * and one spanning reads is accumulated into its own array, grown only as bytes arrive.
 */
final class WsFrameDecoder {
  /** Not wire bits: the frame is a WebSocket control frame, its body the control payload. */
  static final int PING = 0x100;
  static final int PONG = 0x200;
  static final int CLOSE = 0x400;
  static final int CONTROL = PING | PONG | CLOSE;

  static final int OP_BINARY = 0x2;
  static final int OP_CLOSE = 0x8;
  static final int OP_PING = 0x9;
  static final int OP_PONG = 0xA;
  static final int ZWS_MORE = 1;
  static final int ZWS_COMMAND = 2;

  private static final int HEAD = 0;
  private static final int LEN = 1;
  private static final int EXT = 2;
  private static final int MASK = 3;
  private static final int FLAGS = 4;
  private static final int BODY = 5;

  private final boolean mustMask;
  private final long maxMsgSize;
  private final int copyThreshold;

  private int state = HEAD;
  private int opcode;
  private int extLeft;
  private long size;
  private int maskLeft;
  private int mask;
  /** Bytes of the payload unmasked so far: the mask's phase for the next one. */
  private long maskPos;
  private int frameFlags;
  private byte[] body;
  private int bodyLen;
  private int bodyGot;
  private boolean sliced;
  private ProtocolError error;
  private String errorDetail;

  /** @param mustMask true on the server: every frame from the client must be masked */
  WsFrameDecoder(boolean mustMask, long maxMsgSize, int copyThreshold) {
    this.mustMask = mustMask;
    this.maxMsgSize = maxMsgSize;
    this.copyThreshold = copyThreshold;
  }

  ProtocolError error() {
    return error;
  }

  String errorDetail() {
    return errorDetail;
  }

  boolean takeSliced() {
    boolean s = sliced;
    sliced = false;
    return s;
  }

  Frame next(ByteBuffer in) {
    if (error != null) return null;
    // an empty body (a bare control frame, a frame of flags only) completes without more input
    while (in.hasRemaining() || (state == BODY && bodyLen == 0)) {
      switch (state) {
        case HEAD -> {
          int b = in.get() & 0xff;
          if ((b & 0x80) == 0) return fail("fragmented WebSocket messages are not supported (FIN clear)");
          if ((b & 0x70) != 0) return fail(String.format("WebSocket frame sets reserved bits (0x%02x)", b & 0x70));
          opcode = b & 0x0f;
          if (opcode != OP_BINARY && opcode != OP_CLOSE && opcode != OP_PING && opcode != OP_PONG) {
            return fail(opcode == 1 ? "text WebSocket messages are not ZWS (binary only)"
                : opcode == 0 ? "fragmented WebSocket messages are not supported (continuation frame)"
                : "unknown WebSocket opcode 0x" + Integer.toHexString(opcode));
          }
          state = LEN;
        }
        case LEN -> {
          int b = in.get() & 0xff;
          boolean masked = (b & 0x80) != 0;
          if (masked != mustMask) {
            return fail(mustMask ? "unmasked frame from a WebSocket client (RFC 6455 5.1)"
                : "masked frame from a WebSocket server (RFC 6455 5.1)");
          }
          size = b & 0x7f;
          if (size >= 126) {
            extLeft = size == 126 ? 2 : 8;
            size = 0;
            state = EXT;
          } else if (!afterLength()) {
            return null;
          }
        }
        case EXT -> {
          size = (size << 8) | (in.get() & 0xff);
          if (--extLeft == 0 && !afterLength()) return null;
        }
        case MASK -> {
          mask = (mask << 8) | (in.get() & 0xff);
          if (--maskLeft == 0) startPayloadState();
        }
        case FLAGS -> readFlags(in);
        default -> {
          Frame f = readBody(in);
          if (f != null) return f;
        }
      }
    }
    return null;
  }

  /** The whole length is known: check it, then expect the mask or the payload. */
  private boolean afterLength() {
    if (size < 0) {
      fail("WebSocket frame length 0x" + Long.toHexString(size) + " has the top bit set (RFC 6455 5.2)");
      return false;
    }
    if (opcode != OP_BINARY && size > 125) {
      fail("WebSocket control frame of " + size + " bytes (at most 125)");
      return false;
    }
    if (opcode == OP_BINARY && size == 0) {
      fail("empty WebSocket message: a ZWS frame starts with its flags byte");
      return false;
    }
    long bodySize = opcode == OP_BINARY ? size - 1 : size;
    if (opcode == OP_BINARY && maxMsgSize >= 0 && bodySize > maxMsgSize) {
      fail("EMSGSIZE: frame of " + bodySize + " bytes exceeds maxMsgSize " + maxMsgSize);
      return false;
    }
    if (bodySize > FrameDecoder.MAX_FRAME) {
      fail("EMSGSIZE: frame of " + bodySize + " bytes is larger than a Java array can hold");
      return false;
    }
    maskPos = 0;
    mask = 0;
    if (mustMask) {
      maskLeft = 4;
      state = MASK;
    } else {
      startPayloadState();
    }
    return true;
  }

  private void startPayloadState() {
    if (opcode == OP_BINARY) {
      state = FLAGS;
    } else {
      frameFlags = opcode == OP_PING ? PING : opcode == OP_PONG ? PONG : CLOSE;
      beginBody((int) size);
    }
  }

  private void readFlags(ByteBuffer in) {
    int b = in.get() & 0xff;
    if (mustMask) b ^= mask >>> 24;
    maskPos = 1;
    frameFlags = (b & ZWS_COMMAND) != 0 ? Frame.COMMAND : (b & ZWS_MORE) != 0 ? Frame.MORE : 0;
    beginBody((int) (size - 1));
  }

  private void beginBody(int n) {
    bodyLen = n;
    bodyGot = 0;
    body = null;
    state = BODY;
  }

  private Frame readBody(ByteBuffer in) {
    if (bodyLen == 0) return finish();
    if (bodyGot == 0 && in.hasArray() && in.remaining() >= bodyLen) {
      byte[] a = in.array();
      int p = in.arrayOffset() + in.position();
      in.position(in.position() + bodyLen);
      if (mustMask) WsMask.xor(a, p, bodyLen, mask, maskPos);
      state = HEAD;
      if (bodyLen <= copyThreshold || (frameFlags & CONTROL) != 0) {
        return Frame.wrap(Arrays.copyOfRange(a, p, p + bodyLen), frameFlags);
      }
      sliced = true;
      return Frame.slice(a, p, bodyLen, frameFlags);
    }
    if (body == null) body = new byte[Math.min(bodyLen, FrameDecoder.FIRST_CHUNK)];
    int n = Math.min(in.remaining(), bodyLen - bodyGot);
    if (bodyGot + n > body.length) {
      body = Arrays.copyOf(body, (int) Math.min(bodyLen, Math.max(2L * body.length, bodyGot + n)));
    }
    in.get(body, bodyGot, n);
    if (mustMask) WsMask.xor(body, bodyGot, n, mask, maskPos + bodyGot);
    bodyGot += n;
    if (bodyGot < bodyLen) return null;
    state = HEAD;
    byte[] b = body;
    body = null;
    return Frame.wrap(b, frameFlags);
  }

  private Frame finish() {
    state = HEAD;
    return Frame.EMPTY.withFlags(frameFlags);
  }

  private Frame fail(String detail) {
    error = ProtocolError.WS_UNSPECIFIED;
    errorDetail = detail;
    return null;
  }
}
