package io.pekkozmq.engine.zmtp;

import static io.pekkozmq.engine.zmtp.Wire.bytes;
import static io.pekkozmq.engine.zmtp.Wire.drain;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.security.CurveKeys;
import io.pekkozmq.engine.security.SecurityOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 26 CURVE: layout as libzmq 4.3.4 writes it, our client against our server, hostile peers. */
class CurveMechanismTest {
  static final CurveKeys SERVER = CurveKeys.generate();
  static final CurveKeys CLIENT = CurveKeys.generate();

  static ZmtpOptions.Builder clientOptions(SocketType type, byte[] serverKey) {
    return ZmtpOptions.builder(type).security(SecurityOptions.curveClient(CLIENT, serverKey));
  }

  static ZmtpConnection client(SocketType type) {
    return new ZmtpConnection(clientOptions(type, SERVER.publicKey()).build());
  }

  static ZmtpConnection server(SocketType type) {
    return new ZmtpConnection(ZmtpOptions.builder(type).security(SecurityOptions.curveServer(SERVER)).build());
  }

  static Link handshake(Link.Split split) {
    Link l = new Link(client(SocketType.DEALER), server(SocketType.ROUTER), split).run();
    assertTrue(l.a.handshakeComplete(), String.valueOf(l.a.errorDetail()));
    assertTrue(l.b.handshakeComplete(), String.valueOf(l.b.errorDetail()));
    return l;
  }

  static long nonceAt(Frame f, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (f.byteAt(off + i) & 0xff);
    return v;
  }

  static boolean startsWith(Frame f, String cmd) {
    byte[] n = cmd.getBytes(StandardCharsets.US_ASCII);
    return f.size() > n.length && f.byteAt(0) == n.length && f.startsWith(bytes().u8(n.length).raw(n).build());
  }

  @Test
  void everyCommandHasLibzmqsLayout() {
    Link l = handshake(Link.Split.WHOLE);
    byte[] c = l.wireAtoB.toByteArray();
    byte[] s = l.wireBtoA.toByteArray();
    assertEquals("CURVE", new String(c, 12, 5, StandardCharsets.US_ASCII));
    assertEquals(0, c[32], "a CURVE client sends as-server 0");
    assertEquals(1, s[32], "a CURVE server sends as-server 1");
    List<Frame> cf = Link.framesAfterGreeting(c);
    List<Frame> sf = Link.framesAfterGreeting(s);
    assertEquals(2, cf.size());
    assertEquals(2, sf.size());
    Frame hello = cf.get(0);
    assertTrue(hello.isCommand() && startsWith(hello, "HELLO"));
    assertEquals(200, hello.size());
    assertEquals(1, hello.byteAt(6));
    assertEquals(0, hello.byteAt(7));
    assertArrayEquals(new byte[72], Arrays.copyOfRange(hello.toByteArray(), 8, 80), "anti-amplification padding");
    assertFalse(Arrays.equals(new byte[32], Arrays.copyOfRange(hello.toByteArray(), 80, 112)), "C'");
    assertEquals(1, nonceAt(hello, 112), "HELLO's short nonce is the client's first");
    Frame welcome = sf.get(0);
    assertTrue(welcome.isCommand() && startsWith(welcome, "WELCOME"));
    assertEquals(168, welcome.size());
    Frame initiate = cf.get(1);
    byte[] md = ZmtpMetadata.encodeBasicProperties(clientOptions(SocketType.DEALER, SERVER.publicKey()).build());
    assertTrue(initiate.isCommand() && startsWith(initiate, "INITIATE"));
    assertEquals(257 + md.length, initiate.size());
    assertEquals(2, nonceAt(initiate, 105));
    Frame ready = sf.get(1);
    byte[] smd = ZmtpMetadata.encodeBasicProperties(ZmtpOptions.builder(SocketType.ROUTER).build());
    assertTrue(ready.isCommand() && startsWith(ready, "READY"));
    assertEquals(14 + 16 + smd.length, ready.size());
    assertEquals(1, nonceAt(ready, 6), "READY's short nonce is the server's first");
    // after the handshake: MESSAGE boxes sent as plain (flags 0) frames, nonces counting on
    l.fromA.add(Frame.of("abc").withMore(true));
    l.fromA.add(Frame.of("d"));
    l.fromB.add(Frame.of("xyz"));
    int before = c.length;
    int sBefore = s.length;
    l.run();
    byte[] c2 = l.wireAtoB.toByteArray();
    List<Frame> msgs = frames(Arrays.copyOfRange(c2, before, c2.length));
    assertEquals(2, msgs.size());
    for (Frame m : msgs) {
      assertEquals(0, m.flags(), "libzmq sends MESSAGE as a frame with no flags; MORE travels inside");
      assertTrue(startsWith(m, "MESSAGE"));
    }
    assertEquals(33 + 3, msgs.get(0).size());
    assertEquals(3, nonceAt(msgs.get(0), 8));
    assertEquals(4, nonceAt(msgs.get(1), 8));
    byte[] s2 = l.wireBtoA.toByteArray();
    List<Frame> smsgs = frames(Arrays.copyOfRange(s2, sBefore, s2.length));
    assertEquals(2, nonceAt(smsgs.get(0), 8));
    assertEquals(List.of("abc+", "d"), l.toB.texts());
    assertEquals(List.of("xyz"), l.toA.texts());
  }

  static List<Frame> frames(byte[] wire) {
    byte[] padded = new byte[64 + wire.length];
    System.arraycopy(wire, 0, padded, 64, wire.length);
    return Link.framesAfterGreeting(padded);
  }

  @ParameterizedTest
  @EnumSource(Link.Split.class)
  void fullHandshakeDataCommandsAndSubscriptions(Link.Split split) {
    Link l = handshake(split);
    assertEquals(SocketType.ROUTER, l.a.peer().socketType());
    assertEquals(SocketType.DEALER, l.b.peer().socketType());
    byte[] big = new byte[70_000];
    new java.util.Random(5).nextBytes(big);
    for (int i = 0; i < 20; i++) {
      l.fromA.add(Frame.of("m" + i).withMore(true));
      l.fromA.add(i == 7 ? Frame.wrap(big) : Frame.of(""));
    }
    l.fromB.add(Frame.of("back"));
    l.a.queuePing(new byte[] {'c', 't', 'x'}, 30);
    l.run();
    assertEquals(40, l.toB.frames.size());
    assertTrue(l.toB.frames.get(15).contentEquals(big));
    assertEquals("m19+", l.toB.texts().get(38));
    assertEquals(1, l.b.peerPings(), "the PING travelled inside a MESSAGE box");
    assertEquals(3000, l.b.lastPeerPingTtlMillis());
    assertEquals(List.of("back"), l.toA.texts());
    // every frame after the handshake is a MESSAGE box, the PING's and PONG's too
    for (Frame f : Link.framesAfterGreeting(l.wireAtoB.toByteArray()).subList(2, 43)) {
      assertTrue(startsWith(f, "MESSAGE"), f.toString());
    }
    List<Frame> fromServer = Link.framesAfterGreeting(l.wireBtoA.toByteArray());
    assertEquals(4, fromServer.size(), "WELCOME, READY, the data and the PONG");
    for (Frame f : fromServer.subList(2, 4)) {
      assertTrue(startsWith(f, "MESSAGE"), f.toString());
    }
  }

  @Test
  void subscriptionsTravelAsCommandsInsideBoxes() {
    Link l = new Link(new ZmtpConnection(clientOptions(SocketType.SUB, SERVER.publicKey()).build()), server(SocketType.XPUB),
        Link.Split.RANDOM).run();
    assertTrue(l.b.handshakeComplete());
    l.fromA.add(Frame.wrap(new byte[] {1, 'a', 'b'}, Frame.SUBSCRIBE));
    l.fromA.add(Frame.wrap(new byte[] {0, 'a', 'b'}, Frame.CANCEL));
    l.run();
    assertEquals(2, l.toB.frames.size());
    assertTrue(l.toB.frames.get(0).isSubscribe());
    assertEquals("\u0001ab", l.toB.frames.get(0).text());
    assertTrue(l.toB.frames.get(1).isCancel());
    assertEquals("\u0000ab", l.toB.frames.get(1).text());
  }

  // ---------------------------------------------------------------- hostile

  /** Two more MESSAGEs from the client after a handshake, as wire bytes each. */
  static byte[][] twoMessages(Link l) {
    byte[][] m = new byte[2][];
    for (int i = 0; i < 2; i++) {
      java.util.ArrayDeque<Frame> q = new java.util.ArrayDeque<>(List.of(Frame.of("msg-" + i)));
      m[i] = drain(l.a, q::poll);
    }
    return m;
  }

  @Test
  void replayedMessageIsAnInvalidSequenceAndNotDelivered() {
    Link l = handshake(Link.Split.WHOLE);
    byte[][] m = twoMessages(l);
    Wire.Collect sink = new Wire.Collect();
    assertEquals(ZmtpConnection.Status.OK, l.b.consume(ByteBuffer.wrap(m[0].clone()), sink));
    assertEquals(ZmtpConnection.Status.ERROR, l.b.consume(ByteBuffer.wrap(m[0].clone()), sink));
    assertEquals(ProtocolError.ZMTP_INVALID_SEQUENCE, l.b.error());
    assertEquals(List.of("msg-0"), sink.texts());
  }

  @Test
  void reorderedMessagesFailAtTheOlderNonce() {
    Link l = handshake(Link.Split.WHOLE);
    byte[][] m = twoMessages(l);
    Wire.Collect sink = new Wire.Collect();
    assertEquals(ZmtpConnection.Status.OK, l.b.consume(ByteBuffer.wrap(m[1].clone()), sink));
    assertEquals(ZmtpConnection.Status.ERROR, l.b.consume(ByteBuffer.wrap(m[0].clone()), sink));
    assertEquals(ProtocolError.ZMTP_INVALID_SEQUENCE, l.b.error());
    assertEquals(List.of("msg-1"), sink.texts(), "the skipped-ahead one is genuine; the older is refused");
  }

  @Test
  void everyFlippedBitOfAMessageIsRefused() {
    byte[][] m = twoMessages(handshake(Link.Split.WHOLE));
    int frameLen = m[0].length;
    for (int bit = 2 * 8; bit < frameLen * 8; bit++) { // past the frame header
      Link l = handshake(Link.Split.WHOLE);
      byte[] wire = twoMessages(l)[0];
      wire[bit / 8] ^= (byte) (1 << (bit % 8));
      Wire.Collect sink = new Wire.Collect();
      assertEquals(ZmtpConnection.Status.ERROR, l.b.consume(ByteBuffer.wrap(wire), sink), "bit " + bit);
      ProtocolError e = l.b.error();
      int at = bit / 8 - 2;
      ProtocolError expected = at < 8 ? null : at < 16 ? null : ProtocolError.ZMTP_CRYPTOGRAPHIC;
      if (expected != null) {
        assertEquals(expected, e, "bit " + bit);
      } else {
        assertTrue(e == ProtocolError.ZMTP_UNEXPECTED_COMMAND || e == ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED
            || e == ProtocolError.ZMTP_INVALID_SEQUENCE || e == ProtocolError.ZMTP_CRYPTOGRAPHIC, "bit " + bit + ": " + e);
      }
      assertEquals(0, sink.frames.size(), "bit " + bit);
      if (bit > 40) bit += 5; // every name and nonce bit, then a sample of the box's
    }
  }

  @Test
  void plainCommandsAndBadFramesAfterTheHandshake() {
    record Case(byte[] wire, ProtocolError expected) {}
    List<Case> cases = List.of(
        new Case(bytes().command(bytes().u8(4).ascii("PING").u8(0).u8(0).build()).build(), ProtocolError.ZMTP_UNEXPECTED_COMMAND),
        new Case(bytes().u8(0).u8(3).hex("017879").build(), ProtocolError.ZMTP_UNEXPECTED_COMMAND),
        new Case(bytes().data("hello", false).build(), ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED),
        new Case(bytes().u8(0).u8(0).build(), ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED),
        new Case(bytes().command(bytes().u8(7).ascii("MESSAGE").u64(9).raw(new byte[16]).build()).build(),
            ProtocolError.ZMTP_MALFORMED_COMMAND_MESSAGE),
        new Case(bytes().command(bytes().u8(7).ascii("MESSAGE").u64(9).raw(new byte[17]).build()).build(),
            ProtocolError.ZMTP_CRYPTOGRAPHIC),
        new Case(bytes().command(bytes().u8(7).ascii("MESSAGE").u64(2).raw(new byte[17]).build()).build(),
            ProtocolError.ZMTP_INVALID_SEQUENCE));
    for (Case c : cases) {
      Link l = handshake(Link.Split.WHOLE);
      Wire.Collect sink = new Wire.Collect();
      assertEquals(ZmtpConnection.Status.ERROR, l.b.consume(ByteBuffer.wrap(c.wire), sink), Wire.hexOf(c.wire));
      assertEquals(c.expected, l.b.error(), Wire.hexOf(c.wire));
      assertEquals(0, sink.frames.size());
    }
  }

  /** The client's greeting and HELLO body, as our client sends them to a server. */
  static byte[][] clientGreetingAndHello() {
    Link l = new Link(client(SocketType.DEALER), server(SocketType.ROUTER), Link.Split.WHOLE);
    l.run();
    byte[] c = l.wireAtoB.toByteArray();
    return new byte[][] {Arrays.copyOf(c, 64), Link.framesAfterGreeting(c).get(0).toByteArray(),
        Link.framesAfterGreeting(c).get(1).toByteArray()};
  }

  static ZmtpConnection.Status feedServer(ZmtpConnection s, byte[]... commands) {
    Wire w = bytes().raw(clientGreetingAndHello()[0]);
    for (byte[] c : commands) w.command(c);
    drain(s);
    return s.consume(ByteBuffer.wrap(w.build()), new Wire.Collect());
  }

  @Test
  void hostileHellos() {
    byte[] hello = clientGreetingAndHello()[1];
    record Case(byte[] body, ProtocolError expected) {}
    byte[] wrongVersion = hello.clone();
    wrongVersion[6] = 2;
    byte[] flipped = hello.clone();
    flipped[150] ^= 4;
    List<Case> cases = List.of(
        new Case(Arrays.copyOf(hello, 199), ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO),
        new Case(Arrays.copyOf(hello, 201), ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO),
        new Case(Arrays.copyOf(hello, 40), ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO),
        new Case(Arrays.copyOf(hello, 4), ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED),
        new Case(wrongVersion, ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO),
        new Case(flipped, ProtocolError.ZMTP_CRYPTOGRAPHIC),
        new Case(MechanismBase.cmd("INITIATE"), ProtocolError.ZMTP_UNEXPECTED_COMMAND));
    for (Case c : cases) {
      ZmtpConnection s = server(SocketType.ROUTER);
      assertEquals(ZmtpConnection.Status.ERROR, feedServer(s, c.body), Wire.hexOf(c.body));
      assertEquals(c.expected, s.error());
      assertTrue(drain(s).length <= 54, "no WELCOME after a bad HELLO: only the greeting's rest");
    }
  }

  @Test
  void wrongServerKeyIsRefusedAtHello() {
    Link l = new Link(new ZmtpConnection(clientOptions(SocketType.DEALER, CurveKeys.generate().publicKey()).build()),
        server(SocketType.ROUTER), Link.Split.WHOLE).run();
    assertEquals(ZmtpConnection.Status.ERROR, l.lastB);
    assertEquals(ProtocolError.ZMTP_CRYPTOGRAPHIC, l.b.error());
    assertTrue(l.b.errorDetail().contains("wrong server key"), l.b.errorDetail());
    assertFalse(l.a.handshakeComplete());
  }

  @Test
  void hostileInitiates() {
    // the cookie is per connection, so the INITIATE is altered on its way, not replayed: a server that got a good HELLO then an INITIATE that is too short, too long or altered
    UnaryOperator<byte[]> shorten = i -> Arrays.copyOf(i, 256);
    UnaryOperator<byte[]> lengthen = i -> Arrays.copyOf(i, i.length + 1);
    UnaryOperator<byte[]> cookieBit = i -> flip(i, 30);
    UnaryOperator<byte[]> boxBit = i -> flip(i, 200);
    record Case(UnaryOperator<byte[]> alter, ProtocolError expected) {}
    for (Case c : List.of(new Case(shorten, ProtocolError.ZMTP_MALFORMED_COMMAND_INITIATE),
        new Case(lengthen, ProtocolError.ZMTP_CRYPTOGRAPHIC),
        new Case(cookieBit, ProtocolError.ZMTP_CRYPTOGRAPHIC),
        new Case(boxBit, ProtocolError.ZMTP_CRYPTOGRAPHIC))) {
      InterceptingLink x = new InterceptingLink(c.alter);
      assertEquals(c.expected, x.server.error());
      assertFalse(x.server.handshakeComplete());
      assertEquals(0, x.toServer.frames.size());
    }
  }

  static byte[] flip(byte[] b, int i) {
    byte[] c = b.clone();
    c[i] ^= 1;
    return c;
  }

  /** Runs a client and a server, altering the client's INITIATE on the way. */
  static final class InterceptingLink {
    final ZmtpConnection client = client(SocketType.DEALER);
    final ZmtpConnection server = server(SocketType.ROUTER);
    final Wire.Collect toServer = new Wire.Collect();

    InterceptingLink(UnaryOperator<byte[]> alter) {
      Wire.Collect toClient = new Wire.Collect();
      java.io.ByteArrayOutputStream fromClient = new java.io.ByteArrayOutputStream();
      for (int round = 0; round < 10; round++) {
        byte[] c = drain(client);
        fromClient.write(c, 0, c.length);
        byte[] all = fromClient.toByteArray();
        List<Frame> frames = all.length > 64 ? Link.framesAfterGreeting(all) : List.of();
        if (frames.size() == 2) {
          // greeting + HELLO already went through; send the altered INITIATE and stop
          server.consume(ByteBuffer.wrap(bytes().command(alter.apply(frames.get(1).toByteArray())).build()), toServer);
          return;
        }
        server.consume(ByteBuffer.wrap(c), toServer);
        client.consume(ByteBuffer.wrap(drain(server)), toClient);
      }
      throw new AssertionError("no INITIATE");
    }
  }

  @Test
  void hostileWelcomes() {
    for (int len : new int[] {167, 169, 40}) {
      ZmtpConnection c = client(SocketType.DEALER);
      ZmtpConnection s = server(SocketType.ROUTER);
      java.io.ByteArrayOutputStream fromServer = new java.io.ByteArrayOutputStream();
      int fed = 0;
      boolean altered = false;
      for (int round = 0; round < 10 && !altered; round++) {
        s.consume(ByteBuffer.wrap(drain(c)), new Wire.Collect());
        byte[] sb = drain(s);
        fromServer.write(sb, 0, sb.length);
        byte[] all = fromServer.toByteArray();
        List<Frame> frames = all.length > 64 ? Link.framesAfterGreeting(all) : List.of();
        if (frames.isEmpty()) {
          c.consume(ByteBuffer.wrap(Arrays.copyOfRange(all, fed, all.length)), new Wire.Collect());
          fed = all.length;
          continue;
        }
        byte[] welcome = frames.get(0).toByteArray();
        assertEquals(168, welcome.length);
        c.consume(ByteBuffer.wrap(Arrays.copyOfRange(all, fed, 64)), new Wire.Collect());
        assertEquals(ZmtpConnection.Status.ERROR,
            c.consume(ByteBuffer.wrap(bytes().command(Arrays.copyOf(welcome, len)).build()), new Wire.Collect()));
        altered = true;
      }
      assertTrue(altered);
      assertEquals(ProtocolError.ZMTP_CRYPTOGRAPHIC, c.error(), "libzmq's process_welcome: a wrong size is CRYPTOGRAPHIC");
    }
  }

  @Test
  void wrongClientKeyUnderZap() {
    CurveKeys other = CurveKeys.generate();
    ZmtpConnection c = new ZmtpConnection(ZmtpOptions.builder(SocketType.DEALER)
        .security(SecurityOptions.curveClient(other, SERVER.publicKey())).build());
    ZmtpConnection s = new ZmtpConnection(ZmtpOptions.builder(SocketType.ROUTER)
        .security(SecurityOptions.curveServer(SERVER).withZap("dom", false)).zapHandlerPresent(() -> true).build());
    Link l = new Link(c, s, Link.Split.RANDOM);
    l.zapHandler = req -> Arrays.equals(req.get(7), CLIENT.publicKey())
        ? Link.reply("200", "OK", "client", new byte[0]) : Link.reply("400", "unknown key", "", new byte[0]);
    l.run();
    assertEquals(1, l.zapRequests.size());
    assertEquals(List.of("", "1.0", "1", "dom", "", "", "CURVE"),
        l.zapRequests.get(0).subList(0, 7).stream().map(String::new).toList());
    assertArrayEquals(other.publicKey(), l.zapRequests.get(0).get(7), "the client's long-term key");
    assertEquals(400, l.b.zapFailureStatus());
    assertEquals(400, l.a.zapFailureStatus(), "the client hears ERROR 400, as libzmq's handle_error_reason");
    assertTrue(l.a.errorFromPeer());
    assertFalse(l.a.handshakeComplete() || l.b.handshakeComplete());
    assertEquals(0, l.toA.frames.size() + l.toB.frames.size());
    // the right key passes, and ZAP's User-Id shows
    Link ok = new Link(client(SocketType.DEALER), new ZmtpConnection(ZmtpOptions.builder(SocketType.ROUTER)
        .security(SecurityOptions.curveServer(SERVER).withZap("dom", false)).zapHandlerPresent(() -> true).build()),
        Link.Split.BYTES);
    ok.zapHandler = l.zapHandler;
    ok.run();
    assertTrue(ok.b.handshakeComplete());
    assertEquals("client", ok.b.peer().property("User-Id"));
  }

  @Test
  void zapRulesWithoutAHandler() {
    // no domain, no handler: Stonehouse, passes
    assertTrue(new Link(client(SocketType.DEALER), server(SocketType.ROUTER), Link.Split.WHOLE).run().b.handshakeComplete());
    // domain, no handler, not enforced: passes; enforced: EFAULT
    ZmtpConnection s = new ZmtpConnection(ZmtpOptions.builder(SocketType.ROUTER)
        .security(SecurityOptions.curveServer(SERVER).withZap("d", false)).build());
    assertTrue(new Link(client(SocketType.DEALER), s, Link.Split.WHOLE).run().b.handshakeComplete());
    s = new ZmtpConnection(ZmtpOptions.builder(SocketType.ROUTER)
        .security(SecurityOptions.curveServer(SERVER).withZap("d", true)).build());
    Link l = new Link(client(SocketType.DEALER), s, Link.Split.WHOLE).run();
    assertEquals(14, l.b.failureErrno());
    assertFalse(l.b.handshakeComplete());
    // no domain, enforced, handler present: ZAP is skipped
    s = new ZmtpConnection(ZmtpOptions.builder(SocketType.ROUTER)
        .security(SecurityOptions.curveServer(SERVER).withZap("", true)).zapHandlerPresent(() -> true).build());
    l = new Link(client(SocketType.DEALER), s, Link.Split.WHOLE).run();
    assertTrue(l.zapRequests.isEmpty());
    assertTrue(l.b.handshakeComplete());
    // no domain, not enforced, handler present: libzmq 4.3 asks it
    s = new ZmtpConnection(ZmtpOptions.builder(SocketType.ROUTER)
        .security(SecurityOptions.curveServer(SERVER)).zapHandlerPresent(() -> true).build());
    l = new Link(client(SocketType.DEALER), s, Link.Split.WHOLE).run();
    assertEquals(1, l.zapRequests.size());
  }

  @Test
  void nullAgainstCurveAndTwoServers() {
    Link l = new Link(new ZmtpConnection(ZmtpOptions.builder(SocketType.DEALER).build()), server(SocketType.ROUTER),
        Link.Split.WHOLE).run();
    assertEquals(ProtocolError.ZMTP_MECHANISM_MISMATCH, l.b.error());
    assertEquals(0, l.toB.frames.size());
    l = new Link(server(SocketType.DEALER), server(SocketType.ROUTER), Link.Split.WHOLE).run();
    assertEquals(ProtocolError.ZMTP_MECHANISM_MISMATCH, l.a.error());
    l = new Link(client(SocketType.DEALER), client(SocketType.ROUTER), Link.Split.WHOLE).run();
    assertEquals(ProtocolError.ZMTP_UNEXPECTED_COMMAND, l.a.error() != null ? l.a.error() : l.b.error());
  }

  @Test
  void errorFromServerDuringTheHandshake() {
    ZmtpConnection c = client(SocketType.DEALER);
    drain(c);
    Wire.Collect sink = new Wire.Collect();
    assertEquals(ZmtpConnection.Status.ERROR, c.consume(ByteBuffer.wrap(bytes().greeting(3, 1, "CURVE")
        .command(bytes().u8(5).ascii("ERROR").u8(3).ascii("500").build()).build()), sink));
    assertTrue(c.errorFromPeer());
    assertEquals(500, c.zapFailureStatus());
    c = client(SocketType.DEALER);
    drain(c);
    assertEquals(ZmtpConnection.Status.ERROR, c.consume(ByteBuffer.wrap(bytes().greeting(3, 1, "CURVE")
        .command(bytes().u8(5).ascii("ERROR").build()).build()), sink));
    assertEquals(ProtocolError.ZMTP_MALFORMED_COMMAND_ERROR, c.error());
    c = client(SocketType.DEALER);
    drain(c);
    assertEquals(ZmtpConnection.Status.ERROR, c.consume(ByteBuffer.wrap(bytes().greeting(3, 1, "CURVE")
        .command(bytes().u8(5).ascii("READY").raw(new byte[40]).build()).build()), sink));
    assertEquals(ProtocolError.ZMTP_UNEXPECTED_COMMAND, c.error(), "READY before WELCOME");
    assertEquals(0, sink.frames.size());
  }

  @Test
  void missingKeysAreNamed() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> ZmtpOptions.builder(SocketType.DEALER).security(new SecurityOptions(SecurityOptions.Kind.CURVE, false,
            null, null, null, CLIENT.secretKey(), null, "", false)));
    assertTrue(e.getMessage().contains("CURVE_SERVERKEY"), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new SecurityOptions(SecurityOptions.Kind.CURVE, true, null, null, null, new byte[31], null, "", false));
    assertTrue(e.getMessage().contains("CURVE_SECRETKEY"), e.getMessage());
  }
}
