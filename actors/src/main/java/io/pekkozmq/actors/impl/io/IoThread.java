package io.pekkozmq.actors.impl.io;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
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
 * One I/O thread of a context: an {@link IoLoop} registered with Pekko as a dispatcher, so the
 * listener, connecter, session and engine actors spawned with {@link #dispatcher()} run on the
 * loop's thread, exactly as libzmq's objects run on their io_thread.
 */
public final class IoThread {
  private final IoLoop loop;
  private final String dispatcherId;

  private IoThread(IoLoop loop, String dispatcherId) {
    this.loop = loop;
    this.dispatcherId = dispatcherId;
  }

  /** Starts the loop and registers its dispatcher under {@code dispatcherId} in this system. */
  public static IoThread start(ActorSystem<?> system, String dispatcherId, int throughput) {
    IoLoop loop = new IoLoop(dispatcherId);
    var dispatchers = system.classicSystem().dispatchers();
    Config config = ConfigFactory.parseString("id = \"" + dispatcherId + "\"\nthroughput = " + throughput)
        .withFallback(system.settings().config().getConfig("pekko.actor.default-dispatcher"));
    boolean registered = dispatchers.registerConfigurator(
        dispatcherId, new LoopConfigurator(config, dispatchers.prerequisites(), loop, dispatcherId, throughput));
    if (!registered) {
      loop.stop();
      throw new IllegalStateException("dispatcher " + dispatcherId + " is already registered in " + system.name());
    }
    return new IoThread(loop, dispatcherId);
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

  public void stop() {
    loop.stop();
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
