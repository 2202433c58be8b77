package io.pekkozmq.actors.impl.transport;

import java.util.random.RandomGenerator;

/**
 * libzmq 4.3.4's reconnect intervals (stream_connecter_base_t::get_new_reconnect_ivl) as a pure
 * function of the options and a random source: each wait is the current interval plus a jitter in
 * [0, RECONNECT_IVL); the current interval starts at RECONNECT_IVL and, if RECONNECT_IVL_MAX is set
 * above it, doubles after every wait up to RECONNECT_IVL_MAX. Sums saturate at
 * {@code Integer.MAX_VALUE} as libzmq's do. (libzmq 4.3.5 dropped the jitter when a maximum is
 * set; the interop tests run 4.3.4.) Owned by one connecter, so one thread at a time.
 */
final class ReconnectBackoff {
  private final int reconnectIvl;
  private final int reconnectIvlMax;
  private final RandomGenerator random;
  private int current;

  ReconnectBackoff(int reconnectIvl, int reconnectIvlMax, RandomGenerator random) {
    this.reconnectIvl = reconnectIvl;
    this.reconnectIvlMax = reconnectIvlMax;
    this.random = random;
    this.current = reconnectIvl;
  }

  /**
   * The next wait in ms (at least 1), and the backoff for the one after. The connecter and the
   * session never ask with RECONNECT_IVL 0 (no reconnection, as in libzmq); if asked, 0 waits 1 ms
   * without jitter.
   */
  int next() {
    int base = Math.max(current, 1);
    int jitter = reconnectIvl > 0 ? random.nextInt(reconnectIvl) : 0;
    int interval = base < Integer.MAX_VALUE - jitter ? base + jitter : Integer.MAX_VALUE;
    if (reconnectIvlMax > 0 && reconnectIvlMax > reconnectIvl) {
      current = current < Integer.MAX_VALUE / 2 ? Math.min(current * 2, reconnectIvlMax) : reconnectIvlMax;
    }
    return interval;
  }
}
