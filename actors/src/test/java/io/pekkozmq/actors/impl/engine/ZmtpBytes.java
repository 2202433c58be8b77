package io.pekkozmq.actors.impl.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Byte vectors of ZMTP 3.1 for the engine tests, as the codec tests' {@code Wire}: what a peer
 * sends, and what our engine must write, spelled out from RFC 23/37 rather than produced by the
 * codec under test.
 */
final class ZmtpBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static ZmtpBytes bytes() {
    return new ZmtpBytes();
  }

  ZmtpBytes hex(String hex) {
    return raw(HexFormat.of().parseHex(hex.replace(" ", "")));
  }

  ZmtpBytes ascii(String s) {
    return raw(s.getBytes(StandardCharsets.US_ASCII));
  }

  ZmtpBytes raw(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  ZmtpBytes u8(int v) {
    out.write(v);
    return this;
  }

  ZmtpBytes u16(int v) {
    return u8(v >>> 8).u8(v);
  }

  ZmtpBytes u32(long v) {
    for (int s = 24; s >= 0; s -= 8) out.write((int) (v >>> s));
    return this;
  }

  ZmtpBytes u64(long v) {
    for (int s = 56; s >= 0; s -= 8) out.write((int) (v >>> s));
    return this;
  }

  /**
   * The 10-byte signature: FF, 8 bytes that libzmq fills with the routing id's length + 1 (its
   * ZMTP 1.0 fallback), 7F.
   */
  ZmtpBytes signature(int routingIdLength) {
    return u8(0xff).u64(routingIdLength + 1L).u8(0x7f);
  }

  /** The rest of a 3.1 NULL greeting after the major version: minor, mechanism, as-server, filler. */
  ZmtpBytes greetingRest(boolean asServer) {
    byte[] mechanism = new byte[20];
    System.arraycopy("NULL".getBytes(StandardCharsets.US_ASCII), 0, mechanism, 0, 4);
    return u8(1).raw(mechanism).u8(asServer ? 1 : 0).raw(new byte[31]);
  }

  /** A whole ZMTP 3.1 NULL greeting. */
  ZmtpBytes greeting(int routingIdLength, boolean asServer) {
    return signature(routingIdLength).u8(3).greetingRest(asServer);
  }

  /** A peer's greeting: ZMTP 3.1, NULL, as client. */
  ZmtpBytes greeting() {
    return greeting(0, false);
  }

  /** A greeting for {@code major.minor} with {@code mechanism}. */
  ZmtpBytes greeting(int major, int minor, String mechanism) {
    byte[] m = new byte[20];
    byte[] name = mechanism.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, m, 0, name.length);
    return signature(0).u8(major).u8(minor).raw(m).u8(0).raw(new byte[31]);
  }

  /** A command frame (short or long form) with this body. */
  ZmtpBytes command(byte[] body) {
    if (body.length > 255) return u8(0x06).u64(body.length).raw(body);
    return u8(0x04).u8(body.length).raw(body);
  }

  /** READY with these name/value pairs, in order. */
  ZmtpBytes ready(String... nameValues) {
    ZmtpBytes b = bytes().u8(5).ascii("READY");
    for (int i = 0; i < nameValues.length; i += 2) {
      b.u8(nameValues[i].length()).ascii(nameValues[i]).u32(nameValues[i + 1].length()).ascii(nameValues[i + 1]);
    }
    return command(b.build());
  }

  /** PING with a TTL in deciseconds and a context. */
  ZmtpBytes ping(int ttlDeciseconds, String context) {
    return command(bytes().u8(4).ascii("PING").u16(ttlDeciseconds).ascii(context).build());
  }

  /** ERROR with a reason (RFC 37). */
  ZmtpBytes error(String reason) {
    return command(bytes().u8(5).ascii("ERROR").u8(reason.length()).ascii(reason).build());
  }

  ZmtpBytes pong(String context) {
    return command(bytes().u8(4).ascii("PONG").ascii(context).build());
  }

  /** A data frame (short or long form). */
  ZmtpBytes data(byte[] body, boolean more) {
    int flags = more ? 0x01 : 0x00;
    if (body.length > 255) return u8(flags | 0x02).u64(body.length).raw(body);
    return u8(flags).u8(body.length).raw(body);
  }

  ZmtpBytes data(String text) {
    return data(text.getBytes(StandardCharsets.UTF_8), false);
  }

  byte[] build() {
    return out.toByteArray();
  }

  static String hexOf(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
