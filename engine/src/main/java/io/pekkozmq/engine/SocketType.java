package io.pekkozmq.engine;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * ZeroMQ socket types with their ZMTP {@code Socket-Type} names and the RFC 23/37 table of which
 * types may talk to each other.
 */
public enum SocketType {
  PAIR, PUB, SUB, REQ, REP, DEALER, ROUTER, PULL, PUSH, XPUB, XSUB, STREAM,
  // draft (RFC 41, 49, 51, 52): single-frame and thread-safe in libzmq
  CLIENT, SERVER, SCATTER, GATHER, PEER, CHANNEL,
  // draft (RFC 48): groups, single-frame messages
  RADIO, DISH;

  /** The name sent in the READY command's Socket-Type property. */
  public String wireName() {
    return name();
  }

  public byte[] wireNameBytes() {
    return name().getBytes(StandardCharsets.US_ASCII);
  }

  /** Parses a type name, case-insensitively; throws naming the bad value. */
  public static SocketType parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown socket type '" + name + "' (expected one of "
          + java.util.Arrays.toString(values()).replaceAll("[\\[\\]]", "") + ")");
    }
  }

  /** The type named by a peer's Socket-Type property, or null if unknown. */
  public static SocketType fromWire(byte[] b, int off, int len) {
    String s = new String(b, off, len, StandardCharsets.US_ASCII);
    for (SocketType t : values()) {
      if (t != STREAM && t.name().equals(s)) return t;
    }
    return null;
  }

  /** Whether a socket of this type accepts a peer of type {@code peer} (libzmq's check_socket_type). */
  public boolean isCompatible(SocketType peer) {
    return switch (this) {
      case PAIR -> peer == PAIR;
      case PUB, XPUB -> peer == SUB || peer == XSUB;
      case SUB, XSUB -> peer == PUB || peer == XPUB;
      case REQ -> peer == REP || peer == ROUTER;
      case REP -> peer == REQ || peer == DEALER;
      case DEALER -> peer == REP || peer == DEALER || peer == ROUTER;
      case ROUTER -> peer == REQ || peer == DEALER || peer == ROUTER;
      case PULL -> peer == PUSH;
      case PUSH -> peer == PULL;
      case STREAM -> false;
      // draft (RFC 41, 49, 51, 52), as libzmq's check_socket_type with ZMQ_BUILD_DRAFT_API
      case CLIENT -> peer == SERVER;
      case SERVER -> peer == CLIENT;
      case SCATTER -> peer == GATHER;
      case GATHER -> peer == SCATTER;
      case PEER -> peer == PEER;
      case CHANNEL -> peer == CHANNEL;
      case RADIO -> peer == DISH;
      case DISH -> peer == RADIO;
    };
  }

  // ---- what a type does beyond its pattern: the runtime asks these instead of naming types ----

  /**
   * STREAM: the connection speaks no ZMTP (libzmq's raw_engine_t): no greeting or handshake, each
   * read is one message, and the session ends for good, without reconnecting, once the socket lets
   * go of its peer (libzmq's raw session ends when its pipe is terminated).
   */
  public boolean raw() {
    return this == STREAM;
  }

  /**
   * ROUTER: it names a peer by the routing id the peer announces in its handshake, so a pipe joins
   * the socket only after the handshake, on the connect side too (libzmq's router_t identifies
   * pipes in xattach_pipe), unless CONNECT_ROUTING_ID names it up front.
   */
  public boolean namesPeersByIdentity() {
    return this == ROUTER;
  }

  /**
   * ROUTER and STREAM: ZMQ_CONNECT_ROUTING_ID names the next connect's peer (libzmq reads it in
   * router_t and stream_t only).
   */
  public boolean usesConnectRoutingId() {
    return this == ROUTER || this == STREAM;
  }

  /**
   * SUB, XSUB and DISH: after a reconnect the new peer knows none of our subscriptions, so the socket
   * sends them all again (libzmq's xsub_t::xhiccuped).
   */
  public boolean resendsSubscriptionsOnReconnect() {
    return this == SUB || this == XSUB || this == DISH;
  }

  /**
   * DISH: it receives the groups it joins (ZSocket.join), sending JOIN/LEAVE upstream; on a
   * reconnect it sends every join again (libzmq's dish_t::xhiccuped), see
   * {@link #resendsSubscriptionsOnReconnect}.
   */
  public boolean joinsGroups() {
    return this == DISH;
  }

  /**
   * RADIO and DISH: every message has a group ({@link Msg#group()}) and one frame. Over ZMTP it
   * travels as two frames, the group (MORE) then the body (libzmq 4.3's radio_session_t); over
   * udp as one datagram.
   */
  public boolean groupsMessages() {
    return this == RADIO || this == DISH;
  }

  /**
   * SUB, XSUB and XPUB (with XPUB_MANUAL) take subscriptions; XSUB takes them as messages (see
   * {@link #subscribesByMessage}), the others through ZMQ_SUBSCRIBE.
   */
  public boolean takesSubscriptions() {
    return this == SUB || this == XSUB || this == XPUB;
  }

  /** XSUB: a subscription is a message sent upstream ({@code 0x01} + topic), not an option (libzmq's xsub_t). */
  public boolean subscribesByMessage() {
    return this == XSUB;
  }

  /**
   * DEALER, PULL, PUSH, PUB and SUB: ZMQ_CONFLATE applies (libzmq's get_effective_conflate_option);
   * other types accept the option and ignore it.
   */
  public boolean honoursConflate() {
    return switch (this) {
      case DEALER, PULL, PUSH, PUB, SUB -> true;
      default -> false;
    };
  }

  /**
   * SERVER and PEER: each peer is known by a 32-bit routing id the socket assigns; a received
   * message carries it ({@link Msg#routingId()}) and a sent one names its peer by it (libzmq's
   * zmq_msg_routing_id / zmq_msg_set_routing_id).
   */
  public boolean routesByRoutingId() {
    return this == SERVER || this == PEER;
  }

  /** PEER: connects with libzmq's zmq_connect_peer, which answers the new peer's routing id at once. */
  public boolean connectsPeers() {
    return this == PEER;
  }
}
