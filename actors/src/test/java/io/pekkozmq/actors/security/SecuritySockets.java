package io.pekkozmq.actors.security;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The security tests' shared fixture: one context per class, sockets made through {@link #socket}
 * (LINGER 0, RCVTIMEO {@link #WAIT}) and closed after each test, monitors as probes. A subclass
 * with more to clean up overrides {@link #closeSockets} and calls it first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SecuritySockets {
  static final Duration WAIT = Duration.ofSeconds(20);

  ZContext ctx;
  private final List<ZSocket> sockets = new ArrayList<>();

  @BeforeAll
  void open() {
    ctx = new ZContext();
  }

  @AfterAll
  void close() {
    ctx.close();
  }

  @AfterEach
  void closeSockets() throws InterruptedException {
    sockets.forEach(ZSocket::close);
    sockets.clear();
  }

  ZSocket socket(SocketType type, Map<ZmqOption, Object> options) {
    ZSocket s = ctx.socket(type);
    sockets.add(s);
    s.setOption(ZmqOption.LINGER, 0);
    s.setOption(ZmqOption.RCVTIMEO, (int) WAIT.toMillis());
    options.forEach(s::setOption);
    return s;
  }

  TestProbe<SocketEvent> monitor(ZSocket s) {
    TestProbe<SocketEvent> p = TestProbe.create(SocketEvent.class, ctx.system());
    s.monitor(p.ref(), EventType.ALL_V1);
    return p;
  }

  /** The first event of one of {@code types}, skipping the others. */
  static SocketEvent await(TestProbe<SocketEvent> p, EventType... types) {
    List<EventType> wanted = List.of(types);
    return p.fishForMessage(WAIT, "waiting for " + wanted,
        e -> wanted.contains(e.type()) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0);
  }
}
