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
}
