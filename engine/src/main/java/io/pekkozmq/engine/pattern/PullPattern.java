package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;

/**
 * PULL (RFC 30): fair-queues whole messages from all peers. Cannot send. Also GATHER (libzmq's
 * gather_t): the same for single-frame messages, dropping a peer's multipart message whole.
 */
public final class PullPattern extends Pattern {
  private final FairQueue fq = new FairQueue();
  private final SocketType type;
  private final boolean singleFrame;

  public PullPattern(PatternOptions options) {
    this(options, SocketType.PULL, false);
  }

  /** GATHER: PULL for single-frame messages. */
  static PullPattern gather(PatternOptions options) {
    return new PullPattern(options, SocketType.GATHER, true);
  }

  private PullPattern(PatternOptions options, SocketType type, boolean singleFrame) {
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
    Frame frame = singleFrame ? SingleFrame.recv(fq) : fq.recv();
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
