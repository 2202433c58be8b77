package io.pekkozmq.actors.impl.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Frame;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A conflating pipe direction keeps only the last whole message, and never refuses a writer. */
class ConflatingPipeTest {
  private static Frame text(String s, boolean more) {
    return Frame.wrap(s.getBytes(), more ? Frame.MORE : 0);
  }

  @Test
  void keepsOnlyTheLastMessageAndIgnoresTheHwm() {
    Pipe p = Pipe.create(1, 1, true, false);
    Pipe.End w = p.a();
    Pipe.End r = p.b();
    for (int i = 0; i < 100; i++) {
      assertTrue(w.checkWrite());
      assertTrue(w.write(text("m" + i, false)), "a conflating pipe never fills");
    }
    w.flush();
    assertEquals(1, r.inboundQueued());
    assertEquals("m99", r.read().text());
    assertNull(r.read());
    assertEquals(0, r.inboundQueued());
    // the other direction is an ordinary pipe with HWM 1
    assertTrue(r.write(text("x", false)));
    assertFalse(r.checkWrite());
  }

  @Test
  void multipartMessagesAreKeptWhole() {
    Pipe p = Pipe.create(0, 0, true, true);
    Pipe.End w = p.a();
    Pipe.End r = p.b();
    w.write(text("a", true));
    w.write(text("1", false));
    w.write(text("b", true));
    w.write(text("2", true));
    w.write(text("3", false));
    w.write(text("c", true)); // staged, not yet a message
    w.flush();
    Frame f = r.read();
    assertEquals("b", f.text());
    assertTrue(f.hasMore());
    assertTrue(r.readingMessage());
    // a message written while the reader is inside one does not tear it
    w.write(text("d", false));
    w.flush();
    assertEquals("2", r.read().text());
    assertEquals("3", r.read().text());
    assertFalse(r.readingMessage());
    Frame next = r.read();
    assertEquals("c", next.text());
    assertEquals("d", r.read().text());
    assertNull(r.read());
  }

  @Test
  void aSleepingReaderIsWokenOnceAndSeesTheClose() {
    Pipe p = Pipe.create(0, 0, true, false);
    Pipe.End w = p.a();
    Pipe.End r = p.b();
    AtomicInteger wakes = new AtomicInteger();
    r.setListener(command -> {
      if (command instanceof Pipe.ActivateRead) {
        assertSame(r, command.end());
        wakes.incrementAndGet();
      }
    });
    assertFalse(r.checkRead());
    w.write(text("1", false));
    w.flush();
    w.write(text("2", false));
    w.flush();
    assertEquals(1, wakes.get());
    assertEquals("2", r.read().text());
    w.closeWrite();
    assertTrue(r.peerClosedAndDrained());
  }
}
