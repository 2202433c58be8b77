package io.pekkozmq.actors;

import com.typesafe.config.Config;
import io.pekkozmq.actors.impl.Inproc;
import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.actors.impl.io.IoThread;
import io.pekkozmq.actors.impl.socket.SocketCore;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.pattern.PatternOptions;
import io.pekkozmq.engine.pattern.Patterns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The ZeroMQ context (libzmq's ctx_t) as a Pekko Extension: {@code ZeroMQ.get(system)}. It owns
 * the I/O threads and the inproc registry and creates sockets. For plain Java without an actor
 * system, use {@link ZContext}.
 */
public final class ZeroMQ implements Extension {
  /** Settings from {@code pekko-zmq} in the configuration. */
  public record Settings(int ioThreads, int ioThroughput, Duration ioSpin, String socketDispatcher,
      Duration maxTermination, Duration commandTimeout, int deliveryBatch, Duration inprocSpin, Config socketDefaults) {
    static Settings from(Config root) {
      Config c = root.getConfig("pekko-zmq");
      return new Settings(c.getInt("io-threads"), c.getInt("io-throughput"), c.getDuration("io-spin"),
          c.getString("socket-dispatcher"),
          c.getDuration("max-termination"), c.getDuration("command-timeout"), c.getInt("delivery-batch"),
          c.getDuration("inproc-spin"), c.getConfig("socket"));
    }
  }

  private static final ExtensionId<ZeroMQ> ID = new ExtensionId<>() {
    @Override
    public ZeroMQ createExtension(ActorSystem<?> system) {
      return new ZeroMQ(system);
    }
  };

  private static final AtomicInteger CONTEXTS = new AtomicInteger();

  private final ActorSystem<?> system;
  private final Settings settings;
  private final List<IoThread> ioThreads = new ArrayList<>();
  private final Inproc inproc = new Inproc();
  private final Map<SocketCore, ActorRef<Socket.Command>> sockets = new ConcurrentHashMap<>();
  /** Per socket: completes when its actor has stopped, with whether everything queued was delivered. */
  private final Map<SocketCore, CompletableFuture<Boolean>> stopped = new ConcurrentHashMap<>();
  private final AtomicLong socketIds = new AtomicLong();
  private volatile boolean terminated;
  /** The I/O threads have been told to stop (once, whichever terminate saw the last socket go). */
  private final java.util.concurrent.atomic.AtomicBoolean ioThreadsStopped = new java.util.concurrent.atomic.AtomicBoolean();
  /** The outcome of the one termination, once it has begun. */
  private final AtomicReference<CompletableFuture<Boolean>> termination = new AtomicReference<>();

  private ZeroMQ(ActorSystem<?> system) {
    this.system = system;
    this.settings = Settings.from(system.settings().config());
    if (settings.ioThreads() < 1) {
      throw new IllegalArgumentException("pekko-zmq.io-threads must be at least 1, got " + settings.ioThreads());
    }
    int ctx = CONTEXTS.incrementAndGet();
    for (int i = 0; i < settings.ioThreads(); i++) {
      ioThreads.add(IoThread.start(system, "pekko-zmq-io-" + ctx + "-" + i, settings.ioThroughput(),
          settings.ioSpin().toNanos()));
    }
    system.getWhenTerminated().whenComplete((d, t) -> ioThreads.forEach(IoThread::stop));
    closeSocketsOnShutdown();
  }

  /** The context of this actor system. */
  public static ZeroMQ get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public ActorSystem<?> system() {
    return system;
  }

  public Settings settings() {
    return settings;
  }

  /** A new socket, usable both through its actor and through the blocking facade. */
  public ZSocket socket(SocketType type) {
    if (terminated) {
      throw new io.pekkozmq.engine.ZmqException(io.pekkozmq.engine.Errno.ETERM, "the context is terminated");
    }
    SocketOptions options = SocketOptions.fromConfig(settings.socketDefaults());
    options.inproc = inproc; // where its connections find a ZAP handler
    PatternOptions po = new PatternOptions();
    options.copyTo(po);
    String id = type.name().toLowerCase() + "-" + socketIds.incrementAndGet();
    SocketCore core = new SocketCore(id, type, Patterns.create(type, po), po, settings.inprocSpin().toNanos());
    core.setTimeouts(options.sndTimeo, options.rcvTimeo);
    stopped.put(core, new CompletableFuture<>());
    ActorRef<Socket.Command> ref = system.systemActorOf(Socket.create(this, core, options), "pzmq-" + id,
        DispatcherSelector.fromConfig(settings.socketDispatcher()));
    sockets.put(core, ref);
    return new ZSocket(this, core, ref);
  }

  /** A new socket for actor users: its typed reference. */
  public ActorRef<Socket.Command> socketActor(SocketType type) {
    return socket(type).actor();
  }

  /**
   * A new socket actor, registered with the actor system's Receptionist under {@code key}: actors
   * on any node of a cluster find it with {@code Receptionist.find} or {@code subscribe} and use
   * its typed protocol (the messages travel with {@code io.pekkozmq.actors.serialization.ZmqSerializer}).
   * The registration ends when the socket stops.
   */
  public ActorRef<Socket.Command> socketActor(SocketType type, ServiceKey<Socket.Command> key) {
    ActorRef<Socket.Command> socket = socketActor(type);
    system.receptionist().tell(Receptionist.register(key, socket));
    return socket;
  }

  /**
   * Registers {@code socket} with the Receptionist under {@code key}; completes when the local
   * Receptionist has taken it (a cluster's other nodes see it once the registry has spread,
   * typically within a second).
   */
  public CompletionStage<Receptionist.Registered> register(ServiceKey<Socket.Command> key, ActorRef<Socket.Command> socket) {
    return AskPattern.<Receptionist.Command, Receptionist.Registered>ask(system.receptionist(),
        replyTo -> Receptionist.register(key, socket, replyTo), settings.commandTimeout(), system.scheduler());
  }

  /** Chooses the least loaded I/O thread among those allowed by {@code affinity} (0: any). */
  IoThread chooseIoThread(long affinity) {
    IoThread best = null;
    for (int i = 0; i < ioThreads.size(); i++) {
      if (affinity != 0 && (affinity & (1L << i)) == 0) continue;
      IoThread t = ioThreads.get(i);
      if (best == null || t.loop().load() < best.loop().load()) best = t;
    }
    return best != null ? best : ioThreads.get(0);
  }

  Inproc inproc() {
    return inproc;
  }

  void socketStopped(SocketCore core, boolean delivered) {
    sockets.remove(core);
    CompletableFuture<Boolean> f = stopped.remove(core);
    if (f != null) f.complete(delivered);
  }

  /**
   * Completes when the socket's actor has stopped (after linger): true if every message queued at
   * close was delivered, false if LINGER (or max-termination) cut some off.
   */
  CompletableFuture<Boolean> whenStopped(SocketCore core) {
    CompletableFuture<Boolean> f = stopped.get(core);
    return f == null ? CompletableFuture.completedFuture(true) : f;
  }

  /**
   * Closes every socket (honouring LINGER) and waits for them, but never longer than
   * {@code pekko-zmq.max-termination}: sockets still lingering then are stopped. Never hangs.
   *
   * @return true when every socket finished lingering in time with all its queued messages
   *     delivered; false when LINGER or max-termination cut some off
   */
  public boolean terminate() {
    try {
      return terminateAsync().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return false;
    }
  }

  /**
   * {@link #terminate} without blocking: the first call closes every socket; it and every later
   * call (the actor system's CoordinatedShutdown, {@link ZContext#close}) share one outcome, which
   * completes within {@code pekko-zmq.max-termination}.
   */
  public CompletableFuture<Boolean> terminateAsync() {
    CompletableFuture<Boolean> mine = new CompletableFuture<>();
    if (!termination.compareAndSet(null, mine)) return termination.get();
    terminated = true;
    List<CompletableFuture<Boolean>> waits = new ArrayList<>();
    for (Map.Entry<SocketCore, ActorRef<Socket.Command>> e : sockets.entrySet()) {
      waits.add(whenStopped(e.getKey()));
      e.getValue().tell(new Socket.Close(null));
    }
    CompletableFuture<Void> allStopped = CompletableFuture.allOf(waits.toArray(new CompletableFuture[0]));
    // libzmq's ctx_t sends its I/O threads stop once every socket is reaped: each socket stops
    // only after its listeners, sessions and engines, so nothing is left on the threads then
    allStopped.thenRun(() -> {
      // a socket made while terminate began keeps the threads for the actor system's end
      if (sockets.isEmpty() && ioThreadsStopped.compareAndSet(false, true)) {
        ioThreads.forEach(t -> t.actor().tell(new IoThread.Stop(null)));
      }
    });
    // max-termination reached: whatever still lingers is dropped when the system stops
    allStopped.orTimeout(settings.maxTermination().toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete((ok, timedOut) -> mine.complete(timedOut == null && waits.stream().allMatch(w -> w.getNow(false))));
    return mine;
  }

  /**
   * The CoordinatedShutdown task: after the cluster has been left ({@code pekko-zmq.coordinated-shutdown.phase},
   * by default {@code before-actor-system-terminate}), sockets linger up to max-termination.
   */
  private void closeSocketsOnShutdown() {
    String phase = system.settings().config().getString("pekko-zmq.coordinated-shutdown.phase");
    if (phase.isEmpty()) return;
    CoordinatedShutdown cs = CoordinatedShutdown.get(system);
    Duration phaseTimeout = Duration.ofNanos(cs.timeout(phase).toNanos());
    if (phaseTimeout.compareTo(settings.maxTermination()) < 0) {
      system.log().warn("CoordinatedShutdown phase {} times out after {}, before pekko-zmq.max-termination ({}): "
          + "sockets still lingering then are cut off", phase, phaseTimeout, settings.maxTermination());
    }
    try {
      cs.addTask(phase, "pekko-zmq-close-sockets", () -> terminateAsync().thenApply(delivered -> Done.done()));
    } catch (IllegalStateException shutdownUnderWay) {
      // a context made while its system shuts down: its sockets end with the system
      system.log().debug("pekko-zmq: CoordinatedShutdown already running, sockets are not closed in {}", phase);
    }
  }

  public boolean isTerminated() {
    return terminated;
  }

  /**
   * Asks a socket actor and waits (facade use only: never from inside an actor). A socket that
   * stops before answering fails the call at once (ENOTSOCK, or ETERM if the context is
   * terminated) instead of after the command timeout.
   */
  Socket.Reply ask(SocketCore core, ActorRef<Socket.Command> socket,
      java.util.function.Function<ActorRef<Socket.Reply>, Socket.Command> make, java.util.function.Supplier<String> name) {
    CompletableFuture<Socket.Reply> answer = AskPattern.<Socket.Command, Socket.Reply>ask(
        socket, make::apply, settings.commandTimeout(), system.scheduler()).toCompletableFuture();
    CompletableFuture<Socket.Reply> gone = whenStopped(core).thenApply(delivered -> null);
    try {
      Socket.Reply r = answer.applyToEither(gone, x -> x)
          .get(settings.commandTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
      if (r == null && answer.isDone() && !answer.isCompletedExceptionally()) r = answer.getNow(null);
      if (r != null) return r;
      throw terminated ? new io.pekkozmq.engine.ZmqException(io.pekkozmq.engine.Errno.ETERM,
          "the context of " + name.get() + " is terminated")
          : new io.pekkozmq.engine.ZmqException(io.pekkozmq.engine.Errno.ENOTSOCK, name.get() + " is closed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.pekkozmq.engine.ZmqException(io.pekkozmq.engine.Errno.EINTR, "interrupted while waiting for " + name.get());
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new io.pekkozmq.engine.ZmqException(io.pekkozmq.engine.Errno.ETERM,
          name.get() + " did not answer within " + settings.commandTimeout(), e);
    }
  }
}
