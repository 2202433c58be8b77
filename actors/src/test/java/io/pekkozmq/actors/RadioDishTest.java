package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RADIO/DISH (RFC 48), in the spirit of libzmq 4.3.4's test_radio_dish.cpp, over tcp, ipc, inproc
 * and udp: group filtering (exact match), join/leave errors, long groups, the types' refusals,
 * drop at HWM, joins re-sent on reconnect, and the ZMTP wire form against a hand-written peer.
 */
class RadioDishTest extends ContextPerClass {
  private static final Duration WAIT = Duration.ofSeconds(10);

  static Msg grouped(String group, String body) {
    return Msg.ofStrings(body).withGroup(group);
  }

  /** Sends markers to {@code group} until the dish has one (joins travel asynchronously), then drains them. */
  static void awaitGroup(ZSocket radio, ZSocket dish, String group) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      radio.send(grouped(group, "marker"));
      Msg m = dish.recv(Duration.ofMillis(20));
      if (m != null) {
        while (dish.recv(Duration.ofMillis(50)) != null) {
          // duplicate markers
        }
        return;
      }
    }
    throw new AssertionError("the dish's join of '" + group + "' never reached the radio");
  }

  private static void assertReceived(ZSocket dish, String group, String body) {
    Msg m = dish.recv(WAIT);
    assertNotNull(m, "expected " + group + "/" + body);
    assertEquals(group, m.group());
    assertEquals(body, m.first().text());
    assertEquals(1, m.size());
  }

  /** The endpoint the dish joins through: RADIO binds (tcp, ipc, inproc) or DISH binds (udp). */
  private String wire(ZSocket radio, ZSocket dish, String transport) {
    switch (transport) {
      case "udp" -> {
        String ep = dish.bind("udp://127.0.0.1:*");
        radio.connect(ep);
        return ep;
      }
      case "inproc" -> {
        String ep = radio.bind("inproc://radio-dish-" + System.nanoTime());
        dish.connect(ep);
        return ep;
      }
      default -> {
        String ep = radio.bind(transport.equals("ipc") ? "ipc://*" : "tcp://127.0.0.1:*");
        dish.connect(ep);
        return ep;
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc", "inproc", "udp"})
  void dishReceivesOnlyTheGroupsItJoined(String transport) {
    try (ZSocket radio = ctx.socket(SocketType.RADIO); ZSocket dish = ctx.socket(SocketType.DISH)) {
      wire(radio, dish, transport);
      dish.join("Movies");
      awaitGroup(radio, dish, "Movies");
      radio.send(grouped("TV", "Friends")); // not joined: dropped
      radio.send(grouped("Movies", "Godfather"));
      assertReceived(dish, "Movies", "Godfather");
      dish.join("TV");
      awaitGroup(radio, dish, "TV");
      radio.send(grouped("TV", "Friends"));
      assertReceived(dish, "TV", "Friends");
      radio.send(grouped("TVs", "prefix is no match")); // exact match only
      radio.send(grouped("T", "nor is a shorter one"));
      dish.leave("TV");
      radio.send(grouped("TV", "Friends"));
      radio.send(grouped("Movies", "Godfather"));
      assertReceived(dish, "Movies", "Godfather");
      assertNull(dish.recv(Duration.ofMillis(100)));
    }
  }

  /** Over udp nothing travels upstream: the first message after the connect already arrives. */
  @Test
  void udpDeliversFromTheFirstMessage() {
    try (ZSocket radio = ctx.socket(SocketType.RADIO); ZSocket dish = ctx.socket(SocketType.DISH)) {
      dish.join("TV");
      radio.connect(dish.bind("udp://127.0.0.1:*"));
      for (int i = 0; i < 50; i++) radio.send(grouped(i % 2 == 0 ? "TV" : "Movies", "m" + i));
      for (int i = 0; i < 50; i += 2) assertReceived(dish, "TV", "m" + i); // loopback, unloaded: none lost
    }
  }

  /** Closing a RADIO right after its sends still puts them on the wire (what the kernel takes at once). */
  @Test
  void udpSendsWhatWasQueuedBeforeTheClose() {
    try (ZSocket dish = ctx.socket(SocketType.DISH)) {
      dish.join("TV");
      String ep = dish.bind("udp://127.0.0.1:*");
      try (ZSocket radio = ctx.socket(SocketType.RADIO)) {
        radio.connect(ep);
        for (int i = 0; i < 20; i++) radio.send(grouped("TV", "m" + i));
      }
      for (int i = 0; i < 20; i++) assertReceived(dish, "TV", "m" + i);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "udp"})
  void longGroupsUpToTheLimit(String transport) {
    String group18 = "0123456789ABCDEFGH"; // libzmq's test_long_group: over 14 (and 15) characters
    String group255 = "g".repeat(Msg.GROUP_MAX_LENGTH);
    try (ZSocket radio = ctx.socket(SocketType.RADIO); ZSocket dish = ctx.socket(SocketType.DISH)) {
      dish.join(group18);
      dish.join(group255);
      wire(radio, dish, transport);
      awaitGroup(radio, dish, group18);
      radio.send(grouped(group18, "HELLO"));
      assertReceived(dish, group18, "HELLO");
      radio.send(grouped(group255, "longest"));
      assertReceived(dish, group255, "longest");
    }
  }

  /** libzmq's test_radio_dish_udp_ipv6 and test_radio_dish_tcp_poll_ipv6. */
  @ParameterizedTest
  @ValueSource(strings = {"udp://[::1]:*", "tcp://[::1]:*"})
  void overIpv6(String endpoint) {
    try (ZSocket radio = ctx.socket(SocketType.RADIO); ZSocket dish = ctx.socket(SocketType.DISH)) {
      radio.setOption(ZmqOption.IPV6, true);
      dish.setOption(ZmqOption.IPV6, true);
      dish.join("TV");
      if (endpoint.startsWith("udp")) {
        String ep = dish.bind(endpoint);
        assertTrue(ep.startsWith("udp://[::1]:"), ep);
        radio.connect(ep);
      } else {
        dish.connect(radio.bind(endpoint));
      }
      awaitGroup(radio, dish, "TV");
      radio.send(grouped("TV", "Friends"));
      assertReceived(dish, "TV", "Friends");
    }
  }

  /** Under CURVE, JOIN/LEAVE and the group frame travel in MESSAGE boxes like every other frame. */
  @Test
  void overCurve() {
    io.pekkozmq.engine.security.CurveKeys server = io.pekkozmq.engine.security.CurveKeys.generate();
    io.pekkozmq.engine.security.CurveKeys client = io.pekkozmq.engine.security.CurveKeys.generate();
    try (ZSocket radio = ctx.socket(SocketType.RADIO); ZSocket dish = ctx.socket(SocketType.DISH)) {
      radio.setOption(ZmqOption.CURVE_SERVER, true);
      radio.setOption(ZmqOption.CURVE_SECRETKEY, server.secretZ85());
      dish.setOption(ZmqOption.CURVE_SERVERKEY, server.publicZ85());
      dish.setOption(ZmqOption.CURVE_PUBLICKEY, client.publicZ85());
      dish.setOption(ZmqOption.CURVE_SECRETKEY, client.secretZ85());
      dish.join("TV");
      dish.connect(radio.bind("tcp://127.0.0.1:*"));
      awaitGroup(radio, dish, "TV");
      radio.send(grouped("Movies", "Godfather"));
      radio.send(grouped("TV", "Friends"));
      assertReceived(dish, "TV", "Friends");
    }
  }

  @Test
  void joinAndLeaveErrorsNameTheProblem() {
    try (ZSocket dish = ctx.socket(SocketType.DISH); ZSocket sub = ctx.socket(SocketType.SUB)) {
      ZmqException e = assertThrows(ZmqException.class, () -> dish.leave("Movies"));
      assertEquals(Errno.EINVAL, e.errno());
      assertTrue(e.getMessage().contains("not joined"), e.getMessage());
      String tooLong = "x".repeat(Msg.GROUP_MAX_LENGTH + 1);
      e = assertThrows(ZmqException.class, () -> dish.join(tooLong));
      assertEquals(Errno.EINVAL, e.errno());
      assertTrue(e.getMessage().contains("at most 255 bytes"), e.getMessage());
      dish.join("Movies");
      e = assertThrows(ZmqException.class, () -> dish.join("Movies"));
      assertEquals(Errno.EINVAL, e.errno());
      assertTrue(e.getMessage().contains("already joined"), e.getMessage());
      e = assertThrows(ZmqException.class, () -> sub.join("Movies"));
      assertEquals(Errno.ENOTSUP, e.errno());
      assertTrue(e.getMessage().contains("only a DISH"), e.getMessage());
      e = assertThrows(ZmqException.class, () -> Msg.ofStrings("x").withGroup(tooLong));
      assertEquals(Errno.EINVAL, e.errno());
      assertEquals(15, "0123456789ABCDE".length());
      dish.join("0123456789ABCDEF"); // 16 characters: fine since libzmq 4.3.3 (255), see Msg.GROUP_MAX_LENGTH
    }
  }

  @Test
  void theTypesRefuseWhatTheyDoNotDo() {
    try (ZSocket radio = ctx.socket(SocketType.RADIO); ZSocket dish = ctx.socket(SocketType.DISH)) {
      ZmqException e = assertThrows(ZmqException.class, () -> dish.send(grouped("g", "x")));
      assertEquals(Errno.ENOTSUP, e.errno());
      e = assertThrows(ZmqException.class, () -> radio.recv(Duration.ofMillis(10)));
      assertEquals(Errno.ENOTSUP, e.errno());
      e = assertThrows(ZmqException.class, () -> radio.send(Msg.ofStrings("a", "b").withGroup("g")));
      assertEquals(Errno.EINVAL, e.errno());
      assertTrue(e.getMessage().contains("one frame"), e.getMessage());
      // libzmq's test_radio_bind_fails / test_dish_connect_fails
      e = assertThrows(ZmqException.class, () -> radio.bind("udp://127.0.0.1:*"));
      assertEquals(Errno.ENOCOMPATPROTO, e.errno());
      e = assertThrows(ZmqException.class, () -> dish.connect("udp://127.0.0.1:5556"));
      assertEquals(Errno.ENOCOMPATPROTO, e.errno());
      try (ZSocket pub = ctx.socket(SocketType.PUB)) {
        e = assertThrows(ZmqException.class, () -> pub.connect("udp://127.0.0.1:5556"));
        assertEquals(Errno.ENOCOMPATPROTO, e.errno());
      }
    }
  }

  @Test
  void aMessageWithoutAGroupReachesNoDish() {
    try (ZSocket radio = ctx.socket(SocketType.RADIO); ZSocket dish = ctx.socket(SocketType.DISH)) {
      wire(radio, dish, "tcp");
      dish.join("A");
      awaitGroup(radio, dish, "A");
      radio.send(Msg.ofStrings("no group"));
      radio.send(grouped("A", "after"));
      assertReceived(dish, "A", "after");
    }
  }

  /** RADIO is like PUB: a DISH at its HWM loses messages, the sender never blocks. */
  @Test
  void radioDropsAtTheHighWaterMark() {
    try (ZSocket radio = ctx.socket(SocketType.RADIO); ZSocket dish = ctx.socket(SocketType.DISH)) {
      radio.setOption(ZmqOption.SNDHWM, 10);
      dish.setOption(ZmqOption.RCVHWM, 10);
      dish.join("g");
      String ep = radio.bind("inproc://radio-hwm");
      dish.connect(ep);
      awaitGroup(radio, dish, "g");
      for (int i = 0; i < 10_000; i++) assertTrue(radio.send(grouped("g", "m" + i), Duration.ZERO));
      int got = 0;
      while (dish.recv(Duration.ofMillis(100)) != null) got++;
      assertTrue(got > 0 && got <= 20, "received " + got + " of 10000 through HWMs of 10 + 10");
    }
  }

  /** libzmq's dish_t::xhiccuped: a new RADIO behind the same endpoint gets every join again. */
  @Test
  void dishResendsItsJoinsOnReconnect() throws Exception {
    try (ZSocket dish = ctx.socket(SocketType.DISH)) {
      dish.setOption(ZmqOption.RECONNECT_IVL, 50);
      dish.join("TV");
      String ep;
      try (ZSocket radio = ctx.socket(SocketType.RADIO)) {
        radio.setOption(ZmqOption.LINGER, 0);
        ep = radio.bind("tcp://127.0.0.1:*");
        dish.connect(ep);
        awaitGroup(radio, dish, "TV");
      }
      try (ZSocket radio2 = ctx.socket(SocketType.RADIO)) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) { // the port is free once the first radio's listener has closed
          try {
            radio2.bind(ep);
            break;
          } catch (ZmqException e) {
            if (e.errno() != Errno.EADDRINUSE || System.nanoTime() > deadline) throw e;
            Thread.onSpinWait();
          }
        }
        awaitGroup(radio2, dish, "TV");
        radio2.send(grouped("TV", "again"));
        assertReceived(dish, "TV", "again");
      }
    }
  }

  /** The wire as libzmq 4.3 writes it: JOIN/LEAVE as commands, a message as group frame (MORE) then body. */
  @Test
  void zmtpWireFormAgainstAHandWrittenDish() throws Exception {
    try (ZSocket radio = ctx.socket(SocketType.RADIO)) {
      String ep = radio.bind("tcp://127.0.0.1:*");
      try (MockZmtpPeer peer = MockZmtpPeer.connect(ep, WAIT)) {
        peer.handshake("DISH", 1);
        peer.writeCommand(command("JOIN", "TV"));
        long deadline = System.nanoTime() + WAIT.toNanos();
        MockZmtpPeer.WireFrame group = null;
        while (group == null && System.nanoTime() < deadline) {
          radio.send(grouped("TV", "Friends"));
          group = peer.readDataWithin(Duration.ofMillis(50));
        }
        assertNotNull(group, "the JOIN never took effect");
        assertTrue(group.more());
        assertEquals("TV", group.text());
        MockZmtpPeer.WireFrame body = peer.readData();
        assertFalse(body.more());
        assertEquals("Friends", body.text());
      }
    }
  }

  @Test
  void zmtpWireFormAgainstAHandWrittenRadio() throws Exception {
    try (ServerSocket server = MockZmtpPeer.listen(WAIT); ZSocket dish = ctx.socket(SocketType.DISH)) {
      dish.join("TV");
      dish.connect(MockZmtpPeer.endpointOf(server));
      try (MockZmtpPeer peer = MockZmtpPeer.accept(server, WAIT)) {
        peer.handshake("RADIO", 1);
        MockZmtpPeer.WireFrame join = peer.readFrame();
        assertTrue(join.command());
        assertArrayEquals(command("JOIN", "TV"), join.body());
        dish.join("Movies");
        assertArrayEquals(command("JOIN", "Movies"), peer.readFrame().body());
        dish.leave("Movies");
        MockZmtpPeer.WireFrame leave = peer.readFrame();
        assertTrue(leave.command());
        assertArrayEquals(command("LEAVE", "Movies"), leave.body());
        peer.writeData("News".getBytes(StandardCharsets.UTF_8), true);
        peer.writeData("not joined".getBytes(StandardCharsets.UTF_8), false);
        peer.writeData("TV".getBytes(StandardCharsets.UTF_8), true);
        peer.writeData("Friends".getBytes(StandardCharsets.UTF_8), false);
        assertReceived(dish, "TV", "Friends");
      }
    }
  }

  /** Hostile peers lose their own connection: a JOIN over 255 bytes, a lone frame at a DISH. */
  @Test
  void aGarbageJoinDropsOnlyThatConnection() throws Exception {
    try (ZSocket radio = ctx.socket(SocketType.RADIO); ZSocket dish = ctx.socket(SocketType.DISH)) {
      TestProbe<io.pekkozmq.engine.event.SocketEvent> events = probe(io.pekkozmq.engine.event.SocketEvent.class);
      radio.monitor(events.ref(), EventType.ALL_V1);
      String ep = radio.bind("tcp://127.0.0.1:*");
      dish.join("TV");
      dish.connect(ep);
      awaitGroup(radio, dish, "TV");
      try (MockZmtpPeer peer = MockZmtpPeer.connect(ep, WAIT)) {
        peer.handshake("DISH", 1);
        peer.writeCommand(command("JOIN", "x".repeat(300)));
        assertTrue(peer.closedByPeer(), "the radio kept a peer that sent a 300-byte group");
      }
      MonitorProbes.await(events, EventType.DISCONNECTED, WAIT);
      radio.send(grouped("TV", "still here"));
      assertReceived(dish, "TV", "still here");
    }
  }

  @Test
  void aRadioPeerThatSendsALoneFrameIsDropped() throws Exception {
    try (ServerSocket server = MockZmtpPeer.listen(WAIT); ZSocket dish = ctx.socket(SocketType.DISH)) {
      dish.join("TV");
      dish.connect(MockZmtpPeer.endpointOf(server));
      try (MockZmtpPeer peer = MockZmtpPeer.accept(server, WAIT)) {
        peer.handshake("RADIO", 1);
        peer.writeData("no group frame");
        assertTrue(peer.closedByPeer(), "the dish kept a peer that sent a frame without a group");
      }
    }
  }

  /** The typed protocol: Socket.Join and Socket.Leave answer Done or Failed. */
  @Test
  void typedJoinAndLeave() {
    try (ZSocket radio = ctx.socket(SocketType.RADIO); ZSocket dish = ctx.socket(SocketType.DISH)) {
      TestProbe<Socket.Reply> replies = probe(Socket.Reply.class);
      dish.actor().tell(new Socket.Join("TV", replies.ref()));
      replies.expectMessageClass(Socket.Done.class, WAIT);
      dish.actor().tell(new Socket.Join("TV", replies.ref()));
      Socket.Failed f = replies.expectMessageClass(Socket.Failed.class, WAIT);
      assertEquals(Errno.EINVAL, f.error().errno());
      wire(radio, dish, "inproc");
      awaitGroup(radio, dish, "TV");
      dish.actor().tell(new Socket.Leave("TV", replies.ref()));
      replies.expectMessageClass(Socket.Done.class, WAIT);
      radio.send(grouped("TV", "gone"));
      assertNull(dish.recv(Duration.ofMillis(100)));
    }
  }

  static byte[] command(String name, String group) {
    byte[] g = group.getBytes(StandardCharsets.UTF_8);
    byte[] b = new byte[1 + name.length() + g.length];
    b[0] = (byte) name.length();
    System.arraycopy(name.getBytes(StandardCharsets.US_ASCII), 0, b, 1, name.length());
    System.arraycopy(g, 0, b, 1 + name.length(), g.length);
    return b;
  }
}
