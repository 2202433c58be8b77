package io.pekkozmq.actors.impl.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of libzmq's io_thread_t (its poller): one platform thread that owns a NIO
 * {@link Selector} and also executes the Pekko mailboxes of the actors bound to its dispatcher
 * (listeners, connecters, sessions, engines, and the {@link IoThread}'s own actor).
 *
 * <p>{@link #execute} queues a task and wakes the selector only when the thread is (about to be)
 * blocked in {@code select}, so a busy loop takes tasks without any syscall. Readiness is handled
 * on the same thread as the actors' messages, so an engine reads and writes its channel without a
 * thread hop.
 */
public final class IoLoop extends AbstractExecutorService {
  private static final Logger log = LoggerFactory.getLogger(IoLoop.class);
  private static final int TASKS_PER_SELECT = 256;

  private final String name;
  private final Selector selector;
  private final MpscUnboundedXaddArrayQueue<Runnable> tasks = new MpscUnboundedXaddArrayQueue<>(1024);
  /** True while the loop may block in select: a producer must then wake it. */
  private final AtomicBoolean sleeping = new AtomicBoolean();
  private final AtomicInteger load = new AtomicInteger();
  /** Run once when the load next drops to zero (an {@link IoThread} waiting to stop). */
  private final java.util.concurrent.atomic.AtomicReference<Runnable> whenIdle = new java.util.concurrent.atomic.AtomicReference<>();
  // statistics: written by the loop's thread, read there (by its IoThread actor)
  private long tasksRun;
  private long selects;
  private final java.util.concurrent.atomic.AtomicLong wakeUps = new java.util.concurrent.atomic.AtomicLong();
  private long spinsThatFoundWork;
  private final IdleSpin idleSpin;
  private final Thread thread;
  private volatile boolean stopping;
  private volatile boolean terminated;

  /** {@code spinNanos}: how long at most it looks for more work before it blocks ({@link IdleSpin}; 0 never spins). */
  public IoLoop(String name, long spinNanos) {
    this.name = name;
    this.idleSpin = new IdleSpin(spinNanos);
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector for " + name, e);
    }
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  public String name() {
    return name;
  }

  public Selector selector() {
    return selector;
  }

  /** Whether the caller runs on this loop's thread (and may touch its selector). */
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Number of live objects (listeners, engines) on this thread; used to choose the least loaded. */
  public int load() {
    return load.get();
  }

  public void adjustLoad(int delta) {
    if (load.addAndGet(delta) == 0) runWhenIdle();
  }

  /** Runs {@code action} (on whichever thread lowers the load) once the load is zero, now if it is. */
  void whenIdle(Runnable action) {
    whenIdle.set(action);
    if (load.get() == 0) runWhenIdle();
  }

  private void runWhenIdle() {
    Runnable r = whenIdle.getAndSet(null);
    if (r != null) r.run();
  }

  /** Tasks run so far (mailbox runs and the like); the loop's thread only. */
  long tasksRun() {
    return tasksRun;
  }

  /** Passes through the selector so far; the loop's thread only. */
  long selects() {
    return selects;
  }

  /** Times a producer had to wake the selector from a blocking select. */
  long wakeUps() {
    return wakeUps.get();
  }

  /** Channels registered with the selector now; the loop's thread only. */
  int channels() {
    return selector.keys().size();
  }

  @Override
  public void execute(Runnable task) {
    if (terminated) {
      throw new java.util.concurrent.RejectedExecutionException(name + " is stopped");
    }
    tasks.offer(task);
    if (sleeping.get() && sleeping.compareAndSet(true, false)) {
      wakeUps.incrementAndGet();
      selector.wakeup();
    }
  }

  private void run() {
    try {
      while (!stopping) {
        int ran = runTasks();
        // a loop about to spin stays awake to producers: its spin finds what they offer
        if (idleSpin.budget() == 0) sleeping.set(true);
        // keys already selected (by a selectNow in register) would not wake a blocking select
        if (!tasks.isEmpty() || ran == TASKS_PER_SELECT || !selector.selectedKeys().isEmpty()) {
          sleeping.set(false);
          selector.selectNow();
        } else {
          idle();
        }
        selects++;
        dispatchReady();
      }
    } catch (Throwable t) {
      log.error("I/O thread {} died", name, t);
    } finally {
      terminated = true;
      try {
        for (SelectionKey k : selector.keys()) {
          k.channel().close();
        }
        selector.close();
      } catch (IOException ignored) {
        // closing on the way out; nothing useful to report
      }
    }
  }

  /**
   * Out of work: look for more for the spin's budget (tasks, ready keys; yielding the core to any
   * other runnable thread between looks), then block in select. {@link #sleeping} stays false
   * through the spin (run() sets it only for a loop that will not spin), so producers wake the
   * selector only around the blocking select.
   */
  private void idle() throws IOException {
    boolean spins = idleSpin.enabled();
    long budget = idleSpin.budget();
    if (budget > 0) {
      long start = System.nanoTime();
      do {
        if (!tasks.isEmpty() || selector.selectNow() > 0) {
          spinsThatFoundWork++;
          idleSpin.found();
          return;
        }
        if (stopping) return;
        Thread.yield();
      } while (System.nanoTime() - start < budget);
    }
    long asleep = spins ? System.nanoTime() : 0;
    sleeping.set(true);
    // a task offered while we looked saw sleeping false and did not wake the selector
    if (tasks.isEmpty()) {
      selector.select();
    } else {
      selector.selectNow();
    }
    sleeping.set(false);
    if (spins) idleSpin.slept(System.nanoTime() - asleep);
  }

  /** Idle spins that found work before the budget ran out; the loop's thread only. */
  long spinsThatFoundWork() {
    return spinsThatFoundWork;
  }

  private int runTasks() {
    int n = 0;
    Runnable r;
    while (n < TASKS_PER_SELECT && (r = tasks.poll()) != null) {
      n++;
      try {
        r.run();
      } catch (Throwable t) {
        log.error("task failed on {}", name, t);
      }
    }
    tasksRun += n;
    return n;
  }

  private void dispatchReady() {
    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey key = it.next();
      it.remove();
      if (!key.isValid()) continue;
      try {
        ((IoHandler) key.attachment()).ready(key.readyOps());
      } catch (CancelledKeyException ignored) {
        // the handler closed its own channel while handling readiness
      } catch (Throwable t) {
        log.error("I/O handler failed on {}", name, t);
      }
    }
  }

  /**
   * Registers a channel with this loop's selector; only on the loop's thread. A channel whose key
   * was just cancelled (a connecter handing its channel to an engine) can be registered again only
   * after the selector has flushed its cancelled keys, so that is done first when needed.
   */
  public java.nio.channels.SelectionKey register(java.nio.channels.SelectableChannel ch, int ops, IoHandler handler)
      throws IOException {
    try {
      return ch.register(selector, ops, handler);
    } catch (CancelledKeyException e) {
      selector.selectNow(); // ready keys it finds stay in selectedKeys for the loop's next pass
      return ch.register(selector, ops, handler);
    }
  }

  /**
   * Cancels {@code key} and has the selector drop it at once; only on the loop's thread. The JDK
   * closes a registered channel's socket only once its key is deregistered, so a listener closed
   * without this would keep its port bound until the loop's next select.
   */
  public void deregister(java.nio.channels.SelectionKey key) {
    key.cancel();
    if (!inLoop()) return; // another thread would wait for the loop's select: leave it to that
    try {
      selector.selectNow(); // ready keys it finds stay in selectedKeys for the loop's next pass
    } catch (IOException e) {
      // the selector is closing: its keys go with it
    }
  }

  /** Stops the loop; channels still registered are closed. */
  @Override
  public void shutdown() {
    // The dispatcher calls this when it has been idle; the loop lives until the context stops it.
  }

  public void stop() {
    stopping = true;
    selector.wakeup();
  }

  @Override
  public List<Runnable> shutdownNow() {
    stop();
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return stopping;
  }

  @Override
  public boolean isTerminated() {
    return terminated;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    thread.join(unit.toMillis(timeout));
    return terminated;
  }
}
