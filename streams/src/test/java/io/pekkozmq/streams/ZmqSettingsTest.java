package io.pekkozmq.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.SocketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ZmqSettings: defaults from reference.conf, layering on pekko-zmq.socket, immutable withX, checks. */
class ZmqSettingsTest {
  private static final Config DEFAULTS = ConfigFactory.load();

  @Test
  void defaultsComeFromReferenceConf() {
    ZmqSettings s = ZmqSettings.create(DEFAULTS);
    assertNull(s.socketType());
    assertEquals(List.of(), s.binds());
    assertEquals(List.of(), s.connects());
    assertEquals(Map.of(), s.options(), "no override in pekko-zmq.streams.socket: the socket defaults apply");
    assertEquals("", s.dispatcher());
    assertEquals(64, s.receiveBatch());
    assertEquals(256, s.eventBuffer());
  }

  @Test
  void streamSocketOptionsLayerOnTheSocketDefaults() {
    Config c = ConfigFactory.parseString("""
        pekko-zmq.streams.socket { sndhwm = 5000, reconnect-ivl-max = 2000 }
        pekko-zmq.socket.reconnect-ivl-max = 7
        pekko-zmq.streams.receive-batch = 8
        """).withFallback(DEFAULTS);
    ZmqSettings s = ZmqSettings.create(c);
    assertEquals(Map.of(ZmqOption.SNDHWM, 5000, ZmqOption.RECONNECT_IVL_MAX, 2000), s.options());
    assertEquals(8, s.receiveBatch());
  }

  @Test
  void unknownStreamSocketKeyIsNamed() {
    Config c = ConfigFactory.parseString("pekko-zmq.streams.socket.sndhwn = 5").withFallback(DEFAULTS);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZmqSettings.create(c));
    assertTrue(e.getMessage().contains("pekko-zmq.streams.socket.sndhwn"), e.getMessage());
  }

  @Test
  void withMethodsReturnNewSettingsAndLeaveTheOriginal() {
    ZmqSettings base = ZmqSettings.create(DEFAULTS);
    ZmqSettings s = base.withSocketType(SocketType.SUB)
        .withBind("tcp://127.0.0.1:*", "ipc:///tmp/x")
        .withConnect("tcp://127.0.0.1:5555")
        .withHwm(10)
        .withLinger(Duration.ofMillis(250))
        .withRoutingId("me")
        .withSubscriptions("a", "b")
        .withSubscription(new byte[] {1, 2})
        .withReconnectInterval(Duration.ofMillis(50))
        .withReconnectIntervalMax(Duration.ofSeconds(2))
        .withHeartbeatInterval(Duration.ofSeconds(1))
        .withHeartbeatTtl(Duration.ofSeconds(3))
        .withHeartbeatTimeout(Duration.ofSeconds(2))
        .withOption(ZmqOption.IMMEDIATE, true)
        .withDispatcher("my-dispatcher")
        .withReceiveBatch(16)
        .withEventBuffer(64);
    assertNull(base.socketType());
    assertEquals(Map.of(), base.options());
    assertEquals(SocketType.SUB, s.socketType());
    assertEquals(List.of("tcp://127.0.0.1:*", "ipc:///tmp/x"), s.binds());
    assertEquals(List.of("tcp://127.0.0.1:5555"), s.connects());
    assertEquals(List.of(ZmqOption.SNDHWM, ZmqOption.RCVHWM, ZmqOption.LINGER, ZmqOption.ROUTING_ID,
        ZmqOption.RECONNECT_IVL, ZmqOption.RECONNECT_IVL_MAX, ZmqOption.HEARTBEAT_IVL, ZmqOption.HEARTBEAT_TTL,
        ZmqOption.HEARTBEAT_TIMEOUT, ZmqOption.IMMEDIATE), List.copyOf(s.options().keySet()), "applied in order");
    assertEquals(250, s.options().get(ZmqOption.LINGER));
    assertEquals(2000, s.options().get(ZmqOption.RECONNECT_IVL_MAX));
    assertArrayEquals("me".getBytes(StandardCharsets.UTF_8), (byte[]) s.options().get(ZmqOption.ROUTING_ID));
    assertEquals(3, s.subscriptions().size());
    assertArrayEquals(new byte[] {1, 2}, s.subscriptions().get(2));
    assertEquals("my-dispatcher", s.dispatcher());
    assertEquals(16, s.receiveBatch());
    assertEquals(64, s.eventBuffer());
    assertEquals(List.of("tcp://127.0.0.1:5555"), s.withBind().connects());
    assertEquals(List.of(), s.withBind().binds(), "withBind replaces the list");
    assertEquals(-1, s.withLingerUntilDelivered().options().get(ZmqOption.LINGER));
    assertEquals(-1, s.withoutReconnect().options().get(ZmqOption.RECONNECT_IVL));
  }

  @Test
  void settingAnOptionAgainMovesItLast() {
    ZmqSettings s = ZmqSettings.create(DEFAULTS).withSndHwm(1).withLinger(Duration.ZERO).withSndHwm(2);
    assertEquals(List.of(ZmqOption.LINGER, ZmqOption.SNDHWM), List.copyOf(s.options().keySet()));
    assertEquals(2, s.options().get(ZmqOption.SNDHWM));
  }

  @Test
  void subscribeOptionAddsASubscription() {
    ZmqSettings s = ZmqSettings.create(DEFAULTS).withOption(ZmqOption.SUBSCRIBE, "weather.");
    assertEquals(1, s.subscriptions().size());
    assertArrayEquals("weather.".getBytes(StandardCharsets.UTF_8), s.subscriptions().get(0));
    assertEquals(Map.of(), s.options());
  }

  @Test
  void badValuesAreRejectedNamingTheOption() {
    ZmqSettings s = ZmqSettings.create(DEFAULTS);
    assertNamed(() -> s.withSndHwm(-1), "SNDHWM");
    assertNamed(() -> s.withOption(ZmqOption.RCVHWM, "lots"), "RCVHWM");
    assertNamed(() -> s.withOption(ZmqOption.LAST_ENDPOINT, "x"), "LAST_ENDPOINT");
    assertNamed(() -> s.withOption(ZmqOption.HEARTBEAT_CONTEXT, new byte[17]), "HEARTBEAT_CONTEXT");
    assertNamed(() -> s.withRoutingId(new byte[0]), "ROUTING_ID");
    assertNamed(() -> s.withLinger(Duration.ofMillis(-5)), "linger");
    assertNamed(() -> s.withReceiveBatch(0), "receive batch");
    assertNamed(() -> s.withEventBuffer(0), "event buffer");
    assertNamed(() -> s.withBind("tcp://127.0.0.1:*", " "), "bind endpoint");
    assertNamed(() -> s.withOption(ZmqOption.UNSUBSCRIBE, "a"), "UNSUBSCRIBE");
  }

  private static void assertNamed(Runnable r, String name) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(name), "message should name " + name + ": " + e.getMessage());
  }

  @Test
  void securityOptionsApplyInTheOrderGivenAndHideSecrets() {
    io.pekkozmq.engine.security.CurveKeys server = io.pekkozmq.engine.security.CurveKeys.generate();
    ZmqSettings s = ZmqSettings.create(DEFAULTS).withSocketType(SocketType.PULL)
        .withZapDomain("global").withCurveSecretKey(server.secretZ85()).withCurvePublicKey(server.publicKey())
        .withCurveServer(true);
    assertEquals(List.of(ZmqOption.ZAP_DOMAIN, ZmqOption.CURVE_SECRETKEY, ZmqOption.CURVE_PUBLICKEY, ZmqOption.CURVE_SERVER),
        List.copyOf(s.options().keySet()), "CURVE_SERVER last, as set");
    String shown = s.toString();
    assertTrue(!shown.contains(server.secretZ85()) && shown.contains("CURVE_SECRETKEY=(hidden)"), shown);
    assertTrue(shown.contains("CURVE_PUBLICKEY=" + server.publicZ85()), shown);
    ZmqSettings plain = ZmqSettings.create(DEFAULTS).withPlainUsername("alice").withPlainPassword("sesame");
    assertTrue(!plain.toString().contains("sesame") && plain.toString().contains("PLAIN_USERNAME=alice"), plain.toString());
    assertArrayEquals("sesame".getBytes(StandardCharsets.UTF_8), (byte[]) plain.options().get(ZmqOption.PLAIN_PASSWORD));
    assertEquals(true, ZmqSettings.create(DEFAULTS).withPlainServer(true).options().get(ZmqOption.PLAIN_SERVER));
  }

  @Test
  void badSecurityValuesAreRefusedNamingTheOption() {
    ZmqSettings s = ZmqSettings.create(DEFAULTS);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.withCurveSecretKey("too short"));
    assertTrue(e.getMessage().contains("CURVE_SECRETKEY"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> s.withCurveServerKey(new byte[31]));
    assertTrue(e.getMessage().contains("CURVE_SERVERKEY"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> s.withPlainUsername(""));
    assertTrue(e.getMessage().contains("PLAIN_USERNAME"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> s.withPlainPassword("x".repeat(256)));
    assertTrue(e.getMessage().contains("PLAIN_PASSWORD"), e.getMessage());
  }
}
