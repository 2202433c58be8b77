package io.pekkozmq.actors.impl.socket;

import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.actors.impl.pipe.Pipe;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.pattern.Pattern;
import io.pekkozmq.engine.pattern.PatternOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A socket's data plane: its pattern and pipes behind one lock, so the socket actor, any number of
 * facade threads and stream stages can send and receive without an actor hop per message. The
 * socket actor changes the pipe set and applies activations under the same lock and then signals
 * waiters; blocked callers wait on {@link #changed}, never on a dispatcher thread.
 */
public final class SocketCore {
  /** Something that wants to hear when this socket may have become readable or writable (a poller). */
  public interface Watcher {
    void socketChanged(SocketCore core);
  }

  private final ReentrantLock lock = new ReentrantLock();
  /** Which pipe the pattern read last, so a received message gets its connection's properties. */
  private final Pipe.ReadMark readMark = new Pipe.ReadMark();
  private final Condition changed = lock.newCondition();
  private final SocketType type;
  private final Pattern pattern;
  private final PatternOptions patternOptions;
  private final List<Pipe.End> pipes = new ArrayList<>();
  /** Pipes whose peer has gone but which still hold inbound messages. */
  private final List<Pipe.End> draining = new ArrayList<>();
  /** The attached pipes whose peer end an I/O thread writes (every pipe but inproc ones). */
  private final java.util.Set<Pipe.End> ioPeers =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  /**
   * Bumped under the lock each time {@link #changed} is signalled, so a caller that spins before
   * it parks ({@link #await}) sees a change without holding the lock.
   */
  private volatile int changes;
  private final long spinNanos;
  /** Callers spinning in {@link #spinForChange} now; changed under the lock (a probe for tests). */
  private volatile int spinning;
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  private final String id;
  private volatile boolean closed;
  private volatile String lastEndpoint = "";
  /** SNDTIMEO / RCVTIMEO in ms, kept here by the socket actor for the facade's blocking calls. */
  private volatile int sendTimeout = -1;
  private volatile int recvTimeout = -1;

  /** A core whose blocked callers park at once (no spinning before, whatever its pipes). */
  public SocketCore(String id, SocketType type, Pattern pattern, PatternOptions patternOptions) {
    this(id, type, pattern, patternOptions, 0);
  }

  /**
   * {@code spinNanos}: how long a blocked caller keeps looking for a change before it parks while
   * every pipe is an inproc one (pekko-zmq.inproc-spin; see {@link #await}).
   */
  public SocketCore(String id, SocketType type, Pattern pattern, PatternOptions patternOptions, long spinNanos) {
    if (spinNanos < 0) throw new IllegalArgumentException("pekko-zmq.inproc-spin must not be negative: " + spinNanos + " ns");
    this.spinNanos = spinNanos;
    this.id = id;
    this.type = type;
    this.pattern = pattern;
    this.patternOptions = patternOptions;
  }

  public String id() {
    return id;
  }

  public SocketType type() {
    return type;
  }

  public PatternOptions patternOptions() {
    return patternOptions;
  }

  public boolean isClosed() {
    return closed;
  }

  public String lastEndpoint() {
    return lastEndpoint;
  }

  public void setLastEndpoint(String uri) {
    this.lastEndpoint = uri;
  }

  public void setTimeouts(int sendTimeoutMillis, int recvTimeoutMillis) {
    this.sendTimeout = sendTimeoutMillis;
    this.recvTimeout = recvTimeoutMillis;
  }

  public int sendTimeout() {
    return sendTimeout;
  }

  public int recvTimeout() {
    return recvTimeout;
  }

  public void addWatcher(Watcher w) {
    watchers.add(w);
  }

  public void removeWatcher(Watcher w) {
    watchers.remove(w);
  }

  // ---- control, from the socket actor -------------------------------------------------------

  /**
   * A pipe joins the socket; {@code connectRoutingId} (ROUTER) names it. {@code listener} hears the
   * pipe's activations; it is set under the lock, so an activation racing the attach waits for it
   * instead of finding the pipe unknown (and one found unknown is never lost: the pattern takes an
   * attached pipe as readable and writable). {@code subscribeToAll}: the pipe takes every message
   * (a RADIO's udp pipe, libzmq's subscribe_to_all). {@code peerIsCaller}: the pipe's other end is
   * another socket's caller thread (inproc), not an I/O thread (see {@link #await}). Any thread
   * may call it: a session attaches its pipe from its I/O thread before its engine reports the
   * handshake. False, and nothing changed, once the socket has closed.
   */
  public boolean attach(Pipe.End end, boolean locallyInitiated, byte[] connectRoutingId, Pipe.Listener listener,
      boolean subscribeToAll, boolean peerIsCaller) {
    lock.lock();
    try {
      if (closed) return false;
      pipes.add(end);
      if (!peerIsCaller) ioPeers.add(end);
      end.setListener(listener);
      end.setReadMark(readMark);
      patternOptions.connectRoutingId = connectRoutingId;
      pattern.attach(end, subscribeToAll, locallyInitiated);
      patternOptions.connectRoutingId = null;
      // an inproc peer that connected, wrote and closed before we bound: its close woke nobody
      if (end.peerClosed()) {
        if (end.peerClosedAndDrained()) {
          removeLocked(end);
        } else if (!draining.contains(end)) {
          draining.add(end);
        }
      }
      signalLocked();
    } finally {
      lock.unlock();
    }
    notifyWatchers();
    return true;
  }

  /**
   * Lets go of {@code end} for good (disconnect, unbind, a pattern's terminate): out of the
   * pattern at once, inbound messages not yet read dropped, and its writing side closed under the
   * lock, so no caller is writing into it then; its peer delivers what is queued as LINGER says.
   * Any thread.
   */
  public void release(Pipe.End end) {
    lock.lock();
    try {
      if (pipes.contains(end)) removeLocked(end);
      if (!end.writeClosed()) end.closeWrite();
      signalLocked();
    } finally {
      lock.unlock();
    }
    notifyWatchers();
  }

  private void removeLocked(Pipe.End end) {
    pipes.remove(end);
    ioPeers.remove(end);
    draining.remove(end);
    end.setListener(null);
    pattern.pipeTerminated(end);
  }

  /**
   * Applies a command of the pipe's control plane to this socket's end ({@code command.end()}):
   * an activation, a hiccup or the peer's term (the pipe is reaped once what the peer left is
   * read). Called by the socket actor or, for network pipes, by {@link PipeWakeUps} on the
   * engine's I/O thread. Commands for a pipe the core no longer holds are dropped.
   */
  public void apply(Pipe.Command command) {
    lock.lock();
    try {
      if (!applyLocked(command)) return;
    } finally {
      lock.unlock();
    }
    notifyWatchers();
  }

  /**
   * As {@link #apply}, but only if the lock is free now and this thread does not hold it (an
   * inproc writer holds its own socket's lock: waiting here could deadlock two sockets, and
   * re-entering would act on a pattern in the middle of an operation). False if not applied.
   */
  public boolean tryApply(Pipe.Command command) {
    if (lock.isHeldByCurrentThread() || !lock.tryLock()) return false;
    try {
      if (!applyLocked(command)) return true;
    } finally {
      lock.unlock();
    }
    notifyWatchers();
    return true;
  }

  private boolean applyLocked(Pipe.Command command) {
    Pipe.End end = command.end();
    if (!pipes.contains(end)) return false;
    if (command instanceof Pipe.ActivateWrite) {
      pattern.writeActivated(end);
    } else if (command instanceof Pipe.ActivateRead || command instanceof Pipe.Hiccup || command instanceof Pipe.Term) {
      readActivatedLocked(end);
    } else {
      return false; // TermAck: the peer has read all we wrote; the core let go at release. PeerStats: the session's.
    }
    signalLocked();
    return true;
  }

  private void readActivatedLocked(Pipe.End end) {
    if (end.peerClosedAndDrained()) {
      removeLocked(end);
    } else {
      // the peer let go with messages still unread (its term): reap the pipe once they are read
      if (end.peerClosed() && !draining.contains(end)) draining.add(end);
      if (end.takeHiccup()) pattern.hiccuped(end);
      pattern.readActivated(end);
    }
  }

  /** Closes the socket's side of every pipe; the peers deliver or drop what is queued. */
  public List<Pipe.End> close() {
    lock.lock();
    try {
      closed = true;
      List<Pipe.End> all = new ArrayList<>(pipes);
      for (Pipe.End e : all) {
        e.setListener(null);
        e.closeWrite();
      }
      pipes.clear();
      ioPeers.clear();
      draining.clear();
      signalLocked();
      return all;
    } finally {
      lock.unlock();
      notifyWatchers(); // a poller or proxy watching this socket learns it is gone
    }
  }

  /** Runs {@code action} under the data-plane lock (option changes that patterns read). */
  public void withLock(Runnable action) {
    lock.lock();
    try {
      action.run();
      signalLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sets an option the pattern reads ({@link ZmqOption.Scope#PATTERN}), or subscribes/unsubscribes.
   * Throws EINVAL naming the problem for a wrong value or an option this socket type lacks.
   */
  public void setPatternOption(ZmqOption option, Object value) {
    if (!option.isPatternOption()) throw new ZmqException(Errno.EINVAL, "unknown pattern option " + option);
    Object v = option.validate(value);
    lock.lock();
    try {
      if (option == ZmqOption.SUBSCRIBE || option == ZmqOption.UNSUBSCRIBE) {
        byte[] topic = (byte[]) v;
        int rc = option == ZmqOption.SUBSCRIBE ? pattern.subscribe(topic) : pattern.unsubscribe(topic);
        if (rc != Pattern.OK) {
          throw new ZmqException(pattern.lastError(), option + " is not valid on a " + type + " socket");
        }
      } else {
        PatternFields.of(option).store().accept(patternOptions, v);
      }
      pattern.optionChanged(option.name());
      signalLocked();
    } finally {
      lock.unlock();
    }
    notifyWatchers();
  }

  /** Reads an option the pattern holds (byte[] values as a copy, empty when unset). */
  public Object patternOption(ZmqOption option) {
    PatternFields.Field f = PatternFields.of(option);
    if (f == null) throw new ZmqException(Errno.EINVAL, "option " + option + " cannot be read");
    lock.lock();
    try {
      Object v = f.read().apply(patternOptions);
      if (option.valueType() == byte[].class) return v == null ? new byte[0] : ((byte[]) v).clone();
      return v;
    } finally {
      lock.unlock();
    }
  }

  /**
   * PEER: the routing id of the pipe attached last (libzmq's connect_peer answers it right after
   * its connect attached the pipe); 0 for a type without routing ids.
   */
  public int lastAttachedRoutingId() {
    lock.lock();
    try {
      return pattern instanceof io.pekkozmq.engine.pattern.ServerPattern s ? s.lastAttachedRoutingId() : 0;
    } finally {
      lock.unlock();
    }
  }

  public List<Pipe.End> pipesSnapshot() {
    lock.lock();
    try {
      return new ArrayList<>(pipes);
    } finally {
      lock.unlock();
    }
  }

  private void notifyWatchers() {
    if (watchers.isEmpty()) return;
    for (Watcher w : watchers) w.socketChanged(this);
  }

  // ---- data, from any thread ----------------------------------------------------------------

  /**
   * Sends a whole message, waiting up to {@code timeoutMillis} for room (-1: forever, 0: not at
   * all). Returns false on timeout (EAGAIN). Throws for pattern errors (EFSM, ENOTSUP,
   * EHOSTUNREACH...), a closed socket (ETERM), or interruption (EINTR, interrupt flag kept).
   */
  public boolean send(Msg msg, long timeoutMillis) {
    long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
    lock.lock();
    try {
      while (true) {
        checkOpen();
        pattern.routeTo(msg.routingId());
        if (pattern.beginSend(msg) != Pattern.OK) throw beginSendFailed(msg);
        int rc = pattern.send(msg.frame(0));
        if (rc == Pattern.OK) {
          for (int i = 1; i < msg.size(); i++) {
            if (pattern.send(msg.frame(i)) != Pattern.OK) {
              throw new ZmqException(pattern.lastError(), "send of frame " + i + " of " + msg.size() + " failed on " + type);
            }
          }
          return true;
        }
        Errno err = pattern.lastError();
        if (err == Errno.EINVAL && msg.size() > 1) {
          throw new ZmqException(err, "a " + type + " socket sends single-frame messages only (this one has "
              + msg.size() + " frames)");
        }
        if (err == Errno.EHOSTUNREACH && type.routesByRoutingId()) {
          throw new ZmqException(err, msg.routingId() == 0
              ? "a " + type + " socket sends to the peer a message's routing id names: Msg.withRoutingId(id)"
              : "no peer with routing id " + Integer.toUnsignedString(msg.routingId()) + " on " + type + " socket");
        }
        if (err != Errno.EAGAIN) throw new ZmqException(err, "cannot send on " + type + " socket");
        if (!await(timeoutMillis, deadline)) return false;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Receives a whole message, waiting up to {@code timeoutMillis} (-1: forever, 0: not at all).
   * Returns null on timeout.
   */
  public Msg recv(long timeoutMillis) {
    long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
    lock.lock();
    try {
      while (true) {
        checkOpen();
        Msg m = recvLocked();
        if (m != null) return m;
        if (!await(timeoutMillis, deadline)) return null;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes up to {@code max} whole messages that are ready now, without waiting. A socket whose
   * state allows no receive now (REP owing a reply, REQ before a request) has none ready.
   */
  public int drain(List<Msg> into, int max) {
    lock.lock();
    try {
      int n = 0;
      while (n < max && !closed) {
        Msg m = recvLocked(true);
        if (m == null) break;
        into.add(m);
        n++;
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /** Tries to send without waiting: null when sent, else the Errno (EAGAIN when full). */
  public Errno trySend(Msg msg) {
    lock.lock();
    try {
      if (closed) return Errno.ETERM;
      pattern.routeTo(msg.routingId());
      if (pattern.beginSend(msg) != Pattern.OK) return pattern.lastError();
      if (pattern.send(msg.frame(0)) != Pattern.OK) return pattern.lastError();
      for (int i = 1; i < msg.size(); i++) {
        if (pattern.send(msg.frame(i)) != Pattern.OK) return pattern.lastError();
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  private ZmqException beginSendFailed(Msg msg) {
    Errno err = pattern.lastError();
    return new ZmqException(err, err == Errno.EINVAL
        ? "a " + type + " message has one frame, not " + msg.size()
        : "cannot send on " + type + " socket");
  }

  /**
   * DISH: joins ({@code join} true) or leaves a group (libzmq's zmq_join/zmq_leave). Throws EINVAL
   * naming the problem (too long, already joined, not joined), ENOTSUP on other types.
   */
  public void joinOrLeave(String group, boolean join) {
    String what = (join ? "join" : "leave") + " group '" + group + "'";
    if (group == null) throw new ZmqException(Errno.EINVAL, "cannot join or leave a null group");
    try {
      Msg.checkGroup(group);
    } catch (ZmqException e) {
      throw new ZmqException(Errno.EINVAL, "cannot " + (join ? "join" : "leave") + ": " + e.getMessage());
    }
    lock.lock();
    try {
      checkOpen();
      int rc = join ? pattern.join(group) : pattern.leave(group);
      if (rc != Pattern.OK) {
        Errno err = pattern.lastError();
        throw new ZmqException(err, err == Errno.ENOTSUP
            ? "cannot " + what + ": only a DISH socket joins groups, not " + type
            : "cannot " + what + ": " + (join ? "already joined" : "not joined"));
      }
      signalLocked();
    } finally {
      lock.unlock();
    }
  }

  public boolean hasIn() {
    lock.lock();
    try {
      return !closed && pattern.hasIn();
    } finally {
      lock.unlock();
    }
  }

  public boolean hasOut() {
    lock.lock();
    try {
      return !closed && pattern.hasOut();
    } finally {
      lock.unlock();
    }
  }

  private Msg recvLocked() {
    return recvLocked(false);
  }

  private Msg recvLocked(boolean efsmMeansNone) {
    readMark.last = null; // a message the pattern makes up (ROUTER_NOTIFY) comes from no connection
    Frame f = pattern.recv();
    if (f == null) {
      Errno err = pattern.lastError();
      if (err == Errno.EFSM && efsmMeansNone) return null;
      if (err != null && err != Errno.EAGAIN) throw new ZmqException(err, "cannot receive on " + type + " socket");
      if (!draining.isEmpty()) reapDrained();
      return null;
    }
    Msg m;
    if (!f.hasMore()) {
      m = Msg.ofTrustedFrame(f, properties(), pattern.receivedRoutingId(), pattern.receivedGroup());
    } else {
      List<Frame> frames = new ArrayList<>(4);
      frames.add(f);
      while (f.hasMore()) {
        f = pattern.recv();
        if (f == null) break; // cannot happen: pipes publish whole messages
        frames.add(f);
      }
      m = Msg.ofTrusted(frames.toArray(new Frame[0]), properties(), pattern.receivedRoutingId());
    }
    if (!draining.isEmpty()) reapDrained();
    return m;
  }

  /** The properties of the connection the message just assembled came over (zmq_msg_gets). */
  private Map<String, byte[]> properties() {
    Pipe.End from = readMark.last;
    return from == null ? Map.of() : from.metadata();
  }

  private void reapDrained() {
    for (Pipe.End e : new ArrayList<>(draining)) {
      if (e.peerClosedAndDrained()) removeLocked(e); // read up to the delimiter: the pipe acks the term
    }
  }

  /** Wakes the callers waiting on {@link #changed}, and the ones spinning on {@link #changes}. Under the lock. */
  private void signalLocked() {
    changes++;
    changed.signalAll();
  }

  /**
   * Waits for a change (under the lock; it is released meanwhile); false if the time is up first.
   * A caller on a socket whose pipes are all inproc first spins for up to {@link #spinNanos},
   * yielding the core to any other runnable thread each turn (on a small machine a busy-wait would
   * take the core from the JIT compiler and the peer; measured in bench/README.md). The change it
   * waits for then comes from another socket's caller, usually within microseconds, where a park
   * and unpark would cost a futex sleep and wake each way. A pipe to a session stops the
   * spinning: there the change comes from an I/O thread that needs a core of its own.
   */
  private boolean await(long timeoutMillis, long deadline) {
    if (timeoutMillis == 0) return false;
    if (spinNanos > 0 && ioPeers.isEmpty() && !pipes.isEmpty() && lock.getHoldCount() == 1
        && spinForChange(timeoutMillis, deadline)) {
      return true;
    }
    try {
      if (timeoutMillis < 0) {
        changed.await();
        return true;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      changed.awaitNanos(left);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ZmqException(Errno.EINTR, "interrupted while waiting on " + type + " socket");
    }
  }

  /**
   * Spins (yielding) without the lock until {@link #changes} moves, the spin time is up or the deadline has
   * passed; true if it moved. Under the lock on entry and exit. A change after the last look here
   * and before the caller parks is not lost: it is made under the lock, which the caller holds
   * again when this returns false, and then signals the condition the caller parks on.
   */
  private boolean spinForChange(long timeoutMillis, long deadline) {
    int seen = changes;
    long end = System.nanoTime() + spinNanos;
    if (timeoutMillis > 0 && deadline - end < 0) end = deadline;
    spinning++;
    lock.unlock();
    try {
      while (changes == seen && !closed) {
        Thread.yield();
        if (System.nanoTime() - end >= 0) break;
      }
    } finally {
      lock.lock();
      spinning--;
    }
    return changes != seen || closed;
  }

  /** How many blocked callers are spinning for a change now (see {@link #await}). */
  int spinningCallers() {
    return spinning;
  }

  private void checkOpen() {
    if (closed) throw new ZmqException(Errno.ETERM, type + " socket " + id + " is closed");
  }
}
