package io.pekkozmq.streams.javadsl;

import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.streams.ZmqSettings;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One actor system per test class (PER_CLASS, so the kit is shut down after the class and no
 * system leaks), its ZeroMQ extension, and the default stage settings to derive each test's from.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StagesPerClass {
  ActorTestKit kit;
  ActorSystem<Void> system;
  ZeroMQ zmq;
  ZmqSettings base;

  @BeforeAll
  void startKit() {
    kit = ActorTestKit.create();
    system = kit.system();
    zmq = ZeroMQ.get(system);
    base = ZmqSettings.create(system);
  }

  @AfterAll
  void stopKit() {
    if (zmq != null) zmq.terminate();
    if (kit != null) kit.shutdownTestKit();
  }
}
