package io.pekkozmq.engine.zmtp;

import static io.pekkozmq.engine.zmtp.Wire.bytes;
import static io.pekkozmq.engine.zmtp.Wire.drain;
import static io.pekkozmq.engine.zmtp.Wire.hexOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZmtpConnectionTest {
  static final String SIGNATURE = "ff00000000000000017f";
  static final String REST_NULL_CLIENT = "01" + "4e554c4c" + "00".repeat(16) + "00" + "00".repeat(31);
  static final String DEALER_READY =
      "0429" + "05" + hex("READY") + "0b" + hex("Socket-Type") + "00000006" + hex("DEALER") + "08" + hex("Identity") + "00000000";

  static String hex(String ascii) {
    return hexOf(ascii.getBytes());
  }

  static ZmtpConnection conn(SocketType t) {
    return new ZmtpConnection(ZmtpOptions.builder(t).build());
  }

  /** A connection that has completed the handshake with a DEALER peer at ZMTP 3.minor. */
  static ZmtpConnection handshaken(SocketType self, String peerType, int minor) {
    ZmtpConnection c = conn(self);
    drain(c);
    Wire.Collect sink = new Wire.Collect();
    assertEquals(ZmtpConnection.Status.OK,
        c.consume(ByteBuffer.wrap(bytes().greeting(3, minor, "NULL").ready("Socket-Type", peerType).build()), sink));
    assertTrue(c.handshakeComplete(), c.errorDetail());
    drain(c);
    return c;
  }

  @Test
  void greetingIsSentInLibzmqSteps() {
    ZmtpConnection c = conn(SocketType.DEALER);
    assertEquals(SIGNATURE, hexOf(drain(c)), "signature first, nothing else");
    Wire.Collect sink = new Wire.Collect();
    c.consume(ByteBuffer.wrap(bytes().hex(SIGNATURE).build()), sink);
    assertEquals("03", hexOf(drain(c)), "major version once the peer's signature arrived");
    c.consume(ByteBuffer.wrap(bytes().u8(3).build()), sink);
    assertEquals(REST_NULL_CLIENT, hexOf(drain(c)), "the rest once the peer's major arrived");
    assertFalse(c.hasPendingOutput());
    c.consume(ByteBuffer.wrap(bytes().u8(1).raw(new byte[52]).build()), new Wire.Collect());
    // the peer's mechanism field is all zero: mismatch
    assertEquals(ProtocolError.ZMTP_MECHANISM_MISMATCH, c.error());
  }

  @Test
  void wholeGreetingMatchesRfc23() {
    ZmtpConnection c = conn(SocketType.DEALER);
    byte[] out = drain(c);
    c.consume(ByteBuffer.wrap(bytes().greeting(3, 1, "NULL").build()), new Wire.Collect());
    byte[] all = bytes().raw(out).raw(drain(c)).build();
    assertEquals(SIGNATURE + "03" + REST_NULL_CLIENT + DEALER_READY, hexOf(all));
    assertEquals(64 + 2 + 0x29, all.length);
  }

  @Test
  void dealerReadyIsExactlyLibzmqs() {
    ZmtpConnection c = conn(SocketType.DEALER);
    drain(c);
    c.consume(ByteBuffer.wrap(bytes().greeting(3, 1, "NULL").build()), new Wire.Collect());
    byte[] out = drain(c);
    assertEquals(DEALER_READY, hexOf(out).substring(2 * 54));
  }

  @Test
  void subReadyHasNoIdentityAndAppMetadataFollows() {
    ZmtpConnection c = new ZmtpConnection(ZmtpOptions.builder(SocketType.SUB).metadata("X-Hello", "w").build());
    drain(c);
    c.consume(ByteBuffer.wrap(bytes().greeting(3, 1, "NULL").build()), new Wire.Collect());
    byte[] out = drain(c);
    String ready = hexOf(bytes().ready("Socket-Type", "SUB", "X-Hello", "w").build());
    assertEquals(ready, hexOf(out).substring(2 * 54));
  }

  @Test
  void signatureCarriesRoutingIdLengthPlusOneAsLibzmq() {
    ZmtpConnection c = new ZmtpConnection(ZmtpOptions.builder(SocketType.DEALER).routingId("abc".getBytes()).build());
    assertEquals("ff00000000000000047f", hexOf(drain(c)));
  }

  @Test
  void peerInfoReportsTypeVersionIdentityAndProperties() {
    ZmtpConnection c = conn(SocketType.ROUTER);
    drain(c);
    c.consume(ByteBuffer.wrap(bytes().greeting(3, 0, "NULL")
        .ready("Socket-Type", "DEALER", "Identity", "me", "X-Foo", "bar").build()), new Wire.Collect());
    assertTrue(c.handshakeComplete());
    PeerInfo p = c.peer();
    assertEquals(SocketType.DEALER, p.socketType());
    assertEquals(0, p.minorVersion());
    assertEquals("me", new String(p.routingId()));
    assertEquals("bar", p.property("x-foo"));
    assertEquals("DEALER", p.property("SOCKET-TYPE"));
  }

  @Test
  void futureMajorVersionCountsAs31() {
    ZmtpConnection c = conn(SocketType.PAIR);
    drain(c);
    c.consume(ByteBuffer.wrap(bytes().greeting(4, 0, "NULL").ready("Socket-Type", "PAIR").build()), new Wire.Collect());
    assertEquals(1, c.peer().minorVersion());
  }

  @Test
  void shortAndLongFramesAtThe255Boundary() {
    ZmtpConnection c = handshaken(SocketType.PAIR, "PAIR", 1);
    byte[] b255 = new byte[255];
    byte[] b256 = new byte[256];
    byte[] out = drain(c, Wire.sourceOf(Frame.wrap(b255, Frame.MORE), Frame.wrap(b256)));
    byte[] expected = bytes().hex("01ff").raw(b255).hex("02 0000000000000100").raw(b256).build();
    assertArrayEquals(expected, out);

    ZmtpConnection d = handshaken(SocketType.PAIR, "PAIR", 1);
    Wire.Collect sink = new Wire.Collect();
    assertEquals(ZmtpConnection.Status.OK, d.consume(ByteBuffer.wrap(expected), sink));
    assertEquals(2, sink.frames.size());
    assertEquals(255, sink.frames.get(0).size());
    assertTrue(sink.frames.get(0).hasMore());
    assertEquals(256, sink.frames.get(1).size());
    assertFalse(sink.frames.get(1).hasMore());
  }

  @Test
  void pingIsAnsweredWithPongEchoingContext() {
    ZmtpConnection c = handshaken(SocketType.DEALER, "ROUTER", 1);
    Wire.Collect sink = new Wire.Collect();
    c.sawTrafficSinceLastCheck();
    c.consume(ByteBuffer.wrap(bytes().hex("040a04").ascii("PING").hex("0000").ascii("LOL").build()), sink);
    assertEquals("040804" + hex("PONG") + hex("LOL"), hexOf(drain(c)));
    assertTrue(sink.frames.isEmpty());
    assertTrue(c.sawTrafficSinceLastCheck());
    assertFalse(c.sawTrafficSinceLastCheck());
    assertEquals(0, c.lastPeerPingTtlMillis());
  }

  @Test
  void pingContextIsTruncatedTo16AndTtlRecorded() {
    ZmtpConnection c = handshaken(SocketType.DEALER, "ROUTER", 1);
    byte[] body = bytes().u8(4).ascii("PING").hex("0190").ascii("0123456789abcdefXYZ").build();
    c.consume(ByteBuffer.wrap(bytes().command(body).build()), new Wire.Collect());
    assertEquals("041504" + hex("PONG") + hex("0123456789abcdef"), hexOf(drain(c)));
    assertEquals(40_000, c.lastPeerPingTtlMillis());
  }

  @Test
  void eachPingGetsItsOwnPongInOrderAndIsCounted() {
    ZmtpConnection c = handshaken(SocketType.SUB, "PUB", 1);
    assertEquals(0, c.peerPings());
    byte[] in = bytes()
        .command(bytes().u8(4).ascii("PING").hex("0000").build())
        .command(bytes().u8(4).ascii("PING").hex("0005").ascii("0123456789abcdef").build())
        .build();
    c.consume(ByteBuffer.wrap(in), new Wire.Collect());
    // no context: a bare PONG; exactly 16 bytes: echoed whole
    assertEquals("040504" + hex("PONG") + "041504" + hex("PONG") + hex("0123456789abcdef"), hexOf(drain(c)));
    assertEquals(2, c.peerPings());
    assertEquals(500, c.lastPeerPingTtlMillis());
  }

  @Test
  void pongIsTrafficOnlyAndNeedsNoAnswer() {
    ZmtpConnection c = handshaken(SocketType.DEALER, "ROUTER", 1);
    c.sawTrafficSinceLastCheck();
    Wire.Collect sink = new Wire.Collect();
    assertEquals(ZmtpConnection.Status.OK,
        c.consume(ByteBuffer.wrap(bytes().command(bytes().u8(4).ascii("PONG").ascii("ctx").build()).build()), sink));
    assertTrue(sink.frames.isEmpty());
    assertFalse(c.hasPendingOutput());
    assertTrue(c.sawTrafficSinceLastCheck());
    assertEquals(0, c.peerPings());
  }

  @Test
  void pingWithoutTtlIsMalformed() {
    ZmtpConnection c = handshaken(SocketType.DEALER, "ROUTER", 1);
    assertEquals(ZmtpConnection.Status.ERROR,
        c.consume(ByteBuffer.wrap(bytes().command(bytes().u8(4).ascii("PING").u8(0).build()).build()), new Wire.Collect()));
    assertEquals(ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED, c.error());
  }

  @Test
  void pingIsNotQueuedBeforeTheHandshakeAndItsContextIsBounded() {
    ZmtpConnection c = conn(SocketType.DEALER);
    drain(c);
    c.queuePing(new byte[0], 1);
    assertFalse(c.hasPendingOutput(), "a PING before READY would break the NULL handshake");
    ZmtpConnection d = handshaken(SocketType.DEALER, "ROUTER", 1);
    assertThrows(IllegalArgumentException.class, () -> d.queuePing(new byte[17], 1));
    assertThrows(IllegalArgumentException.class, () -> d.queuePing(null, 65_536));
    d.queuePing(null, 65_535);
    assertEquals("040704" + hex("PING") + "ffff", hexOf(drain(d)));
  }

  @Test
  void queuedPingIsEncoded() {
    ZmtpConnection c = handshaken(SocketType.DEALER, "ROUTER", 1);
    c.queuePing("LOL".getBytes(), 10);
    assertTrue(c.hasPendingOutput());
    assertEquals("040a04" + hex("PING") + "000a" + hex("LOL"), hexOf(drain(c)));
  }

  @Test
  void subscribeIsACommandTo31PeersAndLegacyDataTo30Peers() {
    Frame sub = Frame.wrap(bytes().u8(1).ascii("ab").build(), Frame.SUBSCRIBE);
    Frame cancel = Frame.wrap(bytes().u8(0).ascii("ab").build(), Frame.CANCEL);
    ZmtpConnection v31 = handshaken(SocketType.SUB, "PUB", 1);
    assertEquals("040c09" + hex("SUBSCRIBE") + hex("ab") + "040906" + hex("CANCEL") + hex("ab"),
        hexOf(drain(v31, Wire.sourceOf(sub, cancel))));
    ZmtpConnection v30 = handshaken(SocketType.SUB, "PUB", 0);
    assertEquals("0003016162" + "0003006162", hexOf(drain(v30, Wire.sourceOf(sub, cancel))));
  }

  @Test
  void inboundSubscribeCommandsBecomeLegacyFramesAndLegacyFramesPassThrough() {
    ZmtpConnection c = handshaken(SocketType.PUB, "SUB", 1);
    Wire.Collect sink = new Wire.Collect();
    c.consume(ByteBuffer.wrap(bytes().hex("040c09").ascii("SUBSCRIBE").ascii("ab")
        .hex("040906").ascii("CANCEL").ascii("ab").hex("0003016364").build()), sink);
    assertEquals(3, sink.frames.size());
    assertEquals(Frame.wrap(bytes().hex("016162").build(), Frame.SUBSCRIBE), sink.frames.get(0));
    assertEquals(Frame.wrap(bytes().hex("006162").build(), Frame.CANCEL), sink.frames.get(1));
    assertEquals(Frame.wrap(bytes().hex("016364").build(), 0), sink.frames.get(2));
  }

  @Test
  void unknownCommandsAfterHandshakeAreIgnoredLikeLibzmq() {
    ZmtpConnection c = handshaken(SocketType.PAIR, "PAIR", 1);
    Wire.Collect sink = new Wire.Collect();
    assertEquals(ZmtpConnection.Status.OK, c.consume(ByteBuffer.wrap(bytes()
        .hex("040504").ascii("FOOO").ready("Socket-Type", "PAIR").hex("040a05").ascii("ERROR").hex("03").ascii("bad")
        .hex("040504").ascii("PONG").data("x", false).build()), sink));
    assertEquals(List.of("x"), sink.texts());
  }

  @Test
  void largeFramesEncodeAcrossCallsAndDecodeIntoOneArray() {
    byte[] big = new byte[300_000];
    for (int i = 0; i < big.length; i++) big[i] = (byte) i;
    ZmtpConnection a = handshaken(SocketType.PAIR, "PAIR", 1);
    byte[] wire = drain(a, Wire.sourceOf(Frame.wrap(big, Frame.MORE), Frame.of("tail")));
    assertEquals(9 + big.length + 2 + 4, wire.length);
    ZmtpConnection b = handshaken(SocketType.PAIR, "PAIR", 1);
    Wire.Collect sink = new Wire.Collect();
    ByteBuffer in = ByteBuffer.allocate(7000);
    for (int p = 0; p < wire.length; ) {
      in.clear();
      int n = Math.min(in.capacity(), wire.length - p);
      in.put(wire, p, n).flip();
      p += n;
      assertEquals(ZmtpConnection.Status.OK, b.consume(in, sink));
    }
    assertEquals(2, sink.frames.size());
    assertArrayEquals(big, sink.frames.get(0).toByteArray());
    assertEquals("tail", sink.frames.get(1).text());
  }

  @Test
  void smallFramesAreCopiedAndLargeOnesSliced() {
    ZmtpConnection c = handshaken(SocketType.PAIR, "PAIR", 1);
    List<Frame> got = new java.util.ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(bytes().data("small", false).build());
    c.consume(in, got::add);
    assertFalse(c.retainsInput());
    assertTrue(got.get(0).array() != in.array());
    byte[] body = new byte[100];
    in = ByteBuffer.wrap(bytes().u8(0).u8(100).raw(body).build());
    c.consume(in, got::add);
    assertTrue(c.retainsInput());
    assertTrue(got.get(1).array() == in.array());
    assertEquals(2, got.get(1).offset());
  }

  @Test
  void blockedSinkKeepsTheFrameAndResumes() {
    ZmtpConnection c = handshaken(SocketType.PAIR, "PAIR", 1);
    Wire.Collect sink = new Wire.Collect();
    sink.capacity = 1;
    ByteBuffer in = ByteBuffer.wrap(bytes().data("a", true).data("b", true).data("c", false).build());
    assertEquals(ZmtpConnection.Status.BLOCKED, c.consume(in, sink));
    assertEquals(ZmtpConnection.Status.BLOCKED, c.consume(in, sink));
    sink.capacity = 2;
    assertEquals(ZmtpConnection.Status.BLOCKED, c.consume(in, sink));
    sink.capacity = 10;
    assertEquals(ZmtpConnection.Status.OK, c.consume(in, sink));
    assertEquals(List.of("a+", "b+", "c"), sink.texts());
    assertFalse(in.hasRemaining());
  }

  @Test
  void outputBufferFillsThenContinues() {
    ZmtpConnection c = handshaken(SocketType.PAIR, "PAIR", 1);
    Frame[] frames = new Frame[2000];
    for (int i = 0; i < frames.length; i++) frames[i] = Frame.of("message-" + i);
    FrameSource src = Wire.sourceOf(frames);
    ByteBuffer out = ByteBuffer.allocate(8192);
    assertTrue(c.produce(out, src));
    assertTrue(out.remaining() < 19);
    byte[] rest = drain(c, src);
    ZmtpConnection d = handshaken(SocketType.PAIR, "PAIR", 1);
    Wire.Collect sink = new Wire.Collect();
    out.flip();
    d.consume(out, sink);
    d.consume(ByteBuffer.wrap(rest), sink);
    assertEquals(2000, sink.frames.size());
    assertEquals("message-1999", sink.frames.get(1999).text());
  }

  @Test
  void twoConnectionsHandshakeAndExchangeMultipartBothWays() {
    ZmtpConnection client = new ZmtpConnection(ZmtpOptions.builder(SocketType.DEALER).routingId("cli".getBytes()).build());
    ZmtpConnection server = new ZmtpConnection(ZmtpOptions.builder(SocketType.ROUTER).build());
    Wire.Collect toServer = new Wire.Collect();
    Wire.Collect toClient = new Wire.Collect();
    FrameSource fromClient = Wire.sourceOf(Frame.of("hello").withMore(true), Frame.of("world"));
    FrameSource fromServer = Wire.sourceOf(Frame.of("id").withMore(true), Frame.of("").withMore(true), Frame.of("reply"));
    for (int round = 0; round < 10; round++) {
      assertEquals(ZmtpConnection.Status.OK, server.consume(ByteBuffer.wrap(drain(client, fromClient)), toServer));
      assertEquals(ZmtpConnection.Status.OK, client.consume(ByteBuffer.wrap(drain(server, fromServer)), toClient));
    }
    assertTrue(client.handshakeComplete());
    assertTrue(server.handshakeComplete());
    assertEquals("cli", new String(server.peer().routingId()));
    assertEquals(SocketType.ROUTER, client.peer().socketType());
    assertEquals(List.of("hello+", "world"), toServer.texts());
    assertEquals(List.of("id+", "+", "reply"), toClient.texts());
  }

  @Test
  void errorCommandFromPeerFailsTheHandshakeWithItsReason() {
    ZmtpConnection c = conn(SocketType.DEALER);
    drain(c);
    assertEquals(ZmtpConnection.Status.ERROR, c.consume(ByteBuffer.wrap(bytes().greeting(3, 1, "NULL")
        .hex("040a05").ascii("ERROR").hex("03").ascii("bad").build()), new Wire.Collect()));
    assertEquals("peer sent ERROR: bad", c.errorDetail());
    assertTrue(c.errorFromPeer());
    assertNull(c.peer());
  }
}
