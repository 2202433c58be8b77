package io.pekkozmq.samples.bench;

import com.typesafe.config.Config;
import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import javax.management.ObjectName;

/**
 * Soak: in one JVM, a long-lived PULL bound at tcp, ipc and inproc receives a steady stream from a
 * long-lived PUSH while thousands of cycles churn around it: a fresh PUSH connects, sends a batch
 * and closes with LINGER -1; a long-lived PUSH connects, sends, disconnects; the same one connects
 * and gives up at once; the PULL unbinds and binds again. Every few cycles the stream pauses, all
 * that is in flight is received, and a sample counts file descriptors, threads, the heap the GC
 * left and direct buffers. At the end: a table, a verdict ("flat", or "GROWING" and what grew) and
 * a delivery check (everything sent was received); exit code 1 if either fails.
 *
 * <p>Usage: {@code Soak [--minutes M | --cycles N] [--quick] [--sample-every N] [--batch N]
 * [--stream-rate MSGS_PER_S]}. Linux only (it reads {@code /proc}); loopback only.
 */
public final class Soak {
  // Lanes: who sent a message and over which endpoint, carried in byte 0 of frame 0 so that the
  // receiver counts each apart. A quiesce waits for the churn's lanes while the stream goes on, and
  // a shortfall is reported per lane. CHURN and RECONNECT are followed by one lane per endpoint.
  private static final String[] LANES = {"stream/tcp", "churn/tcp", "churn/ipc", "churn/inproc",
      "reconnect/tcp", "reconnect/ipc", "reconnect/inproc", "probe/tcp+ipc"};
  private static final int STREAM = 0;
  private static final int CHURN = 1;
  private static final int RECONNECT = 4;
  private static final int PROBE = 7;
  private static final int[] ALL_LANES = {0, 1, 2, 3, 4, 5, 6, 7};

  private enum Kind { FRESH, RECONNECT, GIVE_UP, REBIND }

  /** One period of the churn; cycle n also takes endpoint n % 3, so every kind meets every transport. */
  private static final Kind[] PLAN = plan("FFFFRFFGFRFFFFRFFFFB");

  /** Frame sizes of the churn's messages, used in turn: mostly small, 1 in 10 is 64 KiB, 1 in 5 multipart. */
  private static final int[][] SHAPES = {
      {16}, {16}, {64}, {16}, {256}, {16}, {1024}, {16, 16}, {16}, {4096},
      {16}, {16, 1024, 16}, {256}, {16}, {65536}, {16}, {16, 65536}, {512}, {8192, 16, 16, 16}, {16}};
  /** The stream's: small, so that millions of them fit in minutes. */
  private static final int[][] STREAM_SHAPES = {{16}, {16}, {64}, {16, 16}, {16}, {256}, {16}, {16, 16, 16}};

  // What may differ between the warm-up sample and the end before it counts as growth. Samples are
  // taken with nothing in flight, after the probe has reconnected, so the long-lived sockets hold
  // the same connections each time: fds must come back exactly; the slack is for a connection the
  // peer has just closed. Threads likewise, except that the actor system's fork-join pools start
  // workers on demand up to their parallelism (see poolSizes): within that, a pool has not leaked.
  // A leak of one per cycle would be hundreds.
  private static final int FD_SLACK = 4;
  private static final int THREAD_SLACK = 2;
  // Heap: what the last full GC left, with nothing in flight, is the context and the long-lived
  // sockets, the same at every sample; 4 MiB is for what else may grow (method handles and lambda
  // forms the JIT makes, this program's samples at about 2 KB each). A small leak hides in that,
  // so runtime objects are also counted by class: a pekko-zmq class or an actor cell with more
  // live instances at the end than at warm-up is a leak, whatever its size.
  private static final long HEAP_SLACK = 4L << 20;
  private static final int INSTANCE_SLACK = 8;
  private static final String[] COUNTED_OUTSIDE_PEKKO_ZMQ = {"org.apache.pekko.actor.ActorCell"};
  // Direct memory after GC: the live engines' 64 KiB write buffers (a fixed set: stream and probe)
  // and the JDK's per-thread temporary buffers, so a couple of buffers either way.
  private static final long DIRECT_SLACK = 1L << 20;
  private static final int DIRECT_COUNT_SLACK = 8;
  private static final Duration DELIVERY_WAIT = Duration.ofSeconds(30);
  /** pekko-zmq.max-termination: a LINGER -1 close that can deliver is done well within it. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  /** Loopback moves a whole batch in milliseconds: a lane without progress this long has lost messages. */
  private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private record Options(double minutes, long cycles, int sampleEvery, int batch, long streamRate) {}

  /** One sample: counts, and the breakdowns that tell what grew. */
  private record Sample(String label, double seconds, long cycles, long sent, long received, int fds, int threads,
      long heap, long direct, long directCount, Map<String, Integer> fdKinds, Map<String, Integer> threadGroups) {}

  /** Messages a quiesce gave up waiting for. */
  private record Loss(long cycle, int lane, long messages) {
    @Override
    public String toString() {
      return "cycle " + cycle + " " + LANES[lane] + " " + messages;
    }
  }

  private final Options opt;
  private final long t0 = System.nanoTime();
  private final Msg[][] messages = new Msg[LANES.length][];
  private final AtomicLongArray sent = new AtomicLongArray(LANES.length);
  private final AtomicLongArray received = new AtomicLongArray(LANES.length);
  /** Per lane, what quiesces gave up waiting for; only the main thread touches it. */
  private final long[] missing = new long[LANES.length];
  private final List<Loss> losses = new ArrayList<>();
  private final AtomicLong sentBytes = new AtomicLong();
  private final AtomicLong receivedBytes = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private volatile String firstMalformed;
  /** Held by the stream while it sends a chunk; a sample takes it to pause the stream. */
  private final Semaphore streamGate = new Semaphore(1, true);
  private volatile boolean stopping;
  private volatile boolean receiving = true;
  private final List<Sample> samples = new ArrayList<>();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  /** Live instances and bytes per class at the warm-up sample and at the end. */
  private Map<String, long[]> warmHistogram = Map.of();
  private Map<String, long[]> endHistogram = Map.of();
  private long cycles;
  private long rebinds;
  private long rebindsThatWaited;
  private long ipcFilesLost;
  private long lastRebind;
  /** Thread-name group of each fork-join pool of the actor system, and how many workers it may start. */
  private final Map<String, Integer> poolSizes = new HashMap<>();

  private Soak(Options opt) {
    this.opt = opt;
    for (int lane = 0; lane < LANES.length; lane++) {
      int[][] shapes = lane == STREAM ? STREAM_SHAPES : SHAPES;
      messages[lane] = new Msg[shapes.length];
      for (int i = 0; i < shapes.length; i++) messages[lane][i] = build(lane, shapes[i]);
    }
  }

  public static void main(String[] args) throws Exception {
    Options opt = parse(args);
    if (opt == null) {
      System.err.println("usage: Soak [--minutes M | --cycles N] [--quick] [--sample-every N] [--batch N]"
          + " [--stream-rate MSGS_PER_S]");
      System.exit(2);
    }
    System.exit(new Soak(opt).run());
  }

  private static Options parse(String[] args) {
    double minutes = 3;
    long cycles = 0;
    int sampleEvery = 200;
    int batch = 100;
    long rate = 20_000;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--minutes" -> minutes = Double.parseDouble(args[++i]);
          case "--cycles" -> cycles = Long.parseLong(args[++i]);
          case "--quick" -> {
            minutes = 20 / 60.0;
            sampleEvery = 50;
          }
          case "--sample-every" -> sampleEvery = Integer.parseInt(args[++i]);
          case "--batch" -> batch = Integer.parseInt(args[++i]);
          case "--stream-rate" -> rate = Long.parseLong(args[++i]);
          default -> {
            return null;
          }
        }
      }
    } catch (RuntimeException badOrMissingValue) {
      return null;
    }
    if (minutes <= 0 || cycles < 0 || sampleEvery <= 0 || batch <= 0 || rate < 0) return null;
    return new Options(minutes, cycles, sampleEvery, batch, rate);
  }

  private static Kind[] plan(String letters) {
    Kind[] plan = new Kind[letters.length()];
    for (int i = 0; i < plan.length; i++) {
      plan[i] = switch (letters.charAt(i)) {
        case 'F' -> Kind.FRESH;
        case 'R' -> Kind.RECONNECT;
        case 'G' -> Kind.GIVE_UP;
        default -> Kind.REBIND;
      };
    }
    return plan;
  }

  private int run() throws Exception {
    System.out.printf(Locale.ROOT, "soak: %s, batch %d, sample every %d cycles, stream %s msg/s; %d cores, java %s%n",
        opt.cycles > 0 ? opt.cycles + " cycles" : String.format(Locale.ROOT, "%.1f min", opt.minutes), opt.batch,
        opt.sampleEvery, opt.streamRate == 0 ? "unlimited" : String.valueOf(opt.streamRate),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    System.out.printf("%-8s %7s %7s %11s %11s %5s %7s %9s %11s %6s%n",
        "sample", "time-s", "cycles", "sent", "received", "fds", "threads", "heap-MiB", "direct-KiB", "bufs");
    Sample start = sample("start");
    Path ipcDir = Files.createTempDirectory("pzmq-soak");
    Sample closed;
    try {
      try (ZContext ctx = new ZContext()) {
        soak(ctx, ipcDir);
      }
      closed = sample("closed");
    } finally {
      try (Stream<Path> files = Files.list(ipcDir)) {
        files.forEach(f -> f.toFile().delete());
      }
      Files.deleteIfExists(ipcDir);
    }
    return report(start, closed);
  }

  private void soak(ZContext ctx, Path ipcDir) throws Exception {
    Config config = ctx.system().settings().config();
    for (String pool : new String[] {"pekko.actor.default-dispatcher", "pekko.actor.internal-dispatcher"}) {
      Config fj = config.getConfig(pool + ".fork-join-executor");
      int n = (int) Math.ceil(Runtime.getRuntime().availableProcessors() * fj.getDouble("parallelism-factor"));
      n = Math.min(fj.getInt("parallelism-max"), Math.max(fj.getInt("parallelism-min"), n));
      poolSizes.put(ctx.system().name() + "-" + pool, n);
    }
    ZSocket pull = ctx.socket(SocketType.PULL);
    String stable = pull.bind("tcp://127.0.0.1:*");
    Path ipcFile = ipcDir.resolve("soak.ipc");
    // the endpoints the churn uses, and that rebind cycles take away and give back
    String[] churned = {pull.bind("tcp://127.0.0.1:*"), pull.bind("ipc://" + ipcFile), pull.bind("inproc://soak")};
    long[] reboundAt = new long[churned.length];
    Thread receiver = new Thread(() -> receive(pull), "soak-receiver");
    receiver.start();
    ZSocket stream = ctx.socket(SocketType.PUSH);
    stream.connect(stable);
    Thread streamer = new Thread(() -> stream(stream), "soak-stream");
    streamer.start();
    // reconnect and give-up cycles connect and disconnect this one; the probe stays connected
    // through every rebind (so its sessions reconnect) and proves at the end that they did
    ZSocket again = ctx.socket(SocketType.PUSH);
    ZSocket probe = ctx.socket(SocketType.PUSH);
    probe.connect(churned[0]);
    probe.connect(churned[1]);

    long deadline = t0 + (long) (opt.minutes * 60e9);
    long warmupEnd = t0 + (long) (opt.minutes * 12e9); // the first fifth of the run
    boolean warm = false;
    try {
      while (opt.cycles > 0 ? cycles < opt.cycles : System.nanoTime() < deadline) {
        int e = (int) (cycles % churned.length);
        String ep = churned[e];
        if (e == 1) keepIpcFile(pull, ep, ipcFile, reboundAt[e]);
        switch (PLAN[(int) (cycles % PLAN.length)]) {
          case FRESH -> {
            ZSocket push = ctx.socket(SocketType.PUSH);
            push.connect(ep);
            sendBatch(push, CHURN + e, cycles, opt.batch);
            if (!push.closeAndWait(CLOSE_WAIT)) fail("cycle " + cycles + ": close on " + ep + " did not finish");
          }
          case RECONNECT -> {
            again.connect(ep);
            sendBatch(again, RECONNECT + e, cycles, opt.batch);
            // disconnect drops what is still queued for that peer, so wait until it has arrived
            awaitDelivered(RECONNECT + e);
            again.disconnect(ep);
          }
          case GIVE_UP -> {
            // a peer that leaves while its connection is being made: 0 to 3.5 ms after the
            // connect, in turn, to meet each step of it
            again.connect(ep);
            LockSupport.parkNanos(cycles / PLAN.length % 8 * 500_000L);
            again.disconnect(ep);
          }
          case REBIND -> {
            // unbinding drops accepted connections (as in libzmq), so nothing may be in flight there
            awaitDelivered(CHURN + e, RECONNECT + e);
            pull.unbind(ep);
            rebind(pull, ep);
            reboundAt[e] = cycles;
          }
        }
        cycles++;
        if (cycles % opt.sampleEvery == 0) {
          boolean warmNow = opt.cycles > 0 ? cycles >= opt.cycles / 5 : System.nanoTime() >= warmupEnd;
          pausedSample(!warm && warmNow ? "warm-up" : "cycle");
          warm |= warmNow;
        }
      }
      if (!warm) pausedSample("warm-up"); // a run too short to have had one: it is its own baseline
      pausedSample("end");
    } catch (RuntimeException e) {
      fail("cycle " + cycles + ": " + e);
    } finally {
      stopping = true;
    }
    try {
      streamer.join();
      if (!stream.closeAndWait(CLOSE_WAIT)) fail("the stream did not finish lingering");
      // a probe sent right after a rebind could go to a connection the peer has just dropped
      long settle = lastRebind + TimeUnit.SECONDS.toNanos(1) - System.nanoTime();
      if (settle > 0) LockSupport.parkNanos(settle);
      keepIpcFile(pull, churned[1], ipcFile, reboundAt[1]);
      sendBatch(probe, PROBE, 0, 2);
      if (!probe.closeAndWait(CLOSE_WAIT)) fail("the probe did not finish lingering");
      again.closeAndWait(CLOSE_WAIT);
      awaitDelivered(ALL_LANES);
    } catch (RuntimeException e) {
      fail("after the cycles: " + e);
    } finally {
      receiving = false;
      receiver.join();
    }
    if (samples.isEmpty()) samples.add(sample("end"));
  }

  /**
   * An ipc endpoint whose socket file is gone is bound, yet nobody can connect, so every LINGER -1
   * close there would hang: report it, and bind again so that the soak goes on.
   */
  private void keepIpcFile(ZSocket pull, String ep, Path file, long reboundAt) {
    if (Files.exists(file)) return;
    ipcFilesLost++;
    fail("cycle " + cycles + ": " + file + " is gone while bound (bound again at cycle " + reboundAt + ")");
    pull.unbind(ep);
    rebind(pull, ep);
  }

  /**
   * Binds {@code ep} again. unbind answers before the listener has closed its channel, so for a
   * moment the TCP port can still be taken: retry EADDRINUSE briefly and count how often that was.
   */
  private void rebind(ZSocket pull, String ep) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    rebinds++;
    for (boolean waited = false; ; waited = true) {
      try {
        pull.bind(ep);
        if (waited) rebindsThatWaited++;
        lastRebind = System.nanoTime();
        return;
      } catch (ZmqException e) {
        if (e.errno() != Errno.EADDRINUSE || System.nanoTime() > deadline) throw e;
        LockSupport.parkNanos(1_000_000);
      }
    }
  }

  /** Noted for the report, and told at once: a hang is easier to chase while it is happening. */
  private void fail(String what) {
    failures.add(what);
    System.err.printf(Locale.ROOT, "soak: %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, what);
  }

  // ---- traffic ------------------------------------------------------------------------------

  /** Frame 0 opens with the lane and the frame count; every frame ends with its size's low byte. */
  private static Msg build(int lane, int[] sizes) {
    Frame[] frames = new Frame[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      byte[] b = new byte[sizes[i]];
      Arrays.fill(b, (byte) sizes[i]);
      if (i == 0) {
        b[0] = (byte) lane;
        b[1] = (byte) sizes.length;
      }
      frames[i] = Frame.wrap(b);
    }
    return Msg.of(frames);
  }

  /** Sends {@code count} of the lane's prebuilt messages (immutable, so sent again and again). */
  private void sendBatch(ZSocket push, int lane, long first, int count) {
    Msg[] ms = messages[lane];
    for (int i = 0; i < count; i++) {
      Msg m = ms[(int) ((first + i) % ms.length)];
      push.send(m);
      sent.incrementAndGet(lane);
      sentBytes.addAndGet(m.byteSize());
    }
  }

  /** Sends in chunks of 100 between which a sample may pause it; at {@code --stream-rate} unless 0. */
  private void stream(ZSocket push) {
    long chunks = 0;
    long began = System.nanoTime();
    try {
      while (!stopping) {
        streamGate.acquireUninterruptibly();
        try {
          if (!stopping) sendBatch(push, STREAM, chunks * 100, 100);
        } finally {
          streamGate.release();
        }
        chunks++;
        if (opt.streamRate > 0) {
          long ahead = began + chunks * 100 * 1_000_000_000L / opt.streamRate - System.nanoTime();
          if (ahead > 0) LockSupport.parkNanos(ahead);
          else if (ahead < -1_000_000_000L) began -= ahead; // held up by a sample: no catch-up burst
        }
      }
    } catch (RuntimeException e) {
      fail("stream: " + e);
    }
  }

  private void receive(ZSocket pull) {
    while (receiving) {
      Msg m = pull.recv(Duration.ofMillis(100));
      if (m == null) continue;
      Frame f0 = m.first();
      int lane = f0.size() >= 2 ? f0.byteAt(0) : -1;
      boolean ok = lane >= 0 && lane < LANES.length && f0.byteAt(1) == m.size();
      for (int i = 0; ok && i < m.size(); i++) {
        Frame f = m.frame(i);
        ok = f.size() > 0 && f.byteAt(f.size() - 1) == (byte) f.size();
      }
      if (!ok) {
        if (malformed.getAndIncrement() == 0) firstMalformed = m.toString();
        continue;
      }
      receivedBytes.addAndGet(m.byteSize());
      received.incrementAndGet(lane);
    }
  }

  /**
   * Waits until everything sent on these lanes has arrived, or until a lane has made no progress
   * for {@link #STALL_NANOS}: then what is missing is noted as lost and the soak goes on, so that
   * one lost batch does not end the measurement of the rest.
   */
  private void awaitDelivered(int... lanes) {
    for (int lane : lanes) {
      long seen = received.get(lane);
      long lastProgress = System.nanoTime();
      // polled: the receiver signalling per message would cost more than the wait
      while (received.get(lane) + missing[lane] < sent.get(lane) && System.nanoTime() - lastProgress < STALL_NANOS) {
        LockSupport.parkNanos(100_000);
        if (received.get(lane) != seen) {
          seen = received.get(lane);
          lastProgress = System.nanoTime();
        }
      }
      long gap = sent.get(lane) - received.get(lane) - missing[lane];
      if (gap > 0) {
        missing[lane] += gap;
        losses.add(new Loss(cycles, lane, gap));
      }
    }
  }

  // ---- sampling -----------------------------------------------------------------------------

  /** Pauses the stream and takes a sample with nothing in flight, so every sample measures the same state. */
  private void pausedSample(String label) {
    // the probe reconnects after a rebind: let it, so that every sample counts its connections
    long settle = lastRebind + TimeUnit.MILLISECONDS.toNanos(500) - System.nanoTime();
    if (settle > 0) LockSupport.parkNanos(settle);
    streamGate.acquireUninterruptibly();
    try {
      awaitDelivered(ALL_LANES);
      samples.add(sample(label));
      if (label.equals("warm-up")) warmHistogram = histogram();
      if (label.equals("end")) endHistogram = histogram();
    } finally {
      streamGate.release();
    }
  }

  private Sample sample(String label) {
    // the Cleaner frees a collected direct buffer after the GC, on its own thread: collect twice
    System.gc();
    LockSupport.parkNanos(50_000_000);
    System.gc();
    Map<String, Integer> fds = fdKinds();
    // a connection the peer has just closed is closed here a moment later: wait for a still count
    for (int i = 0; i < 20; i++) {
      LockSupport.parkNanos(50_000_000);
      Map<String, Integer> again = fdKinds();
      if (again.equals(fds)) break;
      fds = again;
    }
    BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
    long sentNow = 0;
    long receivedNow = 0;
    for (int lane = 0; lane < LANES.length; lane++) {
      sentNow += sent.get(lane);
      receivedNow += received.get(lane);
    }
    Sample s = new Sample(label, (System.nanoTime() - t0) / 1e9, cycles, sentNow, receivedNow,
        fds.values().stream().mapToInt(Integer::intValue).sum(), ManagementFactory.getThreadMXBean().getThreadCount(),
        liveHeap(), direct.getMemoryUsed(), direct.getCount(), fds, threadGroups());
    System.out.printf(Locale.ROOT, "%-8s %7.1f %7d %11d %11d %5d %7d %9.1f %11.1f %6d%n", s.label, s.seconds, s.cycles,
        s.sent, s.received, s.fds, s.threads, s.heap / 1048576.0, s.direct / 1024.0, s.directCount);
    return s;
  }

  /** What the last GC left in the heap pools (the heap's current use would add what was allocated since). */
  private static long liveHeap() {
    long live = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      if (afterGc != null) live += afterGc.getUsed();
    }
    return live;
  }

  /** Open descriptors by what they are: "tcp ESTABLISHED", "tcp CLOSE_WAIT", "unix", "pipe", a file's name... */
  private static Map<String, Integer> fdKinds() {
    Map<String, String> sockets = socketStates();
    Map<String, Integer> kinds = new TreeMap<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
          continue; // the listing's own descriptor, or one closed since the listing
        }
        String kind;
        if (target.startsWith("/")) kind = "file " + Path.of(target).getFileName();
        else if (target.startsWith("socket:")) kind = sockets.getOrDefault(target.replaceAll("\\D", ""), "socket");
        else kind = target.replaceAll(":\\[\\d+]$", "");
        kinds.merge(kind, 1, Integer::sum);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc/self/fd (Linux only)", e);
    }
    return kinds;
  }

  private static final String[] TCP_STATES = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
      "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};

  /** Socket inode to "tcp STATE" or "unix", from /proc/net (the inode is column 10 in tcp, 7 in unix). */
  private static Map<String, String> socketStates() {
    Map<String, String> byInode = new HashMap<>();
    for (String table : new String[] {"tcp", "tcp6", "unix"}) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/net", table))) {
          String[] c = line.trim().split("\\s+");
          if (table.equals("unix") && c.length >= 7 && c[6].matches("\\d+")) {
            byInode.put(c[6], "unix");
          } else if (!table.equals("unix") && c.length >= 10 && c[9].matches("\\d+")) {
            int state = Integer.parseInt(c[3], 16);
            byInode.put(c[9], "tcp " + (state < TCP_STATES.length ? TCP_STATES[state] : c[3]));
          }
        }
      } catch (IOException | RuntimeException unreadable) {
        // no such table here: those sockets are just "socket"
      }
    }
    return byInode;
  }

  /** Live threads by name with the trailing number dropped (dispatcher-7 counts as dispatcher). */
  private static Map<String, Integer> threadGroups() {
    Map<String, Integer> groups = new TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      groups.merge(t.getName().replaceAll("[-#]?\\d+$", ""), 1, Integer::sum);
    }
    return groups;
  }

  /** Live instances and bytes per class, from the JVM's own histogram (what jcmd GC.class_histogram prints). */
  private static Map<String, long[]> histogram() {
    Map<String, long[]> byClass = new HashMap<>();
    try {
      String histo = (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
      // lines: "   1:   12345   678900  java.lang.String (java.base@17)"
      histo.lines().filter(l -> l.matches("\\s*\\d+:.*")).map(l -> l.trim().split("\\s+"))
          .forEach(p -> byClass.put(p[3], new long[] {Long.parseLong(p[1]), Long.parseLong(p[2])}));
    } catch (Exception e) {
      System.err.println("soak: no class histogram: " + e);
    }
    return byClass;
  }

  // ---- report -------------------------------------------------------------------------------

  private int report(Sample start, Sample closed) {
    Sample warm = samples.stream().filter(s -> s.label.equals("warm-up")).findFirst().orElse(samples.get(0));
    Sample end = samples.get(samples.size() - 1);
    System.out.println();
    System.out.printf("%-22s %10s %10s %10s %10s %10s%n", "", "start", "warm-up", "end", "max", "closed");
    row("fds", start, warm, end, closed, s -> s.fds, "%10.0f");
    row("threads", start, warm, end, closed, s -> s.threads, "%10.0f");
    row("heap after GC, MiB", start, warm, end, closed, s -> s.heap / 1048576.0, "%10.1f");
    row("direct memory, KiB", start, warm, end, closed, s -> s.direct / 1024.0, "%10.1f");
    row("direct buffers", start, warm, end, closed, s -> s.directCount, "%10.0f");
    System.out.println("fds at warm-up: " + warm.fdKinds + ", at end " + diff(warm.fdKinds, end.fdKinds));
    System.out.println("threads at warm-up: " + warm.threadGroups + ", at end " + diff(warm.threadGroups, end.threadGroups)
        + "; fork-join pools may start " + poolSizes);
    long totalSent = 0;
    for (int lane = 0; lane < LANES.length; lane++) totalSent += sent.get(lane);
    System.out.printf(Locale.ROOT, "cycles %d, messages sent %d (%.1f MiB) in %.0f s; %d rebinds: "
        + "%d waited for the tcp port, %d lost the ipc file%n", cycles, totalSent, sentBytes.get() / 1048576.0,
        (System.nanoTime() - t0) / 1e9, rebinds, rebindsThatWaited, ipcFilesLost);

    List<String> grew = new ArrayList<>();
    grown(grew, "fds", warm.fds, end.fds, FD_SLACK, diff(warm.fdKinds, end.fdKinds));
    grown(grew, "threads", warm.threads, warm.threads + threadGrowth(warm.threadGroups, end.threadGroups), THREAD_SLACK,
        diff(warm.threadGroups, end.threadGroups));
    grown(grew, "heap KiB", warm.heap >> 10, end.heap >> 10, HEAP_SLACK >> 10,
        "most in " + histogramGrowth(warmHistogram, endHistogram));
    String objects = runtimeObjectGrowth(warmHistogram, endHistogram);
    if (!objects.isEmpty()) grew.add("live runtime objects " + objects);
    grown(grew, "direct KiB", warm.direct >> 10, end.direct >> 10, DIRECT_SLACK >> 10, "");
    grown(grew, "direct buffers", warm.directCount, end.directCount, DIRECT_COUNT_SLACK, "");
    // JDK one-offs opened on first use (the NIO pre-close socket, /dev/random) stay after the close
    grown(grew, "fds after close", start.fds, closed.fds, FD_SLACK, diff(start.fdKinds, closed.fdKinds));
    grown(grew, "threads after close", start.threads, closed.threads, THREAD_SLACK,
        diff(start.threadGroups, closed.threadGroups));
    System.out.println(grew.isEmpty() ? "verdict: flat" : "verdict: GROWING: " + String.join("; ", grew));

    List<String> shortfall = new ArrayList<>();
    for (int lane = 0; lane < LANES.length; lane++) {
      long gap = sent.get(lane) - received.get(lane);
      if (gap != 0) {
        int l = lane;
        shortfall.add(String.format(Locale.ROOT, "%s %d of %d missing (%.1f %%, found at %d quiesces)", LANES[lane],
            gap, sent.get(lane), 100.0 * gap / sent.get(lane), losses.stream().filter(x -> x.lane == l).count()));
      }
    }
    if (receivedBytes.get() != sentBytes.get()) {
      shortfall.add("bytes sent " + sentBytes.get() + ", received " + receivedBytes.get());
    }
    if (malformed.get() > 0) shortfall.add(malformed.get() + " malformed messages, the first " + firstMalformed);
    if (!failures.isEmpty()) {
      shortfall.add(failures.size() + " failures, the first " + failures.subList(0, Math.min(3, failures.size())));
    }
    if (!losses.isEmpty()) {
      System.out.println("losses (cycle, lane, messages): " + losses.subList(0, Math.min(10, losses.size()))
          + (losses.size() > 10 ? " and " + (losses.size() - 10) + " more" : ""));
    }
    System.out.println(shortfall.isEmpty() ? "delivery: all " + totalSent + " messages received"
        : "delivery: FAILED: " + String.join("; ", shortfall));
    return grew.isEmpty() && shortfall.isEmpty() ? 0 : 1;
  }

  /** start, warm-up, end, the most over the run's samples, closed. */
  private void row(String name, Sample start, Sample warm, Sample end, Sample closed, ToDoubleFunction<Sample> f,
      String fmt) {
    double max = samples.stream().mapToDouble(f).max().orElse(0);
    StringBuilder b = new StringBuilder(String.format("%-22s", name));
    for (double v : new double[] {f.applyAsDouble(start), f.applyAsDouble(warm), f.applyAsDouble(end), max,
        f.applyAsDouble(closed)}) {
      b.append(' ').append(String.format(Locale.ROOT, fmt, v));
    }
    System.out.println(b);
  }

  private static void grown(List<String> grew, String what, long before, long after, long slack, String detail) {
    if (after > before + slack) grew.add(what + " " + before + " -> " + after + (detail.isEmpty() ? "" : " " + detail));
  }

  /** Threads more than before, not counting a fork-join pool's workers up to its size. */
  private int threadGrowth(Map<String, Integer> before, Map<String, Integer> after) {
    int grown = 0;
    for (Map.Entry<String, Integer> g : after.entrySet()) {
      int allowed = Math.max(before.getOrDefault(g.getKey(), 0), poolSizes.getOrDefault(g.getKey(), 0));
      grown += Math.max(0, g.getValue() - allowed);
    }
    return grown;
  }

  /** What grew between two breakdowns, e.g. {tcp CLOSE_WAIT=+12}. */
  private static String diff(Map<String, Integer> before, Map<String, Integer> after) {
    Map<String, Integer> d = new TreeMap<>();
    after.forEach((k, v) -> {
      int delta = v - before.getOrDefault(k, 0);
      if (delta > 0) d.put(k, delta);
    });
    return d.toString().replace("=", "=+");
  }

  /** The five classes whose live bytes grew most. */
  private static String histogramGrowth(Map<String, long[]> before, Map<String, long[]> after) {
    return after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1]))
        .filter(e -> e.getValue() > 0).sorted(Comparator.comparingLong(e -> -e.getValue())).limit(5)
        .map(e -> e.getKey() + " +" + e.getValue() / 1024 + " KiB")
        .reduce((a, b) -> a + ", " + b).orElse("(no histogram)");
  }

  /**
   * pekko-zmq classes (not this program's, nor lambdas) and actor cells with more live instances
   * than at warm-up: the five that grew most, and how many grew.
   */
  private static String runtimeObjectGrowth(Map<String, long[]> before, Map<String, long[]> after) {
    if (before.isEmpty() || after.isEmpty()) return ""; // a run that ended before its samples
    List<String> grown = after.entrySet().stream()
        .filter(e -> e.getKey().startsWith("io.pekkozmq.") && !e.getKey().startsWith("io.pekkozmq.samples.")
            && !e.getKey().contains("$$Lambda") || Arrays.asList(COUNTED_OUTSIDE_PEKKO_ZMQ).contains(e.getKey()))
        .filter(e -> e.getValue()[0] > before.getOrDefault(e.getKey(), new long[2])[0] + INSTANCE_SLACK)
        .sorted(Comparator.comparingLong(e -> before.getOrDefault(e.getKey(), new long[2])[0] - e.getValue()[0]))
        .map(e -> e.getKey() + " " + before.getOrDefault(e.getKey(), new long[2])[0] + " -> " + e.getValue()[0])
        .toList();
    if (grown.isEmpty()) return "";
    return String.join(", ", grown.subList(0, Math.min(5, grown.size()))) + " (" + grown.size() + " classes grew)";
  }
}
