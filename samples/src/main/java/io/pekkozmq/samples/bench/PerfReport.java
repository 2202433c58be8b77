package io.pekkozmq.samples.bench;

import java.util.Locale;

/**
 * The output lines of libzmq's perf tools (and of our fan-out pair), which bench/run.sh parses.
 * Shared by our tools and the JeroMQ ones so both columns are printed by the same code. JDK only:
 * bench/run.sh may compile it with the JeroMQ tools alone.
 */
public final class PerfReport {
  private PerfReport() {}

  public static long nowMicros() {
    return System.nanoTime() / 1000L;
  }

  /** The four lines of libzmq's local_thr / inproc_thr. */
  public static void throughput(long size, long count, long elapsedMicros) {
    long elapsed = Math.max(1L, elapsedMicros);
    long throughput = (long) ((double) count / (double) elapsed * 1_000_000.0);
    double megabits = (double) throughput * size * 8.0 / 1_000_000.0;
    System.out.println("message size: " + size + " [B]");
    System.out.println("message count: " + count);
    System.out.println("mean throughput: " + throughput + " [msg/s]");
    System.out.println(String.format(Locale.ROOT, "mean throughput: %.3f [Mb/s]", megabits));
    System.out.flush();
  }

  /** The three lines of libzmq's remote_lat / inproc_lat. */
  public static void latency(long size, long roundtrips, long elapsedMicros) {
    double latency = (double) elapsedMicros / (roundtrips * 2.0);
    System.out.println("message size: " + size + " [B]");
    System.out.println("roundtrip count: " + roundtrips);
    System.out.println(String.format(Locale.ROOT, "average latency: %.3f [us]", latency));
    System.out.flush();
  }

  /** pub_fanout's summary. */
  public static void publisher(long size, long count, long subscribers, long ready, long finished, long elapsedMicros) {
    System.out.println("message size: " + size + " [B]");
    System.out.println("message count: " + count);
    System.out.println("subscriber count: " + subscribers);
    System.out.println("subscribers ready: " + ready);
    System.out.println("subscribers finished: " + finished);
    System.out.println("send throughput: " + (long) ((double) count / Math.max(1L, elapsedMicros) * 1_000_000.0) + " [msg/s]");
    System.out.flush();
  }

  /**
   * sub_fanout's summary: delivered messages over all subscribers, per second between the
   * earliest first arrival and the latest last one.
   */
  public static void subscribers(long size, long count, int subscribers, int ready, long delivered,
      long firstMicros, long lastMicros) {
    long elapsed = (delivered > 0 && lastMicros > firstMicros) ? lastMicros - firstMicros : 1L;
    long rate = delivered > 1 ? (long) ((double) delivered / elapsed * 1_000_000.0) : 0L;
    System.out.println("message size: " + size + " [B]");
    System.out.println("message count: " + count);
    System.out.println("subscriber count: " + subscribers);
    System.out.println("subscribers ready: " + ready);
    System.out.println("delivered count: " + delivered);
    System.out.println(String.format(Locale.ROOT, "delivered ratio: %.3f [%%]",
        100.0 * delivered / ((double) count * subscribers)));
    System.out.println("delivered: " + rate + " [msg/s]");
    System.out.flush();
  }
}
