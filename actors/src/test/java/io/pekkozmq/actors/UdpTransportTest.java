package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The udp transport (RFC 48 over datagrams) against a peer written by hand in Python's
 * {@code socket} module, checking libzmq's datagram layout byte by byte both ways: one byte of
 * group length, the group, the body. Plus hostile datagrams and loopback multicast where the
 * machine routes it.
 */
class UdpTransportTest extends ContextPerClass {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final HexFormat HEX = HexFormat.of();

  /** recv: bind, print the port, print every datagram in hex. send PORT: send each hex line as one datagram. */
  private static final String PEER = String.join("\n",
      "import socket, sys",
      "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
      "if sys.argv[1] == 'recv':",
      "    s.bind(('127.0.0.1', 0))",
      "    print('port', s.getsockname()[1], flush=True)",
      "    while True:",
      "        data, _ = s.recvfrom(70000)",
      "        print('dgram', data.hex(), flush=True)",
      "else:",
      "    port = int(sys.argv[2])",
      "    for line in sys.stdin:",
      "        s.sendto(bytes.fromhex(line.strip()), ('127.0.0.1', port))",
      "        print('sent', flush=True)");

  private static String hex(String s) {
    return HEX.formatHex(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String datagram(int groupLength, String group, String body) {
    return String.format("%02x", groupLength) + hex(group) + hex(body);
  }

  private static PyPeer python(String... args) {
    PyPeer p = PyZmq.start(PEER, args);
    return p;
  }

  @Test
  void radioSendsLibzmqsDatagramLayout() {
    try (PyPeer peer = python("recv"); ZSocket radio = ctx.socket(SocketType.RADIO)) {
      String port = peer.awaitLine("port ", WAIT).substring(5).trim();
      radio.connect("udp://127.0.0.1:" + port);
      radio.send(Msg.ofStrings("Friends").withGroup("TV"));
      assertEquals("dgram " + datagram(2, "TV", "Friends"), peer.awaitLine("dgram ", WAIT));
      radio.send(Msg.ofStrings("no group")); // libzmq's empty group: length 0
      assertEquals("dgram " + datagram(0, "", "no group"), peer.awaitLine("dgram ", WAIT));
      radio.send(Msg.ofBytes(new byte[0]).withGroup("G"));
      assertEquals("dgram " + datagram(1, "G", ""), peer.awaitLine("dgram ", WAIT));
      String longest = "L".repeat(Msg.GROUP_MAX_LENGTH);
      radio.send(Msg.ofStrings("b").withGroup(longest));
      assertEquals("dgram " + datagram(255, longest, "b"), peer.awaitLine("dgram ", WAIT));
      // a message no datagram can hold is dropped; the next one still goes
      radio.send(Msg.ofBytes(new byte[70_000]).withGroup("TV"));
      radio.send(Msg.ofStrings("after").withGroup("TV"));
      assertEquals("dgram " + datagram(2, "TV", "after"), peer.awaitLine("dgram ", WAIT));
    }
  }

  @Test
  void dishTakesOnlyJoinedGroupsAndSurvivesHostileDatagrams() {
    try (ZSocket dish = ctx.socket(SocketType.DISH)) {
      dish.join("TV");
      String ep = dish.bind("udp://127.0.0.1:*");
      String port = ep.substring(ep.lastIndexOf(':') + 1);
      try (PyPeer peer = python("send", port)) {
        String big = "x".repeat(65_000);
        String[] datagrams = {
          datagram(2, "TV", "Friends"),
          datagram(6, "Movies", "Godfather"), // not joined
          datagram(3, "TVs", "no prefix match"),
          "09" + hex("TV"), // the group length exceeds the datagram: dropped
          "ff", // 255 announced, nothing there
          datagram(2, "TV", big), // larger than libzmq's 8 KiB buffer; we take it whole
          datagram(2, "TV", "last"),
        };
        for (String d : datagrams) {
          peer.writeLine(d);
          assertEquals("sent", peer.awaitLine("sent", WAIT));
        }
        Msg m = dish.recv(WAIT);
        assertNotNull(m);
        assertEquals("TV", m.group());
        assertEquals("Friends", m.first().text());
        m = dish.recv(WAIT);
        assertNotNull(m, "the 65,000-byte body was lost");
        assertEquals(big, m.first().text());
        m = dish.recv(WAIT);
        assertNotNull(m);
        assertEquals("last", m.first().text());
        assertNull(dish.recv(Duration.ofMillis(100)));
      }
    }
  }

  /** libzmq's test_radio_dish_mcast, on the loopback interface, where the machine routes it. */
  @Test
  void multicastOnLoopback() throws IOException {
    String why = loopbackMulticastUnavailable();
    Assumptions.assumeTrue(why == null, "loopback multicast does not work here: " + why);
    try (ZSocket radio = ctx.socket(SocketType.RADIO); ZSocket dish = ctx.socket(SocketType.DISH)) {
      String url = "udp://127.0.0.1;239.0.0.1:" + freeUdpPort();
      dish.bind(url);
      radio.connect(url);
      dish.join("TV");
      radio.send(Msg.ofStrings("Friends").withGroup("TV"));
      Msg m = dish.recv(WAIT);
      assertNotNull(m);
      assertEquals("TV", m.group());
      assertEquals("Friends", m.first().text());
    }
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramChannel c = DatagramChannel.open()) {
      c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return ((InetSocketAddress) c.getLocalAddress()).getPort();
    }
  }

  /** Null if a datagram sent to 239.0.0.1 on the loopback interface comes back to a member; else why not. */
  private static String loopbackMulticastUnavailable() {
    try (DatagramChannel rx = DatagramChannel.open(StandardProtocolFamily.INET);
        DatagramChannel tx = DatagramChannel.open(StandardProtocolFamily.INET);
        Selector sel = Selector.open()) {
      NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
      if (lo == null) return "no loopback interface";
      InetAddress group = InetAddress.getByName("239.0.0.1");
      rx.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      rx.bind(new InetSocketAddress(0));
      rx.join(group, lo);
      rx.configureBlocking(false);
      rx.register(sel, SelectionKey.OP_READ);
      tx.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
      tx.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
      tx.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress(group, ((InetSocketAddress) rx.getLocalAddress()).getPort()));
      if (sel.select(2000) == 0) return "a probe datagram to 239.0.0.1 on " + lo.getName() + " did not come back within 2 s";
      return null;
    } catch (IOException | RuntimeException e) {
      return e.toString();
    }
  }

  @Test
  void aTakenUnicastPortIsAddressInUse() {
    try (ZSocket a = ctx.socket(SocketType.DISH); ZSocket b = ctx.socket(SocketType.DISH)) {
      String ep = a.bind("udp://127.0.0.1:*");
      io.pekkozmq.engine.ZmqException e = org.junit.jupiter.api.Assertions.assertThrows(
          io.pekkozmq.engine.ZmqException.class, () -> b.bind(ep));
      assertEquals(io.pekkozmq.engine.Errno.EADDRINUSE, e.errno());
      assertTrue(e.getMessage().contains(ep), e.getMessage());
      a.unbind(ep); // answers once the port is free
      assertEquals(ep, b.bind(ep));
      org.junit.jupiter.api.Assertions.assertThrows(io.pekkozmq.engine.ZmqException.class, () -> a.unbind(ep),
          "unbound once");
    }
  }

  @Test
  void theDatagramCounterSeesDrops() {
    long before = io.pekkozmq.actors.impl.engine.UdpEngine.dropped();
    try (ZSocket radio = ctx.socket(SocketType.RADIO); ZSocket dish = ctx.socket(SocketType.DISH)) {
      dish.join("TV");
      radio.connect(dish.bind("udp://127.0.0.1:*"));
      radio.send(Msg.ofBytes(new byte[70_000]).withGroup("TV"));
      radio.send(Msg.ofStrings("after").withGroup("TV"));
      Msg m = dish.recv(WAIT);
      assertNotNull(m);
      assertEquals("after", m.first().text());
      assertTrue(io.pekkozmq.actors.impl.engine.UdpEngine.dropped() > before);
    }
  }
}
