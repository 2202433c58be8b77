package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;

/** PUSH (RFC 30): round-robin to peers with room; blocks (EAGAIN) when none has. Cannot receive. */
public final class PushPattern extends Pattern {
  private final LoadBalancer lb = new LoadBalancer();

  public PushPattern(PatternOptions options) {
    super(options);
  }

  @Override
  public SocketType type() {
    return SocketType.PUSH;
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
