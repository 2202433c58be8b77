package io.pekkozmq.actors.impl.engine;

import static io.pekkozmq.actors.impl.engine.ZmtpBytes.bytes;
import static io.pekkozmq.actors.impl.engine.ZmtpBytes.hexOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.actors.impl.engine.EngineRig.Conn;
import io.pekkozmq.actors.impl.pipe.Pipe;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The engine's data path under pressure: inbound, RCVHWM stops reading until the socket has
 * drained the pipe to its low-water mark; outbound, a send buffer that takes only part of a write
 * leaves OP_WRITE on, and writing resumes where it stopped on writable readiness.
 */
class EngineFlowTest {
  @RegisterExtension
  static final EngineRig rig = new EngineRig();

  private static byte[] dataFrames(int from, int to) {
    ZmtpBytes b = bytes();
    for (int i = from; i <= to; i++) b.data(Integer.toString(i));
    return b.build();
  }

  @Test
  void aFullInboundPipeStopsReadingUntilTheSocketDrainsItToTheLowWaterMark() {
    SocketOptions o = rig.options();
    o.rcvHwm = 4; // low-water mark 2
    Conn c = rig.handshaken(SocketType.PULL, SocketType.PUSH, o);
    Pipe.End socket = c.socketEnd();

    c.channel.peerSends(dataFrames(1, 10));
    assertEquals(4, socket.inboundQueued());
    assertFalse(c.channel.readInterest(), "RCVHWM reached: the engine stops reading");
    byte[] eleven = bytes().data("11").build();
    c.channel.peerSends(eleven);
    assertEquals(eleven.length, c.channel.unread(), "TCP holds the rest back");

    assertEquals("1", socket.read().text());
    assertEquals(3, socket.inboundQueued(), "above the low-water mark: the engine is not woken");
    assertFalse(c.channel.readInterest());
    assertEquals("2", socket.read().text()); // down to 2: ActivateWrite, the held frames go in
    assertEquals(4, socket.inboundQueued());
    assertFalse(c.channel.readInterest(), "full again");

    assertEquals(List.of("3", "4", "5", "6", "7", "8", "9", "10", "11"), drainInTurns(socket));
    assertTrue(c.channel.readInterest());
    assertEquals(0, c.channel.unread());
    assertEquals(List.of(), c.rec.log());
  }

  /** Reads everything, letting the engine refill the pipe whenever it has drained far enough. */
  private static List<String> drainInTurns(Pipe.End socket) {
    List<String> got = new ArrayList<>();
    Frame f;
    while ((f = socket.read()) != null) got.add(f.text());
    return got;
  }

  @Test
  void partialWritesResumeOnWritableReadinessAndTheByteStreamIsExact() {
    Conn c = rig.handshaken(SocketType.PUSH, SocketType.PULL, rig.options());
    Pipe.End socket = c.socketEnd();
    c.channel.setWriteWindow(0); // the kernel's send buffer is full
    byte[] big = new byte[100_000];
    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
    ZmtpBytes expected = bytes().data("head".getBytes(), true).data(big, false);
    socket.write(Frame.wrap("head".getBytes(), Frame.MORE));
    socket.write(Frame.wrap(big));
    for (int i = 0; i < 50; i++) {
      byte[] body = new byte[i * 13];
      expected.data(body, false);
      socket.write(Frame.wrap(body));
    }
    socket.flush();
    byte[] want = expected.build();
    assertEquals(0, c.channel.takeWritten().length);
    assertTrue(c.channel.writeInterest(), "a refused write leaves OP_WRITE on");

    int[] windows = {1, 7, 255, 256, 1000, 4095, 65_536, 3};
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    for (int step = 0; got.size() < want.length; step++) {
      assertTrue(step < 10_000, "no progress");
      int window = windows[step % windows.length];
      c.channel.setWriteWindow(window);
      byte[] out = c.channel.takeWritten();
      assertEquals(Math.min(window, want.length - got.size()), out.length, "step " + step);
      got.writeBytes(out);
    }
    assertEquals(hexOf(want), hexOf(got.toByteArray()));
    assertFalse(c.channel.writeInterest(), "everything written: OP_WRITE off");
    assertEquals(0, socket.outboundQueued(), "the pipe is empty");
  }

  @Test
  void aBacklogLargerThanOneTurnIsWrittenInTurnsWithoutLosingAByte() {
    Conn c = rig.handshaken(SocketType.PUSH, SocketType.PULL, rig.options());
    Pipe.End socket = c.socketEnd();
    c.channel.setWriteWindow(0);
    ByteArrayOutputStream want = new ByteArrayOutputStream();
    byte[] body = new byte[10_000];
    for (int i = 0; i < 400; i++) { // 4 MB: beyond 32 writes of 64 KiB, so the engine yields between turns
      body[0] = (byte) i;
      socket.write(Frame.copyOf(body));
      want.writeBytes(bytes().data(body, false).build());
    }
    socket.flush();
    c.channel.setWriteWindow(Long.MAX_VALUE);
    assertArrayEquals(want.toByteArray(), c.channel.takeWritten());
    assertFalse(c.channel.writeInterest());
  }

  @Test
  void messagesSentWhileTheEngineIdlesGoOutAtOnce() {
    Conn c = rig.handshaken(SocketType.PUSH, SocketType.PULL, rig.options());
    c.socketEnd().write(Frame.of("now"));
    c.socketEnd().flush();
    assertEquals(hexOf(bytes().data("now").build()), hexOf(c.channel.takeWritten()));
  }
}
