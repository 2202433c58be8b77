package io.pekkozmq.samples.cli.perf;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.samples.bench.PerfReport;
import java.time.Duration;
import java.util.function.BiConsumer;

/** local_lat (REP echo, binds), remote_lat (REQ, connects, prints) and inproc_lat. */
public final class Latency {
  private Latency() {}

  public static int local(String bindTo, long size, long roundtrips) {
    return local(bindTo, size, roundtrips, Throughput.NONE);
  }

  public static int local(String bindTo, long size, long roundtrips, BiConsumer<ZContext, ZSocket> configure) {
    try (ZContext ctx = new ZContext(1)) {
      ZSocket rep = ctx.socket(SocketType.REP);
      configure.accept(ctx, rep);
      rep.bind(bindTo);
      echo(rep, size, roundtrips);
      rep.closeAndWait(Duration.ofSeconds(10));
    }
    return 0;
  }

  public static int remote(String connectTo, long size, long roundtrips) {
    return remote(connectTo, size, roundtrips, Throughput.NONE);
  }

  public static int remote(String connectTo, long size, long roundtrips, BiConsumer<ZContext, ZSocket> configure) {
    try (ZContext ctx = new ZContext(1)) {
      ZSocket req = ctx.socket(SocketType.REQ);
      configure.accept(ctx, req);
      req.connect(connectTo);
      pingAndPrint(req, size, roundtrips);
    }
    return 0;
  }

  public static int inproc(long size, long roundtrips) throws InterruptedException {
    try (ZContext ctx = new ZContext(1)) {
      ZSocket req = ctx.socket(SocketType.REQ);
      req.bind("inproc://pekkozmq_lat");
      Thread echoer = new Thread(() -> {
        ZSocket rep = ctx.socket(SocketType.REP);
        rep.connect("inproc://pekkozmq_lat");
        echo(rep, size, roundtrips);
      }, "inproc_lat-echo");
      echoer.start();
      pingAndPrint(req, size, roundtrips);
      echoer.join();
    }
    return 0;
  }

  private static void echo(ZSocket rep, long size, long roundtrips) {
    long total = roundtrips + PerfReport.warmup();
    for (long i = 0; i < total; i++) {
      Msg m = rep.recv();
      PerfOutput.checkSize(m, size);
      rep.send(m);
    }
  }

  private static void pingAndPrint(ZSocket req, long size, long roundtrips) {
    Msg msg = Msg.of(Frame.wrap(new byte[(int) size]));
    for (long i = PerfReport.warmup(); i > 0; i--) { // PERF_WARMUP roundtrips before the clock
      req.send(msg);
      msg = req.recv();
      PerfOutput.checkSize(msg, size);
    }
    long start = PerfOutput.nowMicros();
    PerfReport.Cost cost = PerfReport.Cost.start();
    for (long i = 0; i < roundtrips; i++) {
      req.send(msg);
      msg = req.recv();
      PerfOutput.checkSize(msg, size);
    }
    PerfOutput.latency(size, roundtrips, PerfOutput.nowMicros() - start);
    cost.print(roundtrips, "roundtrip");
  }
}
