package io.pekkozmq.streams.javadsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.streams.ZmqControl;
import io.pekkozmq.streams.ZmqSettings;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.ThrottleMode;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stream stages against real libzmq (pyzmq, libzmq 4.3.4): PUSH/PULL, PUB/SUB, REQ/REP and
 * DEALER/ROUTER with our side sending and receiving, binding and connecting, over tcp and ipc; HWM
 * back-pressure from a stalled stream to a libzmq sender; and restart with backoff across a peer
 * restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZmqStreamsInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Binds (printing the endpoint) or connects; shared by the peers below. */
  private static final String OPEN = """
      import sys, zmq
      def open_socket(kind, mode, ep):
          ctx = zmq.Context()
          s = ctx.socket(kind)
          s.setsockopt(zmq.LINGER, 10000)
          s.setsockopt(zmq.RCVTIMEO, 20000)
          s.setsockopt(zmq.SNDTIMEO, 20000)
          if mode == "bind":
              if ep.startswith("tcp://"):
                  ep = "tcp://127.0.0.1:%d" % s.bind_to_random_port("tcp://127.0.0.1")
              else:
                  s.bind(ep)
          else:
              s.connect(ep)
          print("ENDPOINT " + ep, flush=True)
          return ctx, s
      def message(i):
          return [b"%d" % i, bytes([i & 0xff]) * (i % 97)]
      """;

  /** argv: PUSH|PULL, bind|connect, endpoint, count. */
  private static final String PIPELINE = OPEN + """
      role, mode, ep, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
      ctx, s = open_socket(zmq.PUSH if role == "PUSH" else zmq.PULL, mode, ep)
      for i in range(count):
          if role == "PUSH":
              s.send_multipart(message(i))
          else:
              m = s.recv_multipart()
              if m != message(i):
                  print("BAD %d: %r" % (i, m[0][:20]), flush=True)
                  sys.exit(1)
      print("OK %d" % count, flush=True)
      s.close()
      ctx.term()
      """;

  private ActorTestKit kit;
  private ActorSystem<Void> system;
  private ZmqSettings base;
  private Path tmp;

  @BeforeAll
  void start() throws IOException {
    PyZmq.requireLibzmq();
    kit = ActorTestKit.create();
    system = kit.system();
    base = ZmqSettings.create(system);
    tmp = Files.createTempDirectory("pzmq-streams-interop");
  }

  @AfterAll
  void stop() {
    if (kit != null) {
      ZeroMQ.get(system).terminate();
      kit.shutdownTestKit();
    }
  }

  private static <T> T await(CompletionStage<T> f) {
    try {
      return f.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("no result within " + WAIT + ": " + e, e);
    }
  }

  private static Msg message(int i) {
    byte[] fill = new byte[i % 97];
    java.util.Arrays.fill(fill, (byte) i);
    return Msg.of(Frame.of(Integer.toString(i)), Frame.wrap(fill));
  }

  private String ourEndpoint(String transport, String name) {
    return transport.equals("tcp") ? "tcp://127.0.0.1:*" : "ipc://" + tmp.resolve(name + "-" + System.nanoTime());
  }

  private static String endpointOf(PyPeer py) {
    return py.awaitLine("ENDPOINT ", WAIT).substring("ENDPOINT ".length());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  // ---- PUSH / PULL ----------------------------------------------------------------------------

  static Stream<Arguments> pipelines() {
    List<Arguments> cases = new ArrayList<>();
    for (boolean weSend : List.of(true, false)) {
      for (boolean weBind : List.of(true, false)) {
        for (String transport : List.of("tcp", "ipc")) cases.add(Arguments.of(weSend, weBind, transport));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "we-send={0} we-bind={1} {2}")
  @MethodSource("pipelines")
  void pushPullWithLibzmq(boolean weSend, boolean weBind, String transport) {
    int n = 3_000;
    String pyRole = weSend ? "PULL" : "PUSH";
    ZmqSettings ours = base.withSocketType(weSend ? SocketType.PUSH : SocketType.PULL);
    if (weBind) {
      // our socket first; python connects to what it bound
      if (weSend) {
        ZmqControl sink = messagesThenWait(n).runWith(ZmqSink.create(ours.withBind(ourEndpoint(transport, "push"))), system);
        try (PyPeer py = PyZmq.start(PIPELINE, pyRole, "connect", await(sink.ready()), Integer.toString(n))) {
          assertEquals("OK " + n, py.awaitLine("OK", WAIT), py.stderr());
          await(sink.drainAndShutdown());
        }
      } else {
        Pair<ZmqControl, CompletionStage<List<Msg>>> run = ZmqSource.create(ours.withBind(ourEndpoint(transport, "pull")))
            .take(n).toMat(Sink.seq(), Keep.both()).run(system);
        try (PyPeer py = PyZmq.start(PIPELINE, pyRole, "connect", await(run.first().ready()), Integer.toString(n))) {
          assertMessages(n, await(run.second()));
          assertEquals("OK " + n, py.awaitLine("OK", WAIT), py.stderr());
        }
        await(run.first().whenClosed());
      }
    } else {
      String pyEp = transport.equals("tcp") ? "tcp://127.0.0.1:*" : "ipc://" + tmp.resolve("py-" + System.nanoTime());
      try (PyPeer py = PyZmq.start(PIPELINE, pyRole, "bind", pyEp, Integer.toString(n))) {
        String ep = endpointOf(py);
        if (weSend) {
          ZmqControl sink = messagesThenWait(n).runWith(ZmqSink.create(ours.withConnect(ep)), system);
          assertEquals("OK " + n, py.awaitLine("OK", WAIT), py.stderr());
          await(sink.drainAndShutdown());
        } else {
          assertMessages(n, await(ZmqSource.create(ours.withConnect(ep)).take(n).runWith(Sink.seq(), system)));
          assertEquals("OK " + n, py.awaitLine("OK", WAIT), py.stderr());
        }
      }
    }
  }

  /**
   * The messages, then an upstream that stays open until drainAndShutdown. A libzmq 4.3 receiver
   * can lose the tail of an ipc stream whose sender closes right after its last send, whatever the
   * sender's LINGER (zeromq/libzmq#4660; bench/README.md), so our sender stays until python has all.
   */
  private static Source<Msg, org.apache.pekko.NotUsed> messagesThenWait(int n) {
    return Source.range(0, n - 1).map(ZmqStreamsInteropTest::message).concat(Source.never());
  }

  private static void assertMessages(int n, List<Msg> got) {
    assertEquals(n, got.size());
    for (int i = 0; i < n; i++) assertEquals(message(i), got.get(i), "message " + i);
  }

  // ---- PUB / SUB ------------------------------------------------------------------------------

  /** argv: endpoint, count. A SUB for "w." that checks what it gets is ours, in order, and only "w.". */
  private static final String PY_SUB = OPEN + """
      ctx, s = open_socket(zmq.SUB, "connect", sys.argv[1])
      s.setsockopt(zmq.SUBSCRIBE, b"w.")
      last = -1
      for _ in range(int(sys.argv[2])):
          topic, body = s.recv_multipart()
          i = int(topic[2:])
          if not topic.startswith(b"w.") or i <= last or body != b"body-%d" % i:
              print("BAD %r %r" % (topic, body), flush=True)
              sys.exit(1)
          last = i
      print("OK", flush=True)
      """;

  /** argv: endpoint. A PUB sending w.i and x.i every millisecond until stdin closes (20 s at most). */
  private static final String PY_PUB = OPEN + """
      import threading, time
      ctx, s = open_socket(zmq.PUB, "bind", sys.argv[1])
      done = threading.Event()
      threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
      i = 0
      deadline = time.time() + 20
      while not done.is_set() and time.time() < deadline:
          s.send_multipart([b"x.%d" % i, b"body-%d" % i])
          s.send_multipart([b"w.%d" % i, b"body-%d" % i])
          i += 1
          time.sleep(0.001)
      """;

  @Test
  void ourPubSinkFeedsALibzmqSub() {
    // a publisher drops what no subscriber wants yet, so it publishes steadily until the SUB is done
    ZmqControl pub = Source.range(0, 1_000_000)
        .throttle(1, Duration.ofMillis(1), 1, ThrottleMode.shaping())
        .mapConcat(i -> List.of(Msg.ofStrings("x." + i, "body-" + i), Msg.ofStrings("w." + i, "body-" + i)))
        .runWith(ZmqSink.create(base.withSocketType(SocketType.PUB).withBind("tcp://127.0.0.1:*")), system);
    try (PyPeer py = PyZmq.start(PY_SUB, await(pub.ready()), "50")) {
      assertEquals("OK", py.awaitLine("OK", WAIT), py.stderr());
    }
    await(pub.drainAndShutdown());
  }

  @Test
  void ourSubSourceTakesFromALibzmqPubOverIpc() {
    try (PyPeer py = PyZmq.start(PY_PUB, "ipc://" + tmp.resolve("pub"))) {
      String ep = endpointOf(py);
      List<Msg> got = await(ZmqSource.create(base.withSocketType(SocketType.SUB).withConnect(ep).withSubscriptions("w."))
          .take(50).runWith(Sink.seq(), system));
      long last = -1;
      for (Msg m : got) {
        String topic = m.first().text();
        assertTrue(topic.startsWith("w."), topic);
        long i = Long.parseLong(topic.substring(2));
        assertTrue(i > last, "in order: " + i + " after " + last);
        assertEquals("body-" + i, m.frame(1).text());
        last = i;
      }
    }
  }

  // ---- REQ / REP ------------------------------------------------------------------------------

  /** argv: endpoint, count. REP binds and answers each request upper-cased. */
  private static final String PY_REP = OPEN + """
      ctx, s = open_socket(zmq.REP, "bind", sys.argv[1])
      for _ in range(int(sys.argv[2])):
          s.send(s.recv().upper())
      print("OK", flush=True)
      s.close()
      ctx.term()
      """;

  /** argv: endpoint, count. REQ connects, checks every reply. */
  private static final String PY_REQ = OPEN + """
      ctx, s = open_socket(zmq.REQ, "connect", sys.argv[1])
      for i in range(int(sys.argv[2])):
          s.send(b"req-%d" % i)
          r = s.recv()
          if r != b"REQ-%d" % i:
              print("BAD %d %r" % (i, r), flush=True)
              sys.exit(1)
      print("OK", flush=True)
      """;

  @Test
  void ourRequestFlowAsksALibzmqRep() {
    int n = 200;
    try (PyPeer py = PyZmq.start(PY_REP, "tcp://127.0.0.1:*", Integer.toString(n))) {
      String ep = endpointOf(py);
      List<String> replies = await(Source.range(0, n - 1).map(i -> Msg.ofStrings("req-" + i))
          .via(ZmqFlow.request(base.withSocketType(SocketType.REQ).withConnect(ep)))
          .map(m -> m.first().text()).runWith(Sink.seq(), system));
      for (int i = 0; i < n; i++) assertEquals("REQ-" + i, replies.get(i));
      assertEquals("OK", py.awaitLine("OK", WAIT), py.stderr());
    }
  }

  @Test
  void ourRepServerAnswersALibzmqReqOverIpc() {
    int n = 200;
    ZmqControl server = ZmqFlow.repServer(base.withSocketType(SocketType.REP).withBind(ourEndpoint("ipc", "rep")),
        Flow.<Msg>create().map(m -> Msg.ofStrings(m.first().text().toUpperCase()))).run(system);
    try (PyPeer py = PyZmq.start(PY_REQ, await(server.ready()), Integer.toString(n))) {
      assertEquals("OK", py.awaitLine("OK", WAIT), py.stderr());
    }
    await(server.drainAndShutdown());
  }

  // ---- DEALER / ROUTER ------------------------------------------------------------------------

  /** argv: endpoint, count. ROUTER binds and answers [id, body] with [id, "re:" + body]. */
  private static final String PY_ROUTER = OPEN + """
      ctx, s = open_socket(zmq.ROUTER, "bind", sys.argv[1])
      for _ in range(int(sys.argv[2])):
          ident, body = s.recv_multipart()
          s.send_multipart([ident, b"re:" + body])
      print("OK", flush=True)
      s.close()
      ctx.term()
      """;

  /** argv: endpoint, count. DEALER sends all requests, then checks all replies. */
  private static final String PY_DEALER = OPEN + """
      ctx, s = open_socket(zmq.DEALER, "connect", sys.argv[1])
      n = int(sys.argv[2])
      for i in range(n):
          s.send(b"d-%d" % i)
      for i in range(n):
          r = s.recv()
          if r != b"re:d-%d" % i:
              print("BAD %d %r" % (i, r), flush=True)
              sys.exit(1)
      print("OK", flush=True)
      """;

  @Test
  void ourDealerFlowTalksToALibzmqRouter() {
    int n = 1_000;
    try (PyPeer py = PyZmq.start(PY_ROUTER, "tcp://127.0.0.1:*", Integer.toString(n))) {
      String ep = endpointOf(py);
      List<Msg> got = await(Source.range(0, n - 1).map(i -> Msg.ofStrings("d-" + i))
          .via(ZmqFlow.create(base.withSocketType(SocketType.DEALER).withConnect(ep)))
          .take(n).runWith(Sink.seq(), system));
      for (int i = 0; i < n; i++) assertEquals("re:d-" + i, got.get(i).first().text());
      assertEquals("OK", py.awaitLine("OK", WAIT), py.stderr());
    }
  }

  @Test
  void ourRouterFlowServesALibzmqDealer() {
    int n = 1_000;
    ZmqControl router = ZmqFlow.create(base.withSocketType(SocketType.ROUTER).withBind("tcp://127.0.0.1:*"))
        .join(Flow.<Msg>create().map(m -> Msg.of(m.frame(0), Frame.of("re:" + m.frame(1).text()))))
        .run(system);
    try (PyPeer py = PyZmq.start(PY_DEALER, await(router.ready()), Integer.toString(n))) {
      assertEquals("OK", py.awaitLine("OK", WAIT), py.stderr());
    }
    await(router.drainAndShutdown());
  }

  // ---- back-pressure --------------------------------------------------------------------------

  /**
   * argv: endpoint, sndhwm, size, total. PUSH connects and sends until a send has been blocked for
   * a second (prints HELD n), then on a stdin line sends the rest (prints SENT total).
   */
  private static final String PY_FLOOD = """
      import sys, zmq
      ep, hwm, size, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
      ctx = zmq.Context()
      s = ctx.socket(zmq.PUSH)
      s.setsockopt(zmq.SNDHWM, hwm)
      s.setsockopt(zmq.SNDTIMEO, 1000)
      s.connect(ep)
      def msg(i):
          return b"%d" % i + b" " * (size - len(b"%d" % i))
      sent = 0
      while sent < total:
          try:
              s.send(msg(sent))
          except zmq.Again:
              break
          sent += 1
      print("HELD %d" % sent, flush=True)
      sys.stdin.readline()
      s.setsockopt(zmq.SNDTIMEO, 20000)
      while sent < total:
          s.send(msg(sent))
          sent += 1
      print("SENT %d" % sent, flush=True)
      s.close(linger=20000)
      # pyzmq does not terminate a context at interpreter exit, and exit drops what it still
      # queues (up to SNDHWM messages): only term() makes close's linger wait for delivery
      ctx.term()
      """;

  @Test
  void aStalledStreamHoldsALibzmqSenderAtHighWaterMarkWithAFlatHeap() throws IOException {
    int hwm = 100;
    int size = 8 * 1024;
    int total = 30_000; // 240 MB: far beyond what may wait anywhere in between
    int batch = base.receiveBatch();
    Pair<ZmqControl, TestSubscriber.Probe<Msg>> run = ZmqSource.create(base.withSocketType(SocketType.PULL)
            .withBind("tcp://127.0.0.1:*").withRcvHwm(hwm))
        .toMat(TestSink.create(system), Keep.both()).run(system);
    String ep = await(run.first().ready());
    TestSubscriber.Probe<Msg> probe = run.second();
    probe.ensureSubscription(); // and no demand at all
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = usedHeapAfterGc(memory);
    try (PyPeer py = PyZmq.start(PY_FLOOD, ep, Integer.toString(hwm), Integer.toString(size), Integer.toString(total))) {
      int held = Integer.parseInt(py.awaitLine("HELD ", WAIT).substring(5).trim());
      long after = usedHeapAfterGc(memory);
      // what can be in flight: the sender's SNDHWM, the kernel's socket buffers (payload at most their
      // byte limits), our RCVHWM, the stage's batch and the message the engine holds back
      long kernel = (maxOf("/proc/sys/net/ipv4/tcp_wmem") + maxOf("/proc/sys/net/ipv4/tcp_rmem")) / size;
      long bound = hwm + kernel + hwm + batch + 2;
      System.out.printf("stalled stream: libzmq sender held after %d of %d messages of %d B (bound %d);"
          + " heap %d KiB -> %d KiB%n", held, total, size, bound, before / 1024, after / 1024);
      assertTrue(held >= 2 * hwm, "the sender fills both HWMs before it is held: " + held);
      assertTrue(held <= bound, "the sender must be held at HWM, not buffered: " + held + " > " + bound);
      assertTrue(after - before < 32L * 1024 * 1024,
          "heap must stay flat while the sender is held: grew " + (after - before) / 1024 + " KiB");
      py.writeLine("go");
      probe.request(total);
      for (int i = 0; i < total; i++) {
        String head = probe.expectNext(WAIT).first().text().trim();
        if (!head.equals(Integer.toString(i))) throw new AssertionError("expected message " + i + ", got " + head);
      }
      assertEquals("SENT " + total, py.awaitLine("SENT", WAIT));
      probe.cancel();
    }
  }

  private static long usedHeapAfterGc(MemoryMXBean memory) {
    for (int i = 0; i < 3; i++) System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static long maxOf(String procFile) throws IOException {
    String text;
    try (var in = Files.newInputStream(Path.of(procFile))) { // Files.readString trusts /proc's size 0
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
    }
    String[] v = text.trim().split("\\s+");
    return Long.parseLong(v[v.length - 1]);
  }

  // ---- restart --------------------------------------------------------------------------------

  /**
   * argv: endpoint (fixed tcp port), then groups of comma-separated messages. PUSH binds; before
   * group k it waits for the k-th successful handshake (and, after the first, for a disconnect per
   * group), so each group goes to a fresh connection.
   */
  private static final String PY_RESTARTING_PUSH = """
      import sys, zmq
      from zmq.utils.monitor import recv_monitor_message
      ctx = zmq.Context()
      s = ctx.socket(zmq.PUSH)
      s.setsockopt(zmq.LINGER, 10000)
      mon = s.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_DISCONNECTED)
      mon.setsockopt(zmq.RCVTIMEO, 20000)
      s.bind(sys.argv[1])
      print("BOUND", flush=True)
      handshakes, disconnects = 0, 0
      for k, group in enumerate(sys.argv[2:]):
          while handshakes <= k or disconnects < k:
              e = recv_monitor_message(mon)["event"]
              handshakes += e == zmq.EVENT_HANDSHAKE_SUCCEEDED
              disconnects += e == zmq.EVENT_DISCONNECTED
          for m in group.split(","):
              s.send_string(m)
          print("SENT " + group, flush=True)
      s.disable_monitor()
      mon.close()
      s.close()
      ctx.term()
      """;

  @Test
  void restartSourceWithBackoffReconnectsAfterAFailureAndAcrossAPeerRestart() {
    String ep = "tcp://127.0.0.1:" + freePort();
    AtomicInteger starts = new AtomicInteger();
    ZmqSettings pull = base.withSocketType(SocketType.PULL).withConnect(ep)
        .withReconnectInterval(Duration.ofMillis(20));
    TestSubscriber.Probe<String> probe = RestartSource.withBackoff(
            RestartSettings.create(Duration.ofMillis(20), Duration.ofMillis(200), 0.2),
            () -> {
              starts.incrementAndGet();
              return ZmqSource.create(pull).map(m -> {
                if (m.first().text().equals("boom")) throw new IllegalStateException("poison message");
                return m.first().text();
              });
            })
        .runWith(TestSink.create(system), system);
    probe.request(10);
    try (PyPeer first = PyZmq.start(PY_RESTARTING_PUSH, ep, "a0,boom", "a1")) {
      first.awaitLine("BOUND", WAIT);
      assertEquals("a0", probe.expectNext(WAIT));
      // "boom" failed the stream; the restarted source opened a new socket that connected again
      assertEquals("a1", probe.expectNext(WAIT));
      assertEquals(0, first.waitFor(WAIT), first.stderr());
    }
    assertEquals(2, starts.get());
    try (PyPeer second = PyZmq.start(PY_RESTARTING_PUSH, ep, "b0")) {
      // the peer restarted on the same endpoint: ZeroMQ reconnects, no stream restart needed
      assertEquals("b0", probe.expectNext(WAIT));
      assertEquals(0, second.waitFor(WAIT), second.stderr());
    }
    assertEquals(2, starts.get());
    probe.cancel();
  }
}
