package io.pekkozmq.actors;

import static io.pekkozmq.actors.SecurityPeers.json;
import static io.pekkozmq.actors.SecurityPeers.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.security.ZAuthenticator;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.engine.security.Certificate;
import io.pekkozmq.engine.security.CurveKeys;
import io.pekkozmq.engine.zmtp.ProtocolError;
import io.pekkozmq.testkit.PyPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CURVE, PLAIN and ZAP against real libzmq (pyzmq 4.3.4 built with libsodium): our side as server
 * and as client, binding and connecting, over tcp and ipc, data both ways (a libzmq DEALER echoes
 * ours); ZAP through our {@link ZAuthenticator} and through pyzmq's {@code ThreadAuthenticator}
 * on the libzmq side; the message properties (User-Id, Peer-Address) on both sides.
 */
class SecurityInteropTest extends ContextPerClass {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int COUNT = 40;
  private static final CurveKeys SERVER = CurveKeys.generate();
  private static final CurveKeys CLIENT = CurveKeys.generate();
  private static final CurveKeys STRANGER = CurveKeys.generate();
  private static final AtomicInteger NAMES = new AtomicInteger();

  private LibzmqPeers peers;

  @BeforeAll
  void peers() throws Exception {
    peers = LibzmqPeers.create("security-interop", WAIT);
  }

  static Stream<Arguments> transportsSidesRoles() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (String t : List.of("tcp", "ipc")) {
      for (boolean weBind : List.of(true, false)) {
        for (boolean ourServer : List.of(true, false)) b.add(Arguments.of(t, weBind, ourServer));
      }
    }
    return b.build();
  }

  private String endpoint(String transport) {
    return peers.endpoint(transport, "sec-" + NAMES.incrementAndGet() + ".ipc");
  }

  private ZSocket dealer(Map<ZmqOption, Object> options) {
    ZSocket s = ctx.socket(SocketType.DEALER);
    s.setOption(ZmqOption.LINGER, 0);
    s.setOption(ZmqOption.RCVTIMEO, (int) WAIT.toMillis());
    options.forEach(s::setOption);
    return s;
  }

  private static byte[] body(int i) {
    byte[] b = new byte[i == COUNT - 1 ? 70_000 : (i * 37) % 300]; // one frame beyond a read buffer
    for (int k = 0; k < b.length; k++) b[k] = (byte) (i + k);
    return b;
  }

  /** The first echo we received, and the properties the peer printed for the first message it got. */
  record Exchanged(Msg first, String theirProps) {}

  /** Sends COUNT two-frame messages and checks each echo. */
  static Exchanged exchange(ZSocket ours, PyPeer py) {
    for (int i = 0; i < COUNT; i++) ours.send(Msg.ofBytes(("" + i).getBytes(), body(i)));
    Msg first = null;
    for (int i = 0; i < COUNT; i++) {
      Msg m = ours.recv();
      assertNotNull(m, "echo " + i + " within " + WAIT);
      assertEquals("" + i, m.frame(0).text());
      assertArrayEquals(body(i), m.frame(1).toByteArray(), "echo " + i);
      if (first == null) first = m;
    }
    String props = SecurityPeers.await(py, "PROPS ", WAIT);
    assertEquals(String.valueOf(COUNT), SecurityPeers.await(py, "ECHOED ", WAIT));
    return new Exchanged(first, props);
  }

  private static Map<String, Object> curveServerOpts(CurveKeys server) {
    return map("CURVE_SERVER", 1, "CURVE_SECRETKEY", server.secretZ85());
  }

  private static Map<String, Object> curveClientOpts(CurveKeys client, byte[] serverKey) {
    return map("CURVE_SERVERKEY", io.pekkozmq.engine.security.Z85.encode(serverKey),
        "CURVE_PUBLICKEY", client.publicZ85(), "CURVE_SECRETKEY", client.secretZ85());
  }

  private static Map<ZmqOption, Object> ours(Map<String, Object> opts) {
    Map<ZmqOption, Object> m = new java.util.LinkedHashMap<>();
    opts.forEach((k, v) -> m.put(ZmqOption.valueOf(k), v));
    return m;
  }

  /** Ours: the IP for tcp; "localhost" for ipc (libzmq adds ":uid:gid:pid" there, see PeerAddress). */
  private static String expectedAddress(String transport) {
    return transport.equals("tcp") ? "127.0.0.1" : "localhost";
  }

  // ---- CURVE and PLAIN, every side ---------------------------------------------------------

  @ParameterizedTest(name = "{0} weBind={1} ourServer={2}")
  @MethodSource("transportsSidesRoles")
  void curveCarriesDataBothWays(String transport, boolean weBind, boolean ourServer) {
    Map<String, Object> server = curveServerOpts(SERVER);
    Map<String, Object> client = curveClientOpts(CLIENT, SERVER.publicKey());
    try (ZSocket s = dealer(ours(ourServer ? server : client));
         PyPeer py = peers.join(SecurityPeers.PEER, s, weBind, endpoint(transport),
             json(map("opts", ourServer ? client : server, "count", COUNT)))) {
      assertEquals("CURVE", s.getOption(ZmqOption.MECHANISM));
      Msg first = exchange(s, py).first();
      // no ZAP handler on either side: CURVE encrypts without authenticating (libzmq 4.3's Stonehouse)
      assertNull(first.property(Msg.USER_ID));
      assertEquals(expectedAddress(transport), first.property(Msg.PEER_ADDRESS));
      assertEquals("DEALER", first.property(Msg.SOCKET_TYPE));
    }
  }

  @ParameterizedTest(name = "{0} weBind={1} ourServer={2}")
  @MethodSource("transportsSidesRoles")
  void plainCarriesDataBothWaysWithZapOnTheServerSide(String transport, boolean weBind, boolean ourServer) {
    // libzmq 4.3's PLAIN server needs a ZAP handler: ours, or pyzmq's ThreadAuthenticator
    Map<String, Object> client = map("PLAIN_USERNAME", "admin", "PLAIN_PASSWORD", "secret");
    Map<String, Object> cfg = ourServer ? map("opts", client, "count", COUNT)
        : map("opts", map("PLAIN_SERVER", 1), "count", COUNT, "auth", map("plain", map("admin", "secret")));
    ZAuthenticator auth = ourServer ? ZAuthenticator.start(ctx.zeroMQ()) : null;
    if (auth != null) auth.configurePlain("*", Map.of("admin", "secret"));
    try (ZSocket s = dealer(ourServer ? Map.of(ZmqOption.PLAIN_SERVER, true) : ours(client));
         PyPeer py = peers.join(SecurityPeers.PEER, s, weBind, endpoint(transport), json(cfg))) {
      assertEquals("PLAIN", s.getOption(ZmqOption.MECHANISM));
      Exchanged x = exchange(s, py);
      Msg first = x.first();
      String theirProps = x.theirProps();
      if (ourServer) {
        assertEquals("admin", first.property(Msg.USER_ID), "our authenticator's user id: the PLAIN user name");
      } else {
        String[] p = theirProps.split("\\|");
        assertEquals("admin", p[0], "pyzmq's authenticator names our user");
        if (transport.equals("tcp")) assertEquals("127.0.0.1", p[1]);
        else assertTrue(p[1].startsWith("localhost:"), "libzmq's ipc Peer-Address: localhost:uid:gid:pid, got " + p[1]);
      }
      assertEquals(expectedAddress(transport), first.property(Msg.PEER_ADDRESS));
    } finally {
      if (auth != null) auth.close();
    }
  }

  // ---- ZAP: our authenticator serving libzmq clients ----------------------------------------

  private TestProbe<SocketEvent> monitor(ZSocket s) {
    TestProbe<SocketEvent> p = probe(SocketEvent.class);
    s.monitor(p.ref(), EventType.ALL_V1);
    return p;
  }

  private static SocketEvent awaitEvent(TestProbe<SocketEvent> p, EventType type) {
    return MonitorProbes.await(p, type, WAIT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void ourAuthenticatorLetsAListedLibzmqKeyInAndRefusesAnother(String transport) {
    try (ZAuthenticator auth = ZAuthenticator.start(ctx.zeroMQ())) {
      auth.configureCurve("*", CLIENT.publicZ85());
      try (ZSocket s = dealer(ours(curveServerOpts(SERVER)))) {
        TestProbe<SocketEvent> events = monitor(s);
        String ep = s.bind(endpoint(transport));
        try (PyPeer py = io.pekkozmq.testkit.PyZmq.start(SecurityPeers.PEER, "connect", ep,
            json(map("opts", curveClientOpts(CLIENT, SERVER.publicKey()), "count", COUNT)))) {
          Msg first = exchange(s, py).first();
          assertEquals(CLIENT.publicZ85(), first.property(Msg.USER_ID));
          assertEquals(expectedAddress(transport), first.property(Msg.PEER_ADDRESS));
        }
        try (PyPeer py = io.pekkozmq.testkit.PyZmq.start(SecurityPeers.PEER, "connect", ep,
            json(map("opts", curveClientOpts(STRANGER, SERVER.publicKey()), "until", "HANDSHAKE_FAILED_AUTH")))) {
          assertEquals(400, awaitEvent(events, EventType.HANDSHAKE_FAILED_AUTH).value());
          assertEquals("400", SecurityPeers.await(py, "EVENT HANDSHAKE_FAILED_AUTH ", WAIT),
              "libzmq's client hears the status in our ERROR");
        }
      }
    }
  }

  static Stream<String> transports() {
    return Stream.of("tcp", "ipc");
  }

  /**
   * libzmq 4.3.4's PLAIN writes and expects its ERROR command as {@code "\x5eRROR"} (plain_common.hpp's
   * {@code "\x05ERROR"}: the hex escape eats the E), so a libzmq PLAIN client does not understand
   * our well-formed ERROR: it fails the handshake its own way, and gets nothing through. (We send
   * only RFC 23's form, and read both.)
   */
  @Test
  void ourAuthenticatorRefusesAWrongLibzmqPassword() {
    try (ZAuthenticator auth = ZAuthenticator.start(ctx.zeroMQ())) {
      auth.configurePlain("*", Map.of("admin", "secret"));
      try (ZSocket s = dealer(Map.of(ZmqOption.PLAIN_SERVER, true))) {
        TestProbe<SocketEvent> events = monitor(s);
        try (PyPeer py = peers.join(SecurityPeers.PEER, s, true, endpoint("tcp"),
            json(map("opts", map("PLAIN_USERNAME", "admin", "PLAIN_PASSWORD", "guess"), "until", "DISCONNECTED")))) {
          assertEquals(400, awaitEvent(events, EventType.HANDSHAKE_FAILED_AUTH).value());
          SecurityPeers.await(py, "EVENT HANDSHAKE_FAILED_", WAIT);
          assertEquals("0", SecurityPeers.await(py, "ECHOED ", WAIT));
          assertNull(s.tryRecv(), "nothing of the refused peer is delivered");
        }
      }
    }
  }

  // ---- ZAP: pyzmq's ThreadAuthenticator serving our clients ---------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  void libzmqsAuthenticatorLetsOurListedKeyInFromOurCertificateAndRefusesAnother(String transport) throws Exception {
    Path certs = Files.createDirectories(peers.path("certs-" + NAMES.incrementAndGet()));
    new Certificate(CLIENT.publicKey(), null, Map.of("name", "client")).save(certs.resolve("client.key"));
    Map<String, Object> cfg = map("opts", curveServerOpts(SERVER), "count", COUNT, "until", "HANDSHAKE_FAILED_AUTH",
        "auth", map("curve", certs.toString()));
    try (ZSocket ok = dealer(ours(curveClientOpts(CLIENT, SERVER.publicKey())));
         PyPeer py = io.pekkozmq.testkit.PyZmq.start(SecurityPeers.PEER, "bind", endpoint(transport), json(cfg))) {
      String ep = io.pekkozmq.testkit.PyScripts.endpointOf(py, WAIT);
      ok.connect(ep);
      Exchanged x = exchange(ok, py);
      assertTrue(x.theirProps().startsWith(CLIENT.publicZ85() + "|"), "pyzmq's user id is our key: " + x.theirProps());
      try (ZSocket stranger = dealer(ours(curveClientOpts(STRANGER, SERVER.publicKey())))) {
        TestProbe<SocketEvent> events = monitor(stranger);
        stranger.connect(ep);
        stranger.send(io.pekkozmq.engine.Msg.ofStrings("must not arrive"), java.time.Duration.ofMillis(100)); // a refused peer's pipe may be gone
        assertEquals(400, awaitEvent(events, EventType.HANDSHAKE_FAILED_AUTH).value());
        assertEquals("400", SecurityPeers.await(py, "EVENT HANDSHAKE_FAILED_AUTH ", WAIT));
      }
    }
  }

  /**
   * pyzmq's authenticator refuses our PLAIN client: libzmq reports HANDSHAKE_FAILED_AUTH 400, and
   * its "^RROR" command (see above) is an ERROR to our PLAIN client too, so our side reports
   * HANDSHAKE_FAILED_AUTH 400 as well.
   */
  @Test
  void libzmqsAuthenticatorRefusesOurWrongPassword() {
    Map<String, Object> cfg = map("opts", map("PLAIN_SERVER", 1), "until", "HANDSHAKE_FAILED_AUTH",
        "auth", map("plain", map("admin", "secret")));
    try (ZSocket s = dealer(Map.of(ZmqOption.PLAIN_USERNAME, "admin", ZmqOption.PLAIN_PASSWORD, "guess"))) {
      TestProbe<SocketEvent> events = monitor(s);
      try (PyPeer py = peers.join(SecurityPeers.PEER, s, false, endpoint("tcp"), json(cfg))) {
        s.send(io.pekkozmq.engine.Msg.ofStrings("must not arrive"), java.time.Duration.ofMillis(100)); // a refused peer's pipe may be gone
        assertEquals("400", SecurityPeers.await(py, "EVENT HANDSHAKE_FAILED_AUTH ", WAIT));
        assertEquals("0", SecurityPeers.await(py, "ECHOED ", WAIT), "nothing of ours reached libzmq's socket");
        assertEquals(400, awaitEvent(events, EventType.HANDSHAKE_FAILED_AUTH).value(),
            "libzmq's ^RROR refusal is read as the ERROR it is");
        assertNotNull(awaitEvent(events, EventType.DISCONNECTED));
      }
    }
  }
}
