package io.pekkozmq.actors.impl.engine;

import static io.pekkozmq.actors.impl.engine.EngineTest.messages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.actors.impl.engine.EngineRig.Conn;
import io.pekkozmq.actors.impl.pipe.Pipe;
import io.pekkozmq.engine.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The STREAM socket's raw engine: no greeting, each read one message, STREAM_NOTIFY's empty messages. */
class RawEngineTest {
  @RegisterExtension
  static final EngineRig rig = new EngineRig();

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void theConnectNotificationComesBeforeAnyBytesAndEachReadIsOneMessage() {
    Conn c = rig.raw(rig.options());
    assertEquals(List.of("handshakeSucceeded raw"), c.rec.log(), "nothing to negotiate");
    c.channel.peerSends(ascii("early"));
    assertEquals(5, c.channel.unread(), "no reading before the pipe is there");
    Pipe.End socket = c.attach();
    c.channel.peerSends(ascii("second"));
    assertEquals(List.of("", "early", "second"), messages(socket));
    assertEquals(List.of("handshakeSucceeded raw"), c.rec.log(), "no HANDSHAKE_SUCCEEDED for a raw peer");
  }

  @Test
  void withoutStreamNotifyOnlyTheBytesArrive() {
    SocketOptions o = rig.options();
    o.streamNotify = false;
    Conn c = rig.raw(o);
    Pipe.End socket = c.attach();
    c.channel.peerSends(ascii("hi"));
    assertEquals(List.of("hi"), messages(socket));
  }

  @Test
  void aPeerCloseAppendsTheDisconnectNotificationEvenToAFullPipe() {
    SocketOptions o = rig.options();
    o.rcvHwm = 1;
    Conn c = rig.raw(o);
    Pipe.End socket = c.attach(); // the connect notification fills the pipe
    c.channel.peerSends(ascii("a"));
    assertFalse(c.channel.readInterest(), "the read waits for room");
    c.channel.peerCloses();
    assertEquals(List.of("handshakeSucceeded raw"), c.rec.log(), "not read yet: the close is not seen either");
    assertEquals(List.of("", "a", ""), messages(socket));
    assertEquals(List.of("handshakeSucceeded raw", "HANDSHAKE_FAILED_NO_DETAIL 32", "DISCONNECTED 7",
        "stopped DISCONNECTED"), c.rec.log());
  }

  @Test
  void partialWritesResumeAndTheBytesGoOutBackToBack() {
    Conn c = rig.raw(rig.options());
    Pipe.End socket = c.attach();
    c.channel.setWriteWindow(0);
    ByteArrayOutputStream want = new ByteArrayOutputStream();
    for (int i = 0; i < 20; i++) {
      byte[] chunk = new byte[i * 997];
      java.util.Arrays.fill(chunk, (byte) i);
      socket.write(Frame.wrap(chunk));
      want.writeBytes(chunk);
    }
    socket.flush();
    assertTrue(c.channel.writeInterest());
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    while (got.size() < want.size()) {
      c.channel.setWriteWindow(4093);
      got.writeBytes(c.channel.takeWritten());
    }
    assertArrayEquals(want.toByteArray(), got.toByteArray());
    assertFalse(c.channel.writeInterest());
  }

  @Test
  void theSocketLettingGoEndsTheConnectionQuietlyAfterItsLastBytes() {
    Conn c = rig.raw(rig.options());
    Pipe.End socket = c.attach();
    socket.write(Frame.wrap(ascii("bye")));
    socket.flush();
    socket.closeWrite();
    assertArrayEquals(ascii("bye"), c.channel.takeWritten());
    assertEquals(List.of("handshakeSucceeded raw", "stopped CLOSED"), c.rec.log());
    assertTrue(c.channel.released());
  }
}
