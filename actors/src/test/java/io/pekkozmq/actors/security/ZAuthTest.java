package io.pekkozmq.actors.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.engine.security.Certificate;
import io.pekkozmq.engine.security.CurveKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authenticator driven through real sockets of one context over tcp: each test starts a
 * {@link ZAuthenticator}, a server socket and clients, and checks who gets in (a message through)
 * and who does not (HANDSHAKE_FAILED_AUTH 400 on both sides' monitors, nothing delivered).
 */
class ZAuthTest extends SecuritySockets {
  static final CurveKeys SERVER = CurveKeys.generate();
  static final CurveKeys CLIENT = CurveKeys.generate();
  static final CurveKeys STRANGER = CurveKeys.generate();

  private ZAuthenticator auth;

  @Override
  @AfterEach
  void closeSockets() throws InterruptedException {
    super.closeSockets();
    if (auth != null) auth.close();
    auth = null;
  }

  private ZSocket curveServer(String domain) {
    return socket(SocketType.PULL, Map.of(ZmqOption.CURVE_SERVER, true, ZmqOption.CURVE_SECRETKEY, SERVER.secretKey(),
        ZmqOption.ZAP_DOMAIN, domain));
  }

  private ZSocket curveClient(CurveKeys keys, String endpoint) {
    ZSocket c = socket(SocketType.PUSH, Map.of(ZmqOption.CURVE_SERVERKEY, SERVER.publicKey(),
        ZmqOption.CURVE_PUBLICKEY, keys.publicKey(), ZmqOption.CURVE_SECRETKEY, keys.secretKey()));
    c.connect(endpoint);
    return c;
  }

  private ZSocket plainClient(String user, String password, String endpoint) {
    ZSocket c = socket(SocketType.PUSH, Map.of(ZmqOption.PLAIN_USERNAME, user, ZmqOption.PLAIN_PASSWORD, password));
    c.connect(endpoint);
    return c;
  }

  /** The client gets in: its message arrives at the server, whose properties are returned. */
  private static Msg admitted(ZSocket client, ZSocket server, String text) {
    client.send(text);
    Msg m = server.recv();
    assertNotNull(m, text + " within " + WAIT);
    assertEquals(text, m.frame(0).text());
    return m;
  }

  /** The client is refused with {@code status} on both monitors; the server got nothing. */
  private static void refused(TestProbe<SocketEvent> serverEvents, ZSocket client, TestProbe<SocketEvent> clientEvents,
      ZSocket server, int status) {
    client.send(io.pekkozmq.engine.Msg.ofStrings("must not arrive"), java.time.Duration.ofMillis(100)); // a refused peer's pipe may be gone
    // the server's probe may still hold an earlier client's HANDSHAKE_SUCCEEDED: the client's own tells
    assertEquals(status, await(serverEvents, EventType.HANDSHAKE_FAILED_AUTH).value(), "server side");
    assertEquals(status, await(clientEvents, EventType.HANDSHAKE_FAILED_AUTH, EventType.HANDSHAKE_SUCCEEDED).value(),
        "client side (the server's ERROR carries the status)");
    assertNull(server.tryRecv(), "nothing of a refused peer is delivered");
  }

  // ---- CURVE ---------------------------------------------------------------------------------

  @Test
  void curveAllowsListedKeysNamesThemAndRefusesOthers() {
    auth = ZAuthenticator.start(ctx.zeroMQ());
    auth.configureCurve("*", CLIENT.publicZ85());
    ZSocket server = curveServer("");
    TestProbe<SocketEvent> serverEvents = monitor(server);
    String ep = server.bind("tcp://127.0.0.1:*");
    Msg m = admitted(curveClient(CLIENT, ep), server, "hello");
    assertEquals(CLIENT.publicZ85(), m.property(Msg.USER_ID), "user id: the client's key in Z85, as zauth");
    assertEquals("127.0.0.1", m.property(Msg.PEER_ADDRESS));
    ZSocket stranger = socket(SocketType.PUSH, Map.of(ZmqOption.CURVE_SERVERKEY, SERVER.publicKey(),
        ZmqOption.CURVE_PUBLICKEY, STRANGER.publicKey(), ZmqOption.CURVE_SECRETKEY, STRANGER.secretKey()));
    TestProbe<SocketEvent> strangerEvents = monitor(stranger);
    stranger.connect(ep);
    refused(serverEvents, stranger, strangerEvents, server, 400);
  }

  @Test
  void curveCertificateDirectoryReloadsAndItsMetadataReachesTheMessages(@TempDir Path dir) throws Exception {
    new Certificate(CLIENT.publicKey(), null, Map.of("name", "client")).save(dir.resolve("client.key"));
    auth = ZAuthenticator.start(ctx.zeroMQ());
    auth.configureCurveDirectory("*", dir);
    ZSocket server = curveServer("");
    TestProbe<SocketEvent> serverEvents = monitor(server);
    String ep = server.bind("tcp://127.0.0.1:*");
    assertEquals("client", admitted(curveClient(CLIENT, ep), server, "one").property("name"));

    ZSocket stranger = socket(SocketType.PUSH, Map.of(ZmqOption.CURVE_SERVERKEY, SERVER.publicKey(),
        ZmqOption.CURVE_PUBLICKEY, STRANGER.publicKey(), ZmqOption.CURVE_SECRETKEY, STRANGER.secretKey()));
    TestProbe<SocketEvent> strangerEvents = monitor(stranger);
    stranger.connect(ep);
    refused(serverEvents, stranger, strangerEvents, server, 400);

    new Certificate(STRANGER.publicKey(), null, Map.of("name", "newcomer")).save(dir.resolve("newcomer.key"));
    auth.reload();
    Msg m = admitted(curveClient(STRANGER, ep), server, "two");
    assertEquals(STRANGER.publicZ85(), m.property(Msg.USER_ID));
    assertEquals("newcomer", m.property("name"));
  }

  @Test
  void curveAllowAnyLetsEveryKeyInAndStillNamesIt() {
    auth = ZAuthenticator.start(ctx.zeroMQ());
    auth.configureCurveAllowAny("*");
    ZSocket server = curveServer("");
    String ep = server.bind("tcp://127.0.0.1:*");
    assertEquals(STRANGER.publicZ85(), admitted(curveClient(STRANGER, ep), server, "any").property(Msg.USER_ID));
  }

  // ---- PLAIN ---------------------------------------------------------------------------------

  @Test
  void plainDomainsFallBackToTheAnyDomain() {
    auth = ZAuthenticator.start(ctx.zeroMQ());
    auth.configurePlain("a", Map.of("alice", "pa"));
    auth.configurePlain("*", Map.of("bob", "pb"));
    ZSocket a = socket(SocketType.PULL, Map.of(ZmqOption.PLAIN_SERVER, true, ZmqOption.ZAP_DOMAIN, "a"));
    ZSocket b = socket(SocketType.PULL, Map.of(ZmqOption.PLAIN_SERVER, true, ZmqOption.ZAP_DOMAIN, "b"));
    TestProbe<SocketEvent> bEvents = monitor(b);
    String epA = a.bind("tcp://127.0.0.1:*");
    String epB = b.bind("tcp://127.0.0.1:*");
    assertEquals("alice", admitted(plainClient("alice", "pa", epA), a, "to a").property(Msg.USER_ID));
    assertEquals("bob", admitted(plainClient("bob", "pb", epB), b, "to b").property(Msg.USER_ID));
    ZSocket alice = socket(SocketType.PUSH, Map.of(ZmqOption.PLAIN_USERNAME, "alice", ZmqOption.PLAIN_PASSWORD, "pa"));
    TestProbe<SocketEvent> aliceEvents = monitor(alice);
    alice.connect(epB);
    refused(bEvents, alice, aliceEvents, b, 400);
  }

  @Test
  void plainPasswordFileIsReadAgainOnReload(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("passwords");
    Files.writeString(file, "# users\nadmin=old\n\n", StandardCharsets.UTF_8);
    auth = ZAuthenticator.start(ctx.zeroMQ());
    auth.configurePlainFile("*", file);
    ZSocket server = socket(SocketType.PULL, Map.of(ZmqOption.PLAIN_SERVER, true));
    TestProbe<SocketEvent> serverEvents = monitor(server);
    String ep = server.bind("tcp://127.0.0.1:*");
    admitted(plainClient("admin", "old", ep), server, "old password");

    Files.writeString(file, "admin=new\n", StandardCharsets.UTF_8);
    auth.reload();
    admitted(plainClient("admin", "new", ep), server, "new password");
    ZSocket stale = socket(SocketType.PUSH, Map.of(ZmqOption.PLAIN_USERNAME, "admin", ZmqOption.PLAIN_PASSWORD, "old"));
    TestProbe<SocketEvent> staleEvents = monitor(stale);
    stale.connect(ep);
    refused(serverEvents, stale, staleEvents, server, 400);
  }

  // ---- addresses and NULL -----------------------------------------------------------------

  @Test
  void addressesDenyThenAllowListWinsForNullWithAZapDomain() {
    auth = ZAuthenticator.start(ctx.zeroMQ());
    ZSocket server = socket(SocketType.PULL, Map.of(ZmqOption.ZAP_DOMAIN, "global"));
    TestProbe<SocketEvent> serverEvents = monitor(server);
    String ep = server.bind("tcp://127.0.0.1:*");
    assertEquals("anonymous", admitted(connected(ep), server, "open").property(Msg.USER_ID));

    auth.deny("127.0.0.1");
    refusedNull(serverEvents, server, ep);
    auth.allow("10.1.2.3"); // an allow list: only its addresses pass
    refusedNull(serverEvents, server, ep);
    auth.allow("127.0.0.1"); // allowed now, though also denied: the allow list wins (zauth)
    admitted(connected(ep), server, "allowed");
  }

  private ZSocket connected(String ep) {
    ZSocket c = socket(SocketType.PUSH, Map.of());
    c.connect(ep);
    return c;
  }

  private void refusedNull(TestProbe<SocketEvent> serverEvents, ZSocket server, String ep) {
    ZSocket c = socket(SocketType.PUSH, Map.of());
    TestProbe<SocketEvent> events = monitor(c);
    c.connect(ep);
    refused(serverEvents, c, events, server, 400);
  }

  @Test
  void nullWithoutZapDomainNeverAsks() {
    auth = ZAuthenticator.start(ctx.zeroMQ());
    auth.deny("127.0.0.1");
    ZSocket server = socket(SocketType.PULL, Map.of());
    String ep = server.bind("tcp://127.0.0.1:*");
    assertNull(admitted(connected(ep), server, "plain NULL").property(Msg.USER_ID), "no ZAP, no user id");
  }

  // ---- the actor itself -------------------------------------------------------------------

  @Test
  void badSettingsAreRefusedNamingTheProblemAndChangeNothing(@TempDir Path dir) {
    auth = ZAuthenticator.start(ctx.zeroMQ());
    ZmqException e = assertThrows(ZmqException.class, () -> auth.configureCurve("*", "not a key"));
    assertEquals(Errno.EINVAL, e.errno());
    assertTrue(e.getMessage().contains("CURVE client key"), e.getMessage());
    e = assertThrows(ZmqException.class, () -> auth.configurePlainFile("*", dir.resolve("missing")));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
    e = assertThrows(ZmqException.class, () -> auth.configureCurveDirectory("*", dir.resolve("nowhere")));
    assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
  }

  @Test
  void aSecondHandlerInTheSameContextFailsWithEaddrinuseAndTheFirstKeepsWorking() {
    auth = ZAuthenticator.start(ctx.zeroMQ());
    ZmqException e = assertThrows(ZmqException.class, () -> ZAuthenticator.start(ctx.zeroMQ()));
    assertEquals(Errno.EADDRINUSE, e.errno());
    auth.configurePlain("*", Map.of("u", "p"));
    ZSocket server = socket(SocketType.PULL, Map.of(ZmqOption.PLAIN_SERVER, true));
    String ep = server.bind("tcp://127.0.0.1:*");
    admitted(plainClient("u", "p", ep), server, "still served");
  }
}
