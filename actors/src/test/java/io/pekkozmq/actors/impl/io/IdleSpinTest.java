package io.pekkozmq.actors.impl.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The idle spin's budget: kept while spins find work, dropped after spins in a row that found none,
 * back after sleeps short enough for a spin to have caught their work, and slower to come back each
 * time it is dropped.
 */
class IdleSpinTest {
  private static final long MAX = 30_000;
  private static final long LONG_SLEEP = 1_000_000;

  private static IdleSpin stopped() {
    IdleSpin s = new IdleSpin(MAX);
    for (int i = 0; i < IdleSpin.FAILURES_TO_STOP; i++) s.slept(LONG_SLEEP);
    assertEquals(0, s.budget());
    return s;
  }

  @Test
  void itStartsSpinningAndASpinThatFindsWorkKeepsIt() {
    IdleSpin s = new IdleSpin(MAX);
    assertTrue(s.enabled());
    assertEquals(MAX, s.budget());
    for (int round = 0; round < 100; round++) {
      for (int i = 0; i < IdleSpin.FAILURES_TO_STOP - 1; i++) s.slept(LONG_SLEEP); // outliers
      s.found();
    }
    assertEquals(MAX, s.budget(), "a request-reply loop whose spins mostly find work keeps spinning");
  }

  @Test
  void spinsInARowThatFindNothingStopIt() {
    IdleSpin s = new IdleSpin(MAX);
    for (int i = 0; i < IdleSpin.FAILURES_TO_STOP - 1; i++) s.slept(LONG_SLEEP);
    assertEquals(MAX, s.budget());
    s.slept(LONG_SLEEP);
    assertEquals(0, s.budget(), "a thread whose work comes seldom stops spinning");
    for (int i = 0; i < 100; i++) s.slept(LONG_SLEEP);
    assertEquals(0, s.budget());
  }

  @Test
  void shortSleepsInARowBringItBackAndEachStopDoublesHowManyItTakes() {
    IdleSpin s = stopped();
    for (int i = 0; i < IdleSpin.MIN_SLEEPS_TO_RESUME - 1; i++) s.slept(2 * MAX);
    assertEquals(0, s.budget());
    s.slept(LONG_SLEEP); // a long one breaks the run
    for (int i = 0; i < IdleSpin.MIN_SLEEPS_TO_RESUME - 1; i++) s.slept(MAX);
    assertEquals(0, s.budget());
    s.slept(MAX);
    assertEquals(MAX, s.budget(), "work came within a spin's reach often enough");
    for (int i = 0; i < IdleSpin.FAILURES_TO_STOP; i++) s.slept(LONG_SLEEP); // and it found none again
    assertEquals(0, s.budget());
    for (int i = 0; i < 2 * IdleSpin.MIN_SLEEPS_TO_RESUME - 1; i++) s.slept(MAX);
    assertEquals(0, s.budget(), "the second time takes twice the short sleeps");
    s.slept(MAX);
    assertEquals(MAX, s.budget());
    s.found(); // a spin that finds work makes the next resume quick again
    for (int i = 0; i < IdleSpin.FAILURES_TO_STOP; i++) s.slept(LONG_SLEEP);
    for (int i = 0; i < IdleSpin.MIN_SLEEPS_TO_RESUME; i++) s.slept(MAX);
    assertEquals(MAX, s.budget());
  }

  @Test
  void zeroNeverSpinsAndANegativeSpinIsRefusedNamingTheSetting() {
    IdleSpin off = new IdleSpin(0);
    assertFalse(off.enabled());
    assertEquals(0, off.budget());
    for (int i = 0; i < 100; i++) off.slept(0);
    assertEquals(0, off.budget());
    var e = assertThrows(IllegalArgumentException.class, () -> new IdleSpin(-1));
    assertTrue(e.getMessage().contains("pekko-zmq.io-spin"), e.getMessage());
  }
}
