package io.pekkozmq.monitor;

import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the tests that share one runtime for the whole class: {@code zmq} on an ActorTestKit's
 * system, terminated (and the kit shut down) after the last test. The actors module's tests have
 * their own in {@code io.pekkozmq.actors}; this module cannot see that package of the actors
 * test-jar, since the module {@code pekko.zmq.actors} owns it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RuntimePerClass {
  protected ActorTestKit testKit;
  protected ZeroMQ zmq;

  @BeforeAll
  void startRuntime() {
    testKit = ActorTestKit.create();
    zmq = ZeroMQ.get(testKit.system());
  }

  @AfterAll
  void stopRuntime() {
    if (zmq != null) zmq.terminate();
    if (testKit != null) testKit.shutdownTestKit();
  }

  /** A probe receiving every v1 event of {@code socket}. */
  protected TestProbe<SocketEvent> monitor(ZSocket socket) {
    TestProbe<SocketEvent> probe = testKit.createTestProbe(SocketEvent.class);
    socket.monitor(probe.ref(), EventType.ALL_V1);
    return probe;
  }
}
