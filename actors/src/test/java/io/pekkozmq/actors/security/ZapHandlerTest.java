package io.pekkozmq.actors.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.engine.security.CurveKeys;
import io.pekkozmq.engine.zmtp.ProtocolError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ZAP with a user's own REP handler bound at inproc://zeromq.zap.01 (RFC 27 exactly as libzmq
 * speaks it), the replies a misbehaving handler gives, and libzmq 4.3's rule when no handler is
 * bound.
 */
class ZapHandlerTest extends SecuritySockets {
  private static final CurveKeys SERVER = CurveKeys.generate();
  private static final CurveKeys CLIENT = CurveKeys.generate();
  private static final int EFAULT = 14;

  private final List<Thread> handlers = new ArrayList<>();
  private final LinkedBlockingQueue<Msg> requests = new LinkedBlockingQueue<>();

  @Override
  @AfterEach
  void closeSockets() throws InterruptedException {
    super.closeSockets();
    for (Thread t : handlers) {
      t.interrupt();
      t.join(WAIT.toMillis());
    }
    handlers.clear();
    requests.clear();
  }

  /**
   * A REP handler answering each request with {@code answer} (null: no answer, ever); it records
   * every request. Closed with the test's sockets.
   */
  private void repHandler(Function<Msg, Msg> answer) {
    ZSocket rep = socket(SocketType.REP, Map.of());
    rep.bind("inproc://zeromq.zap.01");
    Thread t = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        Msg req;
        try {
          req = rep.recv(Duration.ofMillis(200)); // null: nothing yet, look at the interrupt flag
        } catch (RuntimeException closed) {
          return;
        }
        if (req == null) continue;
        requests.add(req);
        Msg reply = answer.apply(req);
        if (reply == null) return; // a handler that never answers
        rep.send(reply);
      }
    }, "zap-rep-handler");
    t.setDaemon(true);
    t.start();
    handlers.add(t);
  }

  private static Msg reply(Msg req, String status, String userId, byte[] metadata) {
    return Msg.of(Frame.of("1.0"), req.frame(1), Frame.of(status), Frame.of(status.equals("200") ? "OK" : "NO"),
        Frame.of(userId), Frame.wrap(metadata));
  }

  private ZSocket curveServer(Map<ZmqOption, Object> extra) {
    Map<ZmqOption, Object> o = new java.util.LinkedHashMap<>(Map.of(ZmqOption.CURVE_SERVER, true,
        ZmqOption.CURVE_SECRETKEY, SERVER.secretKey()));
    o.putAll(extra);
    return socket(SocketType.PULL, o);
  }

  private ZSocket curveClient(String ep) {
    ZSocket c = socket(SocketType.PUSH, Map.of(ZmqOption.CURVE_SERVERKEY, SERVER.publicKey(),
        ZmqOption.CURVE_PUBLICKEY, CLIENT.publicKey(), ZmqOption.CURVE_SECRETKEY, CLIENT.secretKey()));
    c.connect(ep);
    return c;
  }

  @Test
  void aRepHandlerSeesLibzmqsRequestAndItsUserIdAndMetadataReachTheMessages() throws Exception {
    repHandler(req -> reply(req, "200", "rep-user", ZAuth.encodeMetadata(Map.of("X-Role", "admin"))));
    ZSocket server = curveServer(Map.of(ZmqOption.ZAP_DOMAIN, "dom"));
    String ep = server.bind("tcp://127.0.0.1:*");
    curveClient(ep).send("hi");
    Msg m = server.recv();
    assertNotNull(m);
    assertEquals("rep-user", m.property(Msg.USER_ID));
    assertEquals("admin", m.property("X-Role"));
    assertEquals("127.0.0.1", m.property(Msg.PEER_ADDRESS));

    Msg req = requests.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(req);
    // version, request id, domain, address, identity, mechanism, credentials (the REP took the delimiter)
    assertEquals(7, req.size(), req.toString());
    assertEquals("1.0", req.frame(0).text());
    assertEquals("dom", req.frame(2).text());
    assertEquals("127.0.0.1", req.frame(3).text());
    assertEquals("CURVE", req.frame(5).text());
    assertArrayEquals(CLIENT.publicKey(), req.frame(6).toByteArray());
  }

  @Test
  void aRepHandlerRefusingGivesHandshakeFailedAuthWithItsStatus() {
    repHandler(req -> reply(req, "400", "", new byte[0]));
    ZSocket server = curveServer(Map.of());
    TestProbe<SocketEvent> events = monitor(server);
    String ep = server.bind("tcp://127.0.0.1:*");
    ZSocket client = curveClient(ep);
    client.send(io.pekkozmq.engine.Msg.ofStrings("no"), java.time.Duration.ofMillis(100)); // a refused peer's pipe may be gone
    SocketEvent e = await(events, EventType.HANDSHAKE_FAILED_AUTH, EventType.HANDSHAKE_SUCCEEDED);
    assertEquals(EventType.HANDSHAKE_FAILED_AUTH, e.type());
    assertEquals(400, e.value());
    assertNull(server.tryRecv());
  }

  @Test
  void aHandlerThatNeverAnswersLeavesItToTheHandshakeTimeout() {
    repHandler(req -> null);
    ZSocket server = curveServer(Map.of(ZmqOption.HANDSHAKE_IVL, 300));
    TestProbe<SocketEvent> events = monitor(server);
    String ep = server.bind("tcp://127.0.0.1:*");
    curveClient(ep).send(io.pekkozmq.engine.Msg.ofStrings("never"), java.time.Duration.ofMillis(100)); // a refused peer's pipe may be gone
    SocketEvent e = await(events, EventType.HANDSHAKE_FAILED_NO_DETAIL, EventType.HANDSHAKE_SUCCEEDED);
    assertEquals(EventType.HANDSHAKE_FAILED_NO_DETAIL, e.type());
    assertNull(server.tryRecv());
  }

  @Test
  void aMalformedReplyIsLibzmqsZapProtocolError() {
    repHandler(req -> Msg.of(Frame.of("2.0"), req.frame(1), Frame.of("200"), Frame.of("OK"), Frame.of(""), Frame.EMPTY));
    ZSocket server = curveServer(Map.of());
    TestProbe<SocketEvent> events = monitor(server);
    String ep = server.bind("tcp://127.0.0.1:*");
    curveClient(ep).send(io.pekkozmq.engine.Msg.ofStrings("bad"), java.time.Duration.ofMillis(100)); // a refused peer's pipe may be gone
    SocketEvent e = await(events, EventType.HANDSHAKE_FAILED_PROTOCOL, EventType.HANDSHAKE_SUCCEEDED,
        EventType.HANDSHAKE_FAILED_NO_DETAIL, EventType.HANDSHAKE_FAILED_AUTH, EventType.DISCONNECTED);
    assertEquals(EventType.HANDSHAKE_FAILED_PROTOCOL, e.type(), e.toString());
    assertEquals(ProtocolError.ZAP_BAD_VERSION.code(), e.value());
  }

  @Test
  void aReplyWithAnotherRequestIdIsRefused() {
    repHandler(req -> Msg.of(Frame.of("1.0"), Frame.of("not-the-id"), Frame.of("200"), Frame.of("OK"), Frame.of(""),
        Frame.EMPTY));
    ZSocket server = curveServer(Map.of());
    TestProbe<SocketEvent> events = monitor(server);
    String ep = server.bind("tcp://127.0.0.1:*");
    curveClient(ep).send(io.pekkozmq.engine.Msg.ofStrings("bad"), java.time.Duration.ofMillis(100)); // a refused peer's pipe may be gone
    SocketEvent e = await(events, EventType.HANDSHAKE_FAILED_PROTOCOL, EventType.HANDSHAKE_SUCCEEDED);
    assertEquals(ProtocolError.ZAP_BAD_REQUEST_ID.code(), e.value());
  }

  // ---- no handler: libzmq 4.3.4's rule ------------------------------------------------------

  @Test
  void withoutAHandlerCurvePassesUnauthenticated() {
    ZSocket server = curveServer(Map.of(ZmqOption.ZAP_DOMAIN, "dom"));
    String ep = server.bind("tcp://127.0.0.1:*");
    curveClient(ep).send("stonehouse");
    Msg m = server.recv();
    assertNotNull(m);
    assertNull(m.property(Msg.USER_ID));
  }

  @Test
  void withoutAHandlerCurveWithZapEnforceDomainFailsWithEfault() {
    ZSocket server = curveServer(Map.of(ZmqOption.ZAP_DOMAIN, "dom", ZmqOption.ZAP_ENFORCE_DOMAIN, true));
    TestProbe<SocketEvent> events = monitor(server);
    String ep = server.bind("tcp://127.0.0.1:*");
    curveClient(ep).send(io.pekkozmq.engine.Msg.ofStrings("enforced"), java.time.Duration.ofMillis(100)); // a refused peer's pipe may be gone
    SocketEvent e = await(events, EventType.HANDSHAKE_FAILED_NO_DETAIL, EventType.HANDSHAKE_SUCCEEDED);
    assertEquals(EventType.HANDSHAKE_FAILED_NO_DETAIL, e.type());
    assertEquals(EFAULT, e.value());
  }

  @Test
  void withoutAHandlerPlainFailsWithEfaultAsLibzmq434() {
    ZSocket server = socket(SocketType.PULL, Map.of(ZmqOption.PLAIN_SERVER, true));
    TestProbe<SocketEvent> events = monitor(server);
    String ep = server.bind("tcp://127.0.0.1:*");
    ZSocket c = socket(SocketType.PUSH, Map.of(ZmqOption.PLAIN_USERNAME, "u", ZmqOption.PLAIN_PASSWORD, "p"));
    c.connect(ep);
    c.send(io.pekkozmq.engine.Msg.ofStrings("refused"), java.time.Duration.ofMillis(100)); // a refused peer's pipe may be gone
    SocketEvent e = await(events, EventType.HANDSHAKE_FAILED_NO_DETAIL, EventType.HANDSHAKE_SUCCEEDED);
    assertEquals(EventType.HANDSHAKE_FAILED_NO_DETAIL, e.type());
    assertEquals(EFAULT, e.value());
    assertNull(server.tryRecv());
  }
}
