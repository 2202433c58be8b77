package io.pekkozmq.actors.impl.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Frame;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The frame queue inside each pipe direction (chunks of {@link Pipe.Chunk#SIZE} slots, a spare
 * chunk handed back to the writer): order and whole messages across chunk boundaries, from one
 * thread and from two.
 */
class PipeQueueTest {
  private static Frame seq(long n, boolean more) {
    return Frame.wrap(ByteBuffer.allocate(8).putLong(n).array(), more ? Frame.MORE : 0);
  }

  private static long seqOf(Frame f) {
    return ByteBuffer.wrap(f.toByteArray()).getLong();
  }

  @Test
  void framesComeOutInOrderAcrossManyChunksWithMultipartMessagesStraddlingTheirEnds() {
    Pipe p = Pipe.create(0, 0);
    long next = 0;
    long expected = 0;
    // messages of 1..7 frames; reading lags a varying amount behind, so the reader's position
    // crosses chunk and line boundaries inside messages, and chunks are reused through the spare
    for (int round = 0; round < 400; round++) {
      int messages = 1 + round % 13;
      for (int m = 0; m < messages; m++) {
        int frames = 1 + (round + m) % 7;
        for (int i = 0; i < frames; i++) assertTrue(p.a().write(seq(next++, i < frames - 1)));
        p.a().flush();
      }
      int toRead = round % 3 == 0 ? Integer.MAX_VALUE : messages / 2;
      for (int m = 0; m < toRead; m++) {
        Frame f = p.b().read();
        if (f == null) break;
        assertEquals(expected++, seqOf(f));
        while (f.hasMore()) {
          f = p.b().read();
          assertEquals(expected++, seqOf(f), "the rest of a message is there once its first frame is");
        }
      }
    }
    Frame f;
    while ((f = p.b().read()) != null) assertEquals(expected++, seqOf(f));
    assertEquals(next, expected);
    assertTrue(next > 10 * Pipe.Chunk.SIZE, "the test crossed many chunks: " + next + " frames");
    assertEquals(0, p.b().inboundQueued());
  }

  @Test
  void anUnflushedMessageStaysInvisibleEvenWhenItFillsAChunk() {
    Pipe p = Pipe.create(0, 0);
    for (int i = 0; i < Pipe.Chunk.SIZE + 10; i++) assertTrue(p.a().write(seq(i, true)));
    assertNull(p.b().read(), "frames of an unfinished message are staged, not readable");
    assertTrue(p.a().write(seq(Pipe.Chunk.SIZE + 10, false)));
    assertNull(p.b().read(), "written, not yet flushed");
    p.a().flush();
    for (int i = 0; i <= Pipe.Chunk.SIZE + 10; i++) assertEquals(i, seqOf(p.b().read()));
    assertNull(p.b().read());
  }

  @Test
  void theDelimiterIsReachedOnlyAfterTheLastFrameAcrossAChunkBoundary() {
    Pipe p = Pipe.create(0, 0);
    for (int i = 0; i < Pipe.Chunk.SIZE; i++) {
      p.a().write(seq(i, false));
      p.a().flush();
    }
    p.a().write(seq(Pipe.Chunk.SIZE, false));
    p.a().flush();
    p.a().closeWrite();
    for (int i = 0; i <= Pipe.Chunk.SIZE; i++) {
      assertFalse(p.b().peerClosedAndDrained(), "frame " + i + " is still queued");
      assertEquals(i, seqOf(p.b().read()));
    }
    assertTrue(p.b().peerClosedAndDrained());
  }

  @Test
  void twoThreadsAtAnHwmPassEveryMessageInOrder() throws Exception {
    Pipe p = Pipe.create(100, 100);
    final long messages = 100_000;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      try {
        long n = 0;
        for (long m = 0; m < messages; m++) {
          int frames = (int) (m % 3) + 1;
          while (!p.a().checkWrite()) {
            if (System.nanoTime() > deadline) throw new AssertionError("writer stuck at message " + m);
            Thread.onSpinWait();
          }
          for (int i = 0; i < frames; i++) {
            if (!p.a().write(seq(n++, i < frames - 1))) throw new AssertionError("write refused inside a message");
          }
          p.a().flush();
        }
      } catch (Throwable t) {
        failed.set(t);
      }
    }, "pipe-queue-writer");
    writer.start();
    long expected = 0;
    long read = 0;
    while (read < messages) {
      assertTrue(System.nanoTime() < deadline, "reader stuck after " + read + " messages");
      if (failed.get() != null) break;
      Frame f = p.b().read();
      if (f == null) {
        Thread.onSpinWait();
        continue;
      }
      assertEquals(expected++, seqOf(f));
      while (f.hasMore()) {
        f = p.b().read();
        assertEquals(expected++, seqOf(f), "a message is published whole");
      }
      read++;
    }
    writer.join(TimeUnit.SECONDS.toMillis(60));
    if (failed.get() != null) throw new AssertionError(failed.get());
    assertEquals(messages, read);
    assertNull(p.b().read());
  }
}
