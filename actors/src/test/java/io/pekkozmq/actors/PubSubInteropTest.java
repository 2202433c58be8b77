package io.pekkozmq.actors;

import static io.pekkozmq.actors.PubSubReceiving.hex;
import static io.pekkozmq.actors.PubSubReceiving.text;
import static io.pekkozmq.actors.PubSubReceiving.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The publish-subscribe family against every peer ({@link InteropPeers}): libzmq speaks ZMTP 3.1
 * (subscriptions as SUBSCRIBE and CANCEL commands), JeroMQ 0.6.0 ZMTP 3.0 (subscriptions as
 * {@code 01}/{@code 00}+topic data frames); our side binding and connecting. Publisher-side
 * filtering in both directions, and subscriptions arriving as {@code 01}/{@code 00}+topic at an XPUB
 * on either side.
 *
 * <p>Joining: a subscription takes effect some time after the connection, so a publisher sends a
 * marker ({@code C-ready}, a topic every subscriber here takes) until the subscriber has one; each
 * look is a short receive, which also gives the peer's socket the call it needs to attach.
 */
class PubSubInteropTest extends InteropPeers {
  private static final int ROUNDS = 100;
  private static final Duration LOOK = Duration.ofMillis(20);

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** "topic" or "topic/part" for a two-frame message; null for none. */
  private static String withPart(List<byte[]> m) {
    if (m == null) return null;
    return new String(m.get(0), StandardCharsets.UTF_8) + (m.size() > 1 ? "/" + new String(m.get(1), StandardCharsets.UTF_8) : "");
  }

  private static String withPart(Msg m) {
    return m == null ? null : m.first().text() + (m.size() > 1 ? "/" + m.frame(1).text() : "");
  }

  private static String peerHex(List<byte[]> m) {
    assertNotNull(m, "nothing reached the peer");
    assertEquals(1, m.size(), "a subscription message is one frame");
    return HexFormat.of().formatHex(m.get(0));
  }

  private static String expectedFiltered(String end) {
    List<String> want = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      want.add("A" + i + "/p");
      want.add("C" + i + "/p");
    }
    want.add(end);
    return String.join(",", want);
  }

  @ParameterizedTest(name = "{0} we-bind={1} {2}")
  @MethodSource("placements")
  void aPeerSubscriberReceivesOnlyWhatItSubscribedTo(String peerName, boolean weBind, String transport) throws Exception {
    PeerDriver peer = peer(peerName);
    try (ZSocket pub = ctx.socket(SocketType.PUB)) {
      // C is its last subscription: once a C marker gets through, our PUB knows A and C
      peer.socket("sub", "SUB", Map.of());
      peer.option("sub", "SUBSCRIBE", b("A"));
      peer.option("sub", "SUBSCRIBE", b("C"));
      place(peer, "sub", List.of(pub), weBind, transport);
      long deadline = System.nanoTime() + WAIT.toNanos();
      List<byte[]> first = null;
      while (first == null && System.nanoTime() < deadline) {
        pub.send("C-ready");
        first = peer.recv("sub", LOOK);
      }
      assertNotNull(first, "the peer's subscriptions never took effect");
      for (int i = 0; i < ROUNDS; i++) {
        for (String t : List.of("A", "B", "C", "D")) pub.send(Msg.ofStrings(t + i, "p"));
      }
      pub.send("C-end");
      assertEquals(expectedFiltered("C-end"), String.join(",", until(() -> withPart(peer.recv("sub", WAIT)), "C-ready", "C-end")));
    }
  }

  @ParameterizedTest(name = "{0} we-bind={1} {2}")
  @MethodSource("placements")
  void ourSubscriptionsReachAPeerXpubAsSubscriptionMessages(String peerName, boolean weBind, String transport) throws Exception {
    PeerDriver peer = peer(peerName);
    try (ZSocket sub = ctx.socket(SocketType.SUB)) {
      sub.setOption(ZmqOption.LINGER, 0); // when the peer has gone, the subscriptions re-sent for it wait for nobody
      sub.subscribe("A"); // before the connection exists: sent when it does
      peer.socket("xpub", "XPUB", Map.of());
      place(peer, "xpub", List.of(sub), weBind, transport);
      assertEquals("0141", peerHex(peer.recv("xpub", WAIT))); // so that B and the cancel of A follow the connection
      sub.subscribe("B");
      sub.unsubscribe("A");
      assertEquals("0142", peerHex(peer.recv("xpub", WAIT)));
      assertEquals("0041", peerHex(peer.recv("xpub", WAIT)));
      for (String t : List.of("A-data", "B-data", "B-end")) assertTrue(peer.send("xpub", List.of(b(t))), t);
      assertEquals("B-data", text(sub.recv(WAIT))); // the peer's XPUB applied the cancel of A
      assertEquals("B-end", text(sub.recv(WAIT)));
    }
  }

  @ParameterizedTest(name = "{0} we-bind={1} {2}")
  @MethodSource("placements")
  void ourXpubSeesAPeerSubscribersSubscriptionsAndCancels(String peerName, boolean weBind, String transport) throws Exception {
    PeerDriver peer = peer(peerName);
    try (ZSocket xpub = ctx.socket(SocketType.XPUB)) {
      // The peer subscribes once it is connected: a JeroMQ socket that JeromqConnect replaced
      // can still complete its handshake late, and one that had subscribed would then put its
      // subscriptions and cancels ahead of its successor's in our XPUB's queue (the test would
      // read the ghost's 0141 and 0142 and publish before its successor had subscribed).
      // Subscriptions made before the connection exists are aPeerSubscriberReceivesOnlyWhatItSubscribedTo's.
      peer.socket("sub", "SUB", Map.of());
      place(peer, "sub", List.of(xpub), weBind, transport);
      peer.option("sub", "SUBSCRIBE", b("A"));
      peer.option("sub", "SUBSCRIBE", b("B"));
      assertEquals("0141", hex(nextWhilePeerRuns(xpub, peer, "sub")));
      assertEquals("0142", hex(nextWhilePeerRuns(xpub, peer, "sub")));
      xpub.send("B-seen");
      assertEquals("B-seen", withPart(peer.recv("sub", WAIT)));
      peer.option("sub", "UNSUBSCRIBE", b("A"));
      assertEquals("0041", hex(xpub.recv(WAIT)));
      for (String t : List.of("A-x", "B-x", "B-end")) xpub.send(t);
      assertEquals("B-x,B-end", String.join(",", until(() -> withPart(peer.recv("sub", WAIT)), "-", "B-end")));
    }
  }

  @ParameterizedTest(name = "{0} we-bind={1} {2}")
  @MethodSource("placements")
  void aPeerPublisherSendsOurSubscriberOnlyItsTopics(String peerName, boolean weBind, String transport) throws Exception {
    PeerDriver peer = peer(peerName);
    try (ZSocket sub = ctx.socket(SocketType.SUB)) {
      sub.setOption(ZmqOption.LINGER, 0); // when the peer has gone, the subscriptions re-sent for it wait for nobody
      sub.subscribe("A");
      sub.subscribe("C");
      peer.socket("pub", "PUB", Map.of());
      place(peer, "pub", List.of(sub), weBind, transport);
      long deadline = System.nanoTime() + WAIT.toNanos();
      Msg joined = null;
      while (joined == null && System.nanoTime() < deadline) {
        assertTrue(peer.send("pub", List.of(b("C-ready"))));
        joined = sub.recv(LOOK);
      }
      assertNotNull(joined, "our subscriptions never reached the peer's PUB");
      assertEquals("C-ready", joined.first().text());
      for (int i = 0; i < ROUNDS; i++) {
        for (String t : List.of("A", "B", "C", "D")) assertTrue(peer.send("pub", List.of(b(t + i), b("p"))));
      }
      assertTrue(peer.send("pub", List.of(b("C-end"))));
      assertEquals(expectedFiltered("C-end"), String.join(",", until(() -> withPart(sub.recv(WAIT)), "C-ready", "C-end")));
    }
  }

  /**
   * Our next message, while giving the peer's socket calls to run its pending work in (attaching
   * the connection, sending its subscriptions on it); the peer receives nothing meanwhile.
   */
  private static Msg nextWhilePeerRuns(ZSocket ours, PeerDriver peer, String theirs) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      assertNull(peer.recv(theirs, Duration.ZERO), "nothing was published yet");
      Msg m = ours.recv(LOOK);
      if (m != null) return m;
    }
    return null;
  }
}
