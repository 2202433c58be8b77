package io.pekkozmq.engine.pattern;

/**
 * The socket options patterns consult. Mutated only by the runtime under the socket's data-plane
 * lock, read by patterns under the same lock. Defaults are libzmq's; the runtime overwrites them
 * from configuration (reference.conf) when the socket is created.
 */
public final class PatternOptions {
  /** ZMQ_ROUTING_ID set on this socket (sent in READY); null if none. */
  public byte[] routingId;
  /** ZMQ_SNDHWM / ZMQ_RCVHWM in messages; 0 means no limit. */
  public int sendHwm = 1000;
  public int recvHwm = 1000;
  /** ZMQ_IMMEDIATE: queue only to completed connections. */
  public boolean immediate;
  /** ZMQ_CONFLATE: keep only the last message. */
  public boolean conflate;

  /**
   * ZMQ_PROBE_ROUTER: on attach, ROUTER, DEALER and REQ (which is a DEALER in libzmq) send an
   * empty message so the peer ROUTER learns about them.
   */
  public boolean probeRouter;
  /** ZMQ_ROUTER_MANDATORY: unroutable messages fail with EHOSTUNREACH, full peers with EAGAIN. */
  public boolean routerMandatory;
  /** ZMQ_ROUTER_HANDOVER: a new peer with a routing id in use takes it over; the old pipe is closed. */
  public boolean routerHandover;
  /**
   * ZMQ_ROUTER_NOTIFY (libzmq draft): bit set of {@link #NOTIFY_CONNECT} and
   * {@link #NOTIFY_DISCONNECT}; ROUTER then delivers [routing-id, empty] when a peer comes or goes.
   */
  public int routerNotify;
  public static final int NOTIFY_CONNECT = 1;
  public static final int NOTIFY_DISCONNECT = 2;
  /**
   * ZMQ_CONNECT_ROUTING_ID: the routing id ROUTER/STREAM give the next locally initiated pipe
   * instead of the peer's own. Consumed: the pattern sets it back to null when it uses it.
   */
  public byte[] connectRoutingId;
  /** ZMQ_REQ_CORRELATE: REQ prefixes each request with a 4-byte id and accepts only replies carrying it. */
  public boolean reqCorrelate;
  /** ZMQ_REQ_RELAXED: REQ may send a new request before the reply; the old reply is then ignored. */
  public boolean reqRelaxed;
  /**
   * ZMQ_XPUB_VERBOSE: pass every subscription up, not only new ones. libzmq's VERBOSE also clears
   * VERBOSER, so the runtime sets {@link #xpubVerboser} false when it sets this.
   */
  public boolean xpubVerbose;
  /** ZMQ_XPUB_VERBOSER: pass every subscription and every cancel up. */
  public boolean xpubVerboser;
  /** ZMQ_XPUB_MANUAL: subscriptions are only reported; the user applies them with Pattern#subscribe. */
  public boolean xpubManual;
  /** ZMQ_XPUB_MANUAL_LAST_VALUE: as manual, and the next message goes to the last subscriber only. */
  public boolean xpubManualLastValue;
  /** ZMQ_XPUB_NODROP: send fails with EAGAIN instead of dropping when a matching peer is full. */
  public boolean xpubNodrop;
  /** ZMQ_XPUB_WELCOME_MSG: sent to every new subscriber pipe; null or empty for none. */
  public byte[] xpubWelcomeMsg;
  /** ZMQ_INVERT_MATCHING: PUB/XPUB send to non-matching peers, SUB keeps non-matching messages. */
  public boolean invertMatching;
  /**
   * ZMQ_STREAM_NOTIFY: STREAM delivers [id, empty] when a peer connects or disconnects. Kept here
   * for getsockopt; the connections (the runtime's raw engine) produce the notifications.
   */
  public boolean streamNotify = true;
}
