package io.pekkozmq.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.ConfigFactory;
import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@link EventSource}: order, completion with MONITOR_STOPPED, backpressure as bounded loss, cancel. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventSourceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private ActorTestKit testKit;
  private ZContext ctx;

  @BeforeAll
  void start() {
    testKit = ActorTestKit.create();
    ctx = new ZContext(ConfigFactory.parseString("pekko-zmq.monitor.buffer = 8").withFallback(ConfigFactory.load()));
  }

  @AfterAll
  void stop() {
    ctx.close();
    testKit.shutdownTestKit();
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> f) throws Exception {
    return f.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void emitsTheSocketsEventsInOrderAndCompletesAfterMonitorStopped() throws Exception {
    ZSocket pull = ctx.socket(SocketType.PULL);
    var run = EventSource.create(pull, EventType.ALL_V1, 16).toMat(Sink.seq(), Keep.both()).run(testKit.system());
    await(run.first());
    var done = run.second();
    TestProbe<SocketEvent> sync = testKit.createTestProbe();
    pull.monitor(sync.ref(), EventType.DISCONNECTED.value());
    String ep = pull.bind("tcp://127.0.0.1:*");
    try (ZSocket push = ctx.socket(SocketType.PUSH)) {
      push.connect(ep);
      push.send("x");
      assertEquals("x", pull.recvString(WAIT));
    }
    sync.receiveMessage(WAIT);
    pull.close();
    List<EventType> types = await(done).stream().map(SocketEvent::type).toList();
    assertEquals(List.of(EventType.LISTENING, EventType.ACCEPTED, EventType.HANDSHAKE_SUCCEEDED, EventType.DISCONNECTED,
        EventType.CLOSED, EventType.MONITOR_STOPPED), types);
  }

  @Test
  void aSlowStreamLosesTheOldestEventsCountedButNeverHoldsTheSocketBack() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ZSocket push = ctx.socket(SocketType.PUSH);
    push.setOption(ZmqOption.RECONNECT_IVL, 1);
    long mask = EventType.CONNECT_DELAYED.value() | EventType.CLOSED.value() | EventType.CONNECT_RETRIED.value();
    CompletableFuture<Void> gate = new CompletableFuture<>();
    var run = EventSource.create(push, mask, 4)
        .mapAsync(1, e -> gate.thenApply(x -> e))
        .toMat(Sink.seq(), Keep.both()).run(testKit.system());
    await(run.first());
    var slow = run.second();
    TestProbe<SocketEvent> truth = testKit.createTestProbe();
    push.monitor(truth.ref(), mask, Long.MAX_VALUE);
    push.connect("tcp://127.0.0.1:" + port);
    List<SocketEvent> all = new ArrayList<>(truth.receiveSeveralMessages(60, WAIT)); // while the stream is stuck
    gate.complete(null);
    push.close();
    while (all.get(all.size() - 1).type() != EventType.MONITOR_STOPPED) all.add(truth.receiveMessage(WAIT));
    List<SocketEvent> got = await(slow);
    assertEquals(EventType.MONITOR_STOPPED, got.get(got.size() - 1).type());
    long dropped = got.stream().mapToLong(SocketEvent::dropped).sum();
    assertTrue(dropped > 0, "a stream stuck for 60 events with room for a few loses some: " + got.size());
    assertEquals(all.size(), got.size() + dropped, "each event was emitted or counted as lost");
  }

  @Test
  void cancellingTheStreamUnsubscribes() throws Exception {
    ZSocket pull = ctx.socket(SocketType.PULL);
    var run = EventSource.create(pull, EventType.ALL_V2, 16).take(1).toMat(Sink.seq(), Keep.both())
        .run(testKit.system());
    await(run.first());
    var first = run.second();
    pull.bind("tcp://127.0.0.1:*");
    assertEquals(EventType.LISTENING, await(first).get(0).type());
    // the stream asked for PIPES_STATS; once it has unsubscribed, nobody does (EINVAL, not EAGAIN)
    for (int i = 0; ; i++) {
      ZmqException e = assertThrows(ZmqException.class, pull::requestPipesStats);
      if (e.errno() == Errno.EINVAL) break;
      assertEquals(Errno.EAGAIN, e.errno(), e.getMessage());
      if (i == 1000) fail("the cancelled stream is still subscribed");
    }
    pull.close();
  }

  @Test
  void aBufferOfNothingIsRefused() {
    ZSocket pull = ctx.socket(SocketType.PULL);
    assertThrows(IllegalArgumentException.class, () -> EventSource.create(pull, EventType.ALL_V1, 0));
    pull.close();
  }
}
