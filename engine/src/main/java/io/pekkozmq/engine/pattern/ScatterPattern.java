package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;

/**
 * SCATTER (libzmq's scatter_t): PUSH with single-frame messages only (a send with MORE is
 * EINVAL); round-robin to peers with room. Cannot receive.
 */
public final class ScatterPattern extends Pattern {
  private final LoadBalancer lb = new LoadBalancer();

  public ScatterPattern(PatternOptions options) {
    super(options);
  }

  @Override
  public SocketType type() {
    return SocketType.SCATTER;
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
    if (frame.hasMore()) return fail(Errno.EINVAL);
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
