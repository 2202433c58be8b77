package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;

/** PAIR (RFC 31): exactly one peer; a second pipe is closed at once. */
public final class PairPattern extends Pattern {
  private PatternPipe pipe;

  public PairPattern(PatternOptions options) {
    super(options);
  }

  @Override
  public SocketType type() {
    return SocketType.PAIR;
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
    Frame frame = pipe == null ? null : pipe.read();
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
