package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;

/**
 * DEALER (RFC 28): round-robin out, fair-queue in, no envelope handling. Also the base of
 * {@link ReqPattern}, as in libzmq, which is why REQ honours PROBE_ROUTER too. And CLIENT (RFC 41,
 * libzmq's client_t): the same for single-frame messages only (a send with MORE is EINVAL, a peer's
 * multipart message is dropped whole), without PROBE_ROUTER.
 */
public class DealerPattern extends Pattern {
  protected final FairQueue fq = new FairQueue();
  protected final LoadBalancer lb = new LoadBalancer();
  private final SocketType type;
  private final boolean singleFrame;

  public DealerPattern(PatternOptions options) {
    this(options, SocketType.DEALER, false);
  }

  /** CLIENT: DEALER for single-frame messages. */
  static DealerPattern client(PatternOptions options) {
    return new DealerPattern(options, SocketType.CLIENT, true);
  }

  private DealerPattern(PatternOptions options, SocketType type, boolean singleFrame) {
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
    if (options.probeRouter && !singleFrame) {
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
    if (singleFrame && frame.hasMore()) return fail(Errno.EINVAL);
    return lb.send(frame) ? OK : fail(Errno.EAGAIN);
  }

  @Override
  public Frame recv() {
    Frame frame = singleFrame ? SingleFrame.recv(fq) : fq.recv();
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
