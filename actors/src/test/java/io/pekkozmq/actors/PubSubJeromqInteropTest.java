package io.pekkozmq.actors;

import static io.pekkozmq.actors.PubSubReceiving.hex;
import static io.pekkozmq.actors.PubSubReceiving.text;
import static io.pekkozmq.actors.PubSubReceiving.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zeromq.ZMQ;

/**
 * The publish-subscribe family against JeroMQ 0.6.0, which speaks ZMTP 3.0: subscriptions travel
 * as {@code 01}/{@code 00}+topic data frames in both directions. In the same JVM over tcp, our side
 * binding and connecting. JeroMQ sockets are used by the test thread only.
 */
class PubSubJeromqInteropTest extends JeromqPerClass {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int ROUNDS = 100;

  private ZMQ.Socket open(org.zeromq.SocketType type) {
    ZMQ.Socket s = jeromq.createSocket(type);
    s.setLinger(0);
    s.setReceiveTimeOut((int) WAIT.toMillis());
    return s;
  }

  /** A JeroMQ socket of {@code type} joined to ours; {@code prepare} runs on each new socket before it connects. */
  private ZMQ.Socket join(ZSocket ours, boolean weBind, org.zeromq.SocketType type,
      java.util.function.Consumer<ZMQ.Socket> prepare) {
    return join(ours, weBind, () -> {
      ZMQ.Socket peer = open(type);
      prepare.accept(peer);
      return peer;
    });
  }

  private static String expectedFiltered(String end) {
    List<String> want = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      want.add("A" + i);
      want.add("C" + i);
    }
    want.add(end);
    return String.join(",", want);
  }

  @ParameterizedTest(name = "we-bind={0}")
  @ValueSource(booleans = {true, false})
  void jeromqSubscriberReceivesOnlyWhatItSubscribedTo(boolean weBind) {
    try (ZSocket pub = ctx.socket(SocketType.PUB)) {
      ZMQ.Socket sub = join(pub, weBind, org.zeromq.SocketType.SUB, s -> {
        s.subscribe("A".getBytes(StandardCharsets.UTF_8));
        s.subscribe("C".getBytes(StandardCharsets.UTF_8));
      });
      try {
        // its subscriptions arrive as legacy data frames; C is the last, so a C marker proves both
        sub.setReceiveTimeOut(20);
        long deadline = System.nanoTime() + WAIT.toNanos();
        byte[] first = null;
        while (first == null && System.nanoTime() < deadline) {
          pub.send("C-ready");
          first = sub.recv();
        }
        assertNotNull(first, "JeroMQ's subscriptions never took effect");
        sub.setReceiveTimeOut((int) WAIT.toMillis());
        for (int i = 0; i < ROUNDS; i++) {
          for (String t : List.of("A", "B", "C", "D")) pub.send(t + i);
        }
        pub.send("C-end");
        assertEquals(expectedFiltered("C-end"), String.join(",", until(() -> text(sub.recv()), "C-ready", "C-end")));
      } finally {
        jeromq.destroySocket(sub);
      }
    }
  }

  @ParameterizedTest(name = "we-bind={0}")
  @ValueSource(booleans = {true, false})
  void ourSubscriptionsReachAJeromqXpubAsLegacyFrames(boolean weBind) {
    try (ZSocket sub = ctx.socket(SocketType.SUB)) {
      sub.setOption(ZmqOption.LINGER, 0);
      sub.subscribe("A");
      ZMQ.Socket xpub = join(sub, weBind, org.zeromq.SocketType.XPUB, s -> {});
      try {
        assertEquals("0141", HexFormat.of().formatHex(xpub.recv()));
        sub.subscribe("B");
        sub.unsubscribe("A");
        assertEquals("0142", HexFormat.of().formatHex(xpub.recv()));
        assertEquals("0041", HexFormat.of().formatHex(xpub.recv()));
        xpub.send("A-data");
        xpub.send("B-data");
        assertEquals("B-data", text(sub.recv(WAIT)));
      } finally {
        jeromq.destroySocket(xpub);
      }
    }
  }

  @ParameterizedTest(name = "we-bind={0}")
  @ValueSource(booleans = {true, false})
  void ourXpubSeesAJeromqSubscribersSubscriptionsAndCancels(boolean weBind) {
    try (ZSocket xpub = ctx.socket(SocketType.XPUB)) {
      ZMQ.Socket sub = join(xpub, weBind, org.zeromq.SocketType.SUB, s -> {
        s.subscribe("A".getBytes(StandardCharsets.UTF_8));
        s.subscribe("B".getBytes(StandardCharsets.UTF_8));
      });
      try {
        List<String> subs = List.of(hex(nextWhilePumping(xpub, sub)), hex(nextWhilePumping(xpub, sub)));
        assertEquals(List.of("0141", "0142"), subs.stream().sorted().toList());
        sub.unsubscribe("A".getBytes(StandardCharsets.UTF_8));
        assertEquals("0041", hex(nextWhilePumping(xpub, sub)));
        xpub.send("A-x");
        xpub.send("B-x");
        assertEquals("B-x", text(sub.recv()));
      } finally {
        jeromq.destroySocket(sub);
      }
    }
  }

  @ParameterizedTest(name = "we-bind={0}")
  @ValueSource(booleans = {true, false})
  void jeromqPublisherSendsOurSubscriberOnlyItsTopics(boolean weBind) {
    try (ZSocket sub = ctx.socket(SocketType.SUB)) {
      sub.setOption(ZmqOption.LINGER, 0);
      sub.subscribe("A");
      sub.subscribe("C");
      ZMQ.Socket pub = join(sub, weBind, org.zeromq.SocketType.PUB, s -> {});
      try {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Msg joined = null;
        while (joined == null && System.nanoTime() < deadline) {
          pub.send("C-ready");
          joined = sub.recv(Duration.ofMillis(20));
        }
        assertNotNull(joined, "our subscriptions never reached JeroMQ's PUB");
        for (int i = 0; i < ROUNDS; i++) {
          for (String t : List.of("A", "B", "C", "D")) pub.send(t + i);
        }
        pub.send("C-end");
        assertEquals(expectedFiltered("C-end"), String.join(",", until(() -> text(sub.recv(WAIT)), "C-ready", "C-end")));
      } finally {
        jeromq.destroySocket(pub);
      }
    }
  }

  /**
   * Our next message, while making the JeroMQ socket run its pending commands: like libzmq, it
   * attaches a new connection (and sends its subscriptions to it) only inside an API call.
   */
  private static Msg nextWhilePumping(ZSocket ours, ZMQ.Socket theirs) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      theirs.recv(ZMQ.DONTWAIT);
      Msg m = ours.recv(Duration.ofMillis(20));
      if (m != null) return m;
    }
    return null;
  }
}
