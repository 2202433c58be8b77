package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.actors.impl.socket.SocketCore;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.pattern.PatternOptions;
import io.pekkozmq.engine.pattern.Patterns;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The option table: each option defined once (type, scope, reference.conf key, check), and the stores it drives. */
class ZmqOptionTest {
  private static final Config SOCKET_DEFAULTS = ConfigFactory.load().getConfig("pekko-zmq.socket");

  @Test
  void everyOptionHasAValueTypeAndAScope() {
    for (ZmqOption o : ZmqOption.values()) {
      assertNotNull(o.valueType(), o.name());
      assertNotNull(o.scope(), o.name());
      assertEquals(o.scope() == ZmqOption.Scope.READ_ONLY, o.readOnly(), o.name());
      assertEquals(o.scope() == ZmqOption.Scope.PATTERN, o.isPatternOption(), o.name());
    }
  }

  @Test
  void thePatternOptionsAreTheOnesThePatternReads() {
    Set<ZmqOption> pattern = EnumSet.range(ZmqOption.SUBSCRIBE, ZmqOption.STREAM_NOTIFY);
    for (ZmqOption o : ZmqOption.values()) assertEquals(pattern.contains(o), o.isPatternOption(), o.name());
    assertEquals(EnumSet.of(ZmqOption.MECHANISM, ZmqOption.LAST_ENDPOINT, ZmqOption.TYPE), readOnly());
  }

  private static Set<ZmqOption> readOnly() {
    Set<ZmqOption> s = EnumSet.noneOf(ZmqOption.class);
    for (ZmqOption o : ZmqOption.values()) if (o.readOnly()) s.add(o);
    return s;
  }

  @Test
  void everyConfigKeyHasADefaultInReferenceConfAndEveryDefaultAnOption() {
    Set<String> keys = new TreeSet<>();
    for (ZmqOption o : ZmqOption.values()) {
      o.configKey().ifPresent(key -> {
        assertTrue(SOCKET_DEFAULTS.hasPath(key), o + ": pekko-zmq.socket." + key + " missing in reference.conf");
        keys.add(key);
      });
    }
    assertEquals(new TreeSet<>(SOCKET_DEFAULTS.root().keySet()), keys,
        "every pekko-zmq.socket key belongs to one option");
  }

  @Test
  void connectionAndSocketOptionsLiveInSocketOptionsAndTakeTheirDefaultsFromConfig() {
    SocketOptions defaults = SocketOptions.fromConfig(SOCKET_DEFAULTS);
    for (ZmqOption o : ZmqOption.values()) {
      boolean held = o.scope() == ZmqOption.Scope.CONNECTION || o.scope() == ZmqOption.Scope.SOCKET;
      assertEquals(held, SocketOptions.holds(o), o.name());
      if (!held || o.configKey().isEmpty()) continue;
      Object fromConfig = defaults.get(o);
      String key = o.configKey().get();
      Object expected = o.valueType() == Integer.class ? SOCKET_DEFAULTS.getInt(key)
          : o.valueType() == Long.class ? SOCKET_DEFAULTS.getLong(key)
          : o.valueType() == Boolean.class ? SOCKET_DEFAULTS.getBoolean(key)
          : null;
      if (expected == null) {
        assertArrayEquals(SOCKET_DEFAULTS.getString(key).getBytes(StandardCharsets.UTF_8), (byte[]) fromConfig, o.name());
      } else {
        assertEquals(expected, fromConfig, o.name());
      }
    }
  }

  @Test
  void everySettableOptionRoundTripsFromSetToGet() {
    SocketOptions options = SocketOptions.fromConfig(SOCKET_DEFAULTS);
    SocketCore core = new SocketCore("t", SocketType.ROUTER, Patterns.create(SocketType.ROUTER, new PatternOptions()),
        new PatternOptions());
    for (ZmqOption o : ZmqOption.values()) {
      if (o.readOnly() || o == ZmqOption.SUBSCRIBE || o == ZmqOption.UNSUBSCRIBE) continue;
      Object value = sample(o);
      Object read;
      if (o.isPatternOption()) {
        core.setPatternOption(o, value);
        read = core.patternOption(o);
      } else {
        options.set(o, value);
        read = options.get(o);
      }
      if (value instanceof byte[] b) {
        assertArrayEquals(b, (byte[]) read, o.name());
      } else {
        assertEquals(value, read, o.name());
      }
    }
  }

  private static Object sample(ZmqOption o) {
    Class<?> t = o.valueType();
    if (o.name().startsWith("CURVE_") && t == byte[].class) return new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
    if (o.name().endsWith("_PEM")) return "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n";
    if (t == String.class) return "domain";
    if (t == Integer.class) return 700; // whole deciseconds, so HEARTBEAT_TTL keeps it
    if (t == Long.class) return 700L;
    if (t == Boolean.class) return true;
    if (t == byte[].class) return "abc".getBytes(StandardCharsets.US_ASCII);
    throw new AssertionError(o + " of " + t);
  }

  @Test
  void aBadValueFailsWithEinvalNamingTheOptionAndTheValue() {
    assertInvalid(ZmqOption.SNDHWM, -1, "option SNDHWM must be an integer >= 0, got -1");
    assertInvalid(ZmqOption.LINGER, -2, "option LINGER must be an integer >= -1, got -2");
    assertInvalid(ZmqOption.ROUTING_ID, new byte[256], "option ROUTING_ID must be 1 to 255 bytes, got 256");
    assertInvalid(ZmqOption.ROUTING_ID, new byte[] {0, 1}, "option ROUTING_ID may not start with a zero byte (reserved by libzmq)");
    assertInvalid(ZmqOption.HEARTBEAT_CONTEXT, new byte[17], "option HEARTBEAT_CONTEXT is at most 16 bytes, got 17");
    assertInvalid(ZmqOption.HEARTBEAT_TTL, 6553600, "HEARTBEAT_TTL 6553600 ms exceeds 6553599");
    assertInvalid(ZmqOption.RCVHWM, "many", "option RCVHWM needs a number, got 'many'");
    assertInvalid(ZmqOption.IMMEDIATE, null, "option IMMEDIATE needs a value");
    assertInvalid(ZmqOption.TYPE, "PUB", "option TYPE is read-only");
    assertInvalid(ZmqOption.ROUTER_MANDATORY, "yes", "option ROUTER_MANDATORY needs a boolean, got yes");
    assertInvalid(ZmqOption.ROUTER_NOTIFY, "3", "option ROUTER_NOTIFY got a value of the wrong type: 3");
    assertInvalid(ZmqOption.SUBSCRIBE, 5, "option SUBSCRIBE needs bytes or a string, got 5");
  }

  @Test
  void valuesAreNormalisedAsLibzmqStoresThem() {
    assertEquals(1200, ZmqOption.HEARTBEAT_TTL.validate(1299), "whole deciseconds");
    assertEquals(-1L, ZmqOption.MAXMSGSIZE.validate(-5L));
    assertEquals(true, ZmqOption.IPV6.validate("1"));
    assertEquals(5, ZmqOption.SNDHWM.validate("5"));
    assertArrayEquals("id".getBytes(StandardCharsets.UTF_8), (byte[]) ZmqOption.ROUTING_ID.validate("id"));
    byte[] mine = {1, 2};
    byte[] stored = (byte[]) ZmqOption.XPUB_WELCOME_MSG.validate(mine);
    mine[0] = 9;
    assertEquals(1, stored[0], "a byte[] option stores a copy");
    assertEquals(null, ZmqOption.XPUB_WELCOME_MSG.validate(null), "none");
  }

  @Test
  void thePatternStoresXpubVerboseAsLibzmqDoesClearingVerboser() {
    PatternOptions po = new PatternOptions();
    SocketCore core = new SocketCore("t", SocketType.XPUB, Patterns.create(SocketType.XPUB, po), po);
    core.setPatternOption(ZmqOption.XPUB_VERBOSER, true);
    core.setPatternOption(ZmqOption.XPUB_VERBOSE, true);
    assertTrue(po.xpubVerbose);
    assertFalse(po.xpubVerboser);
  }

  private static void assertInvalid(ZmqOption option, Object value, String message) {
    ZmqException e = assertThrows(ZmqException.class, () -> option.validate(value), option + " " + value);
    assertEquals(Errno.EINVAL, e.errno(), message);
    assertTrue(e.getMessage().startsWith(message + " ("), e.getMessage());
  }
}
