package io.pekkozmq.actors;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pekkozmq.engine.SocketType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A standalone context for plain Java: starts its own embedded ActorSystem and closes it with the
 * context. {@link #close} honours the sockets' LINGER but finishes within
 * {@code pekko-zmq.max-termination}, whatever is still queued: it never hangs.
 */
public final class ZContext implements AutoCloseable {
  private final ActorSystem<Void> system;
  private final ZeroMQ zmq;

  public ZContext() {
    this(ConfigFactory.load());
  }

  /** A context with {@code ioThreads} I/O threads. */
  public ZContext(int ioThreads) {
    this(ConfigFactory.parseString("pekko-zmq.io-threads = " + ioThreads).withFallback(ConfigFactory.load()));
  }

  public ZContext(Config config) {
    Config c = ConfigFactory.parseString("""
        pekko.loglevel = WARNING
        pekko.stdout-loglevel = WARNING
        pekko.log-dead-letters = off
        pekko.log-dead-letters-during-shutdown = off
        pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
        pekko.jvm-shutdown-hooks = off
        """).withFallback(config);
    this.system = ActorSystem.create(Behaviors.empty(), "pekko-zmq", c);
    this.zmq = ZeroMQ.get(system);
  }

  public ZSocket socket(SocketType type) {
    return zmq.socket(type);
  }

  public ZeroMQ zeroMQ() {
    return zmq;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** Closes every socket (LINGER, bounded) and stops the embedded actor system. */
  @Override
  public void close() {
    zmq.terminate();
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // the system is going away regardless; its threads are daemons
    }
  }

  public Duration maxTermination() {
    return zmq.settings().maxTermination();
  }
}
