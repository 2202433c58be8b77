package io.pekkozmq.actors.impl.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.dispatch.Dispatcher;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceFactory;
import org.apache.pekko.dispatch.ExecutorServiceFactoryProvider;
import org.apache.pekko.dispatch.MessageDispatcher;
import org.apache.pekko.dispatch.MessageDispatcherConfigurator;
import scala.concurrent.duration.Duration;
import scala.concurrent.duration.FiniteDuration;

/**
 * Runs every task on the thread that submits it, one task at a time: the engine tests' I/O thread,
 * as Netty's EmbeddedEventLoop is for an EmbeddedChannel. Registered as a Pekko dispatcher, it runs
 * the mailbox of an engine and the readiness callbacks of its {@link MemoryChannel}; like an
 * {@code IoLoop}, it never runs one inside another. A task submitted by a running task (a message
 * an engine sends itself, a readiness check) runs after it, before the outermost {@link #execute}
 * returns; one submitted from another thread waits until the loop is free and runs then. So when
 * a test's call returns (a tell, bytes from the peer, ManualTime's timePasses), everything it set
 * off has happened, and the test asserts at once.
 */
final class EmbeddedLoop extends AbstractExecutorService {
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final ReentrantLock running = new ReentrantLock();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final String dispatcherId;

  private EmbeddedLoop(String dispatcherId) {
    this.dispatcherId = dispatcherId;
  }

  /** A loop registered in {@code system} as the dispatcher {@code dispatcherId}. */
  static EmbeddedLoop register(ActorSystem<?> system, String dispatcherId) {
    EmbeddedLoop loop = new EmbeddedLoop(dispatcherId);
    var dispatchers = system.classicSystem().dispatchers();
    Config config = ConfigFactory.parseString("id = \"" + dispatcherId + "\"\nthroughput = 5")
        .withFallback(system.settings().config().getConfig("pekko.actor.default-dispatcher"));
    if (!dispatchers.registerConfigurator(dispatcherId, new Configurator(config, dispatchers.prerequisites(), loop))) {
      throw new IllegalStateException("dispatcher " + dispatcherId + " is already registered");
    }
    return loop;
  }

  DispatcherSelector dispatcher() {
    return DispatcherSelector.fromConfig(dispatcherId);
  }

  /** What tasks threw (a readiness callback failing, say); a test expects none. */
  List<Throwable> failures() {
    return failures;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (running.isHeldByCurrentThread()) return; // inside a task: this one follows it
    running.lock();
    try {
      Runnable next;
      while ((next = tasks.poll()) != null) {
        try {
          next.run();
        } catch (Throwable t) {
          failures.add(t);
        }
      }
    } finally {
      running.unlock();
    }
  }

  @Override
  public void shutdown() {
    // the dispatcher calls this when idle; the loop has no thread to stop
  }

  @Override
  public List<Runnable> shutdownNow() {
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return false;
  }

  private static final class Configurator extends MessageDispatcherConfigurator {
    private final MessageDispatcher instance;

    Configurator(Config config, DispatcherPrerequisites prerequisites, EmbeddedLoop loop) {
      super(config, prerequisites);
      ExecutorServiceFactoryProvider provider = new ExecutorServiceFactoryProvider() {
        @Override
        public ExecutorServiceFactory createExecutorServiceFactory(String name, ThreadFactory threadFactory) {
          return () -> (ExecutorService) loop;
        }
      };
      this.instance = new Dispatcher(this, config.getString("id"), config.getInt("throughput"), Duration.Zero(),
          provider, FiniteDuration.create(365, TimeUnit.DAYS));
    }

    @Override
    public MessageDispatcher dispatcher() {
      return instance;
    }
  }
}
