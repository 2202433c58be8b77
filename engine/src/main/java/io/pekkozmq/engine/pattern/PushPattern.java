package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;

/**
 * PUSH (RFC 30): round-robin to peers with room; blocks (EAGAIN) when none has. Cannot receive.
 * Also SCATTER (libzmq's scatter_t): the same with single-frame messages only (a send with MORE is
 * EINVAL).
 */
public final class PushPattern extends Pattern {
  private final LoadBalancer lb = new LoadBalancer();
  private final SocketType type;
  private final boolean singleFrame;

  public PushPattern(PatternOptions options) {
    this(options, SocketType.PUSH, false);
  }

  /** SCATTER: PUSH for single-frame messages. */
  static PushPattern scatter(PatternOptions options) {
    return new PushPattern(options, SocketType.SCATTER, true);
  }

  private PushPattern(PatternOptions options, SocketType type, boolean singleFrame) {
    super(options);
    this.type = type;
    this.singleFrame = singleFrame;
  }

  @Override
  public SocketType type() {
    return type;
  }

  @Override
  public void attach(PatternPipe pipe, boolean subscribeToAll, boolean locallyInitiated) {
    lb.attach(pipe);
  }

  @Override
  public void pipeTerminated(PatternPipe pipe) {
    lb.pipeTerminated(pipe);
  }

  @Override
  public void readActivated(PatternPipe pipe) {}

  @Override
  public void writeActivated(PatternPipe pipe) {
    lb.activated(pipe);
  }

  @Override
  public int send(Frame frame) {
    if (singleFrame && frame.hasMore()) return fail(Errno.EINVAL);
    return lb.send(frame) ? OK : fail(Errno.EAGAIN);
  }

  @Override
  public Frame recv() {
    return failRecv(Errno.ENOTSUP);
  }

  @Override
  public boolean hasIn() {
    return false;
  }

  @Override
  public boolean hasOut() {
    return lb.hasOut();
  }
}
