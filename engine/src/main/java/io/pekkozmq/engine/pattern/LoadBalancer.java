package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Frame;

/**
 * Round-robin of whole outgoing messages over the pipes that have room (libzmq's lb_t). Used by
 * PUSH, DEALER and REQ. Single-threaded: the owning pattern's thread only.
 *
 * <p>Pipes {@code [0, active)} are writable; a pipe whose write fails drops out of that range and
 * comes back only through {@link #activated}. A message sticks to one pipe until its last frame,
 * and the cursor moves on only then, so messages are balanced, not frames.
 */
public final class LoadBalancer {
  private final ActivePipes pipes = new ActivePipes();
  /** In the middle of a message: the next frame must go to the same pipe. */
  private boolean more;
  /** The pipe of a half-sent message went away: swallow the rest of that message. */
  private boolean dropping;
  private PatternPipe lastPipe;

  public void attach(PatternPipe pipe) {
    pipes.attach(pipe);
  }

  public void pipeTerminated(PatternPipe pipe) {
    if (!pipes.contains(pipe)) {
      return;
    }
    // The rest of a message whose pipe vanished cannot go anywhere else without breaking atomicity.
    if (more && pipes.isCurrent(pipe)) {
      dropping = true;
    }
    pipes.remove(pipe);
  }

  /** The pipe has room again. Idempotent. */
  public void activated(PatternPipe pipe) {
    pipes.activate(pipe);
  }

  /**
   * Sends one frame. False means EAGAIN: no pipe can take a new message (nothing was written), or
   * a pipe failed in the middle of a message (what it had staged is rolled back and the rest of
   * the message will be dropped).
   */
  public boolean send(Frame frame) {
    lastPipe = null;
    if (dropping) {
      more = frame.hasMore();
      dropping = more;
      return true;
    }
    while (pipes.hasActive()) {
      PatternPipe pipe = pipes.current();
      if (pipe.write(frame)) {
        lastPipe = pipe;
        break;
      }
      if (more) {
        pipe.rollback();
        dropping = frame.hasMore();
        more = false;
        return false;
      }
      pipes.deactivateCurrent();
    }
    if (!pipes.hasActive()) {
      return false;
    }
    more = frame.hasMore();
    if (!more) {
      lastPipe.flush();
      pipes.advance();
    }
    return true;
  }

  /** The pipe the last successful {@link #send} wrote to; null if it was dropped. */
  public PatternPipe lastPipe() {
    return lastPipe;
  }

  public boolean hasOut() {
    if (more) {
      return true;
    }
    while (pipes.hasActive()) {
      if (pipes.current().checkWrite()) {
        return true;
      }
      pipes.deactivateCurrent();
    }
    return false;
  }
}
