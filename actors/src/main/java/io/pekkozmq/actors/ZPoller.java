package io.pekkozmq.actors;

import io.pekkozmq.actors.impl.socket.SocketCore;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.ZmqException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code zmq_poll} over several sockets of the blocking facade: waits until at least one
 * registered socket is readable ({@link #POLLIN}) or writable ({@link #POLLOUT}), or the timeout
 * passes. Sockets tell the poller when their pipes change, so it sleeps instead of spinning.
 * Not for concurrent use by several threads (one poller per polling thread); the sockets may be
 * used by other threads meanwhile.
 */
public final class ZPoller implements AutoCloseable {
  public static final int POLLIN = 1;
  public static final int POLLOUT = 2;

  private record Item(ZSocket socket, int events) {}

  private final List<Item> items = new ArrayList<>();
  private int[] ready = new int[0];
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long version;
  private final SocketCore.Watcher watcher = core -> {
    lock.lock();
    try {
      version++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  };

  /** Registers {@code socket} for {@code events} (POLLIN, POLLOUT or both); returns its index. */
  public int register(ZSocket socket, int events) {
    if ((events & (POLLIN | POLLOUT)) == 0) {
      throw new IllegalArgumentException("events must include POLLIN and/or POLLOUT, got " + events);
    }
    items.add(new Item(socket, events));
    ready = new int[items.size()];
    socket.core().addWatcher(watcher);
    return items.size() - 1;
  }

  /**
   * Waits up to {@code timeoutMillis} (-1: forever, 0: just check) and returns how many sockets are
   * ready; {@link #readable}/{@link #writable} tell which. EINTR if the thread is interrupted.
   */
  public int poll(long timeoutMillis) {
    long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
    while (true) {
      long seen;
      lock.lock();
      try {
        seen = version;
      } finally {
        lock.unlock();
      }
      int n = check();
      if (n > 0 || timeoutMillis == 0) return n;
      lock.lock();
      try {
        if (version != seen) continue; // something changed while we looked: look again
        if (timeoutMillis < 0) {
          changed.await();
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) return 0;
          changed.awaitNanos(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ZmqException(Errno.EINTR, "interrupted while polling " + items.size() + " sockets");
      } finally {
        lock.unlock();
      }
    }
  }

  private int check() {
    int n = 0;
    for (int i = 0; i < items.size(); i++) {
      Item it = items.get(i);
      int r = 0;
      if ((it.events() & POLLIN) != 0 && it.socket().core().hasIn()) r |= POLLIN;
      if ((it.events() & POLLOUT) != 0 && it.socket().core().hasOut()) r |= POLLOUT;
      ready[i] = r;
      if (r != 0) n++;
    }
    return n;
  }

  public boolean readable(int index) {
    return (ready[index] & POLLIN) != 0;
  }

  public boolean writable(int index) {
    return (ready[index] & POLLOUT) != 0;
  }

  @Override
  public void close() {
    for (Item it : items) it.socket().core().removeWatcher(watcher);
    items.clear();
  }
}
