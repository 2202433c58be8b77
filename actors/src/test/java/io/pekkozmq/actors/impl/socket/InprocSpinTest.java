package io.pekkozmq.actors.impl.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.impl.pipe.Pipe;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.pattern.PatternOptions;
import io.pekkozmq.engine.pattern.Patterns;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A blocked caller on a socket whose pipes are all inproc looks for the change it waits for
 * before it parks (pekko-zmq.inproc-spin); one with a pipe to a session parks at once. The spin
 * here is a minute long, so which of the two a blocked thread does shows in its state.
 */
class InprocSpinTest {
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
  private static final Pipe.Listener IGNORE = command -> {};

  private static SocketCore core(SocketType type) {
    PatternOptions po = new PatternOptions();
    return new SocketCore("spin-" + type, type, Patterns.create(type, po), po, MINUTE);
  }

  private static void send(Pipe.End end, String text) {
    end.write(Frame.wrap(text.getBytes(), 0));
    end.flush();
  }

  /** Waits (bounded) until {@code t} is parked, or fails. */
  private static void awaitParked(Thread t) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
      assertTrue(System.nanoTime() < deadline, "the blocked caller never parked: " + t.getState());
      Thread.onSpinWait();
    }
  }

  /** Waits (bounded) until a caller of {@code core} spins for a change, or fails naming {@code who}. */
  private static void awaitSpinning(SocketCore core, String who) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (core.spinningCallers() == 0) {
      assertTrue(System.nanoTime() < deadline, "the " + who + " never got to wait");
      Thread.onSpinWait();
    }
  }

  /** {@code t} is not parked at any of a thousand looks (it spins: the spin here lasts a minute). */
  private static void assertNeverParks(Thread t) {
    for (int i = 0; i < 1000; i++) {
      Thread.State s = t.getState();
      assertTrue(s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING, "parked while spinning: " + s);
      Thread.yield();
    }
  }

  private static Thread receiver(SocketCore core, CompletableFuture<Msg> got) {
    Thread t = new Thread(() -> {
      try {
        got.complete(core.recv(-1));
      } catch (RuntimeException e) {
        got.completeExceptionally(e);
      }
    }, "spin-test-receiver");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The pipe's wake-up applied in place, as an inproc peer's caller does. */
  private static Pipe.Listener inPlace(SocketCore[] core) {
    return command -> core[0].tryApply(command);
  }

  /** Attaches {@code end} as a session's pipe, its wake-ups applied as the socket actor does. */
  private static boolean attachSessionPipe(SocketCore[] core, Pipe.End end) {
    return core[0].attach(end, false, null, command -> core[0].apply(command), false, false);
  }

  /** {@code writer} sends {@code text}, and the blocked receive that {@code got} waits for takes it. */
  private static void sendAndExpect(Pipe.End writer, String text, CompletableFuture<Msg> got) throws Exception {
    send(writer, text);
    assertEquals(text, got.get(10, TimeUnit.SECONDS).first().text());
  }

  /**
   * A receiver blocked on {@code core} has found nothing and spins, never parking meanwhile, and
   * takes the message {@code writer} sends during the spin.
   */
  private static void spinsAndTakes(SocketCore core, Pipe.End writer, String text) throws Exception {
    CompletableFuture<Msg> got = new CompletableFuture<>();
    Thread t = receiver(core, got);
    awaitSpinning(core, "receiver");
    assertNeverParks(t);
    sendAndExpect(writer, text, got);
  }

  @Test
  void aCallerBlockedOnAnInprocOnlySocketSpinsAndTakesTheMessageWrittenMeanwhile() throws Exception {
    SocketCore[] core = {core(SocketType.PULL)};
    Pipe pipe = Pipe.create(0, 0);
    assertTrue(core[0].attach(pipe.b(), false, null, inPlace(core), false, true));
    spinsAndTakes(core[0], pipe.a(), "during the spin");
  }

  @Test
  void aPipeToASessionMakesTheCallerParkAtOnceAndItsWakeUpStillArrives() throws Exception {
    SocketCore[] core = {core(SocketType.PULL)};
    Pipe inproc = Pipe.create(0, 0);
    Pipe network = Pipe.create(0, 0);
    assertTrue(core[0].attach(inproc.b(), false, null, inPlace(core), false, true));
    assertTrue(attachSessionPipe(core, network.b()));
    CompletableFuture<Msg> got = new CompletableFuture<>();
    Thread t = receiver(core[0], got);
    awaitParked(t);
    assertEquals(0, core[0].spinningCallers());
    sendAndExpect(network.a(), "from the engine", got);
  }

  @Test
  void whenTheLastSessionPipeGoesTheSocketSpinsAgain() throws Exception {
    SocketCore[] core = {core(SocketType.PULL)};
    Pipe inproc = Pipe.create(0, 0);
    Pipe network = Pipe.create(0, 0);
    core[0].attach(inproc.b(), false, null, inPlace(core), false, true);
    core[0].attach(network.b(), false, null, IGNORE, false, false);
    core[0].release(network.b());
    spinsAndTakes(core[0], inproc.a(), "inproc again");
  }

  @Test
  void aSessionPipeAttachedDuringTheSpinEndsItAndTheCallerParks() throws Exception {
    SocketCore[] core = {core(SocketType.PULL)};
    Pipe inproc = Pipe.create(0, 0);
    Pipe network = Pipe.create(0, 0);
    assertTrue(core[0].attach(inproc.b(), false, null, inPlace(core), false, true));
    CompletableFuture<Msg> got = new CompletableFuture<>();
    Thread t = receiver(core[0], got);
    awaitSpinning(core[0], "receiver");
    // a connection completes while the caller spins: the attach is a change the spin sees, and the
    // wait that follows parks (the spin here lasts a minute, so a caller still spinning never would)
    assertTrue(attachSessionPipe(core, network.b()));
    awaitParked(t);
    sendAndExpect(network.a(), "from the new connection", got);
  }

  @Test
  void theSpinKeepsToTheReceiveTimeout() {
    SocketCore core = core(SocketType.PULL);
    Pipe pipe = Pipe.create(0, 0);
    core.attach(pipe.b(), false, null, IGNORE, false, true);
    long start = System.nanoTime();
    assertNull(core.recv(50));
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(tookMillis >= 50 && tookMillis < 10_000, "a 50 ms receive took " + tookMillis + " ms");
  }

  @Test
  void closingTheSocketEndsTheSpinWithEterm() throws Exception {
    SocketCore core = core(SocketType.PULL);
    Pipe pipe = Pipe.create(0, 0);
    core.attach(pipe.b(), false, null, IGNORE, false, true);
    CompletableFuture<Msg> got = new CompletableFuture<>();
    receiver(core, got);
    awaitSpinning(core, "receiver");
    core.close();
    var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> got.get(10, TimeUnit.SECONDS));
    assertEquals(Errno.ETERM, ((ZmqException) e.getCause()).errno());
  }

  @Test
  void aSenderWaitingForRoomOnAnInprocPipeSpinsAndSendsOnceTheReaderMakesRoom() throws Exception {
    SocketCore[] core = {core(SocketType.PUSH)};
    Pipe pipe = Pipe.create(1, 0); // one message fills the socket's way out
    Pipe.End reader = pipe.b();
    assertTrue(core[0].attach(pipe.a(), false, null, inPlace(core), false, true));
    assertTrue(core[0].send(Msg.ofStrings("first"), 0));
    CompletableFuture<Boolean> sent = new CompletableFuture<>();
    Thread t = new Thread(() -> sent.complete(core[0].send(Msg.ofStrings("second"), -1)), "spin-test-sender");
    t.setDaemon(true);
    t.start();
    awaitSpinning(core[0], "sender");
    assertNeverParks(t);
    assertEquals("first", reader.read().text());
    assertTrue(sent.get(10, TimeUnit.SECONDS));
    assertEquals("second", reader.read().text());
  }
}
