package io.pekkozmq.actors.impl.engine;

import static io.pekkozmq.actors.impl.engine.EngineTest.messages;
import static io.pekkozmq.actors.impl.engine.ZmtpBytes.bytes;
import static io.pekkozmq.actors.impl.engine.ZmtpBytes.hexOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.actors.impl.engine.EngineRig.Conn;
import io.pekkozmq.engine.SocketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ZMTP heartbeats in the engine (libzmq 4.3's stream_engine_base / zmtp_engine rules), with time
 * moved by ManualTime: our PING every HEARTBEAT_IVL, HEARTBEAT_TIMEOUT after it, the peer's PING
 * answered and its TTL honoured.
 */
class EngineHeartbeatTest {
  private static final List<String> DROPPED = List.of("DISCONNECTED 7", "stopped DISCONNECTED");
  @RegisterExtension
  static final EngineRig rig = new EngineRig();

  /** A PING every second asking for a TTL of 2.5 s with context "ctx", a silent peer dropped 1.5 s after one. */
  private static SocketOptions pinging() {
    SocketOptions o = rig.options();
    o.heartbeatIvl = 1000;
    o.heartbeatTtl = 2500;
    o.heartbeatTimeout = 1500;
    o.heartbeatContext = "ctx".getBytes(StandardCharsets.US_ASCII);
    return o;
  }

  private static Conn dealer(SocketOptions o) {
    return rig.handshaken(SocketType.DEALER, SocketType.ROUTER, o);
  }

  private static void after(long millis) {
    rig.timePasses(Duration.ofMillis(millis));
  }

  @Test
  void aPingGoesOutEveryHeartbeatIvlWithTheTtlInDecisecondsAndTheContext() {
    Conn c = dealer(pinging());
    String ping = hexOf(bytes().ping(25, "ctx").build());
    assertEquals("040a" + "0450494e47" + "0019" + "637478", ping); // command, 10 bytes: \4PING, 25 ds, ctx
    after(999);
    assertEquals("", hexOf(c.channel.takeWritten()));
    after(1);
    assertEquals(ping, hexOf(c.channel.takeWritten()));
    c.channel.peerSends(bytes().pong("ctx").build());
    after(1000);
    assertEquals(ping, hexOf(c.channel.takeWritten()));
    assertEquals(List.of(), c.rec.log());
  }

  @Test
  void aSilentPeerIsDroppedHeartbeatTimeoutAfterThePing() {
    Conn c = dealer(pinging());
    after(1000); // PING: the timeout runs until 2.5 s
    after(1000); // another PING; the timeout is already running
    after(499);
    assertEquals(List.of(), c.rec.log());
    after(1);
    assertEquals(DROPPED, c.rec.log());
    assertTrue(c.rec.reason().contains("HEARTBEAT_TIMEOUT of 1500 ms"), c.rec.reason());
    assertTrue(c.channel.released());
  }

  @Test
  void anUnsetTimeoutIsTheInterval() {
    SocketOptions o = pinging();
    o.heartbeatTimeout = -1;
    Conn c = dealer(o);
    after(1999);
    assertEquals(List.of(), c.rec.log());
    after(1);
    assertEquals(DROPPED, c.rec.log());
    assertTrue(c.rec.reason().contains("HEARTBEAT_TIMEOUT of 1000 ms"), c.rec.reason());
  }

  @Test
  void anyByteFromThePeerDefusesTheTimeout() {
    Conn c = dealer(pinging());
    after(1000); // PING at 1 s, timeout due at 2.5 s
    c.channel.peerSends(new byte[] {0x00}); // the first byte of a frame is life enough
    after(1000); // PING at 2 s sees the traffic: a new timeout, due at 3.5 s
    after(500);
    assertEquals(List.of(), c.rec.log(), "the first timeout was defused");
    after(999);
    assertEquals(List.of(), c.rec.log());
    after(1);
    assertEquals(DROPPED, c.rec.log(), "nothing since the byte: the second timeout fires");
  }

  @Test
  void thePeersPingIsAnsweredWithAPongEchoingAtMostSixteenBytesOfItsContext() {
    SocketOptions o = rig.options(); // no heartbeats of our own
    Conn c = dealer(o);
    c.channel.peerSends(bytes().ping(0, "hello").build());
    assertEquals(hexOf(bytes().pong("hello").build()), hexOf(c.channel.takeWritten()));
    c.channel.peerSends(bytes().ping(0, "0123456789abcdefXYZ").build());
    assertEquals(hexOf(bytes().pong("0123456789abcdef").build()), hexOf(c.channel.takeWritten()));
    after(60_000);
    assertEquals(List.of(), c.rec.log(), "a PING without a TTL asks for nothing");
  }

  @Test
  void thePeersPingTtlDropsItWhenItFallsSilent() {
    Conn c = dealer(rig.options());
    c.channel.peerSends(bytes().ping(20, "").build()); // 2 s
    assertEquals(hexOf(bytes().pong("").build()), hexOf(c.channel.takeWritten()));
    after(1999);
    assertEquals(List.of(), c.rec.log());
    after(1);
    assertEquals(DROPPED, c.rec.log());
    assertTrue(c.rec.reason().contains("TTL of 2000 ms"), c.rec.reason());
  }

  @Test
  void aPeerThatKeepsPingingIsDroppedBetweenOneAndTwoTtlsAfterItsLastTraffic() {
    Conn c = dealer(rig.options());
    c.channel.peerSends(bytes().ping(20, "").build()); // TTL timer due at 2 s
    after(1500);
    c.channel.peerSends(bytes().ping(20, "").build()); // alive at 1.5 s, and pinged again
    after(500); // at 2 s the timer sees both and starts over: due at 4 s
    after(1999);
    assertEquals(List.of(), c.rec.log());
    after(1);
    assertEquals(DROPPED, c.rec.log(), "2.5 s of silence after a TTL of 2 s");
  }

  @Test
  void aLongPeerTtlIsNotWrappedToSixteenBitsOfMilliseconds() {
    // libzmq 4.3.4 computes 700 ds * 100 in a uint16_t and drops the peer after 4464 ms (libzmq#4226)
    Conn c = dealer(rig.options());
    c.channel.peerSends(bytes().ping(700, "").build());
    after(4464);
    assertEquals(List.of(), c.rec.log());
    after(70_000 - 4464 - 1);
    assertEquals(List.of(), c.rec.log());
    after(1);
    assertEquals(DROPPED, c.rec.log());
  }

  @Test
  void thePeerIsNotJudgedWhileAFullInboundPipeStopsUsReading() {
    SocketOptions o = pinging();
    o.rcvHwm = 1;
    Conn c = dealer(o);
    c.channel.peerSends(bytes().data("1").data("2").data("3").build());
    assertFalse(c.channel.readInterest());
    after(6000); // six PINGs, no timeout armed: we would not see the peer's answers
    assertEquals(hexOf(bytes().ping(25, "ctx").build()).repeat(6), hexOf(c.channel.takeWritten()));
    assertEquals(List.of(), c.rec.log());

    assertEquals(List.of("1", "2", "3"), messages(c.socketEnd())); // the socket catches up
    assertTrue(c.channel.readInterest());
    after(1000); // the next PING arms the timeout again
    after(1499);
    assertEquals(List.of(), c.rec.log());
    after(1);
    assertEquals(DROPPED, c.rec.log());
  }
}
