package io.pekkozmq.engine.security;

/**
 * Z85 (ZeroMQ RFC 32): 4 bytes as 5 printable characters. CURVE keys travel as 40-character Z85
 * text in options, certificates and the CLI.
 */
public final class Z85 {
  private Z85() {}

  /**
   * Encodes {@code data}, whose length must be a multiple of 4.
   *
   * @throws IllegalArgumentException naming the length when it is not
   */
  public static String encode(byte[] data) {
    throw new UnsupportedOperationException("contract stub: sec-engine implements this");
  }

  /**
   * Decodes Z85 text, whose length must be a multiple of 5.
   *
   * @throws IllegalArgumentException naming the bad length or the first bad character and its index
   */
  public static byte[] decode(String text) {
    throw new UnsupportedOperationException("contract stub: sec-engine implements this");
  }
}
