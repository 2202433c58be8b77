package io.pekkozmq.actors;

import java.util.Locale;

/**
 * Socket options, named as libzmq names them (without {@code ZMQ_}). The value type of each is
 * given; {@link #parse} accepts libzmq's name in any case.
 */
public enum ZmqOption {
  SNDHWM(Integer.class),
  RCVHWM(Integer.class),
  LINGER(Integer.class),
  RECONNECT_IVL(Integer.class),
  RECONNECT_IVL_MAX(Integer.class),
  /** Bit set: 1 stop on connection refused, 2 on handshake failure, 4 after a disconnect. */
  RECONNECT_STOP(Integer.class),
  CONNECT_TIMEOUT(Integer.class),
  HANDSHAKE_IVL(Integer.class),
  IMMEDIATE(Boolean.class),
  ROUTING_ID(byte[].class),
  CONNECT_ROUTING_ID(byte[].class),
  MAXMSGSIZE(Long.class),
  SNDTIMEO(Integer.class),
  RCVTIMEO(Integer.class),
  TCP_KEEPALIVE(Integer.class),
  TCP_KEEPALIVE_IDLE(Integer.class),
  TCP_KEEPALIVE_CNT(Integer.class),
  TCP_KEEPALIVE_INTVL(Integer.class),
  AFFINITY(Long.class),
  IPV6(Boolean.class),
  HEARTBEAT_IVL(Integer.class),
  HEARTBEAT_TTL(Integer.class),
  HEARTBEAT_TIMEOUT(Integer.class),
  /** Up to 16 bytes sent in each PING and echoed by the peer's PONG. */
  HEARTBEAT_CONTEXT(byte[].class),
  CONFLATE(Boolean.class),
  /** SUB/XSUB (and XPUB with XPUB_MANUAL): add a subscription prefix. */
  SUBSCRIBE(byte[].class),
  UNSUBSCRIBE(byte[].class),
  ROUTER_MANDATORY(Boolean.class),
  ROUTER_HANDOVER(Boolean.class),
  /** 1 notify on connect, 2 on disconnect, 3 both (libzmq's draft ZMQ_ROUTER_NOTIFY). */
  ROUTER_NOTIFY(Integer.class),
  PROBE_ROUTER(Boolean.class),
  REQ_CORRELATE(Boolean.class),
  REQ_RELAXED(Boolean.class),
  XPUB_VERBOSE(Boolean.class),
  XPUB_VERBOSER(Boolean.class),
  XPUB_MANUAL(Boolean.class),
  XPUB_MANUAL_LAST_VALUE(Boolean.class),
  XPUB_NODROP(Boolean.class),
  XPUB_WELCOME_MSG(byte[].class),
  INVERT_MATCHING(Boolean.class),
  STREAM_NOTIFY(Boolean.class),
  LAST_ENDPOINT(String.class),
  TYPE(String.class);

  private final Class<?> type;

  ZmqOption(Class<?> type) {
    this.type = type;
  }

  public Class<?> valueType() {
    return type;
  }

  /** Read-only options reject set. */
  public boolean readOnly() {
    return this == LAST_ENDPOINT || this == TYPE;
  }

  /** Options the socket's pattern reads (as opposed to its connections). */
  public boolean isPatternOption() {
    return ordinal() >= SUBSCRIBE.ordinal() && ordinal() <= STREAM_NOTIFY.ordinal();
  }

  public static ZmqOption parse(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    if (n.startsWith("ZMQ_")) n = n.substring(4);
    try {
      return valueOf(n);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown socket option '" + name + "'");
    }
  }
}
