package io.pekkozmq.actors;

import io.pekkozmq.actors.impl.socket.SocketCore;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Internal (package-private): the actor behind {@link Proxy}, speaking its protocol plus one private
 * wake-up message. Its state is touched by the actor's thread only; the
 * sockets' watchers (called on whatever thread changed a socket) only set a flag and, on the
 * flag's rising edge, send one {@code Wake}. A wake-up drains each direction in batches of
 * {@link #BATCH} and forwards until the source is empty, the destination (or capture) is full, or
 * {@link #TURN} messages have moved, in which case it wakes itself to let commands in.
 */
final class ProxyActor extends AbstractBehavior<Proxy.Command> {
  /** Messages taken from a source at once: also the most a direction ever holds. */
  static final int BATCH = 256;
  /** Messages forwarded per direction per wake-up before yielding to the mailbox. */
  static final int TURN = 4096;

  /** The sockets changed: forward what can move now. Sent by the watcher on a rising edge only. */
  enum Wake implements Proxy.Command { INSTANCE }

  /** One direction: whatever was drained from {@code from} and not yet accepted by {@code to}. */
  private final class Direction {
    final ZSocket from;
    final ZSocket to;
    final int recvStat;
    final int sendStat;
    final List<Msg> held = new ArrayList<>(BATCH);
    int next;

    Direction(ZSocket from, ZSocket to, int recvStat, int sendStat) {
      this.from = from;
      this.to = to;
      this.recvStat = recvStat;
      this.sendStat = sendStat;
    }

    /** Forwards what it can; true when it stopped only because the turn's budget ran out. */
    boolean forward() {
      SocketCore src = from.core();
      SocketCore dst = to.core();
      int moved = 0;
      while (moved < TURN) {
        if (next == held.size()) {
          held.clear();
          next = 0;
          // read only what can go on at once, as libzmq polls the source only while the destination takes messages
          if (!dst.hasOut() || (capture != null && !capture.core().hasOut())) return false;
          if (src.drain(held, BATCH) == 0) {
            if (src.isClosed()) closed = true;
            return false;
          }
          for (Msg m : held) count(recvStat, m);
        }
        while (next < held.size()) {
          if (!flushCapture()) return false;
          Msg m = held.get(next);
          Errno err = dst.trySend(m);
          if (err == Errno.EAGAIN) return false; // the destination's writeActivated wakes us
          if (err == Errno.ETERM) {
            closed = true;
            return false;
          }
          if (err != null) {
            throw new ZmqException(err, "proxy cannot forward a message from its " + name(from) + " to its "
                + name(to) + " (" + to.type() + "): " + err);
          }
          held.set(next++, null);
          count(sendStat, m);
          moved++;
          if (capture != null) {
            captureBacklog = m; // the same immutable frames: libzmq's msg copy shares them too
            if (!flushCapture()) return false;
          }
        }
      }
      return true;
    }
  }

  private final ActorContext<Proxy.Command> ctx;
  private final ActorRef<Proxy.Command> self;
  private final ZSocket frontend;
  private final ZSocket backend;
  private final ZSocket capture;
  private final ZSocket control;
  private final List<ZSocket> owned;
  private final Direction request;
  private final Direction reply; // null when frontend == backend
  /** libzmq's order: frontend in (parts, bytes), frontend out, backend in, backend out. */
  private final long[] stats = new long[8];
  private final AtomicBoolean wakePending = new AtomicBoolean();
  private final SocketCore.Watcher watcher;
  private final List<ZSocket> sockets;
  private final List<Msg> commands = new ArrayList<>(4);

  /** A forwarded message the capture socket has not taken yet; forwarding waits for it. */
  private Msg captureBacklog;
  private boolean paused;
  private boolean terminated;
  private boolean closed;

  private ProxyActor(ActorContext<Proxy.Command> ctx, ZSocket frontend, ZSocket backend, ZSocket capture, ZSocket control,
      List<ZSocket> owned) {
    super(ctx);
    this.ctx = ctx;
    this.self = ctx.getSelf();
    this.frontend = frontend;
    this.backend = backend;
    this.capture = capture;
    this.control = control;
    this.owned = owned;
    this.request = new Direction(frontend, backend, 0, 6);
    this.reply = frontend == backend ? null : new Direction(backend, frontend, 4, 2);
    this.sockets = List.copyOf(distinct(frontend, backend, capture, control));
    this.watcher = core -> wake();
    for (ZSocket s : sockets) s.core().addWatcher(watcher);
    wake();
  }

  /** The proxy's behaviour; {@code owned} sockets are closed when it stops. */
  static Behavior<Proxy.Command> create(ZSocket frontend, ZSocket backend, ZSocket capture, ZSocket control,
      List<ZSocket> owned) {
    if (frontend == null || backend == null) throw new IllegalArgumentException("a proxy needs a frontend and a backend");
    if (control != null && (control == frontend || control == backend || control == capture)) {
      throw new IllegalArgumentException("the control socket must not also be a data socket of the proxy");
    }
    if (capture != null && (capture == frontend || capture == backend)) {
      throw new IllegalArgumentException("the capture socket must not also be the frontend or the backend");
    }
    return Behaviors.setup(ctx -> new ProxyActor(ctx, frontend, backend, capture, control, owned));
  }

  private static List<ZSocket> distinct(ZSocket frontend, ZSocket backend, ZSocket capture, ZSocket control) {
    List<ZSocket> all = new ArrayList<>(4);
    all.add(frontend);
    if (backend != frontend) all.add(backend);
    if (capture != null) all.add(capture);
    if (control != null) all.add(control);
    return all;
  }

  private void wake() {
    if (wakePending.compareAndSet(false, true)) self.tell(Wake.INSTANCE);
  }

  @Override
  public Receive<Proxy.Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Wake.INSTANCE, this::onWake)
        .onMessage(Proxy.Pause.class, p -> {
          paused = true;
          return this;
        })
        .onMessage(Proxy.Resume.class, r -> {
          paused = false;
          wake();
          return this;
        })
        .onMessage(Proxy.Terminate.class, t -> Behaviors.stopped())
        .onMessage(Proxy.GetStatistics.class, g -> {
          g.replyTo().tell(statistics());
          return this;
        })
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  private Behavior<Proxy.Command> onWake() {
    wakePending.set(false); // before looking: a change from now on wakes us again
    for (ZSocket s : sockets) closed |= s.core().isClosed();
    if (control != null && !closed) handleControl();
    if (terminated) return Behaviors.stopped();
    if (!paused && !closed) {
      boolean more = request.forward();
      if (reply != null && !closed) more |= reply.forward();
      if (!closed) flushCapture();
      if (more) wake();
    }
    if (closed) {
      ctx.getLog().info("proxy stops: one of its sockets was closed");
      return Behaviors.stopped();
    }
    return this;
  }

  /** Sends the capture copy still owed; false if capture is full (forwarding must wait). */
  private boolean flushCapture() {
    if (captureBacklog == null) return true;
    Errno err = capture.core().trySend(captureBacklog);
    if (err == Errno.EAGAIN) return false;
    if (err == Errno.ETERM) {
      closed = true;
      return false;
    }
    if (err != null) throw new ZmqException(err, "proxy cannot send a copy to its capture socket (" + capture.type() + "): " + err);
    captureBacklog = null;
    return true;
  }

  // ---- libzmq's control socket --------------------------------------------------------------

  private void handleControl() {
    SocketCore core = control.core();
    while (!terminated && core.drain(commands, 16) > 0) {
      for (Msg m : commands) {
        if (!terminated) command(m);
      }
      commands.clear();
    }
    if (core.isClosed()) closed = true;
  }

  private void command(Msg m) {
    String c = m.first().text();
    switch (c) {
      case "STATISTICS" -> {
        Proxy.Statistics s = statistics();
        long[] v = {s.frontendMsgsIn(), s.frontendBytesIn(), s.frontendMsgsOut(), s.frontendBytesOut(),
            s.backendMsgsIn(), s.backendBytesIn(), s.backendMsgsOut(), s.backendBytesOut()};
        Frame[] frames = new Frame[8];
        for (int i = 0; i < 8; i++) {
          byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v[i]).array();
          frames[i] = Frame.wrap(b, i < 7 ? Frame.MORE : 0);
        }
        replyControl(Msg.ofTrusted(frames));
        return;
      }
      case "PAUSE" -> paused = true;
      case "RESUME" -> paused = false;
      case "TERMINATE" -> terminated = true;
      default -> ctx.getLog().warn("proxy ignores unknown control command '{}' ({} bytes); it knows PAUSE, RESUME, "
          + "TERMINATE and STATISTICS", c.length() > 32 ? c.substring(0, 32) + "..." : c, m.first().size());
    }
    if (control.type() == SocketType.REP) replyControl(Msg.of(Frame.EMPTY)); // REP owes a reply, as in libzmq
  }

  private void replyControl(Msg reply) {
    Errno err = control.core().trySend(reply);
    if (err != null) ctx.getLog().warn("proxy could not reply on its control socket: {}", err);
  }

  // ---- counters -----------------------------------------------------------------------------

  private void count(int at, Msg m) {
    stats[at] += m.size();
    for (int i = 0; i < m.size(); i++) stats[at + 1] += m.frame(i).size();
  }

  private Proxy.Statistics statistics() {
    return new Proxy.Statistics(stats[0], stats[1], stats[2], stats[3], stats[4], stats[5], stats[6], stats[7]);
  }

  private String name(ZSocket s) {
    return s == frontend ? "frontend" : "backend";
  }

  private Behavior<Proxy.Command> onPostStop() {
    for (ZSocket s : sockets) s.core().removeWatcher(watcher);
    for (ZSocket s : owned) s.close();
    return this;
  }
}
