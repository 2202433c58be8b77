package io.pekkozmq.actors.churn;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The churn harness's messages: frame 0 the sender's name (its origin), frame 1 the sequence number
 * (8 bytes, big-endian), then 1 to 3 payload frames whose count, sizes (0..2000 bytes in all) and
 * bytes all derive from (origin, seq), so a torn message (frames missing) or a mixed one (frames of
 * two messages) never passes for a whole one. An echo server appends one frame, {@code @} and its
 * own name, so the requester knows who answered. {@link #PYTHON} is the same definition for the
 * libzmq peers; the two must stay in step.
 */
final class ChurnMessage {
  static final String PYTHON = """
      M64 = (1 << 64) - 1
      def mix(x):
          x ^= x >> 33
          x = (x * 0xff51afd7ed558ccd) & M64
          x ^= x >> 33
          x = (x * 0xc4ceb9fe1a85ec53) & M64
          return x ^ (x >> 33)
      def message(origin, seq):
          x = mix(((zlib.crc32(origin) << 32) ^ seq) & M64)
          k = 1 + x % 3
          parts = [origin, seq.to_bytes(8, "big")]
          for i in range(k):
              y = mix((x + i + 1) & M64)
              n = y % (2001 // k)
              parts.append((y.to_bytes(8, "big") * (n // 8 + 1))[:n])
          return parts
      def parse(parts):
          # (origin, seq, via) and None, or None and what is wrong
          if len(parts) < 3 or len(parts[1]) != 8:
              return None, "torn: %d frames, sizes %s" % (len(parts), [len(p) for p in parts])
          seq = int.from_bytes(parts[1], "big")
          expected = message(parts[0], seq)
          via = b""
          if len(parts) == len(expected) + 1 and parts[-1][:1] == b"@":
              via, parts = parts[-1][1:], parts[:-1]
          if parts != expected:
              return None, "torn: %s #%d has frame sizes %s, expected %s" % (
                  parts[0].decode(errors="replace"), seq, [len(p) for p in parts], [len(p) for p in expected])
          return (parts[0].decode(), seq, via.decode()), None
      """;

  /** A received message: whole (error null) or what is wrong with it. */
  record Parsed(String origin, long seq, String via, String error) {
    /** The stream it belongs to: its origin, or origin@via for an echo. */
    String stream() {
      return via.isEmpty() ? origin : origin + "@" + via;
    }
  }

  private ChurnMessage() {}

  static Msg of(String origin, long seq) {
    return Msg.of(frames(origin, seq));
  }

  /** {@code m} as an echo server answers it: one more frame naming the server. */
  static Msg echo(Msg m, String via) {
    Frame[] fs = m.frames().toArray(new Frame[m.size() + 1]);
    fs[m.size()] = Frame.wrap(("@" + via).getBytes(StandardCharsets.US_ASCII));
    return Msg.of(fs);
  }

  static Parsed parse(Msg m) {
    if (m.size() < 3 || m.frame(1).size() != 8) return torn("torn: " + m.size() + " frames, sizes " + sizes(m, m.size()));
    String origin = m.first().text();
    long seq = ByteBuffer.wrap(m.frame(1).toByteArray()).getLong();
    Frame[] expected = frames(origin, seq);
    int n = m.size();
    String via = "";
    if (n == expected.length + 1 && m.last().size() > 0 && m.last().byteAt(0) == '@') {
      via = m.last().text().substring(1);
      n--;
    }
    boolean whole = n == expected.length;
    for (int i = 0; whole && i < n; i++) whole = m.frame(i).contentEquals(expected[i]);
    if (!whole) {
      int[] want = new int[expected.length];
      for (int i = 0; i < want.length; i++) want[i] = expected[i].size();
      return torn("torn: " + origin + " #" + seq + " has frame sizes " + sizes(m, n) + ", expected " + Arrays.toString(want));
    }
    return new Parsed(origin, seq, via, null);
  }

  private static Parsed torn(String error) {
    return new Parsed("", -1, "", error);
  }

  private static String sizes(Msg m, int n) {
    int[] s = new int[n];
    for (int i = 0; i < n; i++) s[i] = m.frame(i).size();
    return Arrays.toString(s);
  }

  private static Frame[] frames(String origin, long seq) {
    byte[] o = origin.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(o);
    long x = mix((crc.getValue() << 32) ^ seq);
    int k = 1 + (int) Long.remainderUnsigned(x, 3);
    Frame[] fs = new Frame[2 + k];
    fs[0] = Frame.wrap(o);
    fs[1] = Frame.wrap(ByteBuffer.allocate(8).putLong(seq).array());
    for (int i = 0; i < k; i++) {
      long y = mix(x + i + 1);
      byte[] b = new byte[(int) Long.remainderUnsigned(y, 2001 / k)];
      for (int j = 0; j < b.length; j++) b[j] = (byte) (y >>> (56 - 8 * (j & 7)));
      fs[2 + i] = Frame.wrap(b);
    }
    return fs;
  }

  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    return x ^ (x >>> 33);
  }
}
