package io.pekkozmq.engine.pattern;

/**
 * The pipes of a {@link LoadBalancer} or {@link FairQueue}, partitioned as libzmq's lb_t and fq_t
 * partition theirs: {@code [0, active)} are usable, and a cursor rotates over them. A pipe leaves
 * the active range when it turns out full (or empty) and returns through {@link #activate}.
 * Single-threaded: the owning pattern's thread only.
 */
final class ActivePipes {
  private final PipeArray pipes = new PipeArray();
  private int active;
  private int current;

  /** A new pipe joins the active range. */
  void attach(PatternPipe pipe) {
    pipes.add(pipe);
    activate(pipe);
  }

  boolean contains(PatternPipe pipe) {
    return pipes.indexOf(pipe) >= 0;
  }

  /** Whether the cursor is on {@code pipe}. */
  boolean isCurrent(PatternPipe pipe) {
    return pipes.indexOf(pipe) == current;
  }

  /** Removes the pipe, keeping the cursor on a live pipe. */
  void remove(PatternPipe pipe) {
    int i = pipes.indexOf(pipe);
    if (i < 0) {
      return;
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

  /** The pipe is usable again. Idempotent, so a spurious activation cannot corrupt the partition. */
  void activate(PatternPipe pipe) {
    int i = pipes.indexOf(pipe);
    if (i < active) {
      return;
    }
    pipes.swap(i, active);
    active++;
  }

  boolean hasActive() {
    return active > 0;
  }

  /** The pipe under the cursor; only while {@link #hasActive}. */
  PatternPipe current() {
    return pipes.get(current);
  }

  /** The pipe under the cursor turned out unusable: it leaves the active range. */
  void deactivateCurrent() {
    active--;
    pipes.swap(current, active);
    if (current == active) {
      current = 0;
    }
  }

  /** Moves the cursor to the next active pipe (after a whole message). */
  void advance() {
    if (++current >= active) {
      current = 0;
    }
  }
}
