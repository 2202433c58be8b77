package io.pekkozmq.samples.cli.perf;

import io.pekkozmq.engine.Msg;
import java.util.Locale;

/** The output lines of libzmq's perf tools, which bench/run.sh parses. */
final class PerfOutput {
  private PerfOutput() {}

  static long nowMicros() {
    return System.nanoTime() / 1000L;
  }

  static void throughput(long size, long count, long elapsedMicros) {
    long elapsed = Math.max(1L, elapsedMicros);
    long throughput = (long) ((double) count / (double) elapsed * 1_000_000.0);
    double megabits = (double) throughput * size * 8.0 / 1_000_000.0;
    System.out.println("message size: " + size + " [B]");
    System.out.println("message count: " + count);
    System.out.println("mean throughput: " + throughput + " [msg/s]");
    System.out.println(String.format(Locale.ROOT, "mean throughput: %.3f [Mb/s]", megabits));
    System.out.flush();
  }

  static void latency(long size, long roundtrips, long elapsedMicros) {
    double latency = (double) elapsedMicros / (roundtrips * 2.0);
    System.out.println("message size: " + size + " [B]");
    System.out.println("roundtrip count: " + roundtrips);
    System.out.println(String.format(Locale.ROOT, "average latency: %.3f [us]", latency));
    System.out.flush();
  }

  /** Every message must be one frame of the announced size, as libzmq's tools check. */
  static void checkSize(Msg msg, long size) {
    if (msg.size() != 1 || msg.first().size() != size) {
      throw new IllegalStateException("message of incorrect size received: " + msg.byteSize() + " bytes in "
          + msg.size() + " frame(s) instead of " + size);
    }
  }
}
