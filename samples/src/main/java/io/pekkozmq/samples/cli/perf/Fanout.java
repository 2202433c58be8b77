package io.pekkozmq.samples.cli.perf;

import io.pekkozmq.samples.bench.PerfReport;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * pub_fanout / sub_fanout, following the fan-out contract of {@code bench/README.md} (as
 * {@code bench/c/fanout.h} and the JeroMQ version do).
 *
 * <p>Subscribers are XSUB sockets that send a subscribe-to-everything message: the runtime's SUB has
 * no SUBSCRIBE option yet, and on the wire this is exactly what a subscribed SUB sends.
 */
public final class Fanout {
  static final byte WARMUP = 'W';
  static final byte DATA = 'D';
  static final byte END = 'E';
  static final byte READY = 'R';
  static final byte FINISHED = 'F';

  static final int READY_TIMEOUT_MS = 30_000;
  static final int WARMUP_INTERVAL_MS = 10;
  static final int END_INTERVAL_MS = 1;
  static final int FINISH_TIMEOUT_MS = 10_000;
  static final int IDLE_TIMEOUT_MS = 5_000;

  private Fanout() {}

  /**
   * tcp://HOST:PORT becomes tcp://HOST:(PORT+1); ipc://PATH becomes ipc://PATH.sync;
   * ws(s)://HOST:PORT/PATH becomes ws(s)://HOST:(PORT+1)/PATH; else null.
   */
  public static String syncEndpoint(String dataEndpoint) {
    if (dataEndpoint.startsWith("tcp://")) {
      int colon = dataEndpoint.lastIndexOf(':');
      if (colon < 6) return null;
      try {
        int port = Integer.parseInt(dataEndpoint.substring(colon + 1));
        if (port <= 0 || port >= 65535) return null;
        return dataEndpoint.substring(0, colon) + ":" + (port + 1);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (dataEndpoint.startsWith("ipc://")) return dataEndpoint + ".sync";
    if (dataEndpoint.startsWith("ws://") || dataEndpoint.startsWith("wss://")) {
      // ws://host:port/path: the next port, same path
      int start = dataEndpoint.indexOf("://") + 3;
      int slash = dataEndpoint.indexOf('/', start);
      String authority = slash < 0 ? dataEndpoint.substring(start) : dataEndpoint.substring(start, slash);
      String path = slash < 0 ? "" : dataEndpoint.substring(slash);
      String sync = syncEndpoint("tcp://" + authority);
      return sync == null ? null : dataEndpoint.substring(0, start) + sync.substring("tcp://".length()) + path;
    }
    return null;
  }

  private static Msg tagged(long size, byte tag) {
    byte[] b = new byte[(int) size];
    b[0] = tag;
    return Msg.of(Frame.wrap(b));
  }

  public static int publisher(String bindTo, long size, long count, long subscribers, String syncEp) {
    try (ZContext ctx = new ZContext(1)) {
      ZSocket pub = ctx.socket(SocketType.PUB);
      ZSocket pull = ctx.socket(SocketType.PULL);
      pub.setOption(ZmqOption.LINGER, 0);
      pull.setOption(ZmqOption.LINGER, 0);
      pub.bind(bindTo);
      pull.bind(syncEp);

      Msg warmup = tagged(size, WARMUP);
      byte[] data = new byte[(int) size];
      data[0] = DATA;
      Msg end = tagged(size, END);
      long[] ready = {0};
      long[] finished = {0};

      // 1. warm-up until every subscriber has seen a warm-up message (its subscription is active)
      long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
      while (ready[0] < subscribers && System.currentTimeMillis() < deadline) {
        pub.trySend(warmup);
        drainSync(pull, WARMUP_INTERVAL_MS, ready, finished);
      }
      if (ready[0] < subscribers) {
        System.err.println("pub_fanout: only " + ready[0] + " of " + subscribers + " subscribers ready after "
            + READY_TIMEOUT_MS + " ms");
      }

      // 2. data, as fast as possible; PUB drops for subscribers whose queue is at the high-water mark
      long start = PerfOutput.nowMicros();
      for (long i = 0; i < count; i++) {
        pub.send(Msg.of(Frame.wrap(data)));
      }
      long elapsed = Math.max(1L, PerfOutput.nowMicros() - start);

      // 3. resend the end marker until every subscriber has reported, bounded in time
      deadline = System.currentTimeMillis() + FINISH_TIMEOUT_MS;
      while (finished[0] < subscribers && System.currentTimeMillis() < deadline) {
        pub.trySend(end);
        drainSync(pull, END_INTERVAL_MS, ready, finished);
      }

      PerfReport.publisher(size, count, subscribers, ready[0], finished[0], elapsed);
      return ready[0] == subscribers ? 0 : 3;
    }
  }

  /** Waits up to timeoutMs for a first notice, then takes whatever else is already there. */
  private static void drainSync(ZSocket pull, int timeoutMs, long[] ready, long[] finished) {
    Msg notice = pull.recv(Duration.ofMillis(timeoutMs));
    while (notice != null) {
      Frame f = notice.first();
      if (f.size() >= 1 && f.byteAt(0) == READY) ready[0]++;
      else if (f.size() >= 1 && f.byteAt(0) == FINISHED) finished[0]++;
      notice = pull.tryRecv();
    }
  }

  /** One subscriber: its own thread and XSUB socket; reports through the shared counters. */
  private static final class Subscriber implements Runnable {
    final ZContext ctx;
    final String connectTo;
    final long size;
    final AtomicInteger readyTotal;
    final AtomicInteger finishedTotal;
    volatile boolean ready;
    volatile String failure;
    long received;
    long firstMicros;
    long lastMicros;

    Subscriber(ZContext ctx, String connectTo, long size, AtomicInteger readyTotal, AtomicInteger finishedTotal) {
      this.ctx = ctx;
      this.connectTo = connectTo;
      this.size = size;
      this.readyTotal = readyTotal;
      this.finishedTotal = finishedTotal;
    }

    @Override
    public void run() {
      ZSocket sub = ctx.socket(SocketType.SUB);
      try {
        sub.setOption(ZmqOption.LINGER, 0);
        sub.subscribe(new byte[0]);
        sub.connect(connectTo);
        long deadline = PerfOutput.nowMicros() + READY_TIMEOUT_MS * 1000L;
        Duration poll = Duration.ofMillis(100);
        while (true) {
          Msg msg = sub.recv(poll);
          long now = PerfOutput.nowMicros();
          if (msg == null) {
            if (now >= deadline) break; // publisher never came, or went silent
            continue;
          }
          if (ready) deadline = now + IDLE_TIMEOUT_MS * 1000L;
          Frame f = msg.first();
          if (f.size() < 1) continue;
          byte tag = f.byteAt(0);
          if (tag == DATA) {
            if (f.size() != size) {
              failure = "message of incorrect size received: " + f.size();
              break;
            }
            if (received++ == 0) firstMicros = now;
            lastMicros = now;
          } else if (tag == END) {
            break;
          } else if (tag == WARMUP && !ready) {
            ready = true;
            deadline = now + IDLE_TIMEOUT_MS * 1000L;
            readyTotal.incrementAndGet();
          }
        }
      } catch (ZmqException e) {
        failure = e.getMessage();
      } finally {
        sub.close();
        finishedTotal.incrementAndGet();
      }
    }
  }

  public static int subscribers(String connectTo, long size, long count, int n, String syncEp)
      throws InterruptedException {
    try (ZContext ctx = new ZContext(1)) {
      // the sync PUSH belongs to the main thread only; subscriber threads report through counters
      ZSocket push = ctx.socket(SocketType.PUSH);
      push.setOption(ZmqOption.LINGER, 2000);
      push.setOption(ZmqOption.SNDTIMEO, 1000);
      push.connect(syncEp);

      AtomicInteger readyTotal = new AtomicInteger();
      AtomicInteger finishedTotal = new AtomicInteger();
      Subscriber[] subs = new Subscriber[n];
      Thread[] threads = new Thread[n];
      for (int i = 0; i < n; i++) {
        subs[i] = new Subscriber(ctx, connectTo, size, readyTotal, finishedTotal);
        threads[i] = new Thread(subs[i], "sub_fanout-" + i);
        threads[i].start();
      }

      Msg readyNotice = Msg.of(Frame.wrap(new byte[] {READY}));
      Msg finishedNotice = Msg.of(Frame.wrap(new byte[] {FINISHED}));
      int readySent = 0;
      int finishedSent = 0;
      while (finishedSent < n) {
        int r = readyTotal.get();
        int f = finishedTotal.get();
        for (; readySent < r; readySent++) notify(push, readyNotice);
        for (; finishedSent < f; finishedSent++) notify(push, finishedNotice);
        if (finishedSent < n) Thread.sleep(1); // polls the counters; no synchronisation relies on it
      }

      long delivered = 0;
      int ready = 0;
      long first = Long.MAX_VALUE;
      long last = 0;
      String failure = null;
      for (int i = 0; i < n; i++) {
        threads[i].join();
        Subscriber s = subs[i];
        if (s.failure != null) failure = s.failure;
        ready += s.ready ? 1 : 0;
        delivered += s.received;
        if (s.received > 0) {
          first = Math.min(first, s.firstMicros);
          last = Math.max(last, s.lastMicros);
        }
      }
      PerfReport.subscribers(size, count, n, ready, delivered, first, last);
      if (failure != null) {
        System.err.println("sub_fanout: " + failure);
        return 1;
      }
      return ready == n ? 0 : 3;
    }
  }

  /** A vanished publisher must not hold us: the send times out (SNDTIMEO) and is dropped. */
  private static void notify(ZSocket push, Msg notice) {
    try {
      push.send(notice);
    } catch (ZmqException e) {
      System.err.println("sub_fanout: sync notice not sent: " + e.getMessage());
    }
  }
}
