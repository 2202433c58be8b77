package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Frame;

/**
 * Round-robin receive of whole messages across pipes (libzmq's fq_t). Used by PULL, DEALER, REQ,
 * ROUTER, REP, XSUB and STREAM. Single-threaded: the owning pattern's thread only.
 *
 * <p>Pipes {@code [0, active)} may have messages; a pipe found empty drops out and returns
 * through {@link #activated} (the pipe has recorded that its reader sleeps). The cursor moves on
 * only after the last frame of a message, so one pipe's frames are never interleaved with
 * another's.
 */
public final class FairQueue {
  private final ActivePipes pipes = new ActivePipes();
  private boolean more;
  /** Pipe of the frame just returned (recvpipe's out-parameter in libzmq). */
  private PatternPipe lastPipe;
  /** Pipe the last complete message came from. */
  private PatternPipe lastIn;

  public void attach(PatternPipe pipe) {
    pipes.attach(pipe);
  }

  public void pipeTerminated(PatternPipe pipe) {
    if (!pipes.contains(pipe)) {
      return;
    }
    // The runtime may drop a pipe while we are inside one of its messages; the rest cannot come.
    if (more && pipes.isCurrent(pipe)) {
      more = false;
    }
    pipes.remove(pipe);
    if (lastIn == pipe) {
      lastIn = null;
    }
    if (lastPipe == pipe) {
      lastPipe = null;
    }
  }

  /** The pipe has a message again. Idempotent. */
  public void activated(PatternPipe pipe) {
    pipes.activate(pipe);
  }

  /** The next frame, or null (EAGAIN) if no pipe has a message. */
  public Frame recv() {
    while (pipes.hasActive()) {
      PatternPipe pipe = pipes.current();
      Frame frame = pipe.read();
      if (frame != null) {
        lastPipe = pipe;
        more = frame.hasMore();
        if (!more) {
          lastIn = pipe;
          pipes.advance();
        }
        return frame;
      }
      // Messages are atomic, so a pipe cannot run dry inside one; be lenient if a runtime bug says otherwise.
      more = false;
      pipes.deactivateCurrent();
    }
    return null;
  }

  /** The pipe the frame last returned by {@link #recv} came from. */
  public PatternPipe lastPipe() {
    return lastPipe;
  }

  /** The pipe the last whole message came from; null if it has gone. */
  public PatternPipe lastIn() {
    return lastIn;
  }

  public boolean hasIn() {
    if (more) {
      return true;
    }
    while (pipes.hasActive()) {
      if (pipes.current().checkRead()) {
        return true;
      }
      pipes.deactivateCurrent();
    }
    return false;
  }
}
