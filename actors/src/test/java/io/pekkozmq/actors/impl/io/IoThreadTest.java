package io.pekkozmq.actors.impl.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The I/O thread's own protocol: plugging, load and statistics queries, stop after its objects. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IoThreadTest {
  private final ActorTestKit kit = ActorTestKit.create();
  private int threads;

  @AfterAll
  void shutDown() {
    kit.shutdownTestKit();
  }

  private IoThread start() {
    return IoThread.start(kit.system(), "io-thread-test-" + (++threads), 5, 0); // no idle spin
  }

  /** A channel with a plugged handler that completes {@code readyOn} with the thread it ran on. */
  private static final class Plugged {
    final Pipe pipe = Pipe.open();
    final CompletableFuture<String> readyOn = new CompletableFuture<>();
    SelectionKey key;

    Plugged() throws Exception {
      pipe.source().configureBlocking(false);
    }

    IoHandler handler() {
      return ops -> {
        try {
          pipe.source().read(ByteBuffer.allocate(16));
        } catch (java.io.IOException e) {
          readyOn.completeExceptionally(e);
        }
        readyOn.complete(Thread.currentThread().getName());
      };
    }
  }

  private SelectionKey plug(IoThread io, Plugged p) {
    TestProbe<IoThread.PlugReply> replies = kit.createTestProbe();
    io.actor().tell(new IoThread.Plug(p.pipe.source(), SelectionKey.OP_READ, p.handler(), replies.getRef()));
    IoThread.PlugReply r = replies.receiveMessage();
    assertTrue(r instanceof IoThread.Plugged, "plugged: " + r);
    p.key = ((IoThread.Plugged) r).key();
    return p.key;
  }

  private int load(IoThread io) {
    TestProbe<IoThread.Load> replies = kit.createTestProbe();
    io.actor().tell(new IoThread.GetLoad(replies.getRef()));
    return replies.receiveMessage().objects();
  }

  @Test
  void aPluggedHandlerHearsReadinessOnTheLoopThreadAndCountsAsLoad() throws Exception {
    IoThread io = start();
    assertEquals(0, load(io));
    Plugged p = new Plugged();
    plug(io, p);
    assertEquals(1, load(io));
    p.pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
    assertEquals(io.dispatcherId(), p.readyOn.get(5, TimeUnit.SECONDS), "readiness straight from the selector");
    TestProbe<IoThread.Statistics> stats = kit.createTestProbe();
    io.actor().tell(new IoThread.GetStatistics(stats.getRef()));
    IoThread.Statistics s = stats.receiveMessage();
    assertEquals(io.dispatcherId(), s.name());
    assertEquals(1, s.load());
    assertEquals(1, s.channels());
    assertTrue(s.tasksRun() > 0 && s.selects() > 0, "counters move: " + s);
    io.actor().tell(new IoThread.Unplug(p.key));
    assertEquals(0, load(io));
    stop(io);
  }

  @Test
  void aStopWaitsForTheLastObjectThenEndsTheLoop() throws Exception {
    IoThread io = start();
    Plugged p = new Plugged();
    plug(io, p);
    TestProbe<IoThread.Stopped> stopped = kit.createTestProbe();
    io.actor().tell(new IoThread.Stop(stopped.getRef()));
    stopped.expectNoMessage(Duration.ofMillis(200));
    assertEquals(1, load(io), "still serving while an object is plugged");
    io.actor().tell(new IoThread.Unplug(p.key));
    assertEquals(io.dispatcherId(), stopped.receiveMessage().name());
    assertTrue(io.loop().awaitTermination(5, TimeUnit.SECONDS), "the loop ends after its actor");
    p.pipe.source().close();
    p.pipe.sink().close();
  }

  @Test
  void anIdleThreadStopsAtOnce() throws Exception {
    IoThread io = start();
    TestProbe<IoThread.Stopped> stopped = kit.createTestProbe();
    io.actor().tell(new IoThread.Stop(stopped.getRef()));
    stopped.receiveMessage();
    assertTrue(io.loop().awaitTermination(5, TimeUnit.SECONDS));
  }

  @Test
  void plugFailsNamingTheChannelWhenItCannotBeRegistered() throws Exception {
    IoThread io = start();
    Pipe pipe = Pipe.open(); // left blocking: a selector refuses it
    TestProbe<IoThread.PlugReply> replies = kit.createTestProbe();
    io.actor().tell(new IoThread.Plug(pipe.source(), SelectionKey.OP_READ, ops -> {}, replies.getRef()));
    IoThread.PlugReply r = replies.receiveMessage();
    assertTrue(r instanceof IoThread.PlugFailed f && f.reason().contains("cannot register"), "failed: " + r);
    assertEquals(0, load(io));
    pipe.source().close();
    pipe.sink().close();
    stop(io);
  }

  private IoThread.Statistics statistics(IoThread io) {
    TestProbe<IoThread.Statistics> stats = kit.createTestProbe();
    io.actor().tell(new IoThread.GetStatistics(stats.getRef()));
    return stats.receiveMessage();
  }

  @Test
  void aSpinningThreadCatchesReadinessAndTasksWithoutBeingWokenAndStillStops() throws Exception {
    // a spin far longer than the test: whatever comes is found by the spin, never by a wake-up
    IoThread io = IoThread.start(kit.system(), "io-thread-test-" + (++threads), 5, TimeUnit.SECONDS.toNanos(30));
    Plugged p = new Plugged();
    plug(io, p);
    IoThread.Statistics before = statistics(io);
    p.pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
    assertEquals(io.dispatcherId(), p.readyOn.get(5, TimeUnit.SECONDS));
    IoThread.Statistics after = statistics(io);
    // the readiness is selected only by the idle loop's spin; the request may come before it idles
    assertTrue(after.spinsThatFoundWork() >= before.spinsThatFoundWork() + 1,
        "the readiness was found by the spin: " + before + " then " + after);
    assertEquals(before.wakeUps(), after.wakeUps(), "nobody had to wake the selector");
    io.actor().tell(new IoThread.Unplug(p.key));
    long start = System.nanoTime();
    stop(io); // the loop notices the stop inside its spin, not at the spin's end
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "the stop waited for the spin");
    p.pipe.source().close();
    p.pipe.sink().close();
  }

  @Test
  void aThreadWithoutSpinNeverSpins() throws Exception {
    IoThread io = start();
    Plugged p = new Plugged();
    plug(io, p);
    p.pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
    assertEquals(io.dispatcherId(), p.readyOn.get(5, TimeUnit.SECONDS));
    assertEquals(0, statistics(io).spinsThatFoundWork(), "pekko-zmq.io-spin 0 blocks at once");
    io.actor().tell(new IoThread.Unplug(p.key));
    stop(io);
    p.pipe.source().close();
    p.pipe.sink().close();
  }

  /** Through the protocol: the loop may end only after its actor (the system waits for that actor). */
  private void stop(IoThread io) throws Exception {
    TestProbe<IoThread.Stopped> stopped = kit.createTestProbe();
    io.actor().tell(new IoThread.Stop(stopped.getRef()));
    stopped.receiveMessage();
    assertTrue(io.loop().awaitTermination(5, TimeUnit.SECONDS));
  }
}
