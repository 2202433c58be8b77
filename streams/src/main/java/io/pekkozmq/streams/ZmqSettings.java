package io.pekkozmq.streams;

import com.typesafe.config.Config;
import io.pekkozmq.actors.spi.RuntimeSpi;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.security.Z85;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.ClassicActorSystemProvider;

/**
 * What a stream stage's socket is: its type, where it binds and connects, its options and the
 * dispatcher the stage runs on. Immutable: every {@code withX} returns a new instance. Start from
 * {@link #create(ClassicActorSystemProvider)} (defaults from {@code pekko-zmq.streams} in the
 * configuration, layered on {@code pekko-zmq.socket}).
 *
 * <pre>{@code
 * ZmqSettings pull = ZmqSettings.create(system)
 *     .withSocketType(SocketType.PULL)
 *     .withBind("tcp://127.0.0.1:5555")
 *     .withRcvHwm(10_000);
 * }</pre>
 *
 * Options are applied in the order they were set, before the socket binds or connects (as libzmq
 * copies options into each connection when it starts).
 */
public final class ZmqSettings {
  private final SocketType socketType;
  private final List<String> binds;
  private final List<String> connects;
  private final Map<ZmqOption, Object> options;
  private final List<byte[]> subscriptions;
  private final String dispatcher;
  private final int receiveBatch;
  private final int eventBuffer;

  private ZmqSettings(SocketType socketType, List<String> binds, List<String> connects, Map<ZmqOption, Object> options,
      List<byte[]> subscriptions, String dispatcher, int receiveBatch, int eventBuffer) {
    this.socketType = socketType;
    this.binds = binds;
    this.connects = connects;
    this.options = options;
    this.subscriptions = subscriptions;
    this.dispatcher = dispatcher;
    this.receiveBatch = receiveBatch;
    this.eventBuffer = eventBuffer;
  }

  /** The defaults in {@code system}'s configuration. */
  public static ZmqSettings create(ClassicActorSystemProvider system) {
    return create(system.classicSystem().settings().config());
  }

  /** The defaults in {@code config} (a root configuration holding {@code pekko-zmq}). */
  public static ZmqSettings create(Config config) {
    Config streams = config.getConfig("pekko-zmq.streams");
    Config overrides = streams.getConfig("socket");
    Function<ZmqOption, Object> layered = RuntimeSpi.socketOptions(overrides.withFallback(config.getConfig("pekko-zmq.socket")));
    Map<ZmqOption, Object> options = new LinkedHashMap<>();
    for (String key : overrides.root().keySet()) {
      ZmqOption option;
      try {
        option = ZmqOption.parse(key);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("pekko-zmq.streams.socket." + key + ": " + e.getMessage(), e);
      }
      options.put(option, layered.apply(option));
    }
    int batch = streams.getInt("receive-batch");
    if (batch < 1) throw new IllegalArgumentException("pekko-zmq.streams.receive-batch must be at least 1, got " + batch);
    int events = streams.getInt("event-buffer");
    checkEventBuffer("pekko-zmq.streams.event-buffer", events);
    return new ZmqSettings(null, List.of(), List.of(), Collections.unmodifiableMap(options), List.of(),
        streams.getString("dispatcher"), batch, events);
  }

  // ---- what the socket is -------------------------------------------------------------------

  public ZmqSettings withSocketType(SocketType type) {
    if (type == null) throw new IllegalArgumentException("socket type must not be null");
    return new ZmqSettings(type, binds, connects, options, subscriptions, dispatcher, receiveBatch, eventBuffer);
  }

  /** Endpoints to bind, replacing any set before (e.g. {@code tcp://127.0.0.1:*} for a free port). */
  public ZmqSettings withBind(String... endpoints) {
    return withBinds(Arrays.asList(endpoints));
  }

  public ZmqSettings withBinds(List<String> endpoints) {
    return new ZmqSettings(socketType, endpoints("bind", endpoints), connects, options, subscriptions, dispatcher,
        receiveBatch, eventBuffer);
  }

  /** Endpoints to connect to, replacing any set before. */
  public ZmqSettings withConnect(String... endpoints) {
    return withConnects(Arrays.asList(endpoints));
  }

  public ZmqSettings withConnects(List<String> endpoints) {
    return new ZmqSettings(socketType, binds, endpoints("connect", endpoints), options, subscriptions, dispatcher,
        receiveBatch, eventBuffer);
  }

  // ---- options ------------------------------------------------------------------------------

  /**
   * Any socket option, with the value type {@link ZmqOption#valueType()} names. Connection options
   * are checked now; options the pattern reads (ROUTER_MANDATORY, XPUB_VERBOSE...) are checked by
   * the socket when the stage starts. {@code SUBSCRIBE} adds a subscription.
   */
  public ZmqSettings withOption(ZmqOption option, Object value) {
    if (option == null) throw new IllegalArgumentException("option must not be null");
    if (option.readOnly()) throw new IllegalArgumentException("option " + option + " is read-only");
    if (option == ZmqOption.SUBSCRIBE) return withSubscription(subscriptionBytes(value));
    if (option == ZmqOption.UNSUBSCRIBE) {
      throw new IllegalArgumentException("UNSUBSCRIBE has no meaning before the socket exists; leave the subscription out");
    }
    if (!option.isPatternOption()) {
      try {
        option.validate(value); // the same check the socket makes
      } catch (ZmqException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    } else if (value == null) {
      throw new IllegalArgumentException("option " + option + " needs a value");
    }
    Map<ZmqOption, Object> o = new LinkedHashMap<>(options);
    o.remove(option); // re-setting moves it last, so options apply in the order given
    o.put(option, value instanceof byte[] b ? b.clone() : value);
    return new ZmqSettings(socketType, binds, connects, Collections.unmodifiableMap(o), subscriptions, dispatcher,
        receiveBatch, eventBuffer);
  }

  /** SNDHWM: messages queued per peer for sending (0: no limit). */
  public ZmqSettings withSndHwm(int messages) {
    return withOption(ZmqOption.SNDHWM, messages);
  }

  /** RCVHWM: messages queued per peer on receipt before the peer is held back (0: no limit). */
  public ZmqSettings withRcvHwm(int messages) {
    return withOption(ZmqOption.RCVHWM, messages);
  }

  /** SNDHWM and RCVHWM both. */
  public ZmqSettings withHwm(int messages) {
    return withSndHwm(messages).withRcvHwm(messages);
  }

  /** LINGER: how long unsent messages may keep a closed socket open (zero drops them at once). */
  public ZmqSettings withLinger(Duration linger) {
    return withOption(ZmqOption.LINGER, millis("linger", linger));
  }

  /** LINGER -1 (libzmq's default): a closed socket delivers everything queued before it goes. */
  public ZmqSettings withLingerUntilDelivered() {
    return withOption(ZmqOption.LINGER, -1);
  }

  public ZmqSettings withRoutingId(byte[] id) {
    return withOption(ZmqOption.ROUTING_ID, id);
  }

  public ZmqSettings withRoutingId(String id) {
    return withOption(ZmqOption.ROUTING_ID, id.getBytes(StandardCharsets.UTF_8));
  }

  /** SUB/XSUB (and XPUB in manual mode): the subscription prefixes, replacing any set before. */
  public ZmqSettings withSubscriptions(String... prefixes) {
    List<byte[]> s = new ArrayList<>();
    for (String p : prefixes) s.add(p.getBytes(StandardCharsets.UTF_8));
    return withSubscriptionList(s);
  }

  /**
   * DISH (RFC 48): the groups the socket joins when the stage starts, replacing any set before
   * (kept with the subscriptions; a group is at most 255 bytes, checked by the socket).
   */
  public ZmqSettings withGroups(String... groups) {
    return withSubscriptions(groups);
  }

  /** As {@link #withSubscriptions(String...)}, with binary prefixes. */
  public ZmqSettings withSubscriptions(List<byte[]> prefixes) {
    List<byte[]> s = new ArrayList<>();
    for (byte[] p : prefixes) s.add(p.clone());
    return withSubscriptionList(s);
  }

  /** Adds one subscription prefix (empty: everything). */
  public ZmqSettings withSubscription(byte[] prefix) {
    List<byte[]> s = new ArrayList<>(subscriptions);
    s.add(prefix.clone());
    return withSubscriptionList(s);
  }

  private ZmqSettings withSubscriptionList(List<byte[]> s) {
    return new ZmqSettings(socketType, binds, connects, options, Collections.unmodifiableList(s), dispatcher,
        receiveBatch, eventBuffer);
  }

  /** RECONNECT_IVL: the wait before reconnecting; {@link #withoutReconnect()} turns it off. */
  public ZmqSettings withReconnectInterval(Duration interval) {
    return withOption(ZmqOption.RECONNECT_IVL, millis("reconnect interval", interval));
  }

  /** RECONNECT_IVL_MAX: the cap of the exponential backoff between reconnects (zero: no backoff). */
  public ZmqSettings withReconnectIntervalMax(Duration max) {
    return withOption(ZmqOption.RECONNECT_IVL_MAX, millis("reconnect interval max", max));
  }

  /** RECONNECT_IVL -1: a lost connection is not re-established. */
  public ZmqSettings withoutReconnect() {
    return withOption(ZmqOption.RECONNECT_IVL, -1);
  }

  /** HEARTBEAT_IVL: how often to PING the peer (zero: never). */
  public ZmqSettings withHeartbeatInterval(Duration interval) {
    return withOption(ZmqOption.HEARTBEAT_IVL, millis("heartbeat interval", interval));
  }

  /** HEARTBEAT_TTL: how long the peer may wait for our next PING before it drops us. */
  public ZmqSettings withHeartbeatTtl(Duration ttl) {
    return withOption(ZmqOption.HEARTBEAT_TTL, millis("heartbeat ttl", ttl));
  }

  /** HEARTBEAT_TIMEOUT: how long we wait for any traffic after a PING before dropping the peer. */
  public ZmqSettings withHeartbeatTimeout(Duration timeout) {
    return withOption(ZmqOption.HEARTBEAT_TIMEOUT, millis("heartbeat timeout", timeout));
  }

  // ---- security (libzmq's CURVE_*, PLAIN_* and ZAP_DOMAIN; the last mechanism set decides) --------

  /** CURVE_SERVER: be the CURVE server (needs {@link #withCurveSecretKey}); false drops back to NULL. */
  public ZmqSettings withCurveServer(boolean server) {
    return withOption(ZmqOption.CURVE_SERVER, server);
  }

  /** CURVE_SECRETKEY: our long-term secret key, 40 characters of Z85. */
  public ZmqSettings withCurveSecretKey(String z85) {
    return withOption(ZmqOption.CURVE_SECRETKEY, z85);
  }

  /** CURVE_SECRETKEY as 32 raw bytes. */
  public ZmqSettings withCurveSecretKey(byte[] key) {
    return withOption(ZmqOption.CURVE_SECRETKEY, key);
  }

  /** CURVE_PUBLICKEY: our long-term public key, 40 characters of Z85. */
  public ZmqSettings withCurvePublicKey(String z85) {
    return withOption(ZmqOption.CURVE_PUBLICKEY, z85);
  }

  /** CURVE_PUBLICKEY as 32 raw bytes. */
  public ZmqSettings withCurvePublicKey(byte[] key) {
    return withOption(ZmqOption.CURVE_PUBLICKEY, key);
  }

  /** CURVE_SERVERKEY: the public key of the server a CURVE client expects (Z85); makes the socket a client. */
  public ZmqSettings withCurveServerKey(String z85) {
    return withOption(ZmqOption.CURVE_SERVERKEY, z85);
  }

  /** CURVE_SERVERKEY as 32 raw bytes. */
  public ZmqSettings withCurveServerKey(byte[] key) {
    return withOption(ZmqOption.CURVE_SERVERKEY, key);
  }

  /** PLAIN_SERVER: be the PLAIN server (a ZAP handler checks the users); false drops back to NULL. */
  public ZmqSettings withPlainServer(boolean server) {
    return withOption(ZmqOption.PLAIN_SERVER, server);
  }

  /** PLAIN_USERNAME (1 to 255 bytes of UTF-8); makes the socket a PLAIN client. */
  public ZmqSettings withPlainUsername(String username) {
    return withOption(ZmqOption.PLAIN_USERNAME, username.getBytes(StandardCharsets.UTF_8));
  }

  /** PLAIN_PASSWORD (0 to 255 bytes of UTF-8); makes the socket a PLAIN client. */
  public ZmqSettings withPlainPassword(String password) {
    return withOption(ZmqOption.PLAIN_PASSWORD, password.getBytes(StandardCharsets.UTF_8));
  }

  /** ZAP_DOMAIN: the domain this socket's ZAP requests name ("" by default). */
  public ZmqSettings withZapDomain(String domain) {
    return withOption(ZmqOption.ZAP_DOMAIN, domain);
  }

  // ---- the stage ----------------------------------------------------------------------------

  /** The dispatcher the stage runs on ("" for the materializer's default). */
  public ZmqSettings withDispatcher(String dispatcher) {
    if (dispatcher == null) throw new IllegalArgumentException("dispatcher must not be null (\"\" for the default)");
    return new ZmqSettings(socketType, binds, connects, options, subscriptions, dispatcher, receiveBatch, eventBuffer);
  }

  /** How many messages a receiving stage takes from its socket at once (its own buffer). */
  public ZmqSettings withReceiveBatch(int messages) {
    if (messages < 1) throw new IllegalArgumentException("receive batch must be at least 1, got " + messages);
    return new ZmqSettings(socketType, binds, connects, options, subscriptions, dispatcher, messages, eventBuffer);
  }

  /** Monitor events a stage keeps for {@link ZmqControl#events} subscribers, and per subscriber. */
  public ZmqSettings withEventBuffer(int events) {
    checkEventBuffer("event buffer", events);
    return new ZmqSettings(socketType, binds, connects, options, subscriptions, dispatcher, receiveBatch, events);
  }

  // ---- getters ------------------------------------------------------------------------------

  /** The socket type, or null when not set yet. */
  public SocketType socketType() {
    return socketType;
  }

  public List<String> binds() {
    return binds;
  }

  public List<String> connects() {
    return connects;
  }

  /** Options in the order they are applied; byte[] values are the settings' own: do not modify. */
  public Map<ZmqOption, Object> options() {
    return options;
  }

  /** The subscription prefixes (copies). */
  public List<byte[]> subscriptions() {
    List<byte[]> s = new ArrayList<>(subscriptions.size());
    for (byte[] b : subscriptions) s.add(b.clone());
    return s;
  }

  public String dispatcher() {
    return dispatcher;
  }

  public int receiveBatch() {
    return receiveBatch;
  }

  public int eventBuffer() {
    return eventBuffer;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ZmqSettings(").append(socketType);
    if (!binds.isEmpty()) sb.append(", bind ").append(binds);
    if (!connects.isEmpty()) sb.append(", connect ").append(connects);
    for (Map.Entry<ZmqOption, Object> e : options.entrySet()) {
      sb.append(", ").append(e.getKey()).append('=').append(shown(e.getKey(), e.getValue()));
    }
    if (!subscriptions.isEmpty()) sb.append(", ").append(subscriptions.size()).append(" subscriptions");
    if (!dispatcher.isEmpty()) sb.append(", dispatcher ").append(dispatcher);
    return sb.append(", receive batch ").append(receiveBatch).append(')').toString();
  }

  /** An option's value as toString shows it: secrets never, keys as Z85. */
  private static String shown(ZmqOption option, Object v) {
    switch (option) {
      case CURVE_SECRETKEY, PLAIN_PASSWORD:
        return "(hidden)";
      case CURVE_PUBLICKEY, CURVE_SERVERKEY:
        if (v instanceof byte[] b && b.length == 32) return Z85.encode(b);
        return String.valueOf(v instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII) : v);
      default:
        return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v);
    }
  }

  private static List<String> endpoints(String what, List<String> endpoints) {
    for (String ep : endpoints) {
      if (ep == null || ep.isBlank()) throw new IllegalArgumentException(what + " endpoint must not be empty");
    }
    return List.copyOf(endpoints);
  }

  private static int millis(String what, Duration d) {
    if (d == null || d.isNegative()) throw new IllegalArgumentException(what + " must be zero or positive, got " + d);
    long ms = d.toMillis();
    if (ms > Integer.MAX_VALUE) throw new IllegalArgumentException(what + " is too long: " + d);
    return (int) ms;
  }

  private static byte[] subscriptionBytes(Object value) {
    if (value instanceof byte[] b) return b;
    if (value instanceof String s) return s.getBytes(StandardCharsets.UTF_8);
    throw new IllegalArgumentException("SUBSCRIBE needs bytes or a string, got " + value);
  }

  private static void checkEventBuffer(String what, int n) {
    if (n < 1) throw new IllegalArgumentException(what + " must be at least 1, got " + n);
  }
}
