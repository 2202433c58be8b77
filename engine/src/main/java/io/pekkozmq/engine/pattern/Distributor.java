package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Frame;

/**
 * Sends each message to many pipes (libzmq's dist_t), for PUB/XPUB data and XSUB upstream
 * messages. Single-threaded: the owning pattern's thread only.
 *
 * <p>The pipe array is partitioned: {@code [0, matching)} receive the current message,
 * {@code [0, active)} may receive the next one, {@code [0, eligible)} may receive the rest of the
 * current one (a pipe attached mid-message waits for the next message). A pipe that is full when
 * a message starts is skipped for the whole message and leaves all three ranges until
 * {@link #activated}; so a slow peer loses whole messages, never parts of one.
 */
public final class Distributor {
  private final PipeArray pipes = new PipeArray();
  private int matching;
  private int active;
  private int eligible;
  private boolean more;

  public void attach(PatternPipe pipe) {
    pipes.add(pipe);
    if (more) {
      pipes.swap(eligible, pipes.size() - 1);
      eligible++;
    } else {
      pipes.swap(active, pipes.size() - 1);
      active++;
      eligible++;
    }
  }

  public boolean hasPipe(PatternPipe pipe) {
    return pipes.contains(pipe);
  }

  /** Marks the pipe as a receiver of the current message; ignored if it is not eligible. */
  public void match(PatternPipe pipe) {
    int i = pipes.indexOf(pipe);
    if (i < matching || i >= eligible) {
      return;
    }
    pipes.swap(i, matching);
    matching++;
  }

  /** Every eligible pipe that did not match now matches, and the others no longer do (INVERT_MATCHING). */
  public void reverseMatch() {
    int previous = matching;
    unmatch();
    for (int i = previous; i < eligible; i++) {
      pipes.swap(i, matching++);
    }
  }

  public void unmatch() {
    matching = 0;
  }

  public void pipeTerminated(PatternPipe pipe) {
    int i = pipes.indexOf(pipe);
    if (i < 0) {
      return;
    }
    if (i < matching) {
      pipes.swap(i, matching - 1);
      matching--;
    }
    i = pipes.indexOf(pipe);
    if (i < active) {
      pipes.swap(i, active - 1);
      active--;
    }
    i = pipes.indexOf(pipe);
    if (i < eligible) {
      pipes.swap(i, eligible - 1);
      eligible--;
    }
    pipes.erase(pipe);
  }

  /**
   * Treats the pipe as full until {@link #activated}, as if a write had just failed: its owner has
   * something queued for it that must go first (XSUB's subscription backlog). Not while the pipe
   * is taking the rest of a message, which must stay whole; then nothing changes.
   */
  public void suspend(PatternPipe pipe) {
    int i = pipes.indexOf(pipe);
    if (i < 0 || (more && i < matching)) {
      return;
    }
    if (i < matching) {
      pipes.swap(i, matching - 1);
      matching--;
      i = matching;
    }
    if (i < active) {
      pipes.swap(i, active - 1);
      active--;
      i = active;
    }
    if (i < eligible) {
      pipes.swap(i, eligible - 1);
      eligible--;
    }
  }

  /** The pipe has room again. Idempotent, as the pipe may also be activated after a mere HWM check. */
  public void activated(PatternPipe pipe) {
    int i = pipes.indexOf(pipe);
    if (i < 0) {
      return;
    }
    if (i >= eligible) {
      pipes.swap(i, eligible);
      i = eligible;
      eligible++;
    }
    if (!more && i >= active) {
      pipes.swap(i, active);
      active++;
    }
  }

  public void sendToAll(Frame frame) {
    matching = active;
    sendToMatching(frame);
  }

  public void sendToMatching(Frame frame) {
    boolean frameMore = frame.hasMore();
    distribute(frame);
    // Pipes that became eligible during the message may take the next one.
    if (!frameMore) {
      active = eligible;
    }
    more = frameMore;
  }

  /** Whether every matching pipe can take one more message now (XPUB_NODROP). */
  public boolean checkHwm() {
    for (int i = 0; i < matching; i++) {
      if (!pipes.get(i).checkHwm()) {
        return false;
      }
    }
    return true;
  }

  /** A distributor never blocks: full pipes lose messages instead. */
  public boolean hasOut() {
    return true;
  }

  private void distribute(Frame frame) {
    for (int i = 0; i < matching; i++) {
      if (!write(pipes.get(i), frame)) {
        i--; // write() moved another pipe into slot i
      }
    }
  }

  private boolean write(PatternPipe pipe, Frame frame) {
    if (!pipe.write(frame)) {
      pipes.swap(pipes.indexOf(pipe), matching - 1);
      matching--;
      pipes.swap(pipes.indexOf(pipe), active - 1);
      active--;
      pipes.swap(active, eligible - 1);
      eligible--;
      return false;
    }
    if (!frame.hasMore()) {
      pipe.flush();
    }
    return true;
  }
}
