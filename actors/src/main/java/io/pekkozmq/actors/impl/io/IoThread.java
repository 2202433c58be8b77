package io.pekkozmq.actors.impl.io;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.dispatch.Dispatcher;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceFactory;
import org.apache.pekko.dispatch.ExecutorServiceFactoryProvider;
import org.apache.pekko.dispatch.MessageDispatcher;
import org.apache.pekko.dispatch.MessageDispatcherConfigurator;
import scala.concurrent.duration.Duration;
import scala.concurrent.duration.FiniteDuration;

/**
 * libzmq's io_thread_t: an {@link IoLoop} registered with Pekko as a dispatcher, so the listener,
 * connecter, session and engine actors spawned with {@link #dispatcher()} run on the loop's
 * thread, exactly as libzmq's objects run on their io_thread, and a typed actor of its own on
 * that thread, answering the I/O thread's protocol ({@link Command}).
 *
 * <p>Readiness never passes through that actor: the loop hands each ready key straight to its
 * {@link IoHandler}, between mailbox runs, as libzmq's poller calls in_event/out_event. Objects
 * that run on the loop (every actor spawned on {@link #dispatcher()}) register their channels
 * with {@link #loop()} directly, on their own thread, as libzmq's io_object_t calls add_fd;
 * {@link Plug} is for a handler that has no actor on the loop. Which I/O thread a new object goes
 * to is the context's answer (libzmq's ctx_t::choose_io_thread): the least {@link IoLoop#load()}
 * among those AFFINITY allows, read without a message, as libzmq reads each poller's load.
 */
public final class IoThread {
  /** The I/O thread's protocol. */
  public sealed interface Command extends org.apache.pekko.actor.NoSerializationVerificationNeeded permits Stop, GetLoad, GetStatistics, Plug, Unplug, Idle {}

  /**
   * libzmq's stop, sent by the context once its sockets have stopped (and with them every object
   * on this thread): the thread stops once its load is zero, then {@code replyTo} (may be null)
   * hears {@link Stopped} and the loop ends. Until then it keeps serving.
   */
  public record Stop(ActorRef<Stopped> replyTo) implements Command {}

  /** This I/O thread has stopped; its loop ends after this message. */
  public record Stopped(String name) {}

  /** Asks for the number of objects (listeners, engines, plugged handlers) on this thread. */
  public record GetLoad(ActorRef<Load> replyTo) implements Command {}

  public record Load(String name, int objects) {}

  /** Asks for the loop's counters. */
  public record GetStatistics(ActorRef<Statistics> replyTo) implements Command {}

  /**
   * The loop's counters, read on its own thread: its load, the channels in its selector, the
   * tasks (mailbox runs) it has run, its passes through the selector, how often a producer had to
   * wake it from a blocking select, and how often its idle spin (pekko-zmq.io-spin) found work
   * before it would have blocked.
   */
  public record Statistics(String name, int load, int channels, long tasksRun, long selects, long wakeUps,
      long spinsThatFoundWork) {}

  /**
   * Registers {@code channel} with this thread's selector for {@code ops}; readiness then goes to
   * {@code handler} on the loop's thread. Counts as one object of the load until {@link Unplug}.
   */
  public record Plug(SelectableChannel channel, int ops, IoHandler handler, ActorRef<PlugReply> replyTo)
      implements Command {}

  public sealed interface PlugReply permits Plugged, PlugFailed {}

  public record Plugged(SelectionKey key) implements PlugReply {}

  public record PlugFailed(String reason) implements PlugReply {}

  /** Takes a plugged channel out of the selector (the channel stays open: it is its owner's). */
  public record Unplug(SelectionKey key) implements Command {}

  /** The load has dropped to zero while a stop waits. */
  private enum Idle implements Command { INSTANCE }

  private final IoLoop loop;
  private final String dispatcherId;
  private final ActorRef<Command> actor;

  private IoThread(IoLoop loop, String dispatcherId, ActorRef<Command> actor) {
    this.loop = loop;
    this.dispatcherId = dispatcherId;
    this.actor = actor;
  }

  /**
   * Starts the loop, registers its dispatcher under {@code dispatcherId} in this system and spawns
   * the I/O thread's actor (a system actor of that name) on it. {@code idleSpinNanos}: how long at
   * most the loop looks for more work before it blocks (pekko-zmq.io-spin; 0 never spins).
   */
  public static IoThread start(ActorSystem<?> system, String dispatcherId, int throughput, long idleSpinNanos) {
    IoLoop loop = new IoLoop(dispatcherId, idleSpinNanos);
    var dispatchers = system.classicSystem().dispatchers();
    Config config = ConfigFactory.parseString("id = \"" + dispatcherId + "\"\nthroughput = " + throughput)
        .withFallback(system.settings().config().getConfig("pekko.actor.default-dispatcher"));
    boolean registered = dispatchers.registerConfigurator(
        dispatcherId, new LoopConfigurator(config, dispatchers.prerequisites(), loop, dispatcherId, throughput));
    if (!registered) {
      loop.stop();
      throw new IllegalStateException("dispatcher " + dispatcherId + " is already registered in " + system.name());
    }
    ActorRef<Command> actor = system.systemActorOf(behavior(loop), dispatcherId, DispatcherSelector.fromConfig(dispatcherId));
    return new IoThread(loop, dispatcherId, actor);
  }

  /** The I/O thread's actor. */
  public ActorRef<Command> actor() {
    return actor;
  }

  public IoLoop loop() {
    return loop;
  }

  public DispatcherSelector dispatcher() {
    return DispatcherSelector.fromConfig(dispatcherId);
  }

  public String dispatcherId() {
    return dispatcherId;
  }

  /**
   * Stops the loop at once, whatever still runs on it: only once the actor system has terminated
   * (before that, {@link Stop}: the system waits for this thread's actor, which needs the loop).
   */
  public void stop() {
    loop.stop();
  }

  private static Behavior<Command> behavior(IoLoop loop) {
    return Behaviors.setup(ctx -> new Actor(ctx, loop));
  }

  /** The I/O thread's actor; runs on the loop's own thread, so it reads the loop's state directly. */
  private static final class Actor extends AbstractBehavior<Command> {
    private final IoLoop loop;
    private final List<ActorRef<Stopped>> stopRequests = new ArrayList<>();
    private boolean stopping;

    Actor(ActorContext<Command> ctx, IoLoop loop) {
      super(ctx);
      this.loop = loop;
    }

    @Override
    public Receive<Command> createReceive() {
      return newReceiveBuilder()
          .onMessage(Stop.class, this::onStop)
          .onMessageEquals(Idle.INSTANCE, this::onIdle)
          .onMessage(GetLoad.class, g -> {
            g.replyTo().tell(new Load(loop.name(), loop.load()));
            return this;
          })
          .onMessage(GetStatistics.class, g -> {
            g.replyTo().tell(new Statistics(loop.name(), loop.load(), loop.channels(), loop.tasksRun(),
                loop.selects(), loop.wakeUps(), loop.spinsThatFoundWork()));
            return this;
          })
          .onMessage(Plug.class, this::onPlug)
          .onMessage(Unplug.class, u -> {
            if (u.key().isValid()) {
              loop.deregister(u.key());
              loop.adjustLoad(-1);
            }
            return this;
          })
          .onSignal(PostStop.class, s -> {
            // a stop we were asked for ends the loop; a stop of the actor system leaves the loop
            // to the context, which ends it once the system has terminated
            if (stopping) loop.stop();
            return this;
          })
          .build();
    }

    private Behavior<Command> onStop(Stop s) {
      if (s.replyTo() != null) stopRequests.add(s.replyTo());
      if (stopping) return this;
      stopping = true;
      ActorRef<Command> self = getContext().getSelf();
      loop.whenIdle(() -> self.tell(Idle.INSTANCE));
      return this;
    }

    private Behavior<Command> onIdle() {
      if (loop.load() != 0) { // an object came back meanwhile: wait for it too
        ActorRef<Command> self = getContext().getSelf();
        loop.whenIdle(() -> self.tell(Idle.INSTANCE));
        return this;
      }
      for (ActorRef<Stopped> r : stopRequests) r.tell(new Stopped(loop.name()));
      return Behaviors.stopped();
    }

    private Behavior<Command> onPlug(Plug p) {
      try {
        SelectionKey key = loop.register(p.channel(), p.ops(), p.handler());
        loop.adjustLoad(1);
        p.replyTo().tell(new Plugged(key));
      } catch (IOException | RuntimeException e) {
        p.replyTo().tell(new PlugFailed("cannot register " + p.channel() + " with " + loop.name() + ": " + e));
      }
      return this;
    }
  }

  private static final class LoopConfigurator extends MessageDispatcherConfigurator {
    private final MessageDispatcher instance;

    LoopConfigurator(Config config, DispatcherPrerequisites prerequisites, IoLoop loop, String id, int throughput) {
      super(config, prerequisites);
      ExecutorServiceFactoryProvider provider = new ExecutorServiceFactoryProvider() {
        @Override
        public ExecutorServiceFactory createExecutorServiceFactory(String name, ThreadFactory threadFactory) {
          return () -> (ExecutorService) loop;
        }
      };
      this.instance = new Dispatcher(this, id, throughput, Duration.Zero(), provider,
          FiniteDuration.create(365, TimeUnit.DAYS));
    }

    @Override
    public MessageDispatcher dispatcher() {
      return instance;
    }
  }
}
