package io.pekkozmq.actors.impl.io;

/**
 * How long an {@link IoLoop} that has run out of work keeps looking for more before it blocks in
 * {@code select} (pekko-zmq.io-spin). A request-reply peer usually answers within a few tens of
 * microseconds; a thread that has gone to sleep by then costs a wake-up through the kernel, and on
 * a virtual machine an idle core's exit from its halt on top (measured in bench/README.md, "Issue
 * 14, fourth step").
 *
 * <p>It adapts, so an I/O thread whose work comes seldom does not burn its core: after
 * {@link #FAILURES_TO_STOP} spins in a row that ran out without finding work, the loop blocks at
 * once; it spins again after enough sleeps in a row short enough that a spin would have caught
 * their work (at most twice the spin: a sleep's length includes its wake-up), and each stop doubles
 * how many such sleeps that takes, up to {@link #MAX_SLEEPS_TO_RESUME}, until a spin finds work
 * again. Only the loop's thread uses an instance.
 */
final class IdleSpin {
  static final int FAILURES_TO_STOP = 4;
  static final int MIN_SLEEPS_TO_RESUME = 4;
  static final int MAX_SLEEPS_TO_RESUME = 1024;

  private final long max;
  private long budget;
  private int failures;
  private int shortSleeps;
  private int sleepsToResume = MIN_SLEEPS_TO_RESUME;

  /** {@code maxNanos}: the spin's length; 0 never spins. */
  IdleSpin(long maxNanos) {
    if (maxNanos < 0) throw new IllegalArgumentException("pekko-zmq.io-spin must not be negative: " + maxNanos + " ns");
    this.max = maxNanos;
    this.budget = maxNanos;
  }

  /** Whether it ever spins (pekko-zmq.io-spin above 0). */
  boolean enabled() {
    return max > 0;
  }

  /** How long to spin this time, in nanoseconds (0: block at once). */
  long budget() {
    return budget;
  }

  /** The spin found work. */
  void found() {
    failures = 0;
    sleepsToResume = MIN_SLEEPS_TO_RESUME;
  }

  /** The loop blocked (after a spin that ran out, if it spun) and slept {@code sleptNanos} before work came. */
  void slept(long sleptNanos) {
    if (max == 0) return;
    if (budget > 0) {
      if (++failures >= FAILURES_TO_STOP) {
        budget = 0;
        shortSleeps = 0;
      }
      return;
    }
    if (sleptNanos > 2 * max) {
      shortSleeps = 0;
    } else if (++shortSleeps >= sleepsToResume) {
      budget = max;
      failures = 0;
      sleepsToResume = Math.min(2 * sleepsToResume, MAX_SLEEPS_TO_RESUME);
    }
  }
}
