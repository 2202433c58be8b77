package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

/** The connecter's retry schedule and RECONNECT_STOP, seen through monitor events; disconnect and unbind. */
class ReconnectTest extends RuntimePerClass {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static SocketEvent await(TestProbe<SocketEvent> probe, EventType type) {
    return MonitorProbes.await(probe, type, WAIT);
  }

  @Test
  void retriesToAClosedPortBackOffFromTheIntervalToTheMaximum() {
    String ep = "tcp://127.0.0.1:" + PushPullTest.freePort();
    try (ZSocket push = zmq.socket(SocketType.PUSH)) {
      push.setOption(ZmqOption.RECONNECT_IVL, 50);
      push.setOption(ZmqOption.RECONNECT_IVL_MAX, 400);
      TestProbe<SocketEvent> events = monitor(push);
      push.connect(ep);
      List<EventType> seen = new ArrayList<>();
      List<Long> intervals = new ArrayList<>();
      while (intervals.size() < 7) {
        SocketEvent e = events.receiveMessage(WAIT);
        seen.add(e.type());
        if (e.type() == EventType.CONNECT_RETRIED) {
          assertEquals(ep, e.endpoint());
          intervals.add(e.value());
        }
      }
      for (int k = 0; k < intervals.size(); k++) {
        long base = Math.min(50L << k, 400);
        long v = intervals.get(k);
        // libzmq: the current interval plus a jitter below RECONNECT_IVL, doubling up to the max
        assertTrue(v >= base && v < base + 50, "retry " + k + " after " + v + " ms, expected " + base + "..+50; all " + intervals);
      }
      // every retry follows a failed attempt that closed its socket
      assertEquals(intervals.size(), seen.stream().filter(t -> t == EventType.CLOSED).count(), seen.toString());
      assertTrue(seen.stream().allMatch(t -> t == EventType.CLOSED || t == EventType.CONNECT_RETRIED
          || t == EventType.CONNECT_DELAYED), seen.toString());
      System.out.println("retry events: " + seen + " intervals " + intervals);
    }
  }

  @Test
  void reconnectStopOnRefusalGivesUpAfterTheFirstRefusedConnection() {
    int port = PushPullTest.freePort();
    String ep = "tcp://127.0.0.1:" + port;
    try (ZSocket push = zmq.socket(SocketType.PUSH)) {
      push.setOption(ZmqOption.RECONNECT_IVL, 50);
      push.setOption(ZmqOption.RECONNECT_STOP, 1);
      TestProbe<SocketEvent> events = monitor(push);
      push.connect(ep);
      await(events, EventType.CLOSED);
      try (ZSocket pull = zmq.socket(SocketType.PULL)) {
        pull.bind(ep);
        // bounded negative check: at RECONNECT_IVL 50 ms a retry would come many times over
        events.expectNoMessage(Duration.ofMillis(500));
        push.trySend(Msg.ofStrings("never"));
        assertNull(pull.recv(Duration.ofMillis(200)), "the connecter gave up; nothing reaches the new listener");
      }
    }
  }

  @Test
  void afterDisconnectEverythingGoesToTheRemainingPeer() {
    try (ZSocket pullA = zmq.socket(SocketType.PULL); ZSocket pullB = zmq.socket(SocketType.PULL);
        ZSocket push = zmq.socket(SocketType.PUSH)) {
      TestProbe<SocketEvent> events = monitor(push);
      String a = pullA.bind("tcp://127.0.0.1:*");
      String b = pullB.bind("tcp://127.0.0.1:*");
      push.connect(a);
      push.connect(b);
      await(events, EventType.HANDSHAKE_SUCCEEDED);
      await(events, EventType.HANDSHAKE_SUCCEEDED);
      push.disconnect(a);
      assertEveryMessageReaches(push, pullB, pullA);
    }
  }

  @Test
  void afterUnbindEverythingGoesToThePeerOfTheRemainingEndpoint() {
    try (ZSocket pullA = zmq.socket(SocketType.PULL); ZSocket pullB = zmq.socket(SocketType.PULL);
        ZSocket push = zmq.socket(SocketType.PUSH)) {
      TestProbe<SocketEvent> events = monitor(push);
      TestProbe<SocketEvent> eventsA = monitor(pullA);
      String a = push.bind("tcp://127.0.0.1:*");
      String b = push.bind("tcp://127.0.0.1:*");
      pullA.connect(a);
      pullB.connect(b);
      await(events, EventType.HANDSHAKE_SUCCEEDED);
      await(events, EventType.HANDSHAKE_SUCCEEDED);
      push.unbind(a);
      SocketEvent closed = await(events, EventType.CLOSED);
      assertEquals(a, closed.localEndpoint(), closed.toLine());
      // as in libzmq, the connections the listener accepted are closed asynchronously after unbind
      await(eventsA, EventType.DISCONNECTED);
      assertEveryMessageReaches(push, pullB, pullA);
    }
  }

  /** Round-robin would give the other peer half of these: all arriving in order proves it got none. */
  private static void assertEveryMessageReaches(ZSocket push, ZSocket remaining, ZSocket gone) {
    for (int i = 0; i < 100; i++) assertTrue(push.send(Msg.ofStrings("m" + i), WAIT));
    for (int i = 0; i < 100; i++) {
      Msg m = remaining.recv(WAIT);
      assertNotNull(m, "message " + i + " went elsewhere");
      assertEquals("m" + i, m.first().text());
    }
    assertNull(gone.tryRecv());
  }
}
