package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/**
 * The ZeroMQ extension closes its sockets in the actor system's CoordinatedShutdown, once, whoever
 * starts the termination: {@link ZeroMQ#terminate}, {@link ZContext#close} or the system's own
 * terminate. Bounded by max-termination, never hanging. (Delivery within LINGER after a cluster
 * member has left: {@code ClusterTest}.)
 */
class CoordinatedShutdownTest {
  /** A PUSH with a message it can never deliver: its peer's port is closed. LINGER -1. */
  private static ZSocket stuckPush(ZeroMQ zmq) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ZSocket push = zmq.socket(SocketType.PUSH);
    push.setOption(ZmqOption.LINGER, -1);
    push.connect("tcp://127.0.0.1:" + port);
    push.send(Msg.ofStrings("never delivered"));
    return push;
  }

  @Test
  void theSystemsTerminationClosesTheSocketsWithinMaxTermination() throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "CoordinatedShutdownTest", ConfigFactory.parseString("""
        pekko-zmq.max-termination = 500ms
        pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
        pekko.loglevel = WARNING
        """).withFallback(ConfigFactory.load()));
    ZeroMQ zmq = ZeroMQ.get(system);
    stuckPush(zmq);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertTrue(zmq.isTerminated(), "CoordinatedShutdown terminated the context");
    assertFalse(zmq.terminateAsync().get(1, TimeUnit.SECONDS), "max-termination cut the undeliverable message off");
  }

  @Test
  void aContextsCloseAndTheSystemsShutdownTerminateOnce() throws Exception {
    ZContext ctx = new ZContext(ConfigFactory.parseString("pekko-zmq.max-termination = 500ms").withFallback(ConfigFactory.load()));
    ZeroMQ zmq = ctx.zeroMQ();
    stuckPush(zmq);
    CompletableFuture<Boolean> first = zmq.terminateAsync();
    ctx.close(); // terminate again, then the system's CoordinatedShutdown runs its task: the same outcome
    assertSame(first, zmq.terminateAsync(), "one termination");
    assertFalse(first.get(1, TimeUnit.SECONDS));
    assertTrue(ctx.system().getWhenTerminated().toCompletableFuture().isDone(), "close returned after the system ended");
    assertTrue(CoordinatedShutdown.get(ctx.system()).getShutdownReason().isPresent(), "the system ran its CoordinatedShutdown");
  }

  @Test
  void anEmptyPhaseLeavesTheSocketsToTheSystemsEnd() throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "CoordinatedShutdownTest", ConfigFactory.parseString("""
        pekko-zmq.coordinated-shutdown.phase = ""
        pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
        pekko.loglevel = WARNING
        """).withFallback(ConfigFactory.load()));
    ZeroMQ zmq = ZeroMQ.get(system);
    stuckPush(zmq);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertFalse(zmq.isTerminated(), "no task ran");
  }
}
