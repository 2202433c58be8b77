package io.pekkozmq.actors.impl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.impl.engine.EngineRig.Conn;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.zmtp.ProtocolError;
import io.pekkozmq.engine.zmtp.ZwsOptions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The engine on a ws:// connection's accepting side, fed bytes by a {@link MemoryChannel}: the
 * upgrade and the READY split at every byte, the causality rule as over ZMTP, a WebSocket close
 * treated as the peer's FIN, and a peer that skips the upgrade.
 */
class WsEngineTest {
  @RegisterExtension
  static final EngineRig rig = new EngineRig();

  private static final String UPGRADE = "GET /zmq HTTP/1.1\r\nHost: 127.0.0.1:5555\r\nUpgrade: websocket\r\n"
      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      + "Sec-WebSocket-Protocol: ZWS2.0/NULL,ZWS2.0\r\nSec-WebSocket-Version: 13\r\n\r\n";

  /** One masked client message (key 00000000, so the payload reads as sent): flags byte, body. */
  private static byte[] clientFrame(int flags, byte[] body) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0x82);
    b.write(0x80 | (body.length + 1)); // short bodies only
    b.writeBytes(new byte[4]);
    b.write(flags);
    b.writeBytes(body);
    return b.toByteArray();
  }

  private static byte[] ready(String type) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(5);
    b.writeBytes("READY".getBytes(StandardCharsets.US_ASCII));
    b.write(11);
    b.writeBytes("Socket-Type".getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(new byte[] {0, 0, 0, (byte) type.length()});
    b.writeBytes(type.getBytes(StandardCharsets.US_ASCII));
    return b.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) b.writeBytes(p);
    return b.toByteArray();
  }

  private Conn server() {
    return rig.zws(SocketType.PULL, rig.options(), ZwsOptions.server());
  }

  @Test
  void upgradeAndReadyFedByteByByteThenDataReachesThePipe() {
    Conn c = server();
    assertEquals("", new String(c.channel.takeWritten(), StandardCharsets.ISO_8859_1), "the server speaks second");
    byte[] in = concat(UPGRADE.getBytes(StandardCharsets.US_ASCII), clientFrame(2, ready("PUSH")));
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    for (int i = 0; i < in.length; i++) {
      c.channel.peerSends(new byte[] {in[i]});
      written.writeBytes(c.channel.takeWritten());
      if (i + 1 < in.length) assertEquals(List.of(), c.rec.log(), "after byte " + (i + 1));
    }
    String out = written.toString(StandardCharsets.ISO_8859_1);
    assertTrue(out.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), out);
    assertTrue(out.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), out);
    assertTrue(out.contains("Sec-WebSocket-Protocol: ZWS2.0/NULL\r\n\r\n\u0082"), "our READY follows the 101: " + out);
    assertEquals(List.of("handshakeSucceeded PUSH"), c.rec.log());
    var socketEnd = c.attach();
    assertEquals(List.of("handshakeSucceeded PUSH", "HANDSHAKE_SUCCEEDED 0"), c.rec.take());
    c.channel.peerSends(concat(clientFrame(1, "a".getBytes()), clientFrame(0, "b".getBytes())));
    Frame a = socketEnd.read();
    Frame b = socketEnd.read();
    assertEquals("a", a.text());
    assertTrue(a.hasMore());
    assertEquals("b", b.text());
  }

  @Test
  void aWebSocketCloseIsThePeerLeavingNotAFault() {
    Conn c = server();
    c.channel.peerSends(concat(UPGRADE.getBytes(StandardCharsets.US_ASCII), clientFrame(2, ready("PUSH"))));
    c.attach();
    c.rec.take();
    c.channel.takeWritten();
    c.channel.peerSends(new byte[] {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xe8});
    byte[] echo = c.channel.takeWritten();
    assertEquals("8802 03e8", String.format("%02x%02x %02x%02x", echo[0], echo[1], echo[2], echo[3]),
        "the close is echoed, unmasked, with its status");
    assertEquals(List.of("DISCONNECTED 7", "stopped DISCONNECTED"), c.rec.log());
  }

  @Test
  void aPeerThatSkipsTheUpgradeGets400AndAProtocolEvent() {
    Conn c = server();
    c.channel.peerSends(new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f});
    String out = new String(c.channel.takeWritten(), StandardCharsets.ISO_8859_1);
    assertTrue(out.startsWith("HTTP/1.1 400 Bad Request\r\n"), out);
    assertEquals(List.of("HANDSHAKE_FAILED_PROTOCOL " + ProtocolError.WS_UNSPECIFIED.code(), "DISCONNECTED 7",
        "stopped PROTOCOL_ERROR"), c.rec.log());
    assertTrue(c.rec.reason().contains("first byte 0xff"), c.rec.reason());
  }
}
