package io.pekkozmq.actors;

import io.pekkozmq.engine.event.SocketEvent;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the tests that share one runtime for the whole class: {@code zmq} on an ActorTestKit's
 * system, terminated (and the kit shut down) after the last test. Public: the monitor module's tests
 * extend it too (through the actors test-jar).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RuntimePerClass {
  protected ActorTestKit testKit;
  protected ZeroMQ zmq;

  @BeforeAll
  public void startRuntime() {
    testKit = ActorTestKit.create();
    zmq = ZeroMQ.get(testKit.system());
  }

  @AfterAll
  public void stopRuntime() {
    if (zmq != null) zmq.terminate();
    if (testKit != null) testKit.shutdownTestKit();
  }

  /** A probe receiving every v1 event of {@code socket}. */
  protected TestProbe<SocketEvent> monitor(ZSocket socket) {
    return MonitorProbes.monitor(testKit, socket);
  }
}
