package io.pekkozmq.engine.zmtp;

import static io.pekkozmq.engine.zmtp.Wire.bytes;
import static io.pekkozmq.engine.zmtp.Wire.drain;
import static io.pekkozmq.engine.zmtp.Wire.hexOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.security.SecurityOptions;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 24 PLAIN, byte-exact against libzmq 4.3.4's plain_client/plain_server. */
class PlainMechanismTest {
  static ZmtpConnection client(String user, String pass) {
    return new ZmtpConnection(ZmtpOptions.builder(SocketType.DEALER)
        .security(SecurityOptions.plain(false, Link.ascii(user), Link.ascii(pass))).build());
  }

  static ZmtpConnection server(boolean handler, String address) {
    return new ZmtpConnection(ZmtpOptions.builder(SocketType.ROUTER)
        .security(SecurityOptions.plain(true, null, null).withZap("global", false))
        .peerAddress(address).zapHandlerPresent(() -> handler).build());
  }

  /** Signature 10 bytes, major 1 byte; the rest of our greeting: minor, mechanism, as-server, filler. */
  static byte[] greetingRest(byte[] all) {
    return java.util.Arrays.copyOfRange(all, 11, 64);
  }

  @Test
  void clientCommandsAreByteExact() {
    ZmtpConnection c = client("admin", "secret");
    byte[] sig = drain(c);
    assertEquals(10, sig.length);
    c.consume(ByteBuffer.wrap(bytes().greeting(3, 1, "PLAIN").build()), new Wire.Collect());
    byte[] out = drain(c);
    // major, minor, "PLAIN" padded to 20, as-server 0 (a client), 31 zero bytes
    assertEquals(hexOf(bytes().u8(3).u8(1).ascii("PLAIN").raw(new byte[15]).u8(0).raw(new byte[31])
        .command(bytes().u8(5).ascii("HELLO").u8(5).ascii("admin").u8(6).ascii("secret").build()).build()), hexOf(out));
    c.consume(ByteBuffer.wrap(bytes().command(bytes().u8(7).ascii("WELCOME").build()).build()), new Wire.Collect());
    assertEquals(hexOf(bytes().command(bytes().u8(8).ascii("INITIATE").u8(11).ascii("Socket-Type").u32(6).ascii("DEALER")
        .u8(8).ascii("Identity").u32(0).build()).build()), hexOf(drain(c)));
    assertFalse(c.handshakeComplete());
    assertEquals(ZmtpConnection.Status.OK, c.consume(ByteBuffer.wrap(bytes().ready("Socket-Type", "ROUTER").build()), new Wire.Collect()));
    assertTrue(c.handshakeComplete());
    assertEquals(SocketType.ROUTER, c.peer().socketType());
  }

  @Test
  void serverCommandsAndZapRequestAreByteExact() {
    ZmtpConnection s = server(true, "127.0.0.1");
    drain(s);
    s.consume(ByteBuffer.wrap(bytes().greeting(3, 1, "PLAIN").build()), new Wire.Collect());
    byte[] rest = drain(s);
    assertEquals(1, rest[0 + 1 + 21], "a PLAIN server sets the as-server bit");
    s.consume(ByteBuffer.wrap(bytes().command(bytes().u8(5).ascii("HELLO").u8(5).ascii("admin").u8(6).ascii("secret").build()).build()),
        new Wire.Collect());
    assertEquals(0, drain(s).length, "nothing before the ZAP reply");
    assertTrue(s.awaitingZap());
    List<byte[]> req = s.takeZapRequest();
    assertNull(s.takeZapRequest(), "a request is taken once");
    assertEquals(List.of("", "1.0", "1", "global", "127.0.0.1", "", "PLAIN", "admin", "secret"),
        req.stream().map(String::new).toList());
    s.zapReply(Link.reply("200", "OK", "admin-id", bytes().u8(6).ascii("X-Role").u32(5).ascii("admin").build()));
    assertEquals(hexOf(bytes().command(bytes().u8(7).ascii("WELCOME").build()).build()), hexOf(drain(s)));
    s.consume(ByteBuffer.wrap(bytes().command(bytes().u8(8).ascii("INITIATE").u8(11).ascii("Socket-Type").u32(6).ascii("DEALER")
        .u8(8).ascii("Identity").u32(3).ascii("cli").build()).build()), new Wire.Collect());
    assertEquals(hexOf(bytes().ready("Socket-Type", "ROUTER", "Identity", "").build()), hexOf(drain(s)));
    assertTrue(s.handshakeComplete());
    assertEquals("admin-id", s.peer().property("User-Id"));
    assertEquals("admin", s.peer().property("x-role"));
    assertEquals("127.0.0.1", s.peer().property("Peer-Address"));
    assertEquals("cli", new String(s.peer().routingId()));
  }

  @ParameterizedTest
  @EnumSource(Link.Split.class)
  void fullHandshakeBetweenOurClientAndServerAndDataBothWays(Link.Split split) {
    Link l = new Link(client("u", "p"), server(true, ""), split);
    l.run();
    assertTrue(l.a.handshakeComplete() && l.b.handshakeComplete());
    assertEquals(1, l.zapRequests.size());
    l.fromA.add(Frame.of("hello").withMore(true));
    l.fromA.add(Frame.of("world"));
    l.fromB.add(Frame.of("back"));
    l.run();
    assertEquals(List.of("hello+", "world"), l.toB.texts());
    assertEquals(List.of("back"), l.toA.texts());
    assertEquals("user", l.b.peer().property("User-Id"));
    assertNull(l.a.peer().property("User-Id"), "no ZAP on the client: no User-Id, as libzmq");
  }

  @Test
  void serverWithoutHandlerFailsWithEfault() {
    Link l = new Link(client("u", "p"), server(false, ""), Link.Split.WHOLE).run();
    assertEquals(ZmtpConnection.Status.ERROR, l.lastB);
    assertEquals(14, l.b.failureErrno());
    assertEquals(ProtocolError.ZAP_UNSPECIFIED, l.b.error());
    assertFalse(l.a.handshakeComplete());
    assertEquals(0, l.toB.frames.size());
  }

  @Test
  void zapRefusalsAsLibzmq() {
    for (String code : List.of("400", "500")) {
      Link l = new Link(client("u", "bad"), server(true, ""), Link.Split.WHOLE);
      l.zapHandler = req -> Link.reply(code, "no", "", new byte[0]);
      l.run();
      assertEquals(Integer.parseInt(code), l.b.zapFailureStatus());
      // the server sent ERROR with the status code: the client fails with it too
      assertEquals(ZmtpConnection.Status.ERROR, l.lastA);
      assertTrue(l.a.errorFromPeer());
      assertEquals("peer sent ERROR: " + code, l.a.errorDetail());
      assertEquals(Integer.parseInt(code), l.a.zapFailureStatus());
    }
    Link l = new Link(client("u", "p"), server(true, ""), Link.Split.WHOLE);
    l.zapHandler = req -> Link.reply("300", "later", "", new byte[0]);
    l.run();
    assertEquals(300, l.b.zapFailureStatus());
    assertEquals(ZmtpConnection.Status.OK, l.lastA, "300: closed silently, no ERROR command");
    assertFalse(l.a.handshakeComplete());
  }

  @Test
  void malformedZapRepliesGiveLibzmqsCodes() {
    record Case(List<byte[]> reply, ProtocolError expected) {}
    byte[] e = new byte[0];
    List<Case> cases = List.of(
        new Case(List.of(e, Link.ascii("1.0"), Link.ascii("1"), Link.ascii("200"), e, e), ProtocolError.ZAP_MALFORMED_REPLY),
        new Case(List.of(Link.ascii("x"), Link.ascii("1.0"), Link.ascii("1"), Link.ascii("200"), e, e, e), ProtocolError.ZAP_UNSPECIFIED),
        new Case(List.of(e, Link.ascii("2.0"), Link.ascii("1"), Link.ascii("200"), e, e, e), ProtocolError.ZAP_BAD_VERSION),
        new Case(List.of(e, Link.ascii("1.0"), Link.ascii("7"), Link.ascii("200"), e, e, e), ProtocolError.ZAP_BAD_REQUEST_ID),
        new Case(List.of(e, Link.ascii("1.0"), Link.ascii("1"), Link.ascii("201"), e, e, e), ProtocolError.ZAP_INVALID_STATUS_CODE),
        new Case(List.of(e, Link.ascii("1.0"), Link.ascii("1"), Link.ascii("600"), e, e, e), ProtocolError.ZAP_INVALID_STATUS_CODE),
        new Case(List.of(e, Link.ascii("1.0"), Link.ascii("1"), Link.ascii("200"), e, e, new byte[] {5, 'a'}), ProtocolError.ZAP_INVALID_METADATA));
    for (Case c : cases) {
      Link l = new Link(client("u", "p"), server(true, ""), Link.Split.WHOLE);
      l.zapHandler = req -> c.reply;
      l.run();
      assertEquals(c.expected, l.b.error());
      assertEquals(0, l.b.zapFailureStatus());
      assertFalse(l.a.handshakeComplete());
    }
  }

  @Test
  void hostileHellos() {
    record Case(byte[] body, ProtocolError expected) {}
    List<Case> cases = List.of(
        new Case(bytes().u8(5).ascii("HELLO").build(), ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO),
        new Case(bytes().u8(5).ascii("HELLO").u8(9).ascii("abc").build(), ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO),
        new Case(bytes().u8(5).ascii("HELLO").u8(1).ascii("a").build(), ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO),
        new Case(bytes().u8(5).ascii("HELLO").u8(1).ascii("a").u8(1).ascii("bc").build(), ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO),
        new Case(bytes().u8(5).ascii("HELLO").u8(1).ascii("a").u8(3).ascii("bc").build(), ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO),
        new Case(bytes().u8(5).ascii("HELL").build(), ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED),
        new Case(bytes().u8(5).ascii("READY").build(), ProtocolError.ZMTP_UNEXPECTED_COMMAND));
    for (Case c : cases) {
      ZmtpConnection s = server(true, "");
      drain(s);
      var st = s.consume(ByteBuffer.wrap(bytes().greeting(3, 1, "PLAIN").command(c.body).build()), new Wire.Collect());
      assertEquals(ZmtpConnection.Status.ERROR, st, hexOf(c.body));
      assertEquals(c.expected, s.error(), hexOf(c.body));
      assertNull(s.takeZapRequest());
    }
  }

  @Test
  void hostileServerReplies() {
    ZmtpConnection c = client("u", "p");
    drain(c);
    c.consume(ByteBuffer.wrap(bytes().greeting(3, 1, "PLAIN").build()), new Wire.Collect());
    drain(c);
    assertEquals(ZmtpConnection.Status.ERROR, c.consume(ByteBuffer.wrap(bytes().command(bytes().u8(7).ascii("WELCOMEx").build()).build()),
        new Wire.Collect()));
    assertEquals(ProtocolError.ZMTP_MALFORMED_COMMAND_WELCOME, c.error());

    c = client("u", "p");
    drain(c);
    assertEquals(ZmtpConnection.Status.ERROR, c.consume(ByteBuffer.wrap(bytes().greeting(3, 1, "PLAIN")
        .ready("Socket-Type", "ROUTER").build()), new Wire.Collect()));
    assertEquals(ProtocolError.ZMTP_UNEXPECTED_COMMAND, c.error(), "READY before WELCOME");

    c = client("u", "p");
    drain(c);
    assertEquals(ZmtpConnection.Status.ERROR, c.consume(ByteBuffer.wrap(bytes().greeting(3, 1, "PLAIN")
        .command(bytes().u8(5).ascii("ERROR").u8(9).ascii("ab").build()).build()), new Wire.Collect()));
    assertEquals(ProtocolError.ZMTP_MALFORMED_COMMAND_ERROR, c.error());

    c = client("u", "p");
    drain(c);
    Wire.Collect sink = new Wire.Collect();
    assertEquals(ZmtpConnection.Status.ERROR, c.consume(ByteBuffer.wrap(bytes().greeting(3, 1, "PLAIN")
        .data("early", false).build()), sink));
    assertEquals(ProtocolError.ZMTP_UNEXPECTED_COMMAND, c.error());
    assertEquals(0, sink.frames.size());
  }

  /**
   * The exact bytes pyzmq's libzmq 4.3.4 PLAIN server wrote (read off a raw socket) when its
   * authenticator refused a password: {@code 04 09 5e 52 52 4f 52 03 34 30 30}, a short command of
   * 9 bytes, "^RROR" (plain_common.hpp's "\x05ERROR", the hex escape eating the E), reason "400".
   * Whole and byte by byte, it is the peer's ERROR carrying ZAP status 400; a truncated one is a
   * malformed ERROR; the RFC form still works; a server takes neither form from a client.
   */
  @Test
  void libzmqsPlainErrorSpellingIsAnErrorToo() {
    byte[] refusal = bytes().hex("04095e52524f5203343030").build();
    for (boolean byteByByte : List.of(false, true)) {
      ZmtpConnection c = client("admin", "guess");
      drain(c);
      c.consume(ByteBuffer.wrap(bytes().greeting(3, 0, "PLAIN").build()), new Wire.Collect());
      drain(c);
      Wire.Collect sink = new Wire.Collect();
      ZmtpConnection.Status st = null;
      if (byteByByte) {
        for (byte x : refusal) st = c.consume(ByteBuffer.wrap(new byte[] {x}), sink);
      } else {
        st = c.consume(ByteBuffer.wrap(refusal), sink);
      }
      assertEquals(ZmtpConnection.Status.ERROR, st);
      assertTrue(c.errorFromPeer(), "the peer's ERROR, not our protocol error: " + c.error());
      assertEquals(400, c.zapFailureStatus());
      assertEquals(0, sink.frames.size());
    }

    ZmtpConnection c = client("admin", "guess");
    drain(c);
    assertEquals(ZmtpConnection.Status.ERROR, c.consume(ByteBuffer.wrap(bytes().greeting(3, 0, "PLAIN")
        .hex("04075e52524f52033430").build()), new Wire.Collect()));
    assertEquals(ProtocolError.ZMTP_MALFORMED_COMMAND_ERROR, c.error(), "a reason running past the command");

    c = client("admin", "guess");
    drain(c);
    assertEquals(ZmtpConnection.Status.ERROR, c.consume(ByteBuffer.wrap(bytes().greeting(3, 0, "PLAIN")
        .command(bytes().u8(5).ascii("ERROR").u8(3).ascii("500").build()).build()), new Wire.Collect()));
    assertTrue(c.errorFromPeer());
    assertEquals(500, c.zapFailureStatus(), "RFC 23's spelling, as before");

    c = server(true, "127.0.0.1");
    drain(c);
    assertEquals(ZmtpConnection.Status.ERROR, c.consume(ByteBuffer.wrap(bytes().greeting(3, 0, "PLAIN")
        .hex("04095e52524f5203343030").build()), new Wire.Collect()));
    // its name length 0x5E runs past the 9-byte body: libzmq's check_basic_command_structure
    assertEquals(ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED, c.error(), "libzmq's plain_server_t takes no ERROR");
    assertFalse(c.errorFromPeer());
  }

  @Test
  void mismatches() {
    // NULL against PLAIN
    Link l = new Link(new ZmtpConnection(ZmtpOptions.builder(SocketType.DEALER).build()), server(true, ""), Link.Split.WHOLE).run();
    assertEquals(ProtocolError.ZMTP_MECHANISM_MISMATCH, l.b.error());
    assertEquals(ProtocolError.ZMTP_MECHANISM_MISMATCH, l.a.error());
    // two PLAIN servers: both claim the server role
    l = new Link(server(true, ""), server(true, ""), Link.Split.WHOLE).run();
    assertEquals(ProtocolError.ZMTP_MECHANISM_MISMATCH, l.a.error());
    assertTrue(l.a.errorDetail().contains("server role"), l.a.errorDetail());
    // two clients: each gets the other's HELLO
    l = new Link(client("a", "b"), client("c", "d"), Link.Split.WHOLE).run();
    assertEquals(ProtocolError.ZMTP_UNEXPECTED_COMMAND, l.a.error() != null ? l.a.error() : l.b.error());
  }

  @Test
  void nullGreetingNeverClaimsServer() {
    ZmtpConnection c = new ZmtpConnection(ZmtpOptions.builder(SocketType.ROUTER).build());
    drain(c);
    c.consume(ByteBuffer.wrap(bytes().greeting(3, 1, "NULL").build()), new Wire.Collect());
    byte[] rest = drain(c);
    assertEquals(0, rest[1 + 21], "NULL sends as-server 0 on either side");
  }

  @Test
  void nullUsesZapOnlyWithADomain() {
    SecurityOptions withDomain = SecurityOptions.NULL.withZap("d", false);
    // domain and handler: READY waits for the reply; the request has no credentials
    ZmtpConnection s = new ZmtpConnection(ZmtpOptions.builder(SocketType.PULL).security(withDomain)
        .routingId(Link.ascii("me")).zapHandlerPresent(() -> true).build());
    ZmtpConnection c = new ZmtpConnection(ZmtpOptions.builder(SocketType.PUSH).build());
    Link l = new Link(c, s, Link.Split.WHOLE).run();
    assertEquals(List.of("", "1.0", "1", "d", "", "me", "NULL"), l.zapRequests.get(0).stream().map(String::new).toList());
    assertTrue(s.handshakeComplete());
    assertEquals("user", s.peer().property("User-Id"));
    // refused with 400: ERROR "400"
    l = new Link(new ZmtpConnection(ZmtpOptions.builder(SocketType.PUSH).build()),
        new ZmtpConnection(ZmtpOptions.builder(SocketType.PULL).security(withDomain).zapHandlerPresent(() -> true).build()),
        Link.Split.WHOLE);
    l.zapHandler = req -> Link.reply("400", "no", "", new byte[0]);
    l.run();
    assertEquals(400, l.b.zapFailureStatus());
    assertEquals(400, l.a.zapFailureStatus());
    // no domain: no ZAP even with a handler
    l = new Link(new ZmtpConnection(ZmtpOptions.builder(SocketType.PUSH).zapHandlerPresent(() -> true).build()),
        new ZmtpConnection(ZmtpOptions.builder(SocketType.PULL).zapHandlerPresent(() -> true).build()), Link.Split.WHOLE).run();
    assertTrue(l.zapRequests.isEmpty());
    assertTrue(l.b.handshakeComplete());
    // domain, no handler: goes on unless the domain is enforced
    l = new Link(new ZmtpConnection(ZmtpOptions.builder(SocketType.PUSH).build()),
        new ZmtpConnection(ZmtpOptions.builder(SocketType.PULL).security(withDomain).build()), Link.Split.WHOLE).run();
    assertTrue(l.b.handshakeComplete());
    l = new Link(new ZmtpConnection(ZmtpOptions.builder(SocketType.PUSH).build()),
        new ZmtpConnection(ZmtpOptions.builder(SocketType.PULL).security(SecurityOptions.NULL.withZap("d", true)).build()),
        Link.Split.WHOLE).run();
    assertEquals(14, l.b.failureErrno());
    assertFalse(l.b.handshakeComplete());
  }

  @Test
  void lateZapReplyAfterFailureChangesNothing() {
    ZmtpConnection s = server(true, "");
    drain(s);
    s.consume(ByteBuffer.wrap(bytes().greeting(3, 1, "PLAIN")
        .command(bytes().u8(5).ascii("HELLO").u8(1).ascii("a").u8(1).ascii("b").build())
        .command(bytes().u8(5).ascii("HELLO").build()).build()), new Wire.Collect());
    assertEquals(ProtocolError.ZMTP_UNSPECIFIED, s.error(), "a command while waiting for ZAP, as libzmq's state check");
    assertNull(s.takeZapRequest());
    drain(s); // the greeting's rest
    s.zapReply(Link.reply("200", "", "", new byte[0]));
    assertArrayEquals(new byte[0], drain(s), "no WELCOME after the failure");
  }
}
