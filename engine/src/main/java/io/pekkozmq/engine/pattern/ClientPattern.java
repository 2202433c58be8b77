package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;

/**
 * CLIENT (RFC 41, libzmq's client_t): round-robin out, fair-queue in, single-frame messages only.
 * A send with MORE is EINVAL; a peer's multipart message is dropped whole.
 */
public final class ClientPattern extends Pattern {
  private final FairQueue fq = new FairQueue();
  private final LoadBalancer lb = new LoadBalancer();

  public ClientPattern(PatternOptions options) {
    super(options);
  }

  @Override
  public SocketType type() {
    return SocketType.CLIENT;
  }

  @Override
  public void attach(PatternPipe pipe, boolean subscribeToAll, boolean locallyInitiated) {
    fq.attach(pipe);
    lb.attach(pipe);
  }

  @Override
  public void pipeTerminated(PatternPipe pipe) {
    fq.pipeTerminated(pipe);
    lb.pipeTerminated(pipe);
  }

  @Override
  public void readActivated(PatternPipe pipe) {
    fq.activated(pipe);
  }

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
    Frame frame = SingleFrame.recv(fq);
    return frame != null ? frame : failRecv(Errno.EAGAIN);
  }

  @Override
  public boolean hasIn() {
    return fq.hasIn();
  }

  @Override
  public boolean hasOut() {
    return lb.hasOut();
  }
}
