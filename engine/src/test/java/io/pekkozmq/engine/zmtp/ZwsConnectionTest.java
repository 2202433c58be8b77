package io.pekkozmq.engine.zmtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.security.CurveKeys;
import io.pekkozmq.engine.security.SecurityOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ZWS 2.0 (RFC 45) in the codec: the upgrade, the framing both ways, split input, hostile peers. */
class ZwsConnectionTest {

  static ZmtpConnection client(SocketType type) {
    return new ZmtpConnection(ZmtpOptions.builder(type).zws(ZwsOptions.client("127.0.0.1:5555", "/zmq")).build());
  }

  static ZmtpConnection server(SocketType type) {
    return new ZmtpConnection(ZmtpOptions.builder(type).zws(ZwsOptions.server()).build());
  }

  static byte[] filled(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + 7);
    return b;
  }

  @ParameterizedTest
  @EnumSource(Link.Split.class)
  void nullHandshakeThenMultipartAndLargeFramesBothWays(Link.Split split) {
    Link link = new Link(client(SocketType.DEALER), server(SocketType.ROUTER), split);
    link.run();
    assertTrue(link.a.handshakeComplete(), "client handshake");
    assertTrue(link.b.handshakeComplete(), "server handshake");
    assertEquals(SocketType.ROUTER, link.a.peer().socketType());
    assertEquals(SocketType.DEALER, link.b.peer().socketType());

    byte[] big = filled(70_000); // the 127 length form
    byte[] mid = filled(300); // the 126 form
    link.fromA.add(Frame.wrap("a".getBytes(StandardCharsets.US_ASCII), Frame.MORE));
    link.fromA.add(Frame.wrap(mid, Frame.MORE));
    link.fromA.add(Frame.wrap(big));
    link.fromB.add(Frame.wrap(big, Frame.MORE));
    link.fromB.add(Frame.EMPTY);
    link.run();
    List<Frame> atB = link.toB.frames;
    assertEquals(3, atB.size());
    assertEquals("a", atB.get(0).text());
    assertTrue(atB.get(0).hasMore());
    assertArrayEquals(mid, atB.get(1).toByteArray());
    assertArrayEquals(big, atB.get(2).toByteArray());
    assertFalse(atB.get(2).hasMore());
    List<Frame> atA = link.toA.frames;
    assertEquals(2, atA.size());
    assertArrayEquals(big, atA.get(0).toByteArray());
    assertTrue(atA.get(0).hasMore());
    assertEquals(0, atA.get(1).size());
  }

  @Test
  void upgradeRequestResponseAndMaskingOnTheWire() {
    Link link = new Link(client(SocketType.PAIR), server(SocketType.PAIR), Link.Split.WHOLE).run();
    String request = new String(link.wireAtoB.toByteArray(), StandardCharsets.ISO_8859_1);
    assertTrue(request.startsWith("GET /zmq HTTP/1.1\r\nHost: 127.0.0.1:5555\r\n"), request);
    assertTrue(request.contains("Sec-WebSocket-Protocol: ZWS2.0/NULL,ZWS2.0\r\n"), request);
    assertTrue(request.contains("Sec-WebSocket-Version: 13\r\n"), request);
    String reply = new String(link.wireBtoA.toByteArray(), StandardCharsets.ISO_8859_1);
    assertTrue(reply.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), reply);
    assertTrue(reply.contains("Sec-WebSocket-Protocol: ZWS2.0/NULL\r\n"), reply);
    String key = request.split("Sec-WebSocket-Key: ")[1].split("\r\n")[0];
    assertTrue(reply.contains("Sec-WebSocket-Accept: " + WsHandshake.accept(key) + "\r\n"), reply);

    // the server's READY: binary, FIN, unmasked, flags byte 02 (command), then "\x05READY"
    byte[] b = link.wireBtoA.toByteArray();
    int p = reply.indexOf("\r\n\r\n") + 4;
    assertEquals((byte) 0x82, b[p]);
    assertEquals(0, b[p + 1] & 0x80, "server frames are not masked");
    assertEquals(2, b[p + 2]);
    assertEquals("READY", new String(b, p + 4, 5, StandardCharsets.US_ASCII));
    // the client's READY is masked: unmask it and find the same layout
    byte[] a = link.wireAtoB.toByteArray();
    int q = request.indexOf("\r\n\r\n") + 4;
    assertEquals((byte) 0x82, a[q]);
    assertEquals(0x80, a[q + 1] & 0x80, "client frames are masked");
    int len = a[q + 1] & 0x7f;
    byte[] payload = Arrays.copyOfRange(a, q + 6, q + 6 + len);
    WsMask.xor(payload, 0, len, ByteBuffer.wrap(a, q + 2, 4).getInt(), 0);
    assertEquals(2, payload[0]);
    assertEquals("READY", new String(payload, 2, 5, StandardCharsets.US_ASCII));
  }

  @Test
  void maskPhaseSurvivesAFrameSplitAcrossOutputBuffers() {
    Link link = new Link(client(SocketType.PUSH), server(SocketType.PULL), Link.Split.RANDOM).run();
    byte[] big = filled(100_003); // odd length, written through 8 KiB buffers (Wire.drain)
    link.fromA.add(Frame.wrap(big));
    link.run();
    assertEquals(1, link.toB.frames.size());
    assertArrayEquals(big, link.toB.frames.get(0).toByteArray());
  }

  @Test
  void subscriptionsTravelAsLegacyData() {
    Link link = new Link(client(SocketType.SUB), server(SocketType.XPUB), Link.Split.WHOLE).run();
    link.fromA.add(Frame.wrap(new byte[] {1, 'A'}, Frame.SUBSCRIBE));
    link.run();
    assertEquals(1, link.toB.frames.size());
    assertArrayEquals(new byte[] {1, 'A'}, link.toB.frames.get(0).toByteArray());
    assertFalse(link.toB.frames.get(0).isCommand());
  }

  @Test
  void curveAndPlainRunTheirHandshakeOverWebSocket() {
    CurveKeys serverKeys = CurveKeys.generate();
    ZmtpConnection c = new ZmtpConnection(ZmtpOptions.builder(SocketType.REQ)
        .security(SecurityOptions.curveClient(CurveKeys.generate(), serverKeys.publicKey()))
        .zws(ZwsOptions.client("h", "/")).build());
    ZmtpConnection s = new ZmtpConnection(ZmtpOptions.builder(SocketType.REP)
        .security(SecurityOptions.curveServer(serverKeys)).zws(ZwsOptions.server()).build());
    Link link = new Link(c, s, Link.Split.RANDOM).run();
    assertTrue(c.handshakeComplete() && s.handshakeComplete());
    assertTrue(new String(link.wireAtoB.toByteArray(), StandardCharsets.ISO_8859_1).contains("Sec-WebSocket-Protocol: ZWS2.0/CURVE\r\n"));
    link.fromA.add(Frame.wrap(filled(5000)));
    link.run();
    assertArrayEquals(filled(5000), link.toB.frames.get(0).toByteArray());
  }

  @Test
  void bareZws20ExchangesRoutingIdsAndNoMechanism() {
    ZmtpConnection s = new ZmtpConnection(ZmtpOptions.builder(SocketType.ROUTER).zws(ZwsOptions.server()).build());
    Wire.Collect sink = new Wire.Collect();
    byte[] request = ("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: ZWS2.0\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    // the client's routing id "me" and one data frame "hi", masked with key 0 for readability
    byte[] frames = {(byte) 0x82, (byte) 0x83, 0, 0, 0, 0, 0, 'm', 'e', (byte) 0x82, (byte) 0x83, 0, 0, 0, 0, 0, 'h', 'i'};
    byte[] in = new byte[request.length + frames.length];
    System.arraycopy(request, 0, in, 0, request.length);
    System.arraycopy(frames, 0, in, request.length, frames.length);
    assertEquals(ZmtpConnection.Status.OK, s.consume(ByteBuffer.wrap(in), sink));
    assertTrue(s.handshakeComplete());
    assertNull(s.peer().socketType(), "the bare protocol never tells the peer's type");
    assertEquals("me", new String(s.peer().routingId(), StandardCharsets.US_ASCII));
    assertEquals(List.of("hi"), sink.texts());
    String out = new String(Wire.drain(s), StandardCharsets.ISO_8859_1);
    // RFC 6455's own example key and accept value
    assertTrue(out.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), out);
    assertTrue(out.contains("Sec-WebSocket-Protocol: ZWS2.0\r\n"), out);
    assertTrue(out.endsWith("\r\n\r\n\u0082\u0001\u0000"), "our (empty) routing id follows the reply");
  }

  @Test
  void pingIsAnsweredWithPongAndCloseIsEchoed() {
    Link link = new Link(client(SocketType.PAIR), server(SocketType.PAIR), Link.Split.WHOLE).run();
    Wire.Collect sink = new Wire.Collect();
    assertEquals(ZmtpConnection.Status.OK,
        link.a.consume(ByteBuffer.wrap(new byte[] {(byte) 0x89, 2, 'h', 'b'}), sink));
    byte[] pong = Wire.drain(link.a);
    assertEquals((byte) 0x8A, pong[0]);
    assertEquals(0x82, pong[1] & 0xff, "masked, two bytes");
    byte[] body = Arrays.copyOfRange(pong, 6, 8);
    WsMask.xor(body, 0, 2, ByteBuffer.wrap(pong, 2, 4).getInt(), 0);
    assertEquals("hb", new String(body, StandardCharsets.US_ASCII));
    assertEquals(ZmtpConnection.Status.ERROR,
        link.a.consume(ByteBuffer.wrap(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xe8}), sink));
    assertTrue(link.a.peerClosedWebSocket());
    assertTrue(link.a.errorFromPeer());
    assertEquals((byte) 0x88, Wire.drain(link.a)[0], "the close is echoed");
  }

  // ---- hostile peers -------------------------------------------------------------------------

  private static ZmtpConnection serverFed(byte[] in) {
    ZmtpConnection s = server(SocketType.PAIR);
    assertEquals(ZmtpConnection.Status.ERROR, s.consume(ByteBuffer.wrap(in), new Wire.Collect()));
    assertEquals(ProtocolError.WS_UNSPECIFIED, s.error());
    return s;
  }

  private static byte[] upgraded(byte[] frames) {
    byte[] request = ("GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: ZWS2.0/NULL\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(request, request.length + frames.length);
    System.arraycopy(frames, 0, all, request.length, frames.length);
    return all;
  }

  @Test
  void aZmtpGreetingInsteadOfTheUpgradeIsRefusedAtOnce() {
    byte[] greeting = new byte[64];
    greeting[0] = (byte) 0xff;
    greeting[9] = 0x7f;
    ZmtpConnection s = serverFed(greeting);
    assertTrue(s.errorDetail().contains("first byte 0xff"), s.errorDetail());
    assertTrue(new String(Wire.drain(s), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 400 Bad Request\r\n"));
  }

  @Test
  void aWrongProtocolIsRefusedWith400() {
    ZmtpConnection s = serverFed(("GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: x\r\nSec-WebSocket-Protocol: chat, superchat\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    assertTrue(s.errorDetail().contains("'chat, superchat'"), s.errorDetail());
    assertTrue(new String(Wire.drain(s), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 400 Bad Request\r\n"));
  }

  @Test
  void anUnmaskedClientFrameIsRefused() {
    ZmtpConnection s = serverFed(upgraded(new byte[] {(byte) 0x82, 1, 0}));
    assertTrue(s.errorDetail().contains("unmasked"), s.errorDetail());
  }

  @Test
  void aLengthWithTheTopBitSetIsRefusedBeforeAnyAllocation() {
    byte[] f = {(byte) 0x82, (byte) 0xff, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0};
    ZmtpConnection s = serverFed(upgraded(f));
    assertTrue(s.errorDetail().contains("top bit"), s.errorDetail());
  }

  @Test
  void textFragmentsAndOversizedControlFramesAreRefused() {
    assertTrue(serverFed(upgraded(new byte[] {(byte) 0x81, (byte) 0x81, 0, 0, 0, 0, 'x'})).errorDetail().contains("text"));
    assertTrue(serverFed(upgraded(new byte[] {(byte) 0x02, (byte) 0x81, 0, 0, 0, 0, 0})).errorDetail().contains("fragmented"));
    assertTrue(serverFed(upgraded(new byte[] {(byte) 0x89, (byte) 0xfe, 0, (byte) 200})).errorDetail().contains("control"));
    assertTrue(serverFed(upgraded(new byte[] {(byte) 0x82, (byte) 0x80, 0, 0, 0, 0})).errorDetail().contains("empty"));
  }

  @Test
  void aServerThatAnswersWithoutTheRightAcceptKeyIsRefused() {
    ZmtpConnection c = client(SocketType.PAIR);
    Wire.drain(c);
    Wire.Collect sink = new Wire.Collect();
    assertEquals(ZmtpConnection.Status.ERROR, c.consume(ByteBuffer.wrap(("HTTP/1.1 101 Switching Protocols\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: nope\r\n"
        + "Sec-WebSocket-Protocol: ZWS2.0/NULL\r\n\r\n").getBytes(StandardCharsets.US_ASCII)), sink));
    assertTrue(c.errorDetail().contains("Accept"), c.errorDetail());
  }

  @Test
  void anOverlongHeadIsRefusedWithoutGrowing() {
    byte[] head = new byte[WsHandshake.MAX_HEAD + 10];
    Arrays.fill(head, (byte) 'G');
    assertTrue(serverFed(head).errorDetail().contains("longer than"));
  }

  @Test
  void maskHelperMatchesTheByteByByteDefinition() {
    byte[] src = filled(37);
    for (int phase = 0; phase < 4; phase++) {
      byte[] a = src.clone();
      int mask = 0x11223344;
      WsMask.xor(a, 0, a.length, mask, phase);
      ByteBuffer out = ByteBuffer.allocateDirect(64);
      WsMask.putMasked(out, src, 0, src.length, mask, phase);
      List<Byte> viaPut = new ArrayList<>();
      out.flip();
      while (out.hasRemaining()) viaPut.add(out.get());
      for (int i = 0; i < src.length; i++) {
        byte want = (byte) (src[i] ^ (mask >>> (24 - 8 * ((i + phase) % 4))));
        assertEquals(want, a[i], "xor at " + i + " phase " + phase);
        assertEquals(want, (byte) viaPut.get(i), "putMasked at " + i + " phase " + phase);
      }
    }
  }
}
