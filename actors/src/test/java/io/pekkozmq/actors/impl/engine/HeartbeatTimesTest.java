package io.pekkozmq.actors.impl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.ZmqException;
import org.junit.jupiter.api.Test;

/** libzmq 4.3's heartbeat arithmetic, checked against zmtp_engine.cpp and options.cpp. */
class HeartbeatTimesTest {
  @Test
  void anUnsetTimeoutIsTheInterval() {
    assertEquals(1000, HeartbeatTimes.timeoutMillis(1000, -1));
  }

  @Test
  void aSetTimeoutIsTakenAsItIsAndZeroMeansNone() {
    assertEquals(300, HeartbeatTimes.timeoutMillis(1000, 300));
    assertEquals(5000, HeartbeatTimes.timeoutMillis(1000, 5000));
    assertEquals(0, HeartbeatTimes.timeoutMillis(1000, 0));
  }

  @Test
  void withoutHeartbeatsThereIsNoTimeout() {
    assertEquals(0, HeartbeatTimes.timeoutMillis(0, -1));
    assertEquals(0, HeartbeatTimes.timeoutMillis(0, 500));
  }

  @Test
  void thePingTtlIsHeartbeatTtlInWholeDeciseconds() {
    assertEquals(0, HeartbeatTimes.pingTtlDeciseconds(0));
    assertEquals(0, HeartbeatTimes.pingTtlDeciseconds(99));
    assertEquals(1, HeartbeatTimes.pingTtlDeciseconds(100));
    assertEquals(25, HeartbeatTimes.pingTtlDeciseconds(2599));
    assertEquals(65535, HeartbeatTimes.pingTtlDeciseconds(6553599));
  }

  @Test
  void aTtlBeyondSixteenBitsOfDecisecondsIsClampedAndANegativeOneIsNone() {
    assertEquals(65535, HeartbeatTimes.pingTtlDeciseconds(6553600));
    assertEquals(65535, HeartbeatTimes.pingTtlDeciseconds(Integer.MAX_VALUE));
    assertEquals(0, HeartbeatTimes.pingTtlDeciseconds(-100));
  }

  @Test
  void theOptionRoundsDownToDecisecondsAndRefusesWhatAPingCannotCarry() {
    SocketOptions o = new SocketOptions();
    o.set(ZmqOption.HEARTBEAT_TTL, 2599);
    assertEquals(2500, o.get(ZmqOption.HEARTBEAT_TTL));
    o.set(ZmqOption.HEARTBEAT_TTL, 6553599);
    assertEquals(HeartbeatTimes.MAX_TTL_DECISECONDS * 100, o.get(ZmqOption.HEARTBEAT_TTL));
    assertThrows(ZmqException.class, () -> o.set(ZmqOption.HEARTBEAT_TTL, 6553600));
  }
}
