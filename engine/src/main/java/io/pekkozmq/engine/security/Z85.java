package io.pekkozmq.engine.security;

/**
 * Z85 (ZeroMQ RFC 32): 4 bytes as 5 printable characters. CURVE keys travel as 40-character Z85
 * text in options, certificates and the CLI.
 */
public final class Z85 {
  private static final char[] ENCODER =
      ("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#")
          .toCharArray();
  /** Character (offset by 32) to its value, -1 for characters outside the alphabet. */
  private static final byte[] DECODER = new byte[96];

  static {
    java.util.Arrays.fill(DECODER, (byte) -1);
    for (int i = 0; i < ENCODER.length; i++) {
      DECODER[ENCODER[i] - 32] = (byte) i;
    }
  }

  private Z85() {}

  /**
   * Encodes {@code data}, whose length must be a multiple of 4.
   *
   * @throws IllegalArgumentException naming the length when it is not
   */
  public static String encode(byte[] data) {
    if (data.length % 4 != 0) {
      throw new IllegalArgumentException(
          "Z85 encodes whole 4-byte groups; " + data.length + " bytes is not a multiple of 4");
    }
    char[] out = new char[data.length / 4 * 5];
    int o = 0;
    for (int i = 0; i < data.length; i += 4) {
      long v = ((data[i] & 0xffL) << 24) | ((data[i + 1] & 0xff) << 16)
          | ((data[i + 2] & 0xff) << 8) | (data[i + 3] & 0xff);
      for (int k = 4; k >= 0; k--) {
        out[o + k] = ENCODER[(int) (v % 85)];
        v /= 85;
      }
      o += 5;
    }
    return new String(out);
  }

  /**
   * Decodes Z85 text, whose length must be a multiple of 5.
   *
   * @throws IllegalArgumentException naming the bad length or the first bad character and its index
   */
  public static byte[] decode(String text) {
    if (text.length() % 5 != 0) {
      throw new IllegalArgumentException(
          "Z85 text comes in 5-character groups; " + text.length() + " characters is not a multiple of 5");
    }
    byte[] out = new byte[text.length() / 5 * 4];
    int o = 0;
    for (int i = 0; i < text.length(); i += 5) {
      long v = 0;
      for (int k = 0; k < 5; k++) {
        char c = text.charAt(i + k);
        int d = c < 32 || c >= 128 ? -1 : DECODER[c - 32];
        if (d < 0) {
          throw new IllegalArgumentException(
              "'" + printable(c) + "' at index " + (i + k) + " is not a Z85 character");
        }
        v = v * 85 + d;
      }
      if (v > 0xffffffffL) {
        throw new IllegalArgumentException(
            "Z85 group '" + text.substring(i, i + 5) + "' at index " + i + " exceeds 32 bits");
      }
      out[o++] = (byte) (v >>> 24);
      out[o++] = (byte) (v >>> 16);
      out[o++] = (byte) (v >>> 8);
      out[o++] = (byte) v;
    }
    return out;
  }

  private static String printable(char c) {
    return c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\u%04x", (int) c);
  }
}
