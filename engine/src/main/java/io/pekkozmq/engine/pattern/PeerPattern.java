package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.SocketType;

/**
 * PEER (RFC 51, libzmq's peer_t): a {@link ServerPattern} that also connects. Its peers are PEERs;
 * the runtime's connect-peer answers {@link #lastAttachedRoutingId()} right after it attached the
 * new pipe, so the caller can send to the peer at once (the message waits in the pipe until the
 * connection is up).
 */
public final class PeerPattern extends ServerPattern {
  public PeerPattern(PatternOptions options) {
    super(options);
  }

  PeerPattern(PatternOptions options, int firstRoutingId) {
    super(options, firstRoutingId);
  }

  @Override
  public SocketType type() {
    return SocketType.PEER;
  }
}
