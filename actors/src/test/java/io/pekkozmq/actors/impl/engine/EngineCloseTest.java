package io.pekkozmq.actors.impl.engine;

import static io.pekkozmq.actors.impl.engine.EngineTest.messages;
import static io.pekkozmq.actors.impl.engine.ZmtpBytes.bytes;
import static io.pekkozmq.actors.impl.engine.ZmtpBytes.hexOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.impl.engine.EngineRig.Conn;
import io.pekkozmq.actors.impl.pipe.Pipe;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Closing (docs/ARCHITECTURE.md, "LINGER means delivered"): {@code Close(true)} writes everything
 * the socket queued, then half-closes and waits for the peer's close (1 s at most) so that no
 * reset discards our last bytes; {@code Close(false)} ends at once. Neither is a DISCONNECTED.
 */
class EngineCloseTest {
  @RegisterExtension
  static final EngineRig rig = new EngineRig();

  /** The socket queues {@code texts} and, closing, lets go of its end of the pipe. */
  private static void socketQueuesAndLetsGo(Pipe.End socket, String... texts) {
    for (String t : texts) socket.write(Frame.of(t));
    socket.flush();
    socket.closeWrite();
  }

  private static byte[] frames(String... texts) {
    ZmtpBytes b = bytes();
    for (String t : texts) b.data(t);
    return b.build();
  }

  /** A PUSH engine whose socket queued three messages the full send buffer holds back, told to close with drain. */
  private static Conn drainingWithThreeQueued() {
    Conn c = rig.handshaken(SocketType.PUSH, SocketType.PULL, rig.options());
    c.channel.setWriteWindow(5);
    socketQueuesAndLetsGo(c.socketEnd(), "one", "two", "three");
    c.tell(new ZmtpEngine.Close(true));
    assertEquals(List.of(), c.rec.log());
    assertFalse(c.channel.outputShut());
    return c;
  }

  @Test
  void closeWithDrainWritesEverythingThenHalfClosesAndEndsAtThePeersClose() {
    Conn c = drainingWithThreeQueued();
    byte[] head = c.channel.takeWritten();
    c.channel.setWriteWindow(Long.MAX_VALUE);
    byte[] rest = c.channel.takeWritten();
    assertEquals(hexOf(frames("one", "two", "three")), hexOf(head) + hexOf(rest));
    assertEquals(List.of("drained"), c.rec.log());
    assertTrue(c.channel.outputShut(), "our FIN follows the last byte");
    assertFalse(c.channel.released());

    // what the peer still sends is read and dropped: unread bytes would turn our close into a reset
    c.channel.peerSends(frames("late"));
    assertEquals(0, c.channel.unread());
    assertEquals(List.of(), messages(c.socketEnd()));
    c.channel.peerCloses();
    assertEquals(List.of("drained", "stopped CLOSED"), c.rec.log());
    assertTrue(c.channel.released());
  }

  @Test
  void aDrainedConnectionClosesAfterCloseWaitIfThePeerNeverDoes() {
    Conn c = drainingWithThreeQueued();
    c.channel.setWriteWindow(Long.MAX_VALUE);
    assertEquals(List.of("drained"), c.rec.log());
    rig.timePasses(Duration.ofMillis(999));
    assertFalse(c.channel.released());
    rig.timePasses(Duration.ofMillis(1));
    assertEquals(List.of("drained", "stopped CLOSED"), c.rec.log());
    assertTrue(c.rec.reason().contains("did not close within"), c.rec.reason());
    assertTrue(c.channel.released());
  }

  @Test
  void aResetAfterTheDrainEndsTheCloseWithoutADisconnect() {
    Conn c = drainingWithThreeQueued();
    c.channel.setWriteWindow(Long.MAX_VALUE);
    c.channel.peerResets();
    assertEquals(List.of("drained", "stopped CLOSED"), c.rec.log());
  }

  @Test
  void closeWithDrainWaitsUntilTheSocketHasLetGoOfThePipe() {
    Conn c = rig.handshaken(SocketType.PUSH, SocketType.PULL, rig.options());
    c.socketEnd().write(Frame.of("one"));
    c.socketEnd().flush();
    c.tell(new ZmtpEngine.Close(true));
    assertEquals(hexOf(frames("one")), hexOf(c.channel.takeWritten()));
    assertEquals(List.of(), c.rec.log(), "the socket may still write: its linger is the session's timer");
    socketQueuesAndLetsGo(c.socketEnd(), "two");
    assertEquals(hexOf(frames("two")), hexOf(c.channel.takeWritten()));
    assertEquals(List.of("drained"), c.rec.log());
    assertTrue(c.channel.outputShut());
  }

  @Test
  void closeWithDrainMidHandshakeKeepsGoingAndDeliversWhatTheConnectSidePipeHolds() {
    Conn c = rig.zmtp(SocketType.PUSH, rig.options());
    c.channel.peerSends(bytes().greeting().build());
    c.tell(new ZmtpEngine.Close(true));
    assertEquals(List.of(), c.rec.log());
    assertFalse(c.channel.released());

    c.channel.peerSends(bytes().ready("Socket-Type", "PULL").build());
    assertEquals(List.of("handshakeSucceeded PULL"), c.rec.log());
    c.channel.takeWritten(); // greeting and READY
    // a connect side's pipe was made at connect: messages sent before the connection wait in it
    Pipe pipe = c.pipe();
    socketQueuesAndLetsGo(pipe.b(), "early", "bird");
    c.attach(pipe);
    assertEquals(hexOf(frames("early", "bird")), hexOf(c.channel.takeWritten()));
    assertEquals(List.of("handshakeSucceeded PULL", "HANDSHAKE_SUCCEEDED 0", "drained"), c.rec.log());
    c.channel.peerCloses();
    assertEquals(List.of("handshakeSucceeded PULL", "HANDSHAKE_SUCCEEDED 0", "drained", "stopped CLOSED"), c.rec.log());
  }

  @Test
  void closeWithoutDrainEndsAtOnceWithoutAnEvent() {
    Conn c = rig.handshaken(SocketType.PUSH, SocketType.PULL, rig.options());
    c.channel.setWriteWindow(0);
    socketQueuesAndLetsGo(c.socketEnd(), "lost");
    c.tell(new ZmtpEngine.Close(false));
    assertEquals(List.of("stopped CLOSED"), c.rec.log());
    assertTrue(c.channel.released());
    assertFalse(c.channel.outputShut(), "no FIN: the socket asked for no linger");
    c.channel.setWriteWindow(Long.MAX_VALUE);
    assertEquals(0, c.channel.takeWritten().length);
  }
}
