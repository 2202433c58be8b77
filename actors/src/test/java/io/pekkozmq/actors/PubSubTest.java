package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PUB/SUB through the runtime: publisher-side prefix filtering, over tcp and inproc. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PubSubTest {
  private ZContext ctx;

  @BeforeAll
  void start() {
    ctx = new ZContext();
  }

  @AfterAll
  void stop() {
    ctx.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp://127.0.0.1:*", "inproc://pubsub-filter"})
  void eachSubscriberGetsOnlyItsPrefixes(String endpoint) {
    try (ZSocket pub = ctx.socket(SocketType.PUB);
        ZSocket subA = ctx.socket(SocketType.SUB);
        ZSocket subB = ctx.socket(SocketType.SUB)) {
      String ep = pub.bind(endpoint);
      subA.subscribe("A");
      subB.subscribe("B");
      subB.subscribe("C");
      subA.connect(ep);
      subB.connect(ep);
      // subscriptions travel asynchronously: publish markers until both have joined (bounded)
      awaitJoined(pub, subA, "A-ready");
      awaitJoined(pub, subB, "B-ready");
      for (int i = 0; i < 100; i++) {
        pub.send(Msg.ofStrings("A" + i));
        pub.send(Msg.ofStrings("B" + i));
        pub.send(Msg.ofStrings("C" + i));
        pub.send(Msg.ofStrings("D" + i));
      }
      pub.send(Msg.ofStrings("A-end"));
      pub.send(Msg.ofStrings("B-end"));
      for (int i = 0; i < 100; i++) assertEquals("A" + i, next(subA));
      assertEquals("A-end", next(subA));
      for (int i = 0; i < 100; i++) {
        assertEquals("B" + i, next(subB));
        assertEquals("C" + i, next(subB));
      }
      assertEquals("B-end", next(subB));
      assertNull(subA.recv(Duration.ofMillis(50)));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"PUB"})
  void receivingOnPubIsAnError(String type) {
    try (ZSocket pub = ctx.socket(SocketType.parse(type))) {
      ZmqException e = assertThrows(ZmqException.class, () -> pub.recv(Duration.ofMillis(10)));
      assertEquals(Errno.ENOTSUP, e.errno());
    }
  }

  static void awaitJoined(ZSocket pub, ZSocket sub, String marker) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      pub.send(Msg.ofStrings(marker));
      Msg m = sub.recv(Duration.ofMillis(20));
      if (m != null) {
        while (sub.recv(Duration.ofMillis(20)) != null) {
          // drain duplicate markers
        }
        return;
      }
    }
    throw new AssertionError("subscriber never joined");
  }

  private static String next(ZSocket sub) {
    Msg m = sub.recv(Duration.ofSeconds(10));
    return m == null ? null : m.first().text();
  }
}
