package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;

/**
 * DEALER (RFC 28): round-robin out, fair-queue in, no envelope handling. Also the base of
 * {@link ReqPattern}, as in libzmq, which is why REQ honours PROBE_ROUTER too.
 */
public class DealerPattern extends Pattern {
  protected final FairQueue fq = new FairQueue();
  protected final LoadBalancer lb = new LoadBalancer();

  public DealerPattern(PatternOptions options) {
    super(options);
  }

  @Override
  public SocketType type() {
    return SocketType.DEALER;
  }

  @Override
  public void attach(PatternPipe pipe, boolean subscribeToAll, boolean locallyInitiated) {
    if (options.probeRouter) {
      pipe.write(Frame.EMPTY);
      pipe.flush();
    }
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
    return lb.send(frame) ? OK : fail(Errno.EAGAIN);
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
    return lb.hasOut();
  }
}
