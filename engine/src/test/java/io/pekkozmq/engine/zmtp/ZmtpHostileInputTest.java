package io.pekkozmq.engine.zmtp;

import static io.pekkozmq.engine.zmtp.Wire.bytes;
import static io.pekkozmq.engine.zmtp.Wire.drain;
import static io.pekkozmq.engine.zmtp.Wire.hexOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.SocketType;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Every hostile input ends in a typed ProtocolError, whole or byte by byte, and never throws. */
class ZmtpHostileInputTest {
  private static final byte[] GREETING = bytes().greeting(3, 1, "NULL").build();
  private static final byte[] READY_DEALER = bytes().ready("Socket-Type", "DEALER").build();

  private static ZmtpConnection feed(ZmtpOptions options, byte[] input, ProtocolError expected) {
    ZmtpConnection whole = new ZmtpConnection(options);
    drain(whole);
    assertEquals(ZmtpConnection.Status.ERROR, whole.consume(ByteBuffer.wrap(input), new Wire.Collect()),
        "whole input should fail");
    assertEquals(expected, whole.error(), whole.errorDetail());
    ZmtpConnection bytewise = new ZmtpConnection(options);
    ZmtpConnection.Status s = ZmtpConnection.Status.OK;
    for (int i = 0; i < input.length && s == ZmtpConnection.Status.OK; i++) {
      s = bytewise.consume(ByteBuffer.wrap(input, i, 1), new Wire.Collect());
    }
    assertEquals(ZmtpConnection.Status.ERROR, s, "byte-by-byte input should fail");
    assertEquals(expected, bytewise.error());
    assertEquals(ZmtpConnection.Status.ERROR, bytewise.consume(ByteBuffer.wrap(new byte[1]), new Wire.Collect()));
    return whole;
  }

  private static ZmtpConnection feed(SocketType t, byte[] input, ProtocolError expected) {
    return feed(ZmtpOptions.builder(t).build(), input, expected);
  }

  private static byte[] afterHandshake(Wire more) {
    return bytes().raw(GREETING).raw(READY_DEALER).raw(more.build()).build();
  }

  @Test
  void frameAboveMaxMsgSizeIsRefused() {
    ZmtpOptions o = ZmtpOptions.builder(SocketType.DEALER).maxMsgSize(100).build();
    ZmtpConnection c = feed(o, afterHandshake(bytes().u8(0).u8(101)), ProtocolError.ZMTP_UNSPECIFIED);
    assertTrue(c.errorDetail().contains("EMSGSIZE"), c.errorDetail());
    feed(o, afterHandshake(bytes().u8(2).u64(1L << 40)), ProtocolError.ZMTP_UNSPECIFIED);
  }

  @Test
  void frameAtMaxMsgSizeIsAccepted() {
    ZmtpConnection c = new ZmtpConnection(ZmtpOptions.builder(SocketType.DEALER).maxMsgSize(100).build());
    Wire.Collect sink = new Wire.Collect();
    assertEquals(ZmtpConnection.Status.OK,
        c.consume(ByteBuffer.wrap(afterHandshake(bytes().u8(0).u8(100).raw(new byte[100]))), sink));
    assertEquals(1, sink.frames.size());
  }

  @Test
  void sizeWithTopBitSetIsRefused() {
    feed(SocketType.DEALER, afterHandshake(bytes().u8(2).u64(0x8000000000000000L)), ProtocolError.ZMTP_UNSPECIFIED);
    feed(SocketType.DEALER, afterHandshake(bytes().u8(2).u64(-1L)), ProtocolError.ZMTP_UNSPECIFIED);
  }

  @Test
  void sizeBeyondAJavaArrayIsRefusedEvenWhenUnlimited() {
    feed(SocketType.DEALER, afterHandshake(bytes().u8(2).u64(Integer.MAX_VALUE)), ProtocolError.ZMTP_UNSPECIFIED);
  }

  @Test
  void hugeAnnouncedFrameDoesNotAllocateItsSizeUpFront() {
    // 2 GiB - 9 announced, a few bytes sent: must stay OK and small (the JVM heap is far smaller).
    ZmtpConnection c = new ZmtpConnection(ZmtpOptions.builder(SocketType.DEALER).build());
    assertEquals(ZmtpConnection.Status.OK, c.consume(ByteBuffer.wrap(
        afterHandshake(bytes().u8(2).u64(Integer.MAX_VALUE - 9).raw(new byte[1000]))), new Wire.Collect()));
    assertTrue(Runtime.getRuntime().maxMemory() > 0);
  }

  @Test
  void truncatedMetadataIsMalformedReady() {
    byte[] body = Wire.readyBody("Socket-Type", "DEALER");
    byte[] cut = java.util.Arrays.copyOf(body, body.length - 2);
    feed(SocketType.DEALER, bytes().raw(GREETING).command(cut).build(), ProtocolError.ZMTP_MALFORMED_COMMAND_READY);
    byte[] nameCut = bytes().u8(5).ascii("READY").u8(11).ascii("Socket").build();
    feed(SocketType.DEALER, bytes().raw(GREETING).command(nameCut).build(), ProtocolError.ZMTP_MALFORMED_COMMAND_READY);
  }

  @Test
  void valueLengthBeyondCommandIsMalformedReady() {
    byte[] body = bytes().u8(5).ascii("READY").u8(11).ascii("Socket-Type").u32(0xffffffffL).ascii("DEALER").build();
    feed(SocketType.DEALER, bytes().raw(GREETING).command(body).build(), ProtocolError.ZMTP_MALFORMED_COMMAND_READY);
  }

  @Test
  void trailingMetadataBytesAreMalformedReady() {
    byte[] body = bytes().raw(Wire.readyBody("Socket-Type", "DEALER")).u8(1).build();
    feed(SocketType.DEALER, bytes().raw(GREETING).command(body).build(), ProtocolError.ZMTP_MALFORMED_COMMAND_READY);
  }

  @Test
  void incompatibleSocketTypeSendsErrorAndFails() {
    ZmtpConnection c = feed(SocketType.DEALER, bytes().raw(GREETING).ready("Socket-Type", "PUSH").build(),
        ProtocolError.ZMTP_INVALID_METADATA);
    assertTrue(c.hasPendingOutput());
    String out = hexOf(drain(c));
    assertTrue(out.endsWith("041a05" + hexOf("ERROR".getBytes()) + "13" + hexOf("Invalid socket type".getBytes())), out);
    assertFalse(c.handshakeComplete());
  }

  @Test
  void unknownOrMissingSocketTypeIsInvalidMetadata() {
    feed(SocketType.DEALER, bytes().raw(GREETING).ready("Socket-Type", "FOO").build(), ProtocolError.ZMTP_INVALID_METADATA);
    feed(SocketType.DEALER, bytes().raw(GREETING).ready("Identity", "").build(), ProtocolError.ZMTP_INVALID_METADATA);
  }

  @Test
  void dataBeforeHandshakeIsUnexpectedCommand() {
    feed(SocketType.DEALER, bytes().raw(GREETING).data("abc", false).build(), ProtocolError.ZMTP_UNEXPECTED_COMMAND);
  }

  @Test
  void pingOrUnknownCommandDuringHandshakeIsUnexpectedCommand() {
    feed(SocketType.DEALER, bytes().raw(GREETING).hex("040704").ascii("PING").hex("0000").build(),
        ProtocolError.ZMTP_UNEXPECTED_COMMAND);
    feed(SocketType.DEALER, bytes().raw(GREETING).hex("040504").ascii("FOOO").build(), ProtocolError.ZMTP_UNEXPECTED_COMMAND);
    feed(SocketType.DEALER, bytes().raw(GREETING).hex("0400").build(), ProtocolError.ZMTP_UNEXPECTED_COMMAND);
  }

  @Test
  void mechanismMismatchIsReported() {
    feed(SocketType.DEALER, bytes().greeting(3, 1, "PLAIN").build(), ProtocolError.ZMTP_MECHANISM_MISMATCH);
    feed(SocketType.DEALER, bytes().greeting(3, 1, "CURVE").build(), ProtocolError.ZMTP_MECHANISM_MISMATCH);
  }

  @Test
  void zmtp2And1PeersAreClosedCleanly() {
    ZmtpConnection v2 = feed(SocketType.DEALER, bytes().hex("ff00000000000000017f").u8(1).u8(5).build(),
        ProtocolError.ZMTP_UNSPECIFIED);
    assertEquals("peer greeting announces ZMTP 2.0; only 3.0 and above are supported", v2.errorDetail());
    ZmtpConnection v1 = feed(SocketType.DEALER, bytes().hex("0100").build(), ProtocolError.ZMTP_UNSPECIFIED);
    assertTrue(v1.errorDetail().contains("1.0"));
    feed(SocketType.DEALER, bytes().hex("ff00000000000000017e").build(), ProtocolError.ZMTP_UNSPECIFIED);
  }

  @Test
  void malformedErrorCommandIsReported() {
    feed(SocketType.DEALER, bytes().raw(GREETING).hex("040805").ascii("ERROR").hex("0561").build(),
        ProtocolError.ZMTP_MALFORMED_COMMAND_ERROR);
    feed(SocketType.DEALER, bytes().raw(GREETING).hex("040605").ascii("ERROR").build(),
        ProtocolError.ZMTP_MALFORMED_COMMAND_ERROR);
  }

  @Test
  void secondReadyIsIgnoredOnceTheHandshakeCompleted() {
    // Our READY is queued before the peer's can arrive, so its READY completes the handshake and a
    // second one is a late command, ignored as libzmq ignores unknown commands after the handshake.
    ZmtpConnection c = new ZmtpConnection(ZmtpOptions.builder(SocketType.DEALER).build());
    drain(c);
    assertEquals(ZmtpConnection.Status.OK,
        c.consume(ByteBuffer.wrap(bytes().raw(GREETING).raw(READY_DEALER).raw(READY_DEALER).build()), new Wire.Collect()));
  }

  @Test
  void malformedCommandsAfterHandshakeAreReported() {
    feed(SocketType.DEALER, afterHandshake(bytes().hex("0400")), ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED);
    feed(SocketType.DEALER, afterHandshake(bytes().hex("040209").ascii("S")), ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED);
    feed(SocketType.DEALER, afterHandshake(bytes().hex("040504").ascii("PING")), ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED);
  }
}
