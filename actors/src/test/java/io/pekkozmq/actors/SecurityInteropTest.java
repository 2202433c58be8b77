package io.pekkozmq.actors;

import static io.pekkozmq.actors.SecurityPeers.json;
import static io.pekkozmq.actors.SecurityPeers.map;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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

  private static String expectedAddress(String transport) {
    return transport.equals("tcp") ? "127.0.0.1" : null;
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
        assertEquals("admin|" + (transport.equals("tcp") ? "127.0.0.1" : "-"), theirProps,
            "pyzmq's authenticator names our user; libzmq has no Peer-Address over ipc");
      }
      assertEquals(expectedAddress(transport), first.property(Msg.PEER_ADDRESS));
    } finally {
      if (auth != null) auth.close();
    }
  }
}
