package io.pekkozmq.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pekkozmq.actors.Socket;
import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Typed monitor subscribers: several per socket, each with its mask, in the order events happen,
 * each ended once by MONITOR_STOPPED; and the bound on a subscriber that does not keep up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypedSubscribersTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int BUFFER = 8;
  private ActorTestKit testKit;
  private ZContext ctx;

  @BeforeAll
  void start() {
    testKit = ActorTestKit.create();
    ctx = new ZContext(ConfigFactory.parseString("pekko-zmq.monitor.buffer = " + BUFFER)
        .withFallback(ConfigFactory.load()));
  }

  @AfterAll
  void stop() {
    ctx.close();
    testKit.shutdownTestKit();
  }

  /** A subscriber that keeps everything it is sent, however much. */
  private ActorRef<SocketEvent> collector(LinkedBlockingQueue<SocketEvent> q) {
    return testKit.spawn(Behaviors.receive(SocketEvent.class).onMessage(SocketEvent.class, e -> {
      q.add(e);
      return Behaviors.same();
    }).build());
  }

  private static List<SocketEvent> untilStopped(LinkedBlockingQueue<SocketEvent> q) throws InterruptedException {
    List<SocketEvent> out = new ArrayList<>();
    while (out.isEmpty() || out.get(out.size() - 1).type() != EventType.MONITOR_STOPPED) {
      SocketEvent e = q.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) throw new AssertionError("no MONITOR_STOPPED after " + out);
      out.add(e);
    }
    return out;
  }

  @Test
  void severalSubscribersEachSeeTheirShareInTheSocketsOrderAndEndOnce() throws Exception {
    ZSocket pull = ctx.socket(SocketType.PULL);
    long connections = EventType.ACCEPTED.value() | EventType.DISCONNECTED.value();
    long listener = EventType.LISTENING.value() | EventType.CLOSED.value();
    List<TestProbe<SocketEvent>> probes = List.of(testKit.createTestProbe(), testKit.createTestProbe(),
        testKit.createTestProbe());
    long[] masks = {EventType.ALL_V1, connections, listener};
    for (int i = 0; i < 3; i++) pull.monitor(probes.get(i).ref(), masks[i]);
    TestProbe<SocketEvent> sync = testKit.createTestProbe();
    pull.monitor(sync.ref(), EventType.DISCONNECTED.value());
    String ep = pull.bind("tcp://127.0.0.1:*");
    for (int i = 0; i < 3; i++) {
      try (ZSocket push = ctx.socket(SocketType.PUSH)) {
        push.connect(ep);
        push.send("m" + i);
        assertEquals("m" + i, pull.recvString(WAIT));
      }
      assertEquals(EventType.DISCONNECTED, sync.receiveMessage(WAIT).type()); // before the next peer
    }
    pull.close();
    List<List<EventType>> seen = new ArrayList<>();
    for (TestProbe<SocketEvent> p : probes) {
      List<EventType> s = new ArrayList<>();
      while (s.isEmpty() || s.get(s.size() - 1) != EventType.MONITOR_STOPPED) s.add(p.receiveMessage(WAIT).type());
      seen.add(s);
    }
    List<EventType> all = seen.get(0);
    assertEquals(1, all.stream().filter(t -> t == EventType.MONITOR_STOPPED).count(), all.toString());
    assertEquals(3, all.stream().filter(t -> t == EventType.DISCONNECTED).count(), all.toString());
    for (int i = 1; i < 3; i++) {
      long mask = masks[i];
      List<EventType> expected = all.stream().filter(t -> t.in(mask) || t == EventType.MONITOR_STOPPED).toList();
      assertEquals(expected, seen.get(i), "subscriber " + i + " sees the events of its mask, in the same order");
    }
    for (TestProbe<SocketEvent> p : probes) p.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void aSubscriberThatStopsAskingGetsItsDemandThenTheNewestEventsWithTheLossCounted() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    long mask = EventType.CONNECT_DELAYED.value() | EventType.CLOSED.value() | EventType.CONNECT_RETRIED.value();
    ZSocket push = ctx.socket(SocketType.PUSH);
    push.setOption(ZmqOption.RECONNECT_IVL, 1); // a refused connect per scheduler tick: events pour out
    TestProbe<SocketEvent> slow = testKit.createTestProbe();
    LinkedBlockingQueue<SocketEvent> all = new LinkedBlockingQueue<>();
    push.monitor(slow.ref(), mask, 5);
    // a subscriber that asks for everything sees the whole truth to compare with
    push.monitor(collector(all), mask, Long.MAX_VALUE);
    push.connect("tcp://127.0.0.1:" + port);

    List<SocketEvent> got = new ArrayList<>(slow.receiveSeveralMessages(5, WAIT));
    List<SocketEvent> truth = new ArrayList<>();
    while (truth.size() < 60) { // the socket goes on while the slow subscriber is stalled
      SocketEvent e = all.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) throw new AssertionError("the socket stalled after " + truth.size() + " events");
      truth.add(e);
    }
    slow.expectNoMessage(Duration.ofMillis(100)); // it never gets more than it asked for
    assertTrue(push.getOption(ZmqOption.LAST_ENDPOINT).toString().endsWith(":" + port), "the socket answers");

    push.actor().tell(new Socket.MonitorRequest(slow.ref(), 3));
    List<SocketEvent> resumed = slow.receiveSeveralMessages(3, WAIT);
    assertTrue(resumed.get(0).dropped() > 0, "the first event after the stall reports the loss: " + resumed.get(0));
    got.addAll(resumed);

    push.close();
    List<SocketEvent> rest = new ArrayList<>();
    while (rest.isEmpty() || rest.get(rest.size() - 1).type() != EventType.MONITOR_STOPPED) {
      rest.add(slow.receiveMessage(WAIT));
    }
    assertTrue(rest.size() - 1 <= BUFFER, "at the end at most the buffer is flushed: " + rest.size());
    got.addAll(rest.subList(0, rest.size() - 1));

    truth.addAll(untilStopped(all));
    long truthCount = truth.size() - 1;
    long dropped = got.stream().mapToLong(SocketEvent::dropped).sum() + rest.get(rest.size() - 1).dropped();
    assertEquals(truthCount, got.size() + dropped, "every event was either delivered or counted as dropped");
    // what the slow subscriber got is what happened, in order, minus the gaps it was told about
    int at = 0;
    for (SocketEvent e : got) {
      at += (int) e.dropped();
      assertEquals(truth.get(at), e.withDropped(0), "event " + at + " of " + truthCount);
      at++;
    }
    assertTrue(got.size() <= 5 + 3 + BUFFER, "bounded: " + got.size());
  }
}
