package io.pekkozmq.actors;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;

/**
 * The deterministic message stream the interop tests send to, and expect from, other ZeroMQ
 * implementations: message {@code i} is {@code 1 + i % 4} frames, the first the decimal sequence
 * number, the rest filled with the byte {@code i + k}. Most frames are 0..120 bytes, every 1000th
 * message carries a 64 KiB frame and every 5000th a 1 MiB one. {@link #PYTHON} is the same
 * definition for the libzmq peers; the two must stay in step.
 */
final class InteropStream {
  static final String PYTHON = """
      def size(i, k):
          if k == 1 and i % 5000 == 4999:
              return 1 << 20
          if k == 1 and i % 1000 == 999:
              return 65536 + i % 7
          return 0 if (i + k) % 11 == 0 else (i * 31 + k * 17) % 121
      def expected(i):
          return [b"%d" % i] + [bytes([(i + k) & 0xff]) * size(i, k) for k in range(1, 1 + i % 4)]
      """;

  private InteropStream() {}

  static int size(int i, int k) {
    if (k == 1 && i % 5000 == 4999) return 1 << 20;
    if (k == 1 && i % 1000 == 999) return 65536 + i % 7;
    return (i + k) % 11 == 0 ? 0 : (i * 31 + k * 17) % 121;
  }

  static Msg message(int i) {
    Frame[] frames = new Frame[1 + i % 4];
    frames[0] = Frame.of(Integer.toString(i));
    for (int k = 1; k < frames.length; k++) {
      byte[] b = new byte[size(i, k)];
      java.util.Arrays.fill(b, (byte) (i + k));
      frames[k] = Frame.wrap(b);
    }
    return Msg.of(frames);
  }

  static byte[][] parts(int i) {
    Msg m = message(i);
    byte[][] out = new byte[m.size()][];
    for (int k = 0; k < out.length; k++) out[k] = m.frame(k).toByteArray();
    return out;
  }

  /** Null when {@code m} is message {@code i}, else what differs. */
  static String mismatch(int i, Msg m) {
    if (m == null) return "message " + i + " did not arrive";
    int frames = 1 + i % 4;
    if (m.size() != frames) return "message " + i + ": " + m.size() + " frames, expected " + frames + " (first " + m.first().text() + ")";
    if (!m.first().text().equals(Integer.toString(i))) return "expected message " + i + ", got " + m.first().text();
    for (int k = 1; k < frames; k++) {
      Frame f = m.frame(k);
      if (f.size() != size(i, k)) return "message " + i + " frame " + k + ": " + f.size() + " bytes, expected " + size(i, k);
      for (int j = 0; j < f.size(); j++) {
        if (f.byteAt(j) != (byte) (i + k)) return "message " + i + " frame " + k + ": wrong byte at " + j;
      }
    }
    return null;
  }

  /** Total payload bytes of messages 0..count-1, as the python peers print it. */
  static long totalBytes(int count) {
    long t = 0;
    for (int i = 0; i < count; i++) {
      t += Integer.toString(i).length();
      for (int k = 1; k < 1 + i % 4; k++) t += size(i, k);
    }
    return t;
  }
}
