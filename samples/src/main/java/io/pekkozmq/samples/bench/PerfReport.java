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

  /**
   * Messages (or roundtrips) a tool passes before its clock starts, from {@code PERF_WARMUP}
   * (default 0: libzmq's contract, timed from the first message). Both sides of a pair read it: the
   * sender sends that many more, the receiver lets that many go by untimed. bench/run.sh sets it
   * for its steady-state rows, for all three implementations alike.
   */
  public static long warmup() {
    String v = System.getenv("PERF_WARMUP");
    if (v == null || v.isBlank()) return 0;
    try {
      long n = Long.parseLong(v.trim());
      if (n >= 0) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("PERF_WARMUP must be a number of messages (0 or more), not '" + v + "'");
  }

  /**
   * What a tool's timed part costs its process, printed when {@code PERF_COST=1}: CPU time of the
   * whole process (callers, I/O threads, the JIT, the GC) and bytes allocated on the heap by all its
   * threads, each per message. Started where the clock starts; printed after the last message.
   */
  public static final class Cost {
    private final boolean on = "1".equals(System.getenv("PERF_COST"));
    private long cpu0;
    private long alloc0;
    private long allocEnd = -1;

    public static Cost start() {
      Cost c = new Cost();
      if (c.on) {
        c.cpu0 = processCpuNanos();
        c.alloc0 = allocatedBytes();
      }
      return c;
    }

    /**
     * Reads the heap counters now, for a tool whose threads end before it prints: JeroMQ's I/O
     * thread dies in {@code ctx.term()}, and a dead thread's bytes no longer count.
     */
    public void markAllocation() {
      if (on) allocEnd = allocatedBytes();
    }

    /** Prints "cpu per message: N [ns]" and "allocated per message: N [B]" over {@code messages}. */
    public void print(long messages) {
      print(messages, "message");
    }

    /** The same per {@code unit} (a latency tool's "roundtrip"). */
    public void print(long messages, String unit) {
      if (!on) return;
      long n = Math.max(1L, messages);
      double cpu = (processCpuNanos() - cpu0) / (double) n;
      double alloc = ((allocEnd >= 0 ? allocEnd : allocatedBytes()) - alloc0) / (double) n;
      System.out.println(String.format(Locale.ROOT, "cpu per %s: %.0f [ns]", unit, cpu));
      System.out.println(String.format(Locale.ROOT, "allocated per %s: %.1f [B]", unit, alloc));
      System.out.flush();
    }

    private static long processCpuNanos() {
      java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0L;
    }

    /** Heap bytes allocated so far by the threads alive now (the tools' threads live to the end). */
    private static long allocatedBytes() {
      java.lang.management.ThreadMXBean t = java.lang.management.ManagementFactory.getThreadMXBean();
      if (!(t instanceof com.sun.management.ThreadMXBean sun)) return 0L;
      long sum = 0;
      for (long b : sun.getThreadAllocatedBytes(t.getAllThreadIds())) {
        if (b > 0) sum += b;
      }
      return sum;
    }
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
