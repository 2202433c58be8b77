package io.pekkozmq.engine.zmtp;

import io.pekkozmq.engine.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Byte-vector builders and buffer plumbing for codec tests. */
final class Wire {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static Wire bytes() {
    return new Wire();
  }

  Wire hex(String hex) {
    byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
    out.write(b, 0, b.length);
    return this;
  }

  Wire ascii(String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    out.write(b, 0, b.length);
    return this;
  }

  Wire raw(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  Wire u8(int v) {
    out.write(v);
    return this;
  }

  Wire u32(long v) {
    for (int s = 24; s >= 0; s -= 8) out.write((int) (v >>> s));
    return this;
  }

  Wire u64(long v) {
    for (int s = 56; s >= 0; s -= 8) out.write((int) (v >>> s));
    return this;
  }

  /** A peer greeting: signature, version, mechanism, as-server, filler. */
  Wire greeting(int major, int minor, String mechanism) {
    hex("ff 00 00 00 00 00 00 00 01 7f").u8(major).u8(minor);
    byte[] m = new byte[20];
    byte[] n = mechanism.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(n, 0, m, 0, n.length);
    return raw(m).u8(0).raw(new byte[31]);
  }

  /** A short command frame with this body. */
  Wire command(byte[] body) {
    if (body.length > 255) {
      return u8(6).u64(body.length).raw(body);
    }
    return u8(4).u8(body.length).raw(body);
  }

  /** READY with name/value pairs. */
  Wire ready(String... nameValues) {
    return command(readyBody(nameValues));
  }

  static byte[] readyBody(String... nameValues) {
    Wire b = bytes().u8(5).ascii("READY");
    for (int i = 0; i < nameValues.length; i += 2) {
      b.u8(nameValues[i].length()).ascii(nameValues[i]).u32(nameValues[i + 1].length()).ascii(nameValues[i + 1]);
    }
    return b.build();
  }

  Wire data(String s, boolean more) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return u8(more ? 1 : 0).u8(b.length).raw(b);
  }

  byte[] build() {
    return out.toByteArray();
  }

  static String hexOf(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** Everything the connection wants to send now, produced through a small buffer. */
  static byte[] drain(ZmtpConnection c, FrameSource source) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(8192);
    boolean more;
    do {
      buf.clear();
      more = c.produce(buf, source);
      buf.flip();
      all.write(buf.array(), 0, buf.limit());
    } while (more);
    return all.toByteArray();
  }

  static byte[] drain(ZmtpConnection c) {
    return drain(c, () -> null);
  }

  static FrameSource sourceOf(Frame... frames) {
    ArrayDeque<Frame> q = new ArrayDeque<>(List.of(frames));
    return q::poll;
  }

  /** A sink that records frames (copied, since slices may point into reused buffers). */
  static final class Collect implements FrameSink {
    final List<Frame> frames = new ArrayList<>();
    int capacity = Integer.MAX_VALUE;

    @Override
    public boolean offer(Frame f) {
      if (frames.size() >= capacity) return false;
      frames.add(Frame.slice(f.toByteArray(), 0, f.size(), f.flags()));
      return true;
    }

    List<String> texts() {
      List<String> t = new ArrayList<>();
      for (Frame f : frames) t.add(f.text() + (f.hasMore() ? "+" : ""));
      return t;
    }
  }
}
