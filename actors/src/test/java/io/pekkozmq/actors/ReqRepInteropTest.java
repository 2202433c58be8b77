package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request-reply family against every peer ({@link InteropPeers}: libzmq over tcp and ipc,
 * JeroMQ over tcp): REQ↔REP both ways, our ROUTER serving three of the peer's DEALERs and the
 * peer's ROUTER serving three of ours (each reply back to its sender), and ROUTER↔ROUTER with
 * explicit ROUTING_ID / CONNECT_ROUTING_ID; our side binding and connecting. Bodies run from empty
 * to 70,000 bytes (every hundredth), so large frames cross too.
 */
class ReqRepInteropTest extends InteropPeers {
  private static final int COUNT = 300;
  private static final int PEERS = 3;

  static byte[] body(int i) {
    byte[] b = new byte[i % 100 == 99 ? 70_000 : (i * 37) % 300];
    Arrays.fill(b, (byte) i);
    return b;
  }

  static Msg request(int i) {
    return Msg.of(Frame.of(Integer.toString(i)), Frame.wrap(body(i)));
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] b(int i) {
    return b(Integer.toString(i));
  }

  /** Fails unless {@code got} (what the peer received) is {@code want}, frame by frame. */
  private static void assertFrames(List<byte[]> want, List<byte[]> got, String what) {
    assertNotNull(got, what + " did not reach the peer");
    assertEquals(want.size(), got.size(), what + ": frames");
    for (int k = 0; k < want.size(); k++) assertArrayEquals(want.get(k), got.get(k), what + ": frame " + k);
  }

  private static List<byte[]> plus(List<byte[]> frames, String last) {
    List<byte[]> out = new ArrayList<>(frames);
    out.add(b(last));
    return out;
  }

  @ParameterizedTest(name = "{0} we-bind={1} {2}")
  @MethodSource("placements")
  void reqGetsEachReplyFromAPeerRep(String peerName, boolean weBind, String transport) throws Exception {
    PeerDriver peer = peer(peerName);
    try (ZSocket req = ctx.socket(SocketType.REQ)) {
      peer.socket("rep", "REP", Map.of());
      place(peer, "rep", List.of(req), weBind, transport);
      for (int i = 0; i < COUNT; i++) {
        assertTrue(req.send(request(i), WAIT), "request " + i);
        List<byte[]> m = peer.recv("rep", WAIT);
        assertFrames(List.of(b(i), body(i)), m, "request " + i);
        assertTrue(peer.send("rep", plus(m, "rep")), "reply " + i + " timed out");
        Msg reply = req.recv(WAIT);
        assertNotNull(reply, "reply " + i + " did not arrive");
        assertEquals(3, reply.size(), "the delimiter is stripped");
        assertEquals(Integer.toString(i), reply.frame(0).text());
        assertArrayEquals(body(i), reply.frame(1).toByteArray());
        assertEquals("rep", reply.frame(2).text());
      }
    }
  }

  @ParameterizedTest(name = "{0} we-bind={1} {2}")
  @MethodSource("placements")
  void repAnswersAPeerReqThroughItsEnvelope(String peerName, boolean weBind, String transport) throws Exception {
    PeerDriver peer = peer(peerName);
    try (ZSocket rep = ctx.socket(SocketType.REP)) {
      rep.setOption(ZmqOption.LINGER, 10_000);
      peer.socket("req", "REQ", Map.of());
      place(peer, "req", List.of(rep), weBind, transport);
      for (int i = 0; i < COUNT; i++) {
        assertTrue(peer.send("req", List.of(b(i), body(i))), "request " + i + " timed out");
        Msg m = rep.recv(WAIT);
        assertNotNull(m, "request " + i + " did not arrive");
        assertEquals(2, m.size(), "the envelope is hidden");
        assertEquals(Integer.toString(i), m.frame(0).text());
        assertArrayEquals(body(i), m.frame(1).toByteArray());
        rep.send(Msg.of(m.frame(0), m.frame(1), Frame.of("rep")));
        assertFrames(List.of(b(i), body(i), b("rep")), peer.recv("req", WAIT), "reply " + i);
      }
    }
  }

  @ParameterizedTest(name = "{0} we-bind={1} {2}")
  @MethodSource("placements")
  void routerRepliesToEachOfThreePeerDealers(String peerName, boolean weBind, String transport) throws Exception {
    PeerDriver peer = peer(peerName);
    try (ZSocket router = ctx.socket(SocketType.ROUTER)) {
      router.setOption(ZmqOption.LINGER, 10_000);
      String ours = weBind ? router.bind(ourEndpoint(transport)) : null;
      for (int k = 0; k < PEERS; k++) {
        peer.socket("d" + k, "DEALER", Map.of());
        if (weBind) peer.connect("d" + k, List.of(router), List.of(ours));
        else router.connect(peer.bind("d" + k, transport));
      }
      for (int i = 0; i < COUNT; i++) {
        for (int k = 0; k < PEERS; k++) {
          assertTrue(peer.send("d" + k, List.of(b("d" + k), b(i), body(i))), "dealer " + k + " send " + i);
        }
      }
      Map<String, byte[]> idOfDealer = new HashMap<>();
      Map<String, Integer> nextOfDealer = new HashMap<>();
      for (int j = 0; j < PEERS * COUNT; j++) {
        Msg m = router.recv(WAIT);
        assertNotNull(m, "message " + j + " did not arrive");
        assertEquals(4, m.size());
        byte[] id = m.frame(0).toByteArray();
        assertEquals(5, id.length, "a generated id is 5 bytes");
        assertEquals(0, id[0], "a generated id starts with a zero byte");
        String dealer = m.frame(1).text();
        byte[] known = idOfDealer.putIfAbsent(dealer, id);
        if (known != null) assertArrayEquals(known, id, "one id per dealer");
        int expected = nextOfDealer.merge(dealer, 1, Integer::sum) - 1;
        assertEquals(Integer.toString(expected), m.frame(2).text(), "order from " + dealer);
        assertArrayEquals(body(expected), m.frame(3).toByteArray());
        router.send(Msg.of(m.frame(0), m.frame(1), m.frame(2), m.frame(3), Frame.of("back")));
      }
      assertEquals(PEERS, idOfDealer.size());
      Set<String> distinct = new HashSet<>();
      for (byte[] id : idOfDealer.values()) distinct.add(Arrays.toString(id));
      assertEquals(PEERS, distinct.size(), "each dealer has its own id");
      for (int k = 0; k < PEERS; k++) {
        for (int i = 0; i < COUNT; i++) {
          assertFrames(List.of(b("d" + k), b(i), body(i), b("back")), peer.recv("d" + k, WAIT),
              "reply " + i + " to dealer " + k);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} we-bind={1} {2}")
  @MethodSource("placements")
  void aPeerRouterRepliesToEachOfOurThreeDealers(String peerName, boolean weBind, String transport) throws Exception {
    PeerDriver peer = peer(peerName);
    List<ZSocket> dealers = new ArrayList<>();
    try {
      for (int k = 0; k < PEERS; k++) {
        ZSocket d = ctx.socket(SocketType.DEALER);
        d.setOption(ZmqOption.LINGER, 10_000);
        dealers.add(d);
      }
      peer.socket("router", "ROUTER", Map.of("ROUTER_MANDATORY", true));
      place(peer, "router", dealers, weBind, transport);
      for (int i = 0; i < COUNT; i++) {
        for (int k = 0; k < PEERS; k++) {
          dealers.get(k).send(Msg.of(Frame.of("d" + k), Frame.of(Integer.toString(i)), Frame.wrap(body(i))));
        }
      }
      Map<String, Set<String>> idsOfDealer = new HashMap<>();
      for (int j = 0; j < PEERS * COUNT; j++) {
        List<byte[]> m = peer.recv("router", WAIT);
        assertNotNull(m, "message " + j + " did not reach the peer's ROUTER");
        assertEquals(4, m.size(), "message " + j + ": routing id and three frames");
        idsOfDealer.computeIfAbsent(new String(m.get(1), StandardCharsets.UTF_8), x -> new HashSet<>())
            .add(HexFormat.of().formatHex(m.get(0)));
        assertTrue(peer.send("router", plus(m, "back")), "reply " + j + " timed out");
      }
      for (int k = 0; k < PEERS; k++) {
        for (int i = 0; i < COUNT; i++) {
          Msg m = dealers.get(k).recv(WAIT);
          assertNotNull(m, "reply " + i + " to dealer " + k + " did not arrive");
          assertEquals(4, m.size());
          assertEquals("d" + k, m.frame(0).text(), "a reply reaches its sender only");
          assertEquals(Integer.toString(i), m.frame(1).text());
          assertArrayEquals(body(i), m.frame(2).toByteArray());
          assertEquals("back", m.frame(3).text());
        }
      }
      assertEquals(PEERS, idsOfDealer.size(), idsOfDealer::toString);
      Set<String> all = new HashSet<>();
      for (Set<String> ids : idsOfDealer.values()) {
        assertEquals(1, ids.size(), "one id per dealer: " + idsOfDealer);
        String id = ids.iterator().next();
        assertTrue(id.startsWith("00") && id.length() == 10, "a generated id is 5 bytes from a zero byte: " + id);
        all.add(id);
      }
      assertEquals(PEERS, all.size(), "each dealer has its own id: " + idsOfDealer);
    } finally {
      dealers.forEach(ZSocket::close);
    }
  }

  @ParameterizedTest(name = "{0} we-bind={1} {2}")
  @MethodSource("placements")
  void routerToRouterWithExplicitRoutingIds(String peerName, boolean weBind, String transport) throws Exception {
    PeerDriver peer = peer(peerName);
    try (ZSocket router = ctx.socket(SocketType.ROUTER)) {
      router.setOption(ZmqOption.LINGER, 10_000);
      router.setOption(ZmqOption.ROUTING_ID, b(weBind ? "our-server" : "our-client"));
      if (weBind) {
        peer.socket("client", "ROUTER", Map.of("ROUTING_ID", b("peer-client"),
            "CONNECT_ROUTING_ID", b("server-alias"), "ROUTER_MANDATORY", true));
        place(peer, "client", List.of(router), true, transport);
        for (int i = 0; i < COUNT; i++) {
          // libzmq: a peer named by CONNECT_ROUTING_ID is routable from the connect on
          assertTrue(peer.send("client", List.of(b("server-alias"), b("hello"), b(i))), "request " + i + " failed");
          Msg m = router.recv(WAIT);
          assertNotNull(m, "request " + i + " did not arrive");
          assertEquals(List.of("peer-client", "hello", Integer.toString(i)), texts(m), "the peer's ROUTING_ID names it");
          router.send(Msg.of(m.frame(0), Frame.of("world"), m.frame(2)));
          assertFrames(List.of(b("server-alias"), b("world"), b(i)), peer.recv("client", WAIT), "reply " + i);
        }
      } else {
        peer.socket("server", "ROUTER", Map.of("ROUTING_ID", b("peer-server")));
        router.setOption(ZmqOption.ROUTER_MANDATORY, true);
        router.setOption(ZmqOption.CONNECT_ROUTING_ID, b("server-alias"));
        place(peer, "server", List.of(router), false, transport);
        for (int i = 0; i < COUNT; i++) {
          router.send(Msg.ofStrings("server-alias", "hello", Integer.toString(i)));
          List<byte[]> m = peer.recv("server", WAIT);
          assertFrames(List.of(b("our-client"), b("hello"), b(i)), m, "request " + i);
          assertTrue(peer.send("server", List.of(m.get(0), b("world"), b(i))), "reply " + i + " failed");
          Msg reply = router.recv(WAIT);
          assertNotNull(reply, "reply " + i + " did not arrive");
          assertEquals(List.of("server-alias", "world", Integer.toString(i)), texts(reply));
        }
      }
    }
  }

  static List<String> texts(Msg m) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < m.size(); i++) out.add(m.frame(i).text());
    return out;
  }
}
