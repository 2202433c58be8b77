package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;

/**
 * CHANNEL (RFC 52, libzmq's channel_t): the thread-safe PAIR. Exactly one peer (a second pipe is
 * closed at once), single-frame messages only: a send with MORE is EINVAL, a multipart message
 * from the peer is dropped whole.
 */
public final class ChannelPattern extends Pattern {
  private PatternPipe pipe;

  public ChannelPattern(PatternOptions options) {
    super(options);
  }

  @Override
  public SocketType type() {
    return SocketType.CHANNEL;
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
    if (frame.hasMore()) return fail(Errno.EINVAL);
    if (pipe == null || !pipe.write(frame)) return fail(Errno.EAGAIN);
    pipe.flush();
    return OK;
  }

  @Override
  public Frame recv() {
    Frame frame = pipe == null ? null : SingleFrame.recv(pipe);
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
