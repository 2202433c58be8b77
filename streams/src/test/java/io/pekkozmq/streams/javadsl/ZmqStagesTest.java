package io.pekkozmq.streams.javadsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.streams.ZmqControl;
import io.pekkozmq.streams.ZmqSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stages inside one JVM, against each other and against the blocking facade: demand, HWM
 * back-pressure both ways, PUB's drop rule, request-reply, bidirectional flows, the materialized
 * control, closing on cancel/failure, and restart with backoff.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZmqStagesTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private ActorTestKit kit;
  private ActorSystem<Void> system;
  private ZeroMQ zmq;
  private ZmqSettings base;
  private Path tmp;

  @BeforeAll
  void start() throws IOException {
    kit = ActorTestKit.create();
    system = kit.system();
    zmq = ZeroMQ.get(system);
    base = ZmqSettings.create(system);
    tmp = Files.createTempDirectory("pzmq-streams");
  }

  @AfterAll
  void stop() {
    if (zmq != null) zmq.terminate();
    if (kit != null) kit.shutdownTestKit();
  }

  private static <T> T await(CompletionStage<T> f) {
    try {
      return f.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + WAIT);
    }
  }

  private static Throwable awaitFailure(CompletionStage<?> f) {
    try {
      f.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("expected a failure within " + WAIT + ", got " + e);
    }
    throw new AssertionError("expected a failure, but it succeeded");
  }

  private static int port(String endpoint) {
    return URI.create(endpoint).getPort();
  }

  private static void assertPortFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new AssertionError("port " + port + " is still taken: " + e.getMessage());
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Msg msg(int i) {
    return Msg.ofStrings(Integer.toString(i), "payload-" + i);
  }

  private String endpoint(String transport, String name) {
    return switch (transport) {
      case "tcp" -> "tcp://127.0.0.1:*";
      case "ipc" -> "ipc://" + tmp.resolve(name);
      default -> "inproc://" + name + "-" + System.nanoTime();
    };
  }

  // ---- types ----------------------------------------------------------------------------------

  @Test
  void everyStageRejectsASocketTypeItCannotUseNamingIt() {
    assertRejected(() -> ZmqSource.create(base.withSocketType(SocketType.PUSH)), "ZmqSource", "PUSH");
    assertRejected(() -> ZmqSource.create(base.withSocketType(SocketType.REP)), "ZmqSource", "repServer");
    assertRejected(() -> ZmqSource.create(base.withSocketType(SocketType.REQ)), "ZmqSource", "ZmqFlow.request");
    assertRejected(() -> ZmqSink.create(base.withSocketType(SocketType.PULL)), "ZmqSink", "PULL");
    assertRejected(() -> ZmqSink.create(base.withSocketType(SocketType.SUB)), "ZmqSink", "SUB");
    assertRejected(() -> ZmqFlow.create(base.withSocketType(SocketType.PUSH)), "ZmqFlow", "PUSH");
    assertRejected(() -> ZmqFlow.create(base.withSocketType(SocketType.REP)), "ZmqFlow", "repServer");
    assertRejected(() -> ZmqFlow.request(base.withSocketType(SocketType.DEALER)), "ZmqFlow.request", "DEALER");
    assertRejected(() -> ZmqFlow.repServer(base.withSocketType(SocketType.ROUTER), Flow.create()),
        "ZmqFlow.repServer", "ROUTER");
    assertRejected(() -> ZmqSource.create(base), "ZmqSource", "socket type");
    assertRejected(() -> ZmqSource.create(base.withSocketType(SocketType.PULL).withSubscriptions("a")),
        "subscriptions", "PULL");
  }

  @Test
  void everySocketTypeHasAStage() {
    Set<SocketType> covered = EnumSet.noneOf(SocketType.class);
    for (SocketType t : SocketType.values()) {
      ZmqSettings s = base.withSocketType(t);
      if (tryMake(() -> ZmqSource.create(s))) covered.add(t);
      if (tryMake(() -> ZmqSink.create(s))) covered.add(t);
      if (tryMake(() -> ZmqFlow.create(s))) covered.add(t);
      if (tryMake(() -> ZmqFlow.repServer(s, Flow.create()))) covered.add(t);
    }
    assertEquals(EnumSet.allOf(SocketType.class), covered);
  }

  private static boolean tryMake(Runnable r) {
    try {
      r.run();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void assertRejected(Runnable r, String... named) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    for (String n : named) assertTrue(e.getMessage().contains(n), "message should name " + n + ": " + e.getMessage());
  }

  // ---- Source ---------------------------------------------------------------------------------

  @Test
  void sourceTakesOnlyWhatDownstreamDemands() {
    Pair<ZmqControl, TestSubscriber.Probe<Msg>> run = ZmqSource.create(base.withSocketType(SocketType.PULL)
            .withBind("tcp://127.0.0.1:*"))
        .toMat(TestSink.create(system), Keep.both()).run(system);
    String ep = await(run.first().ready());
    assertTrue(ep.startsWith("tcp://127.0.0.1:") && port(ep) > 0, ep);
    assertEquals(ep, run.first().lastEndpoint());
    try (ZSocket push = zmq.socket(SocketType.PUSH)) {
      push.connect(ep);
      for (int i = 0; i < 10; i++) push.send(msg(i));
      TestSubscriber.Probe<Msg> probe = run.second();
      probe.ensureSubscription();
      probe.expectNoMessage(Duration.ofMillis(200));
      probe.request(3);
      for (int i = 0; i < 3; i++) assertEquals(msg(i), probe.expectNext(WAIT));
      probe.expectNoMessage(Duration.ofMillis(200));
      probe.request(7);
      for (int i = 3; i < 10; i++) assertEquals(msg(i), probe.expectNext(WAIT));
      probe.cancel();
    }
    await(run.first().whenClosed());
  }

  @Test
  void withoutDemandTheSenderIsHeldAtHighWaterMark() {
    // inproc: one pipe of SNDHWM + RCVHWM messages, no kernel buffers in between, so the count is exact
    int hwm = 10;
    String ep = endpoint("inproc", "held");
    Pair<ZmqControl, TestSubscriber.Probe<Msg>> run = ZmqSource.create(base.withSocketType(SocketType.PULL)
            .withBind(ep).withRcvHwm(hwm).withReceiveBatch(4))
        .toMat(TestSink.create(system), Keep.both()).run(system);
    await(run.first().ready());
    try (ZSocket push = zmq.socket(SocketType.PUSH)) {
      push.setOption(ZmqOption.SNDHWM, hwm);
      push.connect(ep);
      int sent = 0;
      while (sent < 1000 && push.send(msg(sent), Duration.ofMillis(300))) sent++;
      assertEquals(2 * hwm, sent, "no demand: only the pipe's SNDHWM + RCVHWM fit");
      TestSubscriber.Probe<Msg> probe = run.second();
      probe.request(1000);
      for (int i = 0; i < sent; i++) assertEquals(msg(i), probe.expectNext(WAIT));
      for (int i = sent; i < sent + 100; i++) assertTrue(push.send(msg(i), WAIT), "room again once demand came");
      for (int i = sent; i < sent + 100; i++) assertEquals(msg(i), probe.expectNext(WAIT));
      probe.cancel();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc", "inproc"})
  void sinkFeedsSourceInOrder(String transport) {
    int n = 5_000;
    ZmqControl sink = Source.range(0, n - 1).map(ZmqStagesTest::msg)
        .runWith(ZmqSink.create(base.withSocketType(SocketType.PUSH).withBind(endpoint(transport, "feed"))), system);
    String ep = await(sink.ready());
    List<Msg> got = await(ZmqSource.create(base.withSocketType(SocketType.PULL).withConnect(ep))
        .take(n).runWith(Sink.seq(), system));
    assertEquals(IntStream.range(0, n).mapToObj(ZmqStagesTest::msg).collect(Collectors.toList()), got);
    await(sink.whenClosed()); // the sink completed, lingered until delivered, and closed
  }

  @Test
  void bindFailureFailsReadyAndTheStageNamingTheAddress() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String ep = "tcp://127.0.0.1:" + taken.getLocalPort();
      Pair<ZmqControl, TestSubscriber.Probe<Msg>> run = ZmqSource.create(base.withSocketType(SocketType.PULL)
              .withBind(ep))
          .toMat(TestSink.create(system), Keep.both()).run(system);
      Throwable e = awaitFailure(run.first().ready());
      ZmqException z = assertInstanceOf(ZmqException.class, e);
      assertEquals(Errno.EADDRINUSE, z.errno());
      assertTrue(z.getMessage().contains(ep), z.getMessage());
      Throwable streamError = run.second().expectSubscriptionAndError();
      assertEquals(z, streamError);
      assertEquals(z, awaitFailure(run.first().whenClosed()));
    }
  }

  @Test
  void badOptionFailsTheStage() {
    ZmqControl c = ZmqSource.create(base.withSocketType(SocketType.PULL).withOption(ZmqOption.ROUTER_NOTIFY, "often"))
        .to(Sink.ignore()).run(system);
    ZmqException z = assertInstanceOf(ZmqException.class, awaitFailure(c.ready()));
    assertEquals(Errno.EINVAL, z.errno());
  }

  @Test
  void cancellingTheSourceClosesItsSocketAndFreesThePort() {
    Pair<ZmqControl, TestSubscriber.Probe<Msg>> run = ZmqSource.create(base.withSocketType(SocketType.PULL)
            .withBind("tcp://127.0.0.1:*"))
        .toMat(TestSink.create(system), Keep.both()).run(system);
    String ep = await(run.first().ready());
    CompletionStage<List<SocketEvent>> events = run.first().events(EventType.ALL).runWith(Sink.seq(), system);
    run.second().cancel();
    await(run.first().whenClosed());
    List<EventType> types = await(events).stream().map(SocketEvent::type).toList();
    assertTrue(types.contains(EventType.LISTENING), "the monitor was there before the bind: " + types);
    assertTrue(types.contains(EventType.CLOSED), types.toString());
    assertPortFree(port(ep));
  }

  @Test
  void aFailingDownstreamClosesTheSourceSocket() {
    Pair<ZmqControl, CompletionStage<Done>> run = ZmqSource.create(base.withSocketType(SocketType.PULL)
            .withBind("tcp://127.0.0.1:*"))
        .map(m -> {
          throw new IllegalStateException("downstream broke on " + m.first().text());
        })
        .toMat(Sink.ignore(), Keep.both()).run(system);
    String ep = await(run.first().ready());
    CompletionStage<List<SocketEvent>> events = run.first().events(EventType.CLOSED.value()).runWith(Sink.seq(), system);
    try (ZSocket push = zmq.socket(SocketType.PUSH)) {
      push.connect(ep);
      push.send("poison");
      Throwable e = awaitFailure(run.second());
      assertTrue(e.getMessage().contains("downstream broke on poison"), e.toString());
      await(run.first().whenClosed());
      assertEquals(List.of(EventType.CLOSED), await(events).stream().map(SocketEvent::type).toList());
    }
    assertPortFree(port(ep));
  }

  // ---- Sink -----------------------------------------------------------------------------------

  @Test
  void sinkDemandsOnlyWhileThePipeHasRoom() {
    int hwm = 10;
    String ep = endpoint("inproc", "room");
    try (ZSocket pull = zmq.socket(SocketType.PULL)) {
      pull.setOption(ZmqOption.RCVHWM, hwm);
      pull.bind(ep);
      Pair<TestPublisher.Probe<Msg>, ZmqControl> run = TestSource.<Msg>create(system)
          .toMat(ZmqSink.create(base.withSocketType(SocketType.PUSH).withConnect(ep).withSndHwm(hwm))
              .addAttributes(Attributes.inputBuffer(1, 1)), Keep.both())
          .run(system);
      TestPublisher.Probe<Msg> up = run.first();
      int sent = 0;
      // the pipe holds SNDHWM + RCVHWM; one more waits in the stage and one in the stream's input buffer
      while (sent < 2 * hwm + 2) {
        up.expectRequest();
        up.sendNext(msg(sent++));
      }
      up.expectNoMessage(Duration.ofMillis(300)); // no further demand: the socket is full
      for (int i = 0; i < sent; i++) assertEquals(msg(i), pull.recv(WAIT));
      up.expectRequest(); // room again, demand again
      up.sendNext(msg(sent));
      assertEquals(msg(sent), pull.recv(WAIT));
      up.sendComplete();
      await(run.second().whenClosed());
    }
  }

  @Test
  void anUpstreamFailureFailsTheSinkAndClosesItsSocket() {
    Pair<TestPublisher.Probe<Msg>, ZmqControl> run = TestSource.<Msg>create(system)
        .toMat(ZmqSink.create(base.withSocketType(SocketType.PUSH).withBind("tcp://127.0.0.1:*")), Keep.both())
        .run(system);
    String ep = await(run.second().ready());
    run.first().sendError(new IllegalStateException("upstream broke"));
    Throwable e = awaitFailure(run.second().whenClosed());
    assertEquals("upstream broke", e.getMessage());
    assertPortFree(port(ep));
  }

  @Test
  void pubSinkDropsAtHighWaterMarkInsteadOfHoldingTheStreamBack() {
    try (ZSocket sub = zmq.socket(SocketType.SUB)) {
      sub.setOption(ZmqOption.RCVHWM, 10);
      sub.subscribe("");
      ZmqControl pub = Source.range(0, 99_999).map(ZmqStagesTest::msg)
          .runWith(ZmqSink.create(base.withSocketType(SocketType.PUB).withBind(endpoint("inproc", "pub"))
              .withSndHwm(10).withLinger(Duration.ZERO)), system);
      sub.connect(await(pub.ready()));
      await(pub.whenClosed()); // all 100,000 offered although nobody reads: PUB dropped the rest
      int got = 0;
      while (sub.tryRecv() != null) got++;
      assertTrue(got <= 20, "a SUB that never read holds at most the pipe's HWMs, got " + got);
    }
  }

  @Test
  void drainAndShutdownLetsTheSinkDeliverWhatItQueuedThenCloses() throws InterruptedException {
    int port = freePort();
    String ep = "tcp://127.0.0.1:" + port;
    CountDownLatch handedOver = new CountDownLatch(100);
    // 100 messages, then an upstream that never completes: only drainAndShutdown ends this stream
    ZmqControl sink = Source.range(0, 99).map(ZmqStagesTest::msg).concat(Source.never())
        .map(m -> {
          handedOver.countDown();
          return m;
        })
        .runWith(ZmqSink.create(base.withSocketType(SocketType.PUSH).withConnect(ep)), system);
    assertTrue(handedOver.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    CompletionStage<Done> closed = sink.drainAndShutdown();
    // nobody has bound the endpoint yet: LINGER -1 keeps the socket until its messages are delivered
    assertTrue(!closed.toCompletableFuture().isDone());
    try (ZSocket pull = zmq.socket(SocketType.PULL)) {
      pull.bind(ep);
      for (int i = 0; i < 100; i++) assertEquals(msg(i), pull.recv(WAIT));
      await(closed);
    }
  }

  // ---- Flows ----------------------------------------------------------------------------------

  @Test
  void requestFlowTalksToRepServer() {
    ZmqControl server = ZmqFlow.repServer(base.withSocketType(SocketType.REP).withBind(endpoint("ipc", "rep")),
        Flow.<Msg>create().map(m -> Msg.ofStrings(m.first().text().toUpperCase()))).run(system);
    String ep = await(server.ready());
    List<String> replies = await(Source.from(List.of("alpha", "beta", "gamma")).map(Msg::ofStrings)
        .via(ZmqFlow.request(base.withSocketType(SocketType.REQ).withConnect(ep)))
        .map(m -> m.first().text())
        .runWith(Sink.seq(), system));
    assertEquals(List.of("ALPHA", "BETA", "GAMMA"), replies);
    await(server.drainAndShutdown());
  }

  @Test
  void repServerAnswersRequestsOneAtATimeFromSeveralClients() {
    ZmqControl server = ZmqFlow.repServer(base.withSocketType(SocketType.REP).withBind("tcp://127.0.0.1:*"),
        Flow.<Msg>create().map(m -> Msg.ofStrings("re:" + m.first().text()))).run(system);
    String ep = await(server.ready());
    List<CompletionStage<List<Msg>>> clients = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      int client = c;
      clients.add(Source.range(0, 49).map(i -> Msg.ofStrings(client + "-" + i))
          .via(ZmqFlow.create(base.withSocketType(SocketType.REQ).withConnect(ep)))
          .runWith(Sink.seq(), system));
    }
    for (int c = 0; c < 3; c++) {
      List<Msg> got = await(clients.get(c));
      assertEquals(50, got.size());
      for (int i = 0; i < 50; i++) assertEquals("re:" + c + "-" + i, got.get(i).first().text());
    }
    await(server.drainAndShutdown());
  }

  @Test
  void dealerFlowTalksToARouterFlowJoinedWithAHandler() {
    // ROUTER: frame 0 is the peer's routing id; answer on the same envelope
    Flow<Msg, Msg, ?> echo = Flow.<Msg>create().map(m -> Msg.of(m.frame(0), Frame.of("re:" + m.frame(1).text())));
    ZmqControl router = ZmqFlow.create(base.withSocketType(SocketType.ROUTER).withBind("tcp://127.0.0.1:*"))
        .join(echo).run(system);
    String ep = await(router.ready());
    int n = 1_000;
    List<Msg> got = await(Source.range(0, n - 1).map(i -> Msg.ofStrings(Integer.toString(i)))
        .via(ZmqFlow.create(base.withSocketType(SocketType.DEALER).withConnect(ep).withRoutingId("dealer-1")))
        .take(n)
        .runWith(Sink.seq(), system));
    for (int i = 0; i < n; i++) assertEquals("re:" + i, got.get(i).first().text());
    await(router.drainAndShutdown());
  }

  @Test
  void pairFlowsEchoBothWays() {
    String ep = endpoint("inproc", "pair");
    ZmqControl left = ZmqFlow.create(base.withSocketType(SocketType.PAIR).withBind(ep))
        .join(Flow.<Msg>create().map(m -> Msg.ofStrings("echo", m.first().text()))).run(system);
    await(left.ready());
    List<Msg> got = await(Source.range(0, 9).map(i -> Msg.ofStrings("p" + i))
        .via(ZmqFlow.create(base.withSocketType(SocketType.PAIR).withConnect(ep))).take(10)
        .runWith(Sink.seq(), system));
    for (int i = 0; i < 10; i++) assertEquals(List.of("echo", "p" + i), got.get(i).texts());
    await(left.drainAndShutdown());
  }

  // ---- restart --------------------------------------------------------------------------------

  @Test
  void restartSourceWithBackoffRebindsTheSamePortAfterAFailure() {
    int port = freePort();
    String ep = "tcp://127.0.0.1:" + port;
    AtomicInteger starts = new AtomicInteger();
    ZmqSettings pull = base.withSocketType(SocketType.PULL).withBind(ep);
    TestSubscriber.Probe<String> probe = RestartSource.withBackoff(
            RestartSettings.create(Duration.ofMillis(20), Duration.ofMillis(200), 0.2),
            () -> {
              starts.incrementAndGet();
              return ZmqSource.create(pull).map(m -> {
                if (m.first().text().equals("boom")) throw new IllegalStateException("boom");
                return m.first().text();
              });
            })
        .runWith(TestSink.create(system), system);
    probe.request(10);
    TestProbe<SocketEvent> pushEvents = kit.createTestProbe();
    try (ZSocket push = zmq.socket(SocketType.PUSH)) {
      push.monitor(pushEvents.ref(), EventType.HANDSHAKE_SUCCEEDED.value() | EventType.DISCONNECTED.value());
      push.connect(ep);
      awaitEvent(pushEvents, EventType.HANDSHAKE_SUCCEEDED);
      push.send("before");
      assertEquals("before", probe.expectNext(WAIT));
      push.send("boom");
      // the failed source closed its socket; the restarted one binds the same port; PUSH reconnects
      awaitEvent(pushEvents, EventType.DISCONNECTED);
      awaitEvent(pushEvents, EventType.HANDSHAKE_SUCCEEDED);
      push.send("after");
      assertEquals("after", probe.expectNext(WAIT));
      assertTrue(starts.get() >= 2, "restarted: " + starts.get());
      probe.cancel();
    }
  }

  private static void awaitEvent(TestProbe<SocketEvent> probe, EventType type) {
    probe.fishForMessage(WAIT, e -> e.type() == type ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
  }
}
