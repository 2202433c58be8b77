package io.pekkozmq.actors.impl.engine;

import static io.pekkozmq.actors.impl.engine.ZmtpBytes.bytes;
import static io.pekkozmq.actors.impl.engine.ZmtpBytes.hexOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.actors.impl.engine.EngineRig.Conn;
import io.pekkozmq.actors.impl.pipe.Pipe;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.zmtp.ProtocolError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ZMTP engine's handshake, its causality rule, HANDSHAKE_IVL and how it ends on protocol and
 * I/O errors: peer bytes fed into a {@link MemoryChannel}, time moved by ManualTime, and the bytes
 * the engine writes, what it tells its session and the events it emits asserted exactly.
 */
class EngineTest {
  @RegisterExtension
  static final EngineRig rig = new EngineRig();

  /** A DEALER peer named bob, greeting as a client. */
  private static final byte[] PEER_HANDSHAKE = bytes()
      .greeting()
      .ready("Socket-Type", "DEALER", "Identity", "bob")
      .build();

  /** What a ROUTER without a routing id writes, in full: NULL greets with as-server 0 on either side (RFC 23). */
  private static final byte[] ROUTER_HANDSHAKE = bytes()
      .greeting(0, false)
      .ready("Socket-Type", "ROUTER", "Identity", "")
      .build();

  private Conn router() {
    return rig.zmtp(SocketType.ROUTER, rig.options());
  }

  // ---- handshake ---------------------------------------------------------------------------

  @Test
  void handshakeFedByteByByteWritesOurGreetingInLibzmqsStepsAndReportsThePeer() {
    Conn c = router();
    // libzmq 4.3's steps: the signature at once, the major version after the peer's signature,
    // the rest after the peer's major version, READY after the peer's whole greeting
    byte[] first = c.channel.takeWritten();
    assertEquals(hexOf(bytes().signature(0).build()), hexOf(first));
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(first);
    for (int i = 0; i < PEER_HANDSHAKE.length; i++) {
      c.channel.peerSends(new byte[] {PEER_HANDSHAKE[i]});
      byte[] out = c.channel.takeWritten();
      switch (i + 1) {
        case 10 -> assertEquals("03", hexOf(out));
        case 11 -> assertEquals(hexOf(bytes().greetingRest(false).build()), hexOf(out));
        case 64 -> assertEquals(hexOf(bytes().ready("Socket-Type", "ROUTER", "Identity", "").build()), hexOf(out));
        default -> assertEquals("", hexOf(out), "after the peer's byte " + (i + 1));
      }
      all.writeBytes(out);
      if (i + 1 < PEER_HANDSHAKE.length) assertEquals(List.of(), c.rec.log(), "after the peer's byte " + (i + 1));
    }
    assertEquals(hexOf(ROUTER_HANDSHAKE), hexOf(all.toByteArray()));
    assertEquals(List.of("handshakeSucceeded DEALER"), c.rec.log());
    assertEquals("bob", new String(c.rec.peer().routingId(), StandardCharsets.US_ASCII));
    assertEquals(1, c.rec.peer().minorVersion());
    assertTrue(c.channel.readInterest());
  }

  @Test
  void handshakeInOneChunkWritesTheSameBytesAndReportsThePeer() {
    Conn c = router();
    c.channel.peerSends(PEER_HANDSHAKE);
    assertEquals(hexOf(ROUTER_HANDSHAKE), hexOf(c.channel.takeWritten()));
    assertEquals(List.of("handshakeSucceeded DEALER"), c.rec.log());
    assertEquals(SocketType.DEALER, c.rec.peer().socketType());
    assertEquals("bob", c.rec.peer().property("Identity"));
  }

  @Test
  void everySplitOfHandshakeAndTrafficGivesTheSameBytesAndMessages() {
    byte[] stream = bytes()
        .raw(PEER_HANDSHAKE)
        .data("bob".getBytes(StandardCharsets.US_ASCII), true)
        .data(new byte[300], false)
        .ping(0, "hi")
        .data("z")
        .build();
    String expectedOut = hexOf(ROUTER_HANDSHAKE) + hexOf(bytes().pong("hi").build());
    for (int split = 0; split <= stream.length; split++) {
      Conn c = router();
      c.channel.peerSends(Arrays.copyOfRange(stream, 0, split));
      if (c.rec.peer() != null) c.attach(); // the session attaches as soon as it hears
      c.channel.peerSends(Arrays.copyOfRange(stream, split, stream.length));
      if (!c.attached()) c.attach();
      assertEquals(List.of("handshakeSucceeded DEALER", "HANDSHAKE_SUCCEEDED 0"), c.rec.log(), "split " + split);
      assertEquals(expectedOut, hexOf(c.channel.takeWritten()), "split " + split);
      assertEquals(List.of("bob+", "300 bytes", "z"), messages(c.socketEnd()), "split " + split);
      c.tell(new ZmtpEngine.Close(false));
    }
  }

  // ---- causality ---------------------------------------------------------------------------

  @Test
  void handshakeSucceededIsEmittedOnlyWhenTheSessionAttachesThePipe() {
    Conn c = router();
    // the peer's first messages arrive with its READY, before the session has made the pipe
    c.channel.peerSends(bytes().raw(PEER_HANDSHAKE).data("one").data("two").build());
    assertEquals(List.of("handshakeSucceeded DEALER"), c.rec.log());
    assertFalse(c.channel.readInterest(), "no pipe to put messages in: the engine stops reading");
    c.channel.peerSends(bytes().data("three").build());
    assertEquals(5 + 2, c.channel.unread());

    Pipe.End socket = c.attach();
    assertEquals(List.of("handshakeSucceeded DEALER", "HANDSHAKE_SUCCEEDED 0"), c.rec.log());
    assertTrue(c.channel.readInterest());
    assertEquals(List.of("one", "two", "three"), messages(socket));
  }

  @Test
  void aConnectionLostBeforeTheAttachStillEmitsHandshakeSucceededFirst() {
    Conn c = router();
    c.channel.peerSends(PEER_HANDSHAKE);
    c.channel.peerResets();
    assertEquals(List.of("handshakeSucceeded DEALER", "HANDSHAKE_SUCCEEDED 0", "DISCONNECTED 7", "stopped DISCONNECTED"),
        c.rec.log());
    assertTrue(c.channel.released());
  }

  // ---- HANDSHAKE_IVL -----------------------------------------------------------------------

  @Test
  void handshakeIvlExpiryFailsTheHandshakeWithEagain() {
    SocketOptions o = rig.options();
    o.handshakeIvl = 1000;
    Conn c = rig.zmtp(SocketType.ROUTER, o);
    c.channel.peerSends(Arrays.copyOfRange(PEER_HANDSHAKE, 0, 20)); // a peer that stalls mid-greeting
    rig.timePasses(Duration.ofMillis(999));
    assertEquals(List.of(), c.rec.log());
    assertFalse(c.channel.released());
    rig.timePasses(Duration.ofMillis(1));
    assertEquals(List.of("HANDSHAKE_FAILED_NO_DETAIL 11", "DISCONNECTED 7", "stopped HANDSHAKE_FAILED"), c.rec.log());
    assertEquals(ZmtpEngine.Outcome.HANDSHAKE_FAILED, c.rec.outcome());
    assertTrue(c.channel.released());
  }

  @Test
  void aHandshakeDoneInTimeOutlivesHandshakeIvl() {
    SocketOptions o = rig.options();
    o.handshakeIvl = 1000;
    Conn c = rig.zmtp(SocketType.ROUTER, o);
    rig.timePasses(Duration.ofMillis(500));
    c.channel.peerSends(PEER_HANDSHAKE);
    c.attach();
    rig.timePasses(Duration.ofMillis(1000));
    assertEquals(List.of("handshakeSucceeded DEALER", "HANDSHAKE_SUCCEEDED 0"), c.rec.log());
    assertFalse(c.channel.released());
  }

  // ---- protocol errors ---------------------------------------------------------------------

  @Test
  void aPeerOfAnIncompatibleSocketTypeGetsAnErrorCommandAndIsDisconnected() {
    Conn c = rig.zmtp(SocketType.PUSH, rig.options());
    c.channel.takeWritten();
    c.channel.peerSends(bytes().greeting().ready("Socket-Type", "PUSH").build());
    // our greeting's rest and READY, then an ERROR command (RFC 37) before the close
    byte[] expected = bytes()
        .u8(3).greetingRest(false).ready("Socket-Type", "PUSH")
        .error("Invalid socket type")
        .build();
    assertEquals(hexOf(expected), hexOf(c.channel.takeWritten()));
    // libzmq drops a wrong Socket-Type with DISCONNECTED alone
    assertEquals(List.of("DISCONNECTED 7", "stopped PROTOCOL_ERROR"), c.rec.log());
    assertTrue(c.channel.released());
  }

  @Test
  void aPeersErrorCommandEndsTheHandshakeWithDisconnectedAlone() {
    Conn c = router();
    c.channel.peerSends(bytes().greeting().error("go away").build());
    assertEquals(List.of("DISCONNECTED 7", "stopped PROTOCOL_ERROR"), c.rec.log());
    assertTrue(c.rec.reason().contains("peer sent ERROR: go away"), c.rec.reason());
  }

  @Test
  void aMechanismMismatchIsAProtocolHandshakeFailure() {
    Conn c = router();
    c.channel.peerSends(bytes().greeting(3, 1, "PLAIN").build());
    assertEquals(List.of("HANDSHAKE_FAILED_PROTOCOL " + ProtocolError.ZMTP_MECHANISM_MISMATCH.code(),
        "DISCONNECTED 7", "stopped PROTOCOL_ERROR"), c.rec.log());
    assertEquals(ZmtpEngine.Outcome.PROTOCOL_ERROR, c.rec.outcome());
  }

  @Test
  void aFrameBeyondMaxMsgSizeEndsTheConnectionAndNothingOfItIsDelivered() {
    SocketOptions o = rig.options();
    o.maxMsgSize = 64; // the peer's READY (26 bytes) must fit too: MAXMSGSIZE applies to every frame
    Conn c = rig.handshaken(SocketType.PULL, SocketType.PUSH, o);
    c.channel.peerSends(bytes().data(new byte[64], false).build());
    assertEquals(List.of("64 bytes"), messages(c.socketEnd()));
    c.channel.peerSends(bytes().data("ok").data(new byte[65], false).data("never").build());
    assertEquals(List.of("DISCONNECTED 7", "stopped PROTOCOL_ERROR"), c.rec.log());
    assertTrue(c.rec.reason().startsWith(ProtocolError.ZMTP_UNSPECIFIED.toString()), c.rec.reason());
    assertEquals(List.of("ok"), messages(c.socketEnd()));
    assertTrue(c.channel.released());
  }

  @Test
  void dataBeforeTheHandshakeEndsIsAnUnexpectedCommand() {
    Conn c = router();
    c.channel.peerSends(bytes().greeting().data("early").build());
    assertEquals(List.of("HANDSHAKE_FAILED_PROTOCOL " + ProtocolError.ZMTP_UNEXPECTED_COMMAND.code(),
        "DISCONNECTED 7", "stopped PROTOCOL_ERROR"), c.rec.log());
  }

  // ---- I/O errors --------------------------------------------------------------------------

  @Test
  void aPeerClosingMidHandshakeFailsItWithEpipe() {
    Conn c = router();
    c.channel.peerSends(Arrays.copyOfRange(PEER_HANDSHAKE, 0, 30));
    c.channel.peerCloses();
    assertEquals(List.of("HANDSHAKE_FAILED_NO_DETAIL 32", "DISCONNECTED 7", "stopped HANDSHAKE_FAILED"), c.rec.log());
  }

  @Test
  void aPeerClosingAfterTheHandshakeIsADisconnectAfterItsLastMessages() {
    Conn c = rig.handshaken(SocketType.PULL, SocketType.PUSH, rig.options());
    c.channel.peerSends(bytes().data("last").build());
    c.channel.peerCloses();
    assertEquals(List.of("DISCONNECTED 7", "stopped DISCONNECTED"), c.rec.log());
    assertEquals(List.of("last"), messages(c.socketEnd()));
    assertNull(c.socketEnd().read());
  }

  @Test
  void aFailedWriteIsADisconnect() {
    Conn c = rig.handshaken(SocketType.PUSH, SocketType.PULL, rig.options());
    c.channel.failWrites(new IOException("Broken pipe"));
    c.socketEnd().write(Frame.of("lost"));
    c.socketEnd().flush();
    assertEquals(List.of("DISCONNECTED 7", "stopped DISCONNECTED"), c.rec.log());
    assertTrue(c.channel.released());
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** Every message the socket can read now, a frame as its text ("+" if more follow), or "N bytes" when long. */
  static List<String> messages(Pipe.End socket) {
    List<String> got = new ArrayList<>();
    Frame f;
    while ((f = socket.read()) != null) {
      String text = f.size() > 16 ? f.size() + " bytes" : f.text();
      got.add(text + (f.hasMore() ? "+" : ""));
    }
    return got;
  }
}
