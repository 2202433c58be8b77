package io.pekkozmq.actors;

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
import io.pekkozmq.engine.security.CurveKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.zeromq.ZMQ;

/**
 * CURVE and PLAIN against JeroMQ 0.6.0 (ZMTP 3.0; its CURVE from jnacl, which JeroMQ's pom brings
 * in): our side CURVE server and client, binding and connecting, over tcp, data both ways (JeroMQ
 * echoes ours); PLAIN with our {@link ZAuthenticator} as the server's ZAP handler, and refusing a
 * wrong JeroMQ password with HANDSHAKE_FAILED_AUTH 400.
 *
 * <p>COUNT stays far below both sides' HWM (1000) on purpose: JeroMQ 0.6.0's CURVE delivers a raw,
 * still-boxed MESSAGE when its pipe is at HWM (jeromq#1009), and this test is about interop, not
 * about that bug. Our own CURVE at HWM is CurveHostileTest's business.
 */
class JeromqSecurityTest extends JeromqPerClass {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int COUNT = 50;
  private static final CurveKeys SERVER = CurveKeys.generate();
  private static final CurveKeys CLIENT = CurveKeys.generate();

  static Stream<Arguments> sidesRoles() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (boolean weBind : List.of(true, false)) {
      for (boolean ourServer : List.of(true, false)) b.add(Arguments.of(weBind, ourServer));
    }
    return b.build();
  }

  private ZSocket dealer(Map<ZmqOption, Object> options) {
    ZSocket s = ctx.socket(SocketType.DEALER);
    s.setOption(ZmqOption.LINGER, 0);
    s.setOption(ZmqOption.RCVTIMEO, (int) WAIT.toMillis());
    options.forEach(s::setOption);
    return s;
  }

  private ZMQ.Socket jeromqDealer() {
    ZMQ.Socket s = jeromq.createSocket(org.zeromq.SocketType.DEALER);
    s.setLinger(0);
    s.setReceiveTimeOut((int) WAIT.toMillis());
    return s;
  }

  private static byte[] body(int i) {
    byte[] b = new byte[i == COUNT - 1 ? 70_000 : (i * 41) % 500]; // one frame beyond a read buffer
    for (int k = 0; k < b.length; k++) b[k] = (byte) (i * 7 + k);
    return b;
  }

  /** COUNT two-frame messages from ours to JeroMQ, each echoed back; the first echo. */
  private static Msg exchange(ZSocket ours, ZMQ.Socket theirs) {
    for (int i = 0; i < COUNT; i++) ours.send(Msg.ofBytes(("" + i).getBytes(), body(i)));
    for (int i = 0; i < COUNT; i++) {
      List<byte[]> m = JeromqPeers.recv(theirs);
      assertNotNull(m, "JeroMQ got message " + i + " within " + WAIT);
      assertEquals("" + i, new String(m.get(0)));
      assertArrayEquals(body(i), m.get(1), "JeroMQ's message " + i);
      assertTrue(JeromqPeers.send(theirs, m), "JeroMQ echoes " + i);
    }
    Msg first = null;
    for (int i = 0; i < COUNT; i++) {
      Msg m = ours.recv();
      assertNotNull(m, "echo " + i + " within " + WAIT);
      assertEquals("" + i, m.frame(0).text());
      assertArrayEquals(body(i), m.frame(1).toByteArray(), "echo " + i);
      if (first == null) first = m;
    }
    return first;
  }

  @ParameterizedTest(name = "weBind={0} ourServer={1}")
  @MethodSource("sidesRoles")
  void curveCarriesDataBothWays(boolean weBind, boolean ourServer) {
    Map<ZmqOption, Object> opts = ourServer
        ? Map.of(ZmqOption.CURVE_SERVER, true, ZmqOption.CURVE_SECRETKEY, SERVER.secretZ85())
        : Map.of(ZmqOption.CURVE_SERVERKEY, SERVER.publicZ85(), ZmqOption.CURVE_PUBLICKEY, CLIENT.publicZ85(),
            ZmqOption.CURVE_SECRETKEY, CLIENT.secretZ85());
    try (ZSocket s = dealer(opts)) {
      ZMQ.Socket j = join(s, weBind, () -> {
        ZMQ.Socket p = jeromqDealer();
        if (ourServer) {
          p.setCurveServerKey(SERVER.publicKey());
          p.setCurvePublicKey(CLIENT.publicKey());
          p.setCurveSecretKey(CLIENT.secretKey());
        } else {
          p.setCurveServer(true);
          p.setCurveSecretKey(SERVER.secretKey());
        }
        return p;
      });
      try {
        assertEquals("CURVE", s.getOption(ZmqOption.MECHANISM));
        Msg first = exchange(s, j);
        assertNull(first.property(Msg.USER_ID), "no ZAP handler: CURVE encrypts without authenticating");
        assertEquals("DEALER", first.property(Msg.SOCKET_TYPE));
      } finally {
        j.close();
      }
    }
  }

  @ParameterizedTest(name = "weBind={0}")
  @MethodSource("binds")
  void curveThroughOurAuthenticatorNamesJeromqsKey(boolean weBind) {
    try (ZAuthenticator auth = ZAuthenticator.start(ctx.zeroMQ())) {
      auth.configureCurve("*", CLIENT.publicZ85());
      try (ZSocket s = dealer(Map.of(ZmqOption.CURVE_SERVER, true, ZmqOption.CURVE_SECRETKEY, SERVER.secretZ85()))) {
        ZMQ.Socket j = join(s, weBind, () -> {
          ZMQ.Socket p = jeromqDealer();
          p.setCurveServerKey(SERVER.publicKey());
          p.setCurvePublicKey(CLIENT.publicKey());
          p.setCurveSecretKey(CLIENT.secretKey());
          return p;
        });
        try {
          assertEquals(CLIENT.publicZ85(), exchange(s, j).property(Msg.USER_ID));
        } finally {
          j.close();
        }
      }
    }
  }

  static Stream<Boolean> binds() {
    return Stream.of(true, false);
  }

  @ParameterizedTest(name = "weBind={0}")
  @MethodSource("binds")
  void plainThroughOurAuthenticator(boolean weBind) {
    try (ZAuthenticator auth = ZAuthenticator.start(ctx.zeroMQ())) {
      auth.configurePlain("*", Map.of("admin", "secret"));
      try (ZSocket s = dealer(Map.of(ZmqOption.PLAIN_SERVER, true))) {
        ZMQ.Socket j = join(s, weBind, () -> {
          ZMQ.Socket p = jeromqDealer();
          p.setPlainUsername("admin".getBytes());
          p.setPlainPassword("secret".getBytes());
          return p;
        });
        try {
          assertEquals("PLAIN", s.getOption(ZmqOption.MECHANISM));
          Msg first = exchange(s, j);
          assertEquals("admin", first.property(Msg.USER_ID), "our authenticator's user id: the PLAIN user name");
          assertEquals("127.0.0.1", first.property(Msg.PEER_ADDRESS));
        } finally {
          j.close();
        }
      }
    }
  }

  /** Our PLAIN client to a JeroMQ PLAIN server (JeroMQ with no ZAP handler lets it through, as libzmq 4.3 does not). */
  @ParameterizedTest(name = "weBind={0}")
  @MethodSource("binds")
  void ourPlainClientToJeromqsPlainServer(boolean weBind) {
    try (ZSocket s = dealer(Map.of(ZmqOption.PLAIN_USERNAME, "admin", ZmqOption.PLAIN_PASSWORD, "secret"))) {
      ZMQ.Socket j = join(s, weBind, () -> {
        ZMQ.Socket p = jeromqDealer();
        p.setPlainServer(true);
        return p;
      });
      try {
        assertEquals("PLAIN", s.getOption(ZmqOption.MECHANISM));
        exchange(s, j);
      } finally {
        j.close();
      }
    }
  }

  @Test
  void ourAuthenticatorRefusesAWrongJeromqPassword() {
    try (ZAuthenticator auth = ZAuthenticator.start(ctx.zeroMQ())) {
      auth.configurePlain("*", Map.of("admin", "secret"));
      try (ZSocket s = dealer(Map.of(ZmqOption.PLAIN_SERVER, true))) {
        TestProbe<SocketEvent> events = probe(SocketEvent.class);
        s.monitor(events.ref(), EventType.ALL_V1);
        String ep = s.bind("tcp://127.0.0.1:*");
        ZMQ.Socket j = jeromqDealer();
        // JeroMQ 0.6.0 now and then never starts the handshake of a completed connect (see
        // JeromqConnect; jeromq#1022: its poller keeps a cancelled key) and sits idle until its
        // HANDSHAKE_IVL, 30 s by default, ends the connection and it reconnects. A refused peer
        // never reaches HANDSHAKE_SUCCEEDED, so JeromqConnect cannot replace it; a short
        // HANDSHAKE_IVL makes JeroMQ retry well within WAIT (seen in CI; 1 in 40 attempts here).
        // Only here: JeromqConnect tells attempts apart by their first connection, which a JeroMQ
        // reconnect would change.
        j.setHandshakeIvl(2000);
        try {
          j.setPlainUsername("admin".getBytes());
          j.setPlainPassword("guess".getBytes());
          j.setSendTimeOut(100);
          j.connect(ep);
          j.send("must not arrive"); // queued in JeroMQ; its connection is refused
          assertEquals(400, MonitorProbes.await(events, EventType.HANDSHAKE_FAILED_AUTH, WAIT).value());
          assertNull(s.tryRecv(), "nothing of the refused peer is delivered");
        } finally {
          j.close();
        }
      }
    }
  }
}
