package io.pekkozmq.actors.impl.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Frame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pipe's control plane: each command reaches the owner of the end it names, once per
 * transition and never per message, and the term/term-ack handshake loses nothing and releases
 * both ends.
 */
class PipeCommandTest {
  private static Frame frame(String s) {
    return Frame.wrap(s.getBytes(), 0);
  }

  /** Records the commands an end's owner hears. */
  private static List<Pipe.Command> listen(Pipe.End end) {
    List<Pipe.Command> heard = new ArrayList<>();
    end.setListener(heard::add);
    return heard;
  }

  @Test
  void aSleepingReaderHearsOneActivateReadForAnyNumberOfMessages() {
    Pipe p = Pipe.create(0, 0);
    List<Pipe.Command> reader = listen(p.b());
    assertFalse(p.b().checkRead());
    for (int i = 0; i < 100; i++) {
      p.a().write(frame("m" + i));
      p.a().flush();
    }
    assertEquals(1, reader.size());
    assertTrue(reader.get(0) instanceof Pipe.ActivateRead);
    assertSame(p.b(), reader.get(0).end());
    for (int i = 0; i < 100; i++) assertEquals("m" + i, p.b().read().text());
    assertNull(p.b().read()); // asleep again: the next flush wakes it once more
    p.a().write(frame("again"));
    p.a().flush();
    assertEquals(2, reader.size());
    assertSame(reader.get(0), reader.get(1), "an end keeps one instance of each command");
  }

  @Test
  void aWriterAtHwmHearsOneActivateWriteAtTheLowWaterMark() {
    Pipe p = Pipe.create(10, 10);
    List<Pipe.Command> writer = listen(p.a());
    for (int i = 0; i < 10; i++) assertTrue(p.a().write(frame("m" + i)));
    p.a().flush();
    assertFalse(p.a().checkWrite(), "full at HWM");
    for (int i = 0; i < 4; i++) p.b().read();
    assertEquals(List.of(), writer, "not yet at the low-water mark (5)");
    p.b().read();
    assertEquals(1, writer.size());
    assertTrue(writer.get(0) instanceof Pipe.ActivateWrite);
    assertSame(p.a(), writer.get(0).end());
    while (p.b().read() != null) {
      // reading on: no more activations, the writer is not waiting
    }
    assertEquals(1, writer.size());
  }

  @Test
  void raisingTheHwmOfAWaitingWriterActivatesItAtOnce() {
    Pipe p = Pipe.create(1, 1);
    List<Pipe.Command> writer = listen(p.a());
    p.a().write(frame("x"));
    p.a().flush();
    assertFalse(p.a().checkWrite());
    p.a().setOutboundHwm(5); // libzmq's pipe_hwm, applied in place
    assertEquals(1, writer.size());
    assertTrue(writer.get(0) instanceof Pipe.ActivateWrite);
    assertTrue(p.a().checkWrite());
  }

  @Test
  void aHiccupReachesTheOtherEndEvenAwakeAndIsTakenOnce() {
    Pipe p = Pipe.create(0, 0);
    List<Pipe.Command> socket = listen(p.b());
    p.a().hiccup();
    assertEquals(1, socket.size());
    assertTrue(socket.get(0) instanceof Pipe.Hiccup);
    assertTrue(p.b().takeHiccup());
    assertFalse(p.b().takeHiccup());
  }

  @Test
  void termThenTermAckLosesNothingAndReleasesBothEnds() {
    Pipe p = Pipe.create(0, 0);
    Pipe.End closer = p.a();
    Pipe.End reader = p.b();
    List<Pipe.Command> closerHeard = listen(closer);
    List<Pipe.Command> readerHeard = listen(reader);
    for (int i = 0; i < 3; i++) {
      closer.write(frame("m" + i));
    }
    closer.flush();
    closer.closeWrite(); // pipe_term: the delimiter goes in behind m2
    assertTrue(readerHeard.get(readerHeard.size() - 1) instanceof Pipe.Term, "the reader hears the term");
    assertFalse(reader.checkWrite(), "nothing more goes to an end that has let go");
    assertFalse(reader.peerClosedAndDrained(), "messages still queued before the delimiter");
    assertEquals(List.of(), closerHeard, "no ack before the reader has read everything");
    assertFalse(closer.released());
    for (int i = 0; i < 3; i++) assertEquals("m" + i, reader.read().text());
    assertTrue(reader.peerClosedAndDrained(), "at the delimiter");
    assertEquals(1, closerHeard.size());
    assertTrue(closerHeard.get(0) instanceof Pipe.TermAck);
    assertSame(closer, closerHeard.get(0).end());
    assertTrue(closer.released());
    assertTrue(reader.released());
    assertTrue(reader.peerClosedAndDrained());
    assertEquals(1, closerHeard.size(), "the ack is sent once");
  }

  @Test
  void bothEndsClosingAtOnceAckEachOther() {
    Pipe p = Pipe.create(0, 0);
    List<Pipe.Command> aHeard = listen(p.a());
    List<Pipe.Command> bHeard = listen(p.b());
    p.a().closeWrite();
    p.b().closeWrite();
    assertTrue(p.a().peerClosedAndDrained());
    assertTrue(p.b().peerClosedAndDrained());
    assertTrue(aHeard.stream().anyMatch(c -> c instanceof Pipe.Term) && aHeard.stream().anyMatch(c -> c instanceof Pipe.TermAck));
    assertTrue(bHeard.stream().anyMatch(c -> c instanceof Pipe.Term) && bHeard.stream().anyMatch(c -> c instanceof Pipe.TermAck));
    assertTrue(p.a().released());
    assertTrue(p.b().released());
  }

  @Test
  void aMutedEndHearsNothingAndTheHandshakeStillCompletes() {
    Pipe p = Pipe.create(0, 0);
    p.a().write(frame("last"));
    p.a().flush();
    p.a().closeWrite(); // the session stopped listening before it let go
    assertEquals("last", p.b().read().text());
    assertTrue(p.b().peerClosedAndDrained());
    assertTrue(p.a().released());
    assertTrue(p.b().released());
  }
}
