package io.pekkozmq.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One ZeroMQ frame: an immutable view of {@code length} bytes of {@code array} starting at
 * {@code offset}, plus flags.
 *
 * <p>Frames received from the wire may be slices of the engine's read buffer (the decoder never
 * reuses a buffer that a live frame points into), so a frame is never copied twice. Callers must
 * treat the backing array as read-only.
 *
 * <p>Flags: {@link #MORE} as on the wire; {@link #COMMAND} marks a ZMTP command;
 * {@link #SUBSCRIBE} / {@link #CANCEL} mark a subscription message travelling through a pipe in
 * its legacy form ({@code 01}/{@code 00} + topic), so the encoder can send it as a ZMTP 3.1
 * SUBSCRIBE/CANCEL command to 3.1 peers and as a data frame to 3.0 peers.
 */
public final class Frame {
  public static final int MORE = 0x01;
  public static final int COMMAND = 0x04;
  /** Not a wire bit: this frame is a subscription ({@code 01}+topic). */
  public static final int SUBSCRIBE = 0x10;
  /** Not a wire bit: this frame is a cancel ({@code 00}+topic). */
  public static final int CANCEL = 0x20;

  private static final byte[] NO_BYTES = new byte[0];
  public static final Frame EMPTY = new Frame(NO_BYTES, 0, 0, 0);

  private final byte[] array;
  private final int offset;
  private final int length;
  private final int flags;

  private Frame(byte[] array, int offset, int length, int flags) {
    this.array = array;
    this.offset = offset;
    this.length = length;
    this.flags = flags;
  }

  /** Wraps (does not copy) the whole array. */
  public static Frame wrap(byte[] data) {
    return new Frame(data, 0, data.length, 0);
  }

  /** Wraps (does not copy) the whole array with the given flags. */
  public static Frame wrap(byte[] data, int flags) {
    return new Frame(data, 0, data.length, flags);
  }

  /** Wraps (does not copy) a range of the array. */
  public static Frame slice(byte[] array, int offset, int length, int flags) {
    if (offset < 0 || length < 0 || offset + length > array.length) {
      throw new IndexOutOfBoundsException(
          "frame slice [" + offset + ", " + (offset + length) + ") outside array of " + array.length);
    }
    return new Frame(array, offset, length, flags);
  }

  /** Copies the bytes of {@code data}. */
  public static Frame copyOf(byte[] data) {
    return new Frame(data.clone(), 0, data.length, 0);
  }

  /** A UTF-8 frame. */
  public static Frame of(String text) {
    return wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  public int size() {
    return length;
  }

  public int flags() {
    return flags;
  }

  public boolean hasMore() {
    return (flags & MORE) != 0;
  }

  public boolean isCommand() {
    return (flags & COMMAND) != 0;
  }

  public boolean isSubscribe() {
    return (flags & SUBSCRIBE) != 0;
  }

  public boolean isCancel() {
    return (flags & CANCEL) != 0;
  }

  /** The same bytes with the MORE flag set or cleared; no copy. */
  public Frame withMore(boolean more) {
    int f = more ? (flags | MORE) : (flags & ~MORE);
    return f == flags ? this : new Frame(array, offset, length, f);
  }

  /** The same bytes with other flags; no copy. */
  public Frame withFlags(int newFlags) {
    return newFlags == flags ? this : new Frame(array, offset, length, newFlags);
  }

  /** Backing array; read-only by contract. Valid range is [offset, offset+size). */
  public byte[] array() {
    return array;
  }

  public int offset() {
    return offset;
  }

  public byte byteAt(int i) {
    if (i < 0 || i >= length) {
      throw new IndexOutOfBoundsException(i);
    }
    return array[offset + i];
  }

  /** A read-only view; no copy. */
  public ByteBuffer buffer() {
    return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer();
  }

  /** A fresh copy of the bytes. */
  public byte[] toByteArray() {
    if (length == 0) {
      return NO_BYTES;
    }
    return Arrays.copyOfRange(array, offset, offset + length);
  }

  /** The bytes as UTF-8 text. */
  public String text() {
    return new String(array, offset, length, StandardCharsets.UTF_8);
  }

  /** Same bytes (flags ignored). */
  public boolean contentEquals(Frame other) {
    return Arrays.equals(array, offset, offset + length, other.array, other.offset, other.offset + other.length);
  }

  /** Same bytes as {@code data} (flags ignored). */
  public boolean contentEquals(byte[] data) {
    return Arrays.equals(array, offset, offset + length, data, 0, data.length);
  }

  /** True if the frame starts with {@code prefix}. */
  public boolean startsWith(byte[] prefix) {
    return prefix.length <= length
        && Arrays.equals(array, offset, offset + prefix.length, prefix, 0, prefix.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Frame f && f.flags == flags && contentEquals(f);
  }

  @Override
  public int hashCode() {
    int h = flags;
    for (int i = offset; i < offset + length; i++) {
      h = 31 * h + array[i];
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Frame[").append(length).append("B");
    if (hasMore()) sb.append(" MORE");
    if (isCommand()) sb.append(" COMMAND");
    if (isSubscribe()) sb.append(" SUBSCRIBE");
    if (isCancel()) sb.append(" CANCEL");
    sb.append(' ');
    int n = Math.min(length, 32);
    for (int i = 0; i < n; i++) {
      sb.append(String.format("%02x", array[offset + i] & 0xff));
    }
    if (n < length) sb.append("…");
    return sb.append(']').toString();
  }
}
