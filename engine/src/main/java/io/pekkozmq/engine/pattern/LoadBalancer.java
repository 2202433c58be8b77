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
  private final PipeArray pipes = new PipeArray();
  private int active;
  private int current;
  /** In the middle of a message: the next frame must go to the same pipe. */
  private boolean more;
  /** The pipe of a half-sent message went away: swallow the rest of that message. */
  private boolean dropping;
  private PatternPipe lastPipe;

  public void attach(PatternPipe pipe) {
    pipes.add(pipe);
    activated(pipe);
  }

  public void pipeTerminated(PatternPipe pipe) {
    int i = pipes.indexOf(pipe);
    if (i < 0) {
      return;
    }
    // The rest of a message whose pipe vanished cannot go anywhere else without breaking atomicity.
    if (i == current && more) {
      dropping = true;
    }
    if (i < active) {
      active--;
      pipes.swap(i, active);
      if (current == active) {
        current = 0;
      }
    }
    pipes.erase(pipe);
  }

  /** The pipe has room again. Idempotent, so a spurious activation cannot corrupt the partition. */
  public void activated(PatternPipe pipe) {
    int i = pipes.indexOf(pipe);
    if (i < active) {
      return;
    }
    pipes.swap(i, active);
    active++;
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
    while (active > 0) {
      PatternPipe pipe = pipes.get(current);
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
      active--;
      if (current < active) {
        pipes.swap(current, active);
      } else {
        current = 0;
      }
    }
    if (active == 0) {
      return false;
    }
    more = frame.hasMore();
    if (!more) {
      lastPipe.flush();
      if (++current >= active) {
        current = 0;
      }
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
    while (active > 0) {
      if (pipes.get(current).checkWrite()) {
        return true;
      }
      active--;
      pipes.swap(current, active);
      if (current == active) {
        current = 0;
      }
    }
    return false;
  }
}
