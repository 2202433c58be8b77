package io.pekkozmq.actors.impl.engine;

/**
 * libzmq 4.3's heartbeat arithmetic (zmtp_engine_t, options_t) as pure functions, so each rule has
 * a test of its own; {@link ZmtpEngine} runs the timers.
 */
final class HeartbeatTimes {
  /** The largest TTL a PING can carry: 16 bits of deciseconds (ZMTP 3.1), about 109 minutes. */
  static final int MAX_TTL_DECISECONDS = 0xffff;

  private HeartbeatTimes() {}

  /**
   * How long a peer may stay silent after our PING before the connection is dropped, in ms; 0 means
   * never. HEARTBEAT_TIMEOUT, or the interval while it is unset (-1), as libzmq; without heartbeats
   * (HEARTBEAT_IVL 0) there is no PING and so no timeout.
   */
  static long timeoutMillis(int heartbeatIvl, int heartbeatTimeout) {
    if (heartbeatIvl <= 0) return 0;
    return heartbeatTimeout < 0 ? heartbeatIvl : heartbeatTimeout;
  }

  /**
   * The TTL our PING carries: HEARTBEAT_TTL in whole deciseconds, rounded down as libzmq does. The
   * option refuses more than {@link #MAX_TTL_DECISECONDS}; a larger value from elsewhere (the
   * configuration) is clamped rather than letting the PING fail.
   */
  static int pingTtlDeciseconds(int heartbeatTtlMillis) {
    if (heartbeatTtlMillis <= 0) return 0;
    return Math.min(heartbeatTtlMillis / 100, MAX_TTL_DECISECONDS);
  }
}
