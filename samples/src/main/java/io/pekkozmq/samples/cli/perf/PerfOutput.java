package io.pekkozmq.samples.cli.perf;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.samples.bench.PerfReport;

/** Our perf tools' side of {@link PerfReport}, plus libzmq's message-size check. */
final class PerfOutput {
  private PerfOutput() {}

  static long nowMicros() {
    return PerfReport.nowMicros();
  }

  static void throughput(long size, long count, long elapsedMicros) {
    PerfReport.throughput(size, count, elapsedMicros);
  }

  static void latency(long size, long roundtrips, long elapsedMicros) {
    PerfReport.latency(size, roundtrips, elapsedMicros);
  }

  /** Every message must be one frame of the announced size, as libzmq's tools check. */
  static void checkSize(Msg msg, long size) {
    if (msg.size() != 1 || msg.first().size() != size) {
      throw new IllegalStateException("message of incorrect size received: " + msg.byteSize() + " bytes in "
          + msg.size() + " frame(s) instead of " + size);
    }
  }
}
