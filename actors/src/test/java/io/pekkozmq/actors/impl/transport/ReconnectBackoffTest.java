package io.pekkozmq.actors.impl.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** libzmq 4.3.4's get_new_reconnect_ivl (stream_connecter_base.cpp), the random source injected. */
class ReconnectBackoffTest {
  /** Jitters handed out in order; records the bound each draw was asked for. */
  private static final class Jitters implements RandomGenerator {
    final List<Integer> bounds = new ArrayList<>();
    private final int[] values;
    private int next;

    Jitters(int... values) {
      this.values = values;
    }

    @Override
    public int nextInt(int bound) {
      bounds.add(bound);
      return values[next++ % values.length];
    }

    @Override
    public long nextLong() {
      throw new UnsupportedOperationException("the backoff draws with nextInt(bound)");
    }
  }

  private static List<Integer> waits(ReconnectBackoff b, int n) {
    List<Integer> w = new ArrayList<>();
    for (int i = 0; i < n; i++) w.add(b.next());
    return w;
  }

  @Test
  void withoutAMaximumEachWaitIsTheIntervalPlusAJitterBelowIt() {
    Jitters j = new Jitters(0, 99, 42);
    assertEquals(List.of(100, 199, 142, 100), waits(new ReconnectBackoff(100, 0, j), 4));
    assertEquals(List.of(100, 100, 100, 100), j.bounds);
  }

  @Test
  void withAMaximumTheIntervalDoublesAfterEachWaitUpToIt() {
    assertEquals(List.of(100, 200, 400, 800, 1000, 1000), waits(new ReconnectBackoff(100, 1000, new Jitters(0)), 6));
  }

  @Test
  void theJitterComesOnTopOfTheBackedOffIntervalAndStaysBelowReconnectIvl() {
    Jitters j = new Jitters(7);
    assertEquals(List.of(107, 207, 407, 807, 1007), waits(new ReconnectBackoff(100, 1000, j), 5));
    assertEquals(List.of(100, 100, 100, 100, 100), j.bounds);
  }

  @Test
  void aMaximumNotAboveTheIntervalMeansNoBackoff() {
    assertEquals(List.of(100, 100, 100), waits(new ReconnectBackoff(100, 100, new Jitters(0)), 3));
    assertEquals(List.of(100, 100, 100), waits(new ReconnectBackoff(100, 50, new Jitters(0)), 3));
  }

  @Test
  void aZeroIntervalWaitsOneMillisecondWithoutJitter() {
    Jitters j = new Jitters(5);
    assertEquals(List.of(1, 1, 1), waits(new ReconnectBackoff(0, 0, j), 3));
    assertEquals(List.of(1, 1, 1), waits(new ReconnectBackoff(0, 1000, j), 3));
    assertEquals(List.of(), j.bounds);
  }

  @Test
  void sumsSaturateAtIntegerMaxValueAsLibzmqs() {
    // interval plus jitter
    assertEquals(Integer.MAX_VALUE, new ReconnectBackoff(Integer.MAX_VALUE - 10, 0, new Jitters(100)).next());
    // doubling past half of the int range goes to the maximum, not round to a negative wait
    int ivl = (1 << 30) + 1;
    assertEquals(List.of(ivl, Integer.MAX_VALUE, Integer.MAX_VALUE),
        waits(new ReconnectBackoff(ivl, Integer.MAX_VALUE, new Jitters(0)), 3));
  }

  @Test
  void randomWaitsStayWithinTheCurrentIntervalAndReconnectIvlAbove() {
    ReconnectBackoff b = new ReconnectBackoff(50, 400, new Random(15));
    int current = 50;
    for (int i = 0; i < 1000; i++) {
      int w = b.next();
      assertTrue(w >= current && w < current + 50, "wait " + i + " was " + w + " at interval " + current);
      current = Math.min(current * 2, 400);
    }
  }
}
