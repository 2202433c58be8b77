package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ws:// (ZWS 2.0, RFC 45) between our own sockets, each side binding in turn; libzmq's test_ws_transport cases. */
class WsTransportTest extends RuntimePerClass {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i % 255);
    return b;
  }

  /** {@code a} binds ws://127.0.0.1:*{path}, {@code b} connects to the bound endpoint. */
  private static String wire(ZSocket a, ZSocket b, String path) {
    String ep = a.bind("ws://127.0.0.1:*" + path);
    b.connect(ep);
    return ep;
  }

  @Test
  void lastEndpointNamesTheBoundAddressAndPath() {
    try (ZSocket rep = zmq.socket(SocketType.REP)) {
      String ep = rep.bind("ws://*:*/roundtrip");
      // the wildcard as the JDK reports it (libzmq writes 0.0.0.0; tcp:// here gives the same [::])
      assertTrue(ep.matches("ws://(0\\.0\\.0\\.0|\\[::\\]):\\d+/roundtrip"), ep);
      String bare = rep.bind("ws://127.0.0.1:*");
      assertTrue(bare.matches("ws://127\\.0\\.0\\.1:\\d+/"), bare);
      assertEquals(bare, rep.lastEndpoint());
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void reqRepRoundTripsWithEitherSideBinding(boolean repBinds) {
    try (ZSocket rep = zmq.socket(SocketType.REP); ZSocket req = zmq.socket(SocketType.REQ)) {
      if (repBinds) wire(rep, req, "/roundtrip"); else wire(req, rep, "");
      for (int i = 0; i < 20; i++) {
        req.send("ping-" + i);
        assertEquals("ping-" + i, rep.recvString(WAIT));
        rep.send("pong-" + i);
        assertEquals("pong-" + i, req.recvString(WAIT));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void dealerRouterCarryMultipartAndLargeFrames(boolean routerBinds) {
    try (ZSocket router = zmq.socket(SocketType.ROUTER); ZSocket dealer = zmq.socket(SocketType.DEALER)) {
      dealer.setOption(ZmqOption.ROUTING_ID, "dealer-1".getBytes());
      if (routerBinds) wire(router, dealer, "/dr"); else wire(dealer, router, "/dr");
      byte[] big = filled(70_000); // the 64-bit length form
      byte[] mid = filled(300); // the 16-bit form
      dealer.send(Msg.of(Frame.of("head"), Frame.wrap(mid), Frame.wrap(big), Frame.EMPTY));
      Msg got = router.recv(WAIT);
      assertNotNull(got);
      assertEquals(5, got.size());
      assertEquals("dealer-1", got.frame(0).text(), "the peer is named by the routing id it announced");
      assertEquals("head", got.frame(1).text());
      assertArrayEquals(mid, got.frame(2).toByteArray());
      assertArrayEquals(big, got.frame(3).toByteArray());
      assertEquals(0, got.frame(4).size());
      router.send(Msg.of(Frame.of("dealer-1"), Frame.wrap(big), Frame.of("tail")));
      Msg back = dealer.recv(WAIT);
      assertNotNull(back);
      assertArrayEquals(big, back.frame(0).toByteArray());
      assertEquals("tail", back.frame(1).text());
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void subscriptionsReachThePublisherAndFilter(boolean pubBinds) {
    try (ZSocket xpub = zmq.socket(SocketType.XPUB); ZSocket sub = zmq.socket(SocketType.SUB)) {
      sub.subscribe("A");
      sub.subscribe("B");
      if (pubBinds) wire(xpub, sub, ""); else wire(sub, xpub, "/ps");
      assertArrayEquals(new byte[] {1, 'A'}, xpub.recv(WAIT).frame(0).toByteArray());
      assertArrayEquals(new byte[] {1, 'B'}, xpub.recv(WAIT).frame(0).toByteArray());
      xpub.send("C-not-wanted");
      xpub.send("A-1");
      xpub.send("B-2");
      assertEquals("A-1", sub.recvString(WAIT));
      assertEquals("B-2", sub.recvString(WAIT));
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void pairCarriesManyMessagesInOrder(boolean firstBinds) {
    try (ZSocket a = zmq.socket(SocketType.PAIR); ZSocket b = zmq.socket(SocketType.PAIR)) {
      if (firstBinds) wire(a, b, "/pair"); else wire(b, a, "/pair");
      int n = 100_000;
      Thread sender = new Thread(() -> {
        for (int i = 0; i < n; i++) a.send(Integer.toString(i));
      });
      sender.start();
      for (int i = 0; i < n; i++) {
        String s = b.recvString(WAIT);
        assertEquals(Integer.toString(i), s, "message " + i);
      }
      b.send("done");
      assertEquals("done", a.recvString(WAIT));
    }
  }

  @Test
  void heartbeatsAreWebSocketPingsAndKeepTheConnection() {
    try (ZSocket rep = zmq.socket(SocketType.REP); ZSocket req = zmq.socket(SocketType.REQ)) {
      // only REQ pings, and the REP side sends nothing else: its pongs alone keep the connection
      req.setOption(ZmqOption.HEARTBEAT_IVL, 20);
      req.setOption(ZmqOption.HEARTBEAT_TIMEOUT, 100);
      TestProbe<SocketEvent> events = monitor(req);
      wire(rep, req, "/hb");
      MonitorProbes.await(events, EventType.HANDSHAKE_SUCCEEDED, WAIT);
      // five HEARTBEAT_TIMEOUTs without data: a PING left unanswered would have ended it (DISCONNECTED)
      events.expectNoMessage(Duration.ofMillis(500));
      req.send("after the pings");
      assertEquals("after the pings", rep.recvString(WAIT));
      rep.send("ok");
      assertEquals("ok", req.recvString(WAIT));
    }
  }

  @Test
  void curveRunsOverWebSocket() {
    io.pekkozmq.engine.security.CurveKeys server = io.pekkozmq.engine.security.CurveKeys.generate();
    io.pekkozmq.engine.security.CurveKeys client = io.pekkozmq.engine.security.CurveKeys.generate();
    try (ZSocket rep = zmq.socket(SocketType.REP); ZSocket req = zmq.socket(SocketType.REQ)) {
      rep.setOption(ZmqOption.CURVE_SERVER, true);
      rep.setOption(ZmqOption.CURVE_SECRETKEY, server.secretKey());
      req.setOption(ZmqOption.CURVE_SERVERKEY, server.publicKey());
      req.setOption(ZmqOption.CURVE_PUBLICKEY, client.publicKey());
      req.setOption(ZmqOption.CURVE_SECRETKEY, client.secretKey());
      wire(rep, req, "/curve");
      req.send(Msg.of(Frame.wrap(filled(5000))));
      assertArrayEquals(filled(5000), rep.recv(WAIT).frame(0).toByteArray());
      rep.send("ok");
      assertEquals("ok", req.recvString(WAIT));
    }
  }

  @Test
  void endpointsAreCheckedWhenParsed() {
    try (ZSocket s = zmq.socket(SocketType.PAIR); ZSocket stream = zmq.socket(SocketType.STREAM)) {
      ZmqException noPort = assertThrows(ZmqException.class, () -> s.connect("ws://127.0.0.1/path"));
      assertEquals(Errno.EINVAL, noPort.errno());
      ZmqException raw = assertThrows(ZmqException.class, () -> stream.bind("ws://127.0.0.1:*"));
      assertEquals(Errno.EPROTONOSUPPORT, raw.errno());
      ZmqException noCert = assertThrows(ZmqException.class, () -> s.bind("wss://127.0.0.1:*"));
      assertEquals(Errno.EINVAL, noCert.errno());
      assertTrue(noCert.getMessage().contains("WSS_CERT_PEM"), noCert.getMessage());
    }
  }
}
