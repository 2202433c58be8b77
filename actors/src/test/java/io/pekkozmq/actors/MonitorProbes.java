package io.pekkozmq.actors;

import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;

/** Monitor events in tests: a probe subscribed to a socket, and waiting for one event type. */
final class MonitorProbes {
  private MonitorProbes() {}

  /** A probe receiving every v1 event of {@code socket}. */
  static TestProbe<SocketEvent> monitor(ActorTestKit kit, ZSocket socket) {
    TestProbe<SocketEvent> probe = kit.createTestProbe(SocketEvent.class);
    socket.monitor(probe.ref(), EventType.ALL_V1);
    return probe;
  }

  /**
   * The next event of {@code type}, skipping others; fails after {@code wait}, and the failure lists
   * the events skipped on the way.
   */
  static SocketEvent await(TestProbe<SocketEvent> probe, EventType type, Duration wait) {
    List<SocketEvent> seen = probe.fishForMessage(wait, "waiting for " + type,
        e -> e.type() == type ? FishingOutcomes.complete() : FishingOutcomes.continueAndCollect());
    return seen.get(seen.size() - 1);
  }
}
