package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;

/**
 * PAIR (RFC 31): exactly one peer; a second pipe is closed at once. Also CHANNEL (RFC 52, libzmq's
 * channel_t, the thread-safe PAIR): the same with single-frame messages only; a send with MORE is
 * EINVAL, a multipart message from the peer is dropped whole.
 */
public final class PairPattern extends Pattern {
  private PatternPipe pipe;
  private final SocketType type;
  private final boolean singleFrame;

  public PairPattern(PatternOptions options) {
    this(options, SocketType.PAIR, false);
  }

  /** CHANNEL: PAIR for single-frame messages. */
  static PairPattern channel(PatternOptions options) {
    return new PairPattern(options, SocketType.CHANNEL, true);
  }

  private PairPattern(PatternOptions options, SocketType type, boolean singleFrame) {
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
    if (this.pipe == null) {
      this.pipe = pipe;
    } else {
      pipe.terminate(false);
    }
  }

  @Override
  public void pipeTerminated(PatternPipe pipe) {
    if (pipe == this.pipe) {
      this.pipe = null;
    }
  }

  @Override
  public void readActivated(PatternPipe pipe) {}

  @Override
  public void writeActivated(PatternPipe pipe) {}

  @Override
  public int send(Frame frame) {
    if (singleFrame && frame.hasMore()) return fail(Errno.EINVAL);
    if (pipe == null || !pipe.write(frame)) {
      return fail(Errno.EAGAIN);
    }
    if (!frame.hasMore()) {
      pipe.flush();
    }
    return OK;
  }

  @Override
  public Frame recv() {
    Frame frame = pipe == null ? null : singleFrame ? SingleFrame.recv(pipe) : pipe.read();
    return frame != null ? frame : failRecv(Errno.EAGAIN);
  }

  @Override
  public boolean hasIn() {
    return pipe != null && pipe.checkRead();
  }

  @Override
  public boolean hasOut() {
    return pipe != null && pipe.checkWrite();
  }
}
