package io.pekkozmq.samples.cli.perf;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.samples.bench.PerfReport;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * local_thr (PULL, binds), remote_thr (PUSH, connects) and inproc_thr, over the blocking facade;
 * {@link Kind} swaps the pair for CLIENT to SERVER or DEALER to ROUTER (same arguments and output).
 */
public final class Throughput {
  private Throughput() {}

  /** The receiving and the sending type of a run. */
  public enum Kind {
    PUSH_PULL(SocketType.PULL, SocketType.PUSH),
    CLIENT_SERVER(SocketType.SERVER, SocketType.CLIENT),
    DEALER_ROUTER(SocketType.ROUTER, SocketType.DEALER);

    final SocketType receiver;
    final SocketType sender;

    Kind(SocketType receiver, SocketType sender) {
      this.receiver = receiver;
      this.sender = sender;
    }
  }

  /** Sets a socket's options (security) before it binds or connects; {@link #NONE} sets nothing. */
  public static final BiConsumer<ZContext, ZSocket> NONE = (ctx, s) -> {};

  public static int local(String bindTo, long size, long count) {
    return local(bindTo, size, count, NONE);
  }

  public static int local(String bindTo, long size, long count, BiConsumer<ZContext, ZSocket> configure) {
    return local(bindTo, size, count, configure, Kind.PUSH_PULL);
  }

  public static int local(String bindTo, long size, long count, BiConsumer<ZContext, ZSocket> configure, Kind kind) {
    try (ZContext ctx = new ZContext(1)) {
      ZSocket pull = ctx.socket(kind.receiver);
      configure.accept(ctx, pull);
      pull.bind(bindTo);
      receiveAndPrint(pull, size, count);
    }
    return 0;
  }

  public static int remote(String connectTo, long size, long count) {
    return remote(connectTo, size, count, NONE);
  }

  public static int remote(String connectTo, long size, long count, BiConsumer<ZContext, ZSocket> configure) {
    return remote(connectTo, size, count, configure, Kind.PUSH_PULL);
  }

  public static int remote(String connectTo, long size, long count, BiConsumer<ZContext, ZSocket> configure, Kind kind) {
    try (ZContext ctx = new ZContext(1)) {
      ZSocket push = ctx.socket(kind.sender);
      configure.accept(ctx, push);
      push.connect(connectTo);
      PerfReport.Cost cost = send(push, size, count);
      // default linger is infinite: wait until every queued message is handed over
      push.closeAndWait(Duration.ofDays(1));
      cost.print(count);
    }
    return 0;
  }

  public static int inproc(long size, long count) throws InterruptedException {
    return inproc(size, count, Kind.PUSH_PULL);
  }

  public static int inproc(long size, long count, Kind kind) throws InterruptedException {
    try (ZContext ctx = new ZContext(1)) {
      ZSocket pull = ctx.socket(kind.receiver);
      pull.bind("inproc://pekkozmq_thr");
      Thread sender = new Thread(() -> {
        ZSocket push = ctx.socket(kind.sender);
        push.connect("inproc://pekkozmq_thr");
        send(push, size, count);
        push.closeAndWait(Duration.ofDays(1));
      }, "inproc_thr-sender");
      sender.start();
      receiveAndPrint(pull, size, count);
      sender.join();
    }
    return 0;
  }

  /**
   * The clock starts at the first message, so connection set-up is not measured; with
   * {@code PERF_WARMUP} set, that many messages go by before it (the steady-state rows).
   */
  private static void receiveAndPrint(ZSocket pull, long size, long count) {
    int envelope = pull.type() == SocketType.ROUTER ? 1 : 0; // ROUTER hands the sender's id first
    for (long i = PerfReport.warmup(); i > 0; i--) {
      check(pull.recv(), size, envelope);
    }
    check(pull.recv(), size, envelope);
    long start = PerfOutput.nowMicros();
    PerfReport.Cost cost = PerfReport.Cost.start();
    for (long i = 1; i < count; i++) {
      check(pull.recv(), size, envelope);
    }
    PerfOutput.throughput(size, count, PerfOutput.nowMicros() - start);
    cost.print(count);
  }

  private static void check(io.pekkozmq.engine.Msg m, long size, int envelope) {
    if (envelope == 0) {
      PerfOutput.checkSize(m, size);
    } else if (m.size() != envelope + 1 || m.last().size() != size) {
      throw new IllegalStateException("message of incorrect size received: " + m.byteSize() + " bytes in "
          + m.size() + " frame(s) instead of an id and " + size);
    }
  }

  /**
   * One never-modified payload array, wrapped per send (frames are immutable views); the
   * {@code PERF_WARMUP} messages first, then {@code count}, whose cost is returned (started).
   */
  private static PerfReport.Cost send(ZSocket push, long size, long count) {
    byte[] data = new byte[(int) size];
    for (long i = PerfReport.warmup(); i > 0; i--) {
      push.send(Msg.of(Frame.wrap(data)));
    }
    PerfReport.Cost cost = PerfReport.Cost.start();
    for (long i = 0; i < count; i++) {
      push.send(Msg.of(Frame.wrap(data)));
    }
    return cost;
  }
}
