package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PUB/SUB and XPUB/XSUB through the runtime, in the spirit of libzmq's test_pubsub, test_xpub_*,
 * test_hwm_pubsub and test_mock_pub_sub: publisher-side prefix filtering, drop at HWM (whole
 * messages only), XPUB_NODROP, the XPUB options, subscriptions across reconnects, and the wire
 * forms of subscriptions towards ZMTP 3.0 and 3.1 peers.
 */
class PubSubTest extends ContextPerClass {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @ParameterizedTest
  @ValueSource(strings = {"tcp://127.0.0.1:*", "inproc://pubsub-filter", "ipc://*"})
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

  @Test
  void receivingOnPubIsAnError() {
    try (ZSocket pub = ctx.socket(SocketType.PUB)) {
      ZmqException e = assertThrows(ZmqException.class, () -> pub.recv(Duration.ofMillis(10)));
      assertEquals(Errno.ENOTSUP, e.errno());
      assertTrue(e.getMessage().contains("receive on PUB"), e.getMessage());
    }
  }

  @Test
  void sendingOnSubIsAnError() {
    try (ZSocket sub = ctx.socket(SocketType.SUB)) {
      ZmqException e = assertThrows(ZmqException.class, () -> sub.send("x"));
      assertEquals(Errno.ENOTSUP, e.errno());
      assertTrue(e.getMessage().contains("send on SUB"), e.getMessage());
      assertEquals(Errno.ENOTSUP, assertThrows(ZmqException.class, () -> sub.trySend(Msg.ofStrings("y"))).errno());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp://127.0.0.1:*", "inproc://hwm-ready"})
  void aReadySubscriberGetsAllOfSendHighWaterMarkMessages(String endpoint) {
    int n = 100;
    try (ZSocket pub = ctx.socket(SocketType.PUB); ZSocket sub = ctx.socket(SocketType.SUB)) {
      pub.setOption(ZmqOption.SNDHWM, n);
      sub.setOption(ZmqOption.RCVHWM, n);
      String ep = pub.bind(endpoint);
      sub.subscribe("");
      sub.connect(ep);
      awaitJoined(pub, sub, "ready");
      for (int i = 0; i < n; i++) pub.send(Integer.toString(i));
      for (int i = 0; i < n; i++) assertEquals(Integer.toString(i), next(sub));
      assertNull(sub.recv(Duration.ofMillis(50)));
    }
  }

  /** libzmq's test_hwm_pubsub: an inproc pipe holds SNDHWM + RCVHWM; the rest is dropped, never blocked on. */
  @Test
  void inprocPublisherDropsBeyondBothHighWaterMarks() {
    try (ZSocket pub = ctx.socket(SocketType.PUB); ZSocket sub = ctx.socket(SocketType.SUB)) {
      pub.setOption(ZmqOption.SNDHWM, 10);
      sub.setOption(ZmqOption.RCVHWM, 20);
      String ep = pub.bind("inproc://hwm-drop");
      sub.subscribe("");
      sub.connect(ep);
      awaitJoined(pub, sub, "ready");
      for (int i = 0; i < 100; i++) pub.send(Integer.toString(i)); // never blocks
      for (int i = 0; i < 30; i++) assertEquals(Integer.toString(i), next(sub));
      assertNull(sub.recv(Duration.ofMillis(50)), "messages beyond both HWMs are dropped");
    }
  }

  @Test
  void slowSubscriberLosesWholeMessagesWithoutSlowingTheOthers() {
    try (ZSocket pub = ctx.socket(SocketType.PUB);
        ZSocket fast = ctx.socket(SocketType.SUB);
        ZSocket slow = ctx.socket(SocketType.SUB)) {
      pub.setOption(ZmqOption.SNDHWM, 50);
      slow.setOption(ZmqOption.RCVHWM, 50);
      String ep = pub.bind("tcp://127.0.0.1:*");
      fast.subscribe("");
      slow.subscribe("");
      fast.connect(ep);
      slow.connect(ep);
      awaitJoined(pub, slow, "ready");
      awaitJoined(pub, fast, "ready");
      byte[] payload = new byte[8 * 1024];
      int batches = 100;
      int perBatch = 50;
      for (int b = 0; b < batches; b++) {
        for (int k = 0; k < perBatch; k++) {
          int seq = b * perBatch + k;
          // never blocks, whatever the slow subscriber does
          assertTrue(pub.trySend(Msg.ofBytes(bytes(Integer.toString(seq)), payload, bytes("end-" + seq))));
        }
        for (int k = 0; k < perBatch; k++) {
          int seq = b * perBatch + k;
          Msg m = fast.recv(WAIT);
          assertNotNull(m, "the fast subscriber lost message " + seq);
          assertEquals(Integer.toString(seq), m.first().text());
        }
      }
      int total = batches * perBatch;
      // the slow one held what its pipes and TCP buffers could, and lost the rest a message at a time
      List<Integer> got = new ArrayList<>();
      Msg m;
      while ((m = slow.recv(Duration.ofMillis(500))) != null) {
        if (m.size() == 1) continue; // a join marker
        assertEquals(3, m.size(), "whole messages only");
        String seq = m.first().text();
        assertEquals(payload.length, m.frame(1).size());
        assertEquals("end-" + seq, m.frame(2).text(), "parts of one message");
        got.add(Integer.parseInt(seq));
      }
      for (int i = 1; i < got.size(); i++) assertTrue(got.get(i) > got.get(i - 1), "in order");
      assertTrue(got.size() >= 50, "the slow subscriber kept at least its HWM: " + got.size());
      assertTrue(got.size() < total, "the slow subscriber dropped nothing of " + total);
      assertEquals(0, got.get(0), "it dropped the newest, not the oldest");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"inproc://nodrop", "tcp://127.0.0.1:*"})
  void xpubNodropGivesEagainAndLosesNothing(String endpoint) {
    try (ZSocket xpub = ctx.socket(SocketType.XPUB); ZSocket sub = ctx.socket(SocketType.SUB)) {
      xpub.setOption(ZmqOption.SNDHWM, 10);
      xpub.setOption(ZmqOption.XPUB_NODROP, true);
      sub.setOption(ZmqOption.RCVHWM, 10);
      String ep = xpub.bind(endpoint);
      sub.subscribe("");
      sub.connect(ep);
      assertArrayEquals(new byte[] {1}, xpub.recv(WAIT).first().toByteArray());
      byte[] payload = new byte[64 * 1024]; // so TCP buffers fill after a few hundred
      int sent = 0;
      while (xpub.trySend(Msg.ofBytes(bytes(Integer.toString(sent)), payload))) {
        sent++;
        assertTrue(sent < 100_000, "XPUB_NODROP never pushed back");
      }
      if (endpoint.startsWith("inproc")) {
        // exactly SNDHWM + RCVHWM, and the blocking send says EAGAIN too (over TCP the engine
        // may have made room again by now)
        assertEquals(20, sent);
        xpub.setOption(ZmqOption.SNDTIMEO, 0);
        ZmqException eagain = assertThrows(ZmqException.class, () -> xpub.send(Msg.ofStrings("one more")));
        assertEquals(Errno.EAGAIN, eagain.errno());
      }
      for (int i = 0; i < sent; i++) assertEquals(Integer.toString(i), next(sub), "lost message " + i);
      assertNull(sub.recv(Duration.ofMillis(50)));
      assertTrue(xpub.send(Msg.ofStrings("again"), WAIT), "room again once the subscriber read");
      assertEquals("again", next(sub));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain", "XPUB_VERBOSE", "XPUB_VERBOSER"})
  void xpubReportsSubscriptionsAsItsVerbosityAsks(String mode) {
    try (ZSocket xpub = ctx.socket(SocketType.XPUB);
        ZSocket sub1 = ctx.socket(SocketType.SUB);
        ZSocket sub2 = ctx.socket(SocketType.SUB)) {
      if (!mode.equals("plain")) xpub.setOption(ZmqOption.parse(mode), true);
      String ep = xpub.bind("tcp://127.0.0.1:*");
      sub1.connect(ep);
      sub2.connect(ep);
      sub1.subscribe("A");
      assertEquals("\u0001A", nextRaw(xpub));
      // a second subscriber to the same topic: reported only when verbose; sub2's marker comes after it
      sub2.subscribe("A");
      sub2.subscribe("M2");
      if (!mode.equals("plain")) assertEquals("\u0001A", nextRaw(xpub));
      assertEquals("\u0001M2", nextRaw(xpub));
      // a cancel while another subscriber holds the topic: reported only by VERBOSER
      sub1.unsubscribe("A");
      sub1.subscribe("M3");
      if (mode.equals("XPUB_VERBOSER")) assertEquals("\u0000A", nextRaw(xpub));
      assertEquals("\u0001M3", nextRaw(xpub));
      // the last cancel: always reported
      sub2.unsubscribe("A");
      assertEquals("\u0000A", nextRaw(xpub));
    }
  }

  @Test
  void xpubManualAppliesOnlyWhatTheApplicationSubscribes() {
    try (ZSocket xpub = ctx.socket(SocketType.XPUB); ZSocket xsub = ctx.socket(SocketType.XSUB)) {
      xpub.setOption(ZmqOption.XPUB_MANUAL, true);
      String ep = xpub.bind("tcp://127.0.0.1:*");
      xsub.connect(ep);
      xsub.send(new byte[] {1, 'A'});
      assertEquals("\u0001A", nextRaw(xpub)); // reported, not applied
      xpub.subscribe("B"); // on behalf of the pipe that sent the message just received
      xpub.send("A-1");
      xpub.send("B-1");
      assertEquals("B-1", next(xsub));
      xpub.unsubscribe("B");
      xpub.subscribe("C");
      xpub.send("B-2");
      xpub.send("C-2");
      assertEquals("C-2", next(xsub));
      assertNull(xsub.recv(Duration.ofMillis(50)));
    }
  }

  @Test
  void xpubWelcomeMessageGreetsEachNewSubscriber() {
    try (ZSocket xpub = ctx.socket(SocketType.XPUB);
        ZSocket sub1 = ctx.socket(SocketType.SUB);
        ZSocket sub2 = ctx.socket(SocketType.SUB)) {
      xpub.setOption(ZmqOption.XPUB_WELCOME_MSG, "W");
      String ep = xpub.bind("tcp://127.0.0.1:*");
      for (ZSocket sub : List.of(sub1, sub2)) {
        sub.subscribe("W");
        sub.connect(ep);
        assertEquals("W", next(sub));
      }
      assertEquals("\u0001W", nextRaw(xpub));
    }
  }

  @Test
  void invertMatchingDeliversWhatDoesNotMatch() {
    try (ZSocket pub = ctx.socket(SocketType.PUB); ZSocket sub = ctx.socket(SocketType.SUB)) {
      pub.setOption(ZmqOption.INVERT_MATCHING, true);
      sub.setOption(ZmqOption.INVERT_MATCHING, true);
      String ep = pub.bind("tcp://127.0.0.1:*");
      sub.subscribe("prefix");
      sub.connect(ep);
      awaitJoined(pub, sub, "ready");
      for (String t : List.of("prefix-1", "other-1", "prefix-2", "other-2")) pub.send(t);
      assertEquals("other-1", next(sub));
      assertEquals("other-2", next(sub));
      assertNull(sub.recv(Duration.ofMillis(50)));
    }
  }

  /** libzmq#2258: a SUB re-sends every subscription to a publisher it reconnects to, beyond its SNDHWM. */
  @Test
  void subscriptionsAreResentAfterReconnectEvenBeyondAThousand() {
    String ep = "tcp://127.0.0.1:" + PushPullTest.freePort();
    int topics = 1_500;
    try (ZSocket sub = ctx.socket(SocketType.SUB)) {
      sub.setOption(ZmqOption.RECONNECT_IVL, 20);
      sub.setOption(ZmqOption.LINGER, 0); // at the end its re-sent subscriptions wait for a publisher that is gone
      for (int i = 0; i < topics; i++) sub.subscribe(topic(i));
      sub.connect(ep);
      for (int round = 0; round < 2; round++) {
        ZSocket pub = ctx.socket(SocketType.PUB);
        try {
          pub.bind(ep);
          awaitJoined(pub, sub, topic(topics - 1) + "ready-" + round);
          awaitJoined(pub, sub, topic(0) + "ready-" + round);
          pub.send(topic(750) + "x");
          pub.send("unsubscribed");
          pub.send(topic(1_000) + "y");
          assertEquals(topic(750) + "x", next(sub));
          assertEquals(topic(1_000) + "y", next(sub));
        } finally {
          assertTrue(pub.closeAndWait(WAIT)); // frees the port for the next publisher
        }
      }
    }
  }

  private static String topic(int i) {
    return String.format("t%04d.", i);
  }

  /** libzmq's trie_t: subscriptions are counted; a cancel of an unknown topic goes nowhere. */
  @Test
  void subscribingTwiceNeedsTwoCancelsAndUnknownCancelsAreIgnored() {
    try (ZSocket xpub = ctx.socket(SocketType.XPUB); ZSocket sub = ctx.socket(SocketType.SUB)) {
      xpub.setOption(ZmqOption.XPUB_VERBOSER, true); // report every subscription message that arrives
      String ep = xpub.bind("tcp://127.0.0.1:*");
      sub.connect(ep);
      sub.subscribe("A");
      sub.subscribe("A");
      assertEquals("\u0001A", nextRaw(xpub));
      assertEquals("\u0001A", nextRaw(xpub));
      sub.unsubscribe("A"); // one reference left: nothing goes upstream
      sub.subscribe("M1");
      assertEquals("\u0001M1", nextRaw(xpub));
      xpub.send("A-still");
      assertEquals("A-still", next(sub));
      sub.unsubscribe("A");
      assertEquals("\u0000A", nextRaw(xpub));
      sub.unsubscribe("Z"); // never subscribed: ignored
      sub.subscribe("M2");
      assertEquals("\u0001M2", nextRaw(xpub));
      xpub.send("A-gone");
      xpub.send("M2-x");
      assertEquals("M2-x", next(sub));
    }
  }

  @Test
  void aSixtyFourKibTopicIsMatchedExactly() {
    byte[] topic = new byte[64 * 1024];
    for (int i = 0; i < topic.length; i++) topic[i] = (byte) ('a' + i % 26);
    byte[] almost = topic.clone();
    almost[almost.length - 1] = '#';
    try (ZSocket pub = ctx.socket(SocketType.PUB); ZSocket sub = ctx.socket(SocketType.SUB)) {
      String ep = pub.bind("tcp://127.0.0.1:*");
      sub.subscribe(topic);
      sub.connect(ep);
      long deadline = System.nanoTime() + WAIT.toNanos();
      Msg joined = null;
      while (joined == null && System.nanoTime() < deadline) {
        pub.send(Msg.ofBytes(concat(topic, bytes("ready"))));
        joined = sub.recv(Duration.ofMillis(20));
      }
      assertNotNull(joined, "the 64 KiB subscription never took effect");
      while (sub.recv(Duration.ofMillis(20)) != null) {
        // further markers
      }
      pub.send(Msg.ofBytes(concat(almost, bytes("no"))));
      pub.send(Msg.ofBytes(topic));
      pub.send(Msg.ofBytes(concat(topic, bytes("yes"))));
      assertArrayEquals(topic, sub.recv(WAIT).first().toByteArray());
      assertArrayEquals(concat(topic, bytes("yes")), sub.recv(WAIT).first().toByteArray());
      assertNull(sub.recv(Duration.ofMillis(50)));
    }
  }

  /** test_mock_pub_sub: a hand-written subscriber sends its subscription as 3.0 data or a 3.1 command. */
  @ParameterizedTest(name = "ZMTP 3.{0}")
  @ValueSource(ints = {0, 1})
  void handWrittenSubscriberGetsFilteredData(int minor) throws Exception {
    try (ZSocket pub = ctx.socket(SocketType.PUB)) {
      String ep = pub.bind("tcp://127.0.0.1:*");
      try (MockZmtpPeer peer = MockZmtpPeer.connect(ep, WAIT)) {
        peer.handshake("SUB", minor);
        subscribeRaw(peer, minor, true, "A");
        awaitMockJoined(pub, peer, "A-ready");
        for (String t : List.of("B1", "A1", "C1", "A2")) pub.send(t);
        assertEquals("A1", peer.readData().text());
        assertEquals("A2", peer.readData().text());
        subscribeRaw(peer, minor, false, "A");
        subscribeRaw(peer, minor, true, "C");
        awaitMockJoined(pub, peer, "C-ready");
        pub.send("A3");
        pub.send("C3");
        assertEquals("C3", peer.readData().text());
      }
    }
  }

  /** Our SUB speaks to a 3.0 publisher in legacy data frames and to a 3.1 one in commands. */
  @ParameterizedTest(name = "ZMTP 3.{0}")
  @ValueSource(ints = {0, 1})
  void subscriptionsReachAHandWrittenPublisherInItsProtocolsForm(int minor) throws Exception {
    try (ServerSocket server = MockZmtpPeer.listen(WAIT); ZSocket sub = ctx.socket(SocketType.SUB)) {
      sub.setOption(ZmqOption.LINGER, 0); // once the mock is gone, re-sent subscriptions wait for nobody
      sub.subscribe("A");
      sub.connect(MockZmtpPeer.endpointOf(server));
      try (MockZmtpPeer peer = MockZmtpPeer.accept(server, WAIT)) {
        peer.handshake("PUB", minor);
        assertEquals(subscriptionOnWire(minor, true, "A"), describe(peer.readFrame()));
        sub.subscribe("B");
        assertEquals(subscriptionOnWire(minor, true, "B"), describe(peer.readFrame()));
        sub.unsubscribe("A");
        assertEquals(subscriptionOnWire(minor, false, "A"), describe(peer.readFrame()));
        // and our SUB filters what the publisher sends
        peer.writeData("A1");
        peer.writeData("B1");
        assertEquals("B1", next(sub));
        assertNull(sub.recv(Duration.ofMillis(50)));
      }
    }
  }

  private static void subscribeRaw(MockZmtpPeer peer, int minor, boolean subscribe, String topic) throws Exception {
    if (minor == 0) {
      peer.writeData(concat(new byte[] {(byte) (subscribe ? 1 : 0)}, bytes(topic)), false);
    } else {
      String name = subscribe ? "SUBSCRIBE" : "CANCEL";
      peer.writeCommand(concat(new byte[] {(byte) name.length()}, bytes(name + topic)));
    }
  }

  private static String subscriptionOnWire(int minor, boolean subscribe, String topic) {
    if (minor == 0) return "data " + (subscribe ? "\\x01" : "\\x00") + topic;
    return "command " + (subscribe ? "\\x09SUBSCRIBE" : "\\x06CANCEL") + topic;
  }

  private static String describe(MockZmtpPeer.WireFrame f) {
    StringBuilder b = new StringBuilder(f.command() ? "command " : "data ");
    for (byte x : f.body()) {
      if (x >= 32 && x < 127) b.append((char) x);
      else b.append(String.format("\\x%02x", x));
    }
    return b.toString();
  }

  /** Publishes {@code marker} until the hand-written subscriber receives one, then drains the rest. */
  private static void awaitMockJoined(ZSocket pub, MockZmtpPeer peer, String marker) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      pub.send(marker);
      MockZmtpPeer.WireFrame f = peer.readDataWithin(Duration.ofMillis(20));
      if (f != null) {
        assertEquals(marker, f.text());
        while ((f = peer.readDataWithin(Duration.ofMillis(50))) != null) assertEquals(marker, f.text());
        return;
      }
    }
    throw new AssertionError("the hand-written subscriber never joined");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** The next message's first frame as ISO-8859-1 text (subscription messages start with 0 or 1). */
  private static String nextRaw(ZSocket s) {
    Msg m = s.recv(WAIT);
    assertNotNull(m, "nothing received");
    return new String(m.first().toByteArray(), StandardCharsets.ISO_8859_1);
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
