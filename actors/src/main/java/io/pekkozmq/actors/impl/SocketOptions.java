package io.pekkozmq.actors.impl;

import com.typesafe.config.Config;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.pattern.PatternOptions;
import io.pekkozmq.engine.security.CurveKeys;
import io.pekkozmq.engine.security.SecurityOptions;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Internal. A socket's connection and socket options ({@link ZmqOption.Scope#CONNECTION},
 * {@link ZmqOption.Scope#SOCKET}); the pattern keeps its own in {@link PatternOptions}. The socket
 * owns one mutable instance, touched by its actor only; every connection takes a {@link #copy}
 * when it starts, as libzmq's sessions copy options at connect/bind time, and reads its fields.
 * Defaults come from {@code pekko-zmq.socket} in reference.conf, under each option's
 * {@link ZmqOption#configKey}; {@link ZmqOption#validate} checks what users set.
 */
public final class SocketOptions implements Cloneable {
  public int sndHwm;
  public int rcvHwm;
  public int linger;
  public int reconnectIvl;
  public int reconnectIvlMax;
  public int reconnectStop;
  public int connectTimeout;
  public int handshakeIvl;
  public boolean immediate;
  public byte[] routingId;
  public byte[] connectRoutingId;
  public long maxMsgSize;
  public int sndTimeo;
  public int rcvTimeo;
  public int tcpKeepalive;
  public int tcpKeepaliveIdle;
  public int tcpKeepaliveCnt;
  public int tcpKeepaliveIntvl;
  public long affinity;
  public boolean ipv6;
  public int heartbeatIvl;
  public int heartbeatTtl;
  public int heartbeatTimeout;
  public byte[] heartbeatContext = new byte[0];
  public boolean conflate;
  /**
   * STREAM_NOTIFY as set on the socket (a pattern option: the pattern holds it, and its default,
   * libzmq's true), copied here for the raw engine.
   */
  public boolean streamNotify = true;

  // ---- security, as libzmq's options_t keeps it: one mechanism and an as-server flag, chosen by
  // whichever of PLAIN_SERVER, PLAIN_USERNAME/PASSWORD, CURVE_SERVER and the CURVE keys was set last
  public SecurityOptions.Kind mechanism = SecurityOptions.Kind.NULL;
  public boolean asServer;
  public byte[] plainUsername;
  public byte[] plainPassword;
  /** The CURVE keys, 32 bytes each; all zero until set, as libzmq's. */
  public byte[] curvePublicKey = new byte[CurveKeys.KEY_SIZE];
  public byte[] curveSecretKey = new byte[CurveKeys.KEY_SIZE];
  public byte[] curveServerKey = new byte[CurveKeys.KEY_SIZE];
  public String zapDomain = "";
  public boolean zapEnforceDomain;
  // ---- wss:// (TLS under ZWS 2.0): PEM text, "" when unset, as libzmq's strings
  public String wssCertPem = "";
  public String wssKeyPem = "";
  public String wssTrustPem = "";
  public String wssHostname = "";
  public boolean wssTrustSystem;

  /**
   * Not an option: the context's inproc registry, where a connection looks for the ZAP handler
   * ({@code inproc://zeromq.zap.01}). Set by the context when it creates the socket; copies share it.
   */
  public Inproc inproc;

  /** Where each connection or socket option lives: one line per option, beside its field. */
  private record Field(BiConsumer<SocketOptions, Object> store, Function<SocketOptions, Object> read) {}

  private static final Map<ZmqOption, Field> FIELDS = new EnumMap<>(ZmqOption.class);

  static {
    field(ZmqOption.SNDHWM, (o, v) -> o.sndHwm = (int) v, o -> o.sndHwm);
    field(ZmqOption.RCVHWM, (o, v) -> o.rcvHwm = (int) v, o -> o.rcvHwm);
    field(ZmqOption.LINGER, (o, v) -> o.linger = (int) v, o -> o.linger);
    field(ZmqOption.RECONNECT_IVL, (o, v) -> o.reconnectIvl = (int) v, o -> o.reconnectIvl);
    field(ZmqOption.RECONNECT_IVL_MAX, (o, v) -> o.reconnectIvlMax = (int) v, o -> o.reconnectIvlMax);
    field(ZmqOption.RECONNECT_STOP, (o, v) -> o.reconnectStop = (int) v, o -> o.reconnectStop);
    field(ZmqOption.CONNECT_TIMEOUT, (o, v) -> o.connectTimeout = (int) v, o -> o.connectTimeout);
    field(ZmqOption.HANDSHAKE_IVL, (o, v) -> o.handshakeIvl = (int) v, o -> o.handshakeIvl);
    field(ZmqOption.IMMEDIATE, (o, v) -> o.immediate = (boolean) v, o -> o.immediate);
    field(ZmqOption.ROUTING_ID, (o, v) -> o.routingId = (byte[]) v, o -> o.routingId);
    field(ZmqOption.CONNECT_ROUTING_ID, (o, v) -> o.connectRoutingId = (byte[]) v, o -> o.connectRoutingId);
    field(ZmqOption.MAXMSGSIZE, (o, v) -> o.maxMsgSize = (long) v, o -> o.maxMsgSize);
    field(ZmqOption.SNDTIMEO, (o, v) -> o.sndTimeo = (int) v, o -> o.sndTimeo);
    field(ZmqOption.RCVTIMEO, (o, v) -> o.rcvTimeo = (int) v, o -> o.rcvTimeo);
    field(ZmqOption.TCP_KEEPALIVE, (o, v) -> o.tcpKeepalive = (int) v, o -> o.tcpKeepalive);
    field(ZmqOption.TCP_KEEPALIVE_IDLE, (o, v) -> o.tcpKeepaliveIdle = (int) v, o -> o.tcpKeepaliveIdle);
    field(ZmqOption.TCP_KEEPALIVE_CNT, (o, v) -> o.tcpKeepaliveCnt = (int) v, o -> o.tcpKeepaliveCnt);
    field(ZmqOption.TCP_KEEPALIVE_INTVL, (o, v) -> o.tcpKeepaliveIntvl = (int) v, o -> o.tcpKeepaliveIntvl);
    field(ZmqOption.AFFINITY, (o, v) -> o.affinity = (long) v, o -> o.affinity);
    field(ZmqOption.IPV6, (o, v) -> o.ipv6 = (boolean) v, o -> o.ipv6);
    field(ZmqOption.HEARTBEAT_IVL, (o, v) -> o.heartbeatIvl = (int) v, o -> o.heartbeatIvl);
    field(ZmqOption.HEARTBEAT_TTL, (o, v) -> o.heartbeatTtl = (int) v, o -> o.heartbeatTtl);
    field(ZmqOption.HEARTBEAT_TIMEOUT, (o, v) -> o.heartbeatTimeout = (int) v, o -> o.heartbeatTimeout);
    field(ZmqOption.HEARTBEAT_CONTEXT, (o, v) -> o.heartbeatContext = (byte[]) v, o -> o.heartbeatContext);
    field(ZmqOption.CONFLATE, (o, v) -> o.conflate = (boolean) v, o -> o.conflate);
    // libzmq's options_t::setsockopt: PLAIN_SERVER 1 is the PLAIN server, 0 NULL (CURVE_SERVER alike);
    // a PLAIN user name or password makes a PLAIN client; any CURVE key selects CURVE, and the
    // server's key makes a client. Reads as libzmq's getsockopt: *_SERVER is as_server && that mechanism.
    field(ZmqOption.PLAIN_SERVER, (o, v) -> o.chooseServer((boolean) v, SecurityOptions.Kind.PLAIN),
        o -> o.asServer && o.mechanism == SecurityOptions.Kind.PLAIN);
    field(ZmqOption.PLAIN_USERNAME, (o, v) -> {
      o.plainUsername = (byte[]) v;
      o.chooseClient(SecurityOptions.Kind.PLAIN);
    }, o -> o.plainUsername);
    field(ZmqOption.PLAIN_PASSWORD, (o, v) -> {
      o.plainPassword = (byte[]) v;
      o.chooseClient(SecurityOptions.Kind.PLAIN);
    }, o -> o.plainPassword);
    field(ZmqOption.CURVE_SERVER, (o, v) -> o.chooseServer((boolean) v, SecurityOptions.Kind.CURVE),
        o -> o.asServer && o.mechanism == SecurityOptions.Kind.CURVE);
    field(ZmqOption.CURVE_PUBLICKEY, (o, v) -> {
      o.curvePublicKey = (byte[]) v;
      o.mechanism = SecurityOptions.Kind.CURVE;
    }, o -> o.curvePublicKey);
    field(ZmqOption.CURVE_SECRETKEY, (o, v) -> {
      o.curveSecretKey = (byte[]) v;
      o.mechanism = SecurityOptions.Kind.CURVE;
    }, o -> o.curveSecretKey);
    field(ZmqOption.CURVE_SERVERKEY, (o, v) -> {
      o.curveServerKey = (byte[]) v;
      o.chooseClient(SecurityOptions.Kind.CURVE);
    }, o -> o.curveServerKey);
    field(ZmqOption.ZAP_DOMAIN, (o, v) -> o.zapDomain = (String) v, o -> o.zapDomain);
    field(ZmqOption.ZAP_ENFORCE_DOMAIN, (o, v) -> o.zapEnforceDomain = (boolean) v, o -> o.zapEnforceDomain);
    field(ZmqOption.WSS_CERT_PEM, (o, v) -> o.wssCertPem = (String) v, o -> o.wssCertPem);
    field(ZmqOption.WSS_KEY_PEM, (o, v) -> o.wssKeyPem = (String) v, o -> o.wssKeyPem);
    field(ZmqOption.WSS_TRUST_PEM, (o, v) -> o.wssTrustPem = (String) v, o -> o.wssTrustPem);
    field(ZmqOption.WSS_HOSTNAME, (o, v) -> o.wssHostname = (String) v, o -> o.wssHostname);
    field(ZmqOption.WSS_TRUST_SYSTEM, (o, v) -> o.wssTrustSystem = (boolean) v, o -> o.wssTrustSystem);
  }

  private static void field(ZmqOption option, BiConsumer<SocketOptions, Object> store, Function<SocketOptions, Object> read) {
    FIELDS.put(option, new Field(store, read));
  }

  private void chooseServer(boolean on, SecurityOptions.Kind kind) {
    asServer = on;
    mechanism = on ? kind : SecurityOptions.Kind.NULL;
  }

  private void chooseClient(SecurityOptions.Kind kind) {
    asServer = false;
    mechanism = kind;
  }

  /** What MECHANISM answers: NULL, PLAIN or CURVE. */
  public String mechanismName() {
    return mechanism.name();
  }

  /**
   * One connection's security settings (libzmq's sessions read the same fields of their option
   * copy). CURVE keys never set stay all zero, as libzmq's: the handshake then fails, not the set.
   */
  public SecurityOptions security() {
    if (mechanism == SecurityOptions.Kind.NULL) {
      return zapDomain.isEmpty() && !zapEnforceDomain ? SecurityOptions.NULL
          : new SecurityOptions(SecurityOptions.Kind.NULL, false, null, null, null, null, null, zapDomain, zapEnforceDomain);
    }
    boolean plain = mechanism == SecurityOptions.Kind.PLAIN;
    return new SecurityOptions(mechanism, asServer,
        plain ? orEmpty(plainUsername) : null, plain ? orEmpty(plainPassword) : null,
        plain ? null : curvePublicKey, plain ? null : curveSecretKey, plain ? null : curveServerKey,
        zapDomain, zapEnforceDomain);
  }

  private static byte[] orEmpty(byte[] b) {
    return b == null ? new byte[0] : b;
  }

  /** Whether {@link #set} and {@link #get} handle {@code option} (every connection and socket option). */
  public static boolean holds(ZmqOption option) {
    return FIELDS.containsKey(option);
  }

  /**
   * The defaults in {@code config} (the {@code pekko-zmq.socket} block): each option's
   * {@link ZmqOption#configKey}, taken as the configuration gives it (not checked).
   */
  public static SocketOptions fromConfig(Config c) {
    SocketOptions o = new SocketOptions();
    for (Map.Entry<ZmqOption, Field> e : FIELDS.entrySet()) {
      ZmqOption option = e.getKey();
      if (option.configKey().isEmpty()) continue;
      String key = option.configKey().get();
      Class<?> type = option.valueType();
      Object v = type == Integer.class ? c.getInt(key)
          : type == Long.class ? c.getLong(key)
          : type == Boolean.class ? c.getBoolean(key)
          : type == byte[].class ? c.getString(key).getBytes(StandardCharsets.UTF_8)
          : c.getString(key);
      e.getValue().store().accept(o, v);
    }
    return o;
  }

  /** A copy for a connection: arrays are shared, since {@link #set} always stores a fresh one. */
  public SocketOptions copy() {
    try {
      return (SocketOptions) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }

  /** The options the pattern reads too, copied into its options (at creation and after every set). */
  public void copyTo(PatternOptions po) {
    po.sendHwm = sndHwm;
    po.recvHwm = rcvHwm;
    po.routingId = routingId;
    po.immediate = immediate;
    po.conflate = conflate;
  }

  /**
   * libzmq's get_effective_conflate_option: CONFLATE is accepted on every socket but applies only
   * where {@link SocketType#honoursConflate} says.
   */
  public boolean conflates(SocketType type) {
    return conflate && type.honoursConflate();
  }

  /**
   * Whether pipes towards this socket keep only the last message. Not on PUB, whose inbound pipes
   * carry its subscribers' subscriptions: libzmq conflates them too and so forgets all but the
   * last subscription that arrived unread.
   */
  public boolean conflatesInbound(SocketType type) {
    return conflates(type) && type != SocketType.PUB;
  }

  /**
   * Whether pipes from this socket keep only the last message. Not on SUB, whose outbound pipes
   * carry its subscriptions (libzmq would keep only the last one, even when re-sending them all
   * after a reconnect).
   */
  public boolean conflatesOutbound(SocketType type) {
    return conflates(type) && type != SocketType.SUB;
  }

  /**
   * Sets a connection or socket option from the user's value, checked and normalised by
   * {@link ZmqOption#validate} (which throws ZmqException(EINVAL) naming the option and the value).
   */
  public void set(ZmqOption option, Object value) {
    Object v = option.validate(value);
    Field f = FIELDS.get(option);
    if (f == null) {
      throw new ZmqException(Errno.EINVAL, "option " + option + " cannot be set here");
    }
    f.store().accept(this, v);
  }

  /** Reads a connection or socket option (byte[] values as a copy, empty when unset). */
  public Object get(ZmqOption option) {
    Field f = FIELDS.get(option);
    if (f == null) throw new IllegalStateException(option + " is answered by the socket");
    Object v = f.read().apply(this);
    if (option.valueType() == byte[].class) return v == null ? new byte[0] : ((byte[]) v).clone();
    return v;
  }
}
