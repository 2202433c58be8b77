package io.pekkozmq.actors;

import com.typesafe.config.Config;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import java.nio.charset.StandardCharsets;

/**
 * A socket's options. The socket owns one mutable instance; every connection takes a
 * {@link #copy} when it starts, as libzmq's sessions copy options at connect/bind time.
 * Defaults come from {@code pekko-zmq.socket} in reference.conf.
 */
public final class SocketOptions {
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
  /** STREAM_NOTIFY as set on the socket (the pattern holds it), copied here for the raw engine. */
  public boolean streamNotify = true;

  /** The defaults in {@code config} (the {@code pekko-zmq.socket} block). */
  public static SocketOptions fromConfig(Config c) {
    SocketOptions o = new SocketOptions();
    o.sndHwm = c.getInt("sndhwm");
    o.rcvHwm = c.getInt("rcvhwm");
    o.linger = c.getInt("linger");
    o.reconnectIvl = c.getInt("reconnect-ivl");
    o.reconnectIvlMax = c.getInt("reconnect-ivl-max");
    o.reconnectStop = c.getInt("reconnect-stop");
    o.connectTimeout = c.getInt("connect-timeout");
    o.handshakeIvl = c.getInt("handshake-ivl");
    o.immediate = c.getBoolean("immediate");
    o.maxMsgSize = c.getLong("maxmsgsize");
    o.sndTimeo = c.getInt("sndtimeo");
    o.rcvTimeo = c.getInt("rcvtimeo");
    o.tcpKeepalive = c.getInt("tcp-keepalive");
    o.tcpKeepaliveIdle = c.getInt("tcp-keepalive-idle");
    o.tcpKeepaliveCnt = c.getInt("tcp-keepalive-cnt");
    o.tcpKeepaliveIntvl = c.getInt("tcp-keepalive-intvl");
    o.ipv6 = c.getBoolean("ipv6");
    o.heartbeatIvl = c.getInt("heartbeat-ivl");
    o.heartbeatTtl = c.getInt("heartbeat-ttl");
    o.heartbeatTimeout = c.getInt("heartbeat-timeout");
    o.conflate = c.getBoolean("conflate");
    return o;
  }

  public SocketOptions copy() {
    SocketOptions o = new SocketOptions();
    o.sndHwm = sndHwm;
    o.rcvHwm = rcvHwm;
    o.linger = linger;
    o.reconnectIvl = reconnectIvl;
    o.reconnectIvlMax = reconnectIvlMax;
    o.reconnectStop = reconnectStop;
    o.connectTimeout = connectTimeout;
    o.handshakeIvl = handshakeIvl;
    o.immediate = immediate;
    o.routingId = routingId;
    o.connectRoutingId = connectRoutingId;
    o.maxMsgSize = maxMsgSize;
    o.sndTimeo = sndTimeo;
    o.rcvTimeo = rcvTimeo;
    o.tcpKeepalive = tcpKeepalive;
    o.tcpKeepaliveIdle = tcpKeepaliveIdle;
    o.tcpKeepaliveCnt = tcpKeepaliveCnt;
    o.tcpKeepaliveIntvl = tcpKeepaliveIntvl;
    o.affinity = affinity;
    o.ipv6 = ipv6;
    o.heartbeatIvl = heartbeatIvl;
    o.heartbeatTtl = heartbeatTtl;
    o.heartbeatTimeout = heartbeatTimeout;
    o.heartbeatContext = heartbeatContext;
    o.conflate = conflate;
    o.streamNotify = streamNotify;
    return o;
  }

  /**
   * libzmq's get_effective_conflate_option: CONFLATE is accepted on every socket but applies to
   * DEALER, PULL, PUSH, PUB and SUB only.
   */
  public boolean conflates(SocketType type) {
    return conflate && switch (type) {
      case DEALER, PULL, PUSH, PUB, SUB -> true;
      default -> false;
    };
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

  /** Sets an option from a typed value (Integer, Long, Boolean, byte[] or String as the option says). */
  public void set(ZmqOption option, Object value) {
    if (option.readOnly()) {
      throw new ZmqException(Errno.EINVAL, "option " + option + " is read-only");
    }
    if (value == null) {
      throw new ZmqException(Errno.EINVAL, "option " + option + " needs a value");
    }
    switch (option) {
      case SNDHWM -> sndHwm = nonNegative(option, value);
      case RCVHWM -> rcvHwm = nonNegative(option, value);
      case LINGER -> linger = atLeast(option, value, -1);
      case RECONNECT_IVL -> reconnectIvl = atLeast(option, value, -1);
      case RECONNECT_IVL_MAX -> reconnectIvlMax = nonNegative(option, value);
      case RECONNECT_STOP -> reconnectStop = nonNegative(option, value);
      case CONNECT_TIMEOUT -> connectTimeout = nonNegative(option, value);
      case HANDSHAKE_IVL -> handshakeIvl = nonNegative(option, value);
      case IMMEDIATE -> immediate = bool(option, value);
      case ROUTING_ID -> routingId = routingIdBytes(option, value);
      case CONNECT_ROUTING_ID -> connectRoutingId = routingIdBytes(option, value);
      case MAXMSGSIZE -> maxMsgSize = Math.max(-1, longValue(option, value));
      case SNDTIMEO -> sndTimeo = atLeast(option, value, -1);
      case RCVTIMEO -> rcvTimeo = atLeast(option, value, -1);
      case TCP_KEEPALIVE -> tcpKeepalive = atLeast(option, value, -1);
      case TCP_KEEPALIVE_IDLE -> tcpKeepaliveIdle = atLeast(option, value, -1);
      case TCP_KEEPALIVE_CNT -> tcpKeepaliveCnt = atLeast(option, value, -1);
      case TCP_KEEPALIVE_INTVL -> tcpKeepaliveIntvl = atLeast(option, value, -1);
      case AFFINITY -> affinity = longValue(option, value);
      case IPV6 -> ipv6 = bool(option, value);
      case HEARTBEAT_IVL -> heartbeatIvl = nonNegative(option, value);
      case HEARTBEAT_TTL -> {
        int ttl = nonNegative(option, value);
        if (ttl > 6553599) throw new ZmqException(Errno.EINVAL, "HEARTBEAT_TTL " + ttl + " ms exceeds 6553599");
        heartbeatTtl = ttl / 100 * 100; // libzmq keeps whole deciseconds, the unit the PING carries
      }
      case HEARTBEAT_TIMEOUT -> heartbeatTimeout = nonNegative(option, value);
      case HEARTBEAT_CONTEXT -> {
        byte[] b = value instanceof byte[] bytes ? bytes.clone()
            : value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : null;
        if (b == null) throw new ZmqException(Errno.EINVAL, "option " + option + " needs bytes or a string");
        if (b.length > 16) throw new ZmqException(Errno.EINVAL, "option " + option + " is at most 16 bytes, got " + b.length);
        heartbeatContext = b;
      }
      case CONFLATE -> conflate = bool(option, value);
      default -> throw new ZmqException(Errno.EINVAL, "option " + option + " cannot be set here");
    }
  }

  /** Reads an option; LAST_ENDPOINT and TYPE are answered by the socket itself. */
  public Object get(ZmqOption option) {
    return switch (option) {
      case SNDHWM -> sndHwm;
      case RCVHWM -> rcvHwm;
      case LINGER -> linger;
      case RECONNECT_IVL -> reconnectIvl;
      case RECONNECT_IVL_MAX -> reconnectIvlMax;
      case RECONNECT_STOP -> reconnectStop;
      case CONNECT_TIMEOUT -> connectTimeout;
      case HANDSHAKE_IVL -> handshakeIvl;
      case IMMEDIATE -> immediate;
      case ROUTING_ID -> routingId == null ? new byte[0] : routingId.clone();
      case CONNECT_ROUTING_ID -> connectRoutingId == null ? new byte[0] : connectRoutingId.clone();
      case MAXMSGSIZE -> maxMsgSize;
      case SNDTIMEO -> sndTimeo;
      case RCVTIMEO -> rcvTimeo;
      case TCP_KEEPALIVE -> tcpKeepalive;
      case TCP_KEEPALIVE_IDLE -> tcpKeepaliveIdle;
      case TCP_KEEPALIVE_CNT -> tcpKeepaliveCnt;
      case TCP_KEEPALIVE_INTVL -> tcpKeepaliveIntvl;
      case AFFINITY -> affinity;
      case IPV6 -> ipv6;
      case HEARTBEAT_IVL -> heartbeatIvl;
      case HEARTBEAT_TTL -> heartbeatTtl;
      case HEARTBEAT_TIMEOUT -> heartbeatTimeout;
      case HEARTBEAT_CONTEXT -> heartbeatContext.clone();
      case CONFLATE -> conflate;
      default -> throw new IllegalStateException(option + " is answered by the socket");
    };
  }

  private static int nonNegative(ZmqOption o, Object v) {
    return atLeast(o, v, 0);
  }

  private static int atLeast(ZmqOption o, Object v, int min) {
    long n = longValue(o, v);
    if (n < min || n > Integer.MAX_VALUE) {
      throw new ZmqException(Errno.EINVAL, "option " + o + " must be an integer >= " + min + ", got " + v);
    }
    return (int) n;
  }

  private static long longValue(ZmqOption o, Object v) {
    if (v instanceof Number n) return n.longValue();
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new ZmqException(Errno.EINVAL, "option " + o + " needs a number, got '" + s + "'");
      }
    }
    throw new ZmqException(Errno.EINVAL, "option " + o + " needs a number, got " + v.getClass().getSimpleName());
  }

  private static boolean bool(ZmqOption o, Object v) {
    if (v instanceof Boolean b) return b;
    if (v instanceof Number n) return n.intValue() != 0;
    if (v instanceof String s) return s.equals("1") || s.equalsIgnoreCase("true");
    throw new ZmqException(Errno.EINVAL, "option " + o + " needs a boolean, got " + v);
  }

  private static byte[] routingIdBytes(ZmqOption o, Object v) {
    byte[] b = v instanceof byte[] bytes ? bytes.clone()
        : v instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : null;
    if (b == null) throw new ZmqException(Errno.EINVAL, "option " + o + " needs bytes or a string");
    if (b.length == 0 || b.length > 255) {
      throw new ZmqException(Errno.EINVAL, "option " + o + " must be 1 to 255 bytes, got " + b.length);
    }
    if (b[0] == 0 && o == ZmqOption.ROUTING_ID) {
      throw new ZmqException(Errno.EINVAL, "option " + o + " may not start with a zero byte (reserved by libzmq)");
    }
    return b;
  }
}
