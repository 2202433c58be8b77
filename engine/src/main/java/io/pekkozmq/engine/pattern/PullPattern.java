package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;

/** PULL (RFC 30): fair-queues whole messages from all peers. Cannot send. */
public final class PullPattern extends Pattern {
  private final FairQueue fq = new FairQueue();

  public PullPattern(PatternOptions options) {
    super(options);
  }

  @Override
  public SocketType type() {
    return SocketType.PULL;
  }

  @Override
  public void attach(PatternPipe pipe, boolean subscribeToAll, boolean locallyInitiated) {
    fq.attach(pipe);
  }

  @Override
  public void pipeTerminated(PatternPipe pipe) {
    fq.pipeTerminated(pipe);
  }

  @Override
  public void readActivated(PatternPipe pipe) {
    fq.activated(pipe);
  }

  @Override
  public void writeActivated(PatternPipe pipe) {}

  @Override
  public int send(Frame frame) {
    return fail(Errno.ENOTSUP);
  }

  @Override
  public Frame recv() {
    Frame frame = fq.recv();
    return frame != null ? frame : failRecv(Errno.EAGAIN);
  }

  @Override
  public boolean hasIn() {
    return fq.hasIn();
  }

  @Override
  public boolean hasOut() {
    return false;
  }
}
