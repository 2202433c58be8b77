package io.pekkozmq.actors.churn;

import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * One of our sockets under test across its incarnations: closing it (with the LINGER its scenario says) and
 * opening the next one on the same endpoints is churn. Each incarnation has its own name (its
 * origin as a sender, its name as a receiver) and its own {@link ConnectionWatch}. Whoever uses
 * the socket holds {@link #lock} for each operation (fair, so a reopen is not starved by a loop),
 * so no send or receive ever meets a closed incarnation.
 */
final class OurSocket {
  final ReentrantLock lock = new ReentrantLock(true);
  private final ZeroMQ zmq;
  private final ActorTestKit kit;
  private final SocketType type;
  private final String base;
  private final Consumer<ZSocket> setup;
  private final String bindSpec;
  private final Duration wait;
  /** The LINGER each incarnation closes with (-1: the default, until delivered). */
  private final int closeLinger;
  private final List<String> connects = new ArrayList<>();
  /** Lock-free to read: checks read it under the ledger's lock, which receivers take under {@link #lock}. */
  private final List<String> names = new CopyOnWriteArrayList<>();
  private final Map<String, CompletableFuture<Long>> lingerDone = new ConcurrentHashMap<>();
  private volatile String bound;
  private volatile ZSocket socket;
  private volatile ConnectionWatch watch;
  private volatile String name;

  /**
   * @param bindSpec what the first incarnation binds (later ones bind what it resolved to)
   * @param setup options, applied to each incarnation before it binds or connects
   */
  OurSocket(ZeroMQ zmq, ActorTestKit kit, SocketType type, String base, String bindSpec, Consumer<ZSocket> setup,
      Duration wait, int closeLinger) {
    this.closeLinger = closeLinger;
    this.zmq = zmq;
    this.kit = kit;
    this.type = type;
    this.base = base;
    this.bindSpec = bindSpec;
    this.setup = setup;
    this.wait = wait;
  }

  void open() {
    lock.lock();
    try {
      name = base + (names.size() + 1);
      names.add(name);
      ZSocket s = zmq.socket(type);
      setup.accept(s);
      watch = ConnectionWatch.of(kit, s);
      bound = s.bind(bound != null ? bound : bindSpec);
      for (String ep : connects) s.connect(ep);
      socket = s;
    } finally {
      lock.unlock();
    }
  }

  /** Closes this incarnation (LINGER -1: it delivers in the background) and opens the next. */
  void reopen() {
    lock.lock();
    try {
      closeCurrent();
      open();
    } finally {
      lock.unlock();
    }
  }

  private void closeCurrent() {
    ZSocket old = socket;
    ConnectionWatch w = watch;
    String oldName = name;
    CompletableFuture<Long> done = new CompletableFuture<>();
    lingerDone.put(oldName, done);
    old.whenClosed().thenRun(() -> done.complete(System.nanoTime()));
    if (closeLinger != -1) old.setOption(ZmqOption.LINGER, closeLinger);
    old.close();
    if (bound.startsWith("inproc://")) {
      // an inproc socket has no sessions to linger in: it stops at once and frees its name
      if (!old.closeAndWait(wait)) throw new AssertionError(oldName + " (inproc) did not stop within " + wait);
    } else if (!w.awaitListenerClosed(wait)) {
      throw new AssertionError(oldName + "'s listener did not close within " + wait + " (" + w.describe() + ")");
    }
  }

  /** Closes the current incarnation (LINGER -1: it delivers in the background) and opens none. */
  void close() {
    lock.lock();
    try {
      closeCurrent();
    } finally {
      lock.unlock();
    }
  }

  /** Closes the last incarnation and waits until every incarnation has finished lingering. */
  boolean closeAndAwaitLinger(Duration timeout) {
    close();
    return awaitLingerDone(timeout);
  }

  /** Whether every closed incarnation has finished lingering within {@code timeout}. */
  boolean awaitLingerDone(Duration timeout) {
    try {
      CompletableFuture.allOf(lingerDone.values().toArray(new CompletableFuture[0])).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** When incarnation {@code name} finished lingering (System.nanoTime), or MAX_VALUE if it has not (or is open). */
  long lingerDoneAt(String name) {
    CompletableFuture<Long> f = lingerDone.get(name);
    return f == null || !f.isDone() ? Long.MAX_VALUE : f.join();
  }

  /** Incarnations still lingering, for failure messages. */
  List<String> lingering() {
    List<String> out = new ArrayList<>();
    lingerDone.forEach((n, f) -> {
      if (!f.isDone()) out.add(n);
    });
    return out;
  }

  /**
   * Returns once this socket has dropped the pipe of a peer whose loss it has seen (DISCONNECTED
   * over tcp and ipc; over inproc the peer's socket has stopped), so that nothing sent from now on
   * can go to it. libzmq drops such a pipe when the socket next processes its commands, which is
   * not observable either; here: over inproc, the pipe's closing reached the socket actor before
   * this round trip does; over tcp and ipc the session drops it on the I/O thread, which runs its
   * tasks in order (one I/O thread, the default), so any PIPES_STATS a session emits for a request
   * made now comes after it. A request that finds no pipe (EAGAIN) needs no wait; one whose only
   * pipe was the dying one gets no answer and is made again.
   */
  void settle() {
    if (bound.startsWith("inproc://")) {
      socket.getOption(ZmqOption.LINGER);
      return;
    }
    for (int attempt = 0; attempt < 50; attempt++) {
      int before = watch.pipesStats();
      try {
        socket.requestPipesStats();
      } catch (ZmqException e) {
        if (e.errno() == Errno.EAGAIN) return;
        throw e;
      }
      if (watch.awaitPipesStats(before + 1, Duration.ofMillis(100))) return;
    }
    throw new AssertionError(name + " answered no PIPES_STATS request in 50 attempts (" + watch.describe() + ")");
  }

  void connect(String endpoint) {
    lock.lock();
    try {
      if (!connects.contains(endpoint)) connects.add(endpoint); // a restarted inproc peer: connect again, once
      socket.connect(endpoint);
    } finally {
      lock.unlock();
    }
  }

  void disconnect(String endpoint) {
    lock.lock();
    try {
      connects.remove(endpoint);
      socket.disconnect(endpoint);
    } finally {
      lock.unlock();
    }
  }

  ZSocket socket() {
    return socket;
  }

  String name() {
    return name;
  }

  /** Every incarnation's name, oldest first. */
  List<String> names() {
    return List.copyOf(names);
  }

  /** The index of the current incarnation in {@link #names}. */
  int incarnation() {
    return names().size() - 1;
  }

  ConnectionWatch watch() {
    return watch;
  }

  String bound() {
    return bound;
  }

  String base() {
    return base;
  }

  SocketType type() {
    return type;
  }
}
