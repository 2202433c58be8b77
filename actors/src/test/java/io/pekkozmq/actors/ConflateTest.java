package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ZMQ_CONFLATE through the runtime: a reader that falls behind sees only the latest message, for
 * the socket types libzmq applies it to; the others ignore it.
 */
class ConflateTest extends ContextPerClass {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Receives until {@code last} arrives; returns every first frame seen on the way. */
  private static List<String> receiveUntil(ZSocket s, String last) {
    List<String> got = new ArrayList<>();
    while (true) {
      Msg m = s.recv(WAIT);
      assertNotNull(m, "never received " + last + " after " + got);
      got.add(m.first().text());
      if (m.first().text().equals(last)) return got;
    }
  }

  /**
   * Connects {@code sub} to {@code pub} at {@code ep}, waits until it has joined, publishes "0" to
   * "n-1" and returns what {@code sub} receives up to the last.
   */
  private static List<String> joinAndPublish(ZSocket pub, ZSocket sub, String ep, int n) {
    sub.connect(ep);
    PubSubTest.awaitJoined(pub, sub, "-1");
    for (int i = 0; i < n; i++) pub.send(Integer.toString(i));
    return receiveUntil(sub, Integer.toString(n - 1));
  }

  private static void assertIncreasing(List<String> got) {
    for (int i = 1; i < got.size(); i++) {
      assertTrue(Integer.parseInt(got.get(i)) > Integer.parseInt(got.get(i - 1)), "out of order: " + got);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp://127.0.0.1:*", "inproc://conflate-sub"})
  void subscriberThatFallsBehindSeesOnlyTheLatest(String endpoint) {
    try (ZSocket pub = ctx.socket(SocketType.PUB); ZSocket sub = ctx.socket(SocketType.SUB)) {
      sub.setOption(ZmqOption.CONFLATE, true);
      pub.setOption(ZmqOption.SNDHWM, 0); // the publisher must not drop at its own HWM
      sub.subscribe("");
      int n = 2_000;
      List<String> got = joinAndPublish(pub, sub, pub.bind(endpoint), n);
      assertIncreasing(got);
      assertTrue(got.size() < n / 10, "conflation kept " + got.size() + " of " + n + " messages");
      assertNull(sub.recv(Duration.ofMillis(50)));
    }
  }

  @Test
  void multipartMessagesAreConflatedWhole() {
    try (ZSocket pull = ctx.socket(SocketType.PULL); ZSocket push = ctx.socket(SocketType.PUSH)) {
      pull.setOption(ZmqOption.CONFLATE, true);
      // queue everything before the peer exists, so it arrives in a burst (a few reads), not one
      // message per read as it would on a loaded machine while the sender is still sending
      String ep = "tcp://127.0.0.1:" + PushPullTest.freePort();
      push.connect(ep);
      int n = 1_000;
      for (int i = 0; i < n; i++) push.send(Msg.ofStrings(Integer.toString(i), "part-" + i, "end-" + i));
      pull.bind(ep);
      List<String> got = new ArrayList<>();
      while (true) {
        Msg m = pull.recv(WAIT);
        assertNotNull(m);
        String seq = m.first().text();
        assertEquals(3, m.size(), "whole message " + seq);
        assertEquals("part-" + seq, m.frame(1).text());
        assertEquals("end-" + seq, m.frame(2).text());
        got.add(seq);
        if (seq.equals(Integer.toString(n - 1))) break;
      }
      assertIncreasing(got);
      assertTrue(got.size() < n / 10, "conflation kept " + got.size() + " of " + n);
    }
  }

  @Test
  void publisherConflatesTowardsEachSubscriber() {
    try (ZSocket pub = ctx.socket(SocketType.PUB); ZSocket sub = ctx.socket(SocketType.SUB)) {
      pub.setOption(ZmqOption.CONFLATE, true);
      sub.subscribe("");
      int n = 2_000;
      List<String> got = joinAndPublish(pub, sub, pub.bind("inproc://conflate-pub"), n);
      assertEquals(List.of(Integer.toString(n - 1)), got, "inproc: nothing reads the pipe but the subscriber");
    }
  }

  @Test
  void conflatingSubscriberStillSendsEverySubscription() {
    try (ZSocket pub = ctx.socket(SocketType.PUB); ZSocket sub = ctx.socket(SocketType.SUB)) {
      sub.setOption(ZmqOption.CONFLATE, true);
      String ep = pub.bind("tcp://127.0.0.1:*");
      for (String topic : List.of("A", "B", "C", "D")) sub.subscribe(topic);
      sub.connect(ep);
      // libzmq conflates the subscriptions too and would keep only "D"
      for (String topic : List.of("A", "B", "C", "D")) PubSubTest.awaitJoined(pub, sub, topic + "-ready");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"PAIR", "ROUTER"})
  void typesLibzmqDoesNotConflateIgnoreTheOption(String type) {
    try (ZSocket receiver = ctx.socket(SocketType.parse(type));
        ZSocket sender = ctx.socket(type.equals("PAIR") ? SocketType.PAIR : SocketType.DEALER)) {
      receiver.setOption(ZmqOption.CONFLATE, true);
      assertEquals(true, receiver.getOption(ZmqOption.CONFLATE));
      String ep = receiver.bind("tcp://127.0.0.1:*");
      sender.connect(ep);
      int n = 500;
      for (int i = 0; i < n; i++) sender.send(Integer.toString(i));
      for (int i = 0; i < n; i++) {
        Msg m = receiver.recv(WAIT);
        assertNotNull(m, "message " + i);
        assertEquals(Integer.toString(i), m.frame(m.size() - 1).text());
      }
    }
  }
}
