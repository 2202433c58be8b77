package io.pekkozmq.actors.churn;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A guarded wait on a Java monitor, shared by the harness's {@link Ledger} and
 * {@link ConnectionWatch}: both are written by other threads, which {@code notifyAll} on them.
 */
final class GuardedWait {
  private GuardedWait() {}

  /**
   * Waits on {@code monitor}, which the caller holds, until {@code condition} (evaluated under it)
   * holds; false on timeout or interrupt (the interrupt flag is set again).
   */
  static boolean await(Object monitor, BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      try {
        monitor.wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
