package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@link Proxy}: the three devices, capture, steering (typed and libzmq's control socket), back-pressure. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final AtomicInteger NAMES = new AtomicInteger();

  private ZContext ctx;
  private ZeroMQ zmq;
  private ActorTestKit kit;
  private Path tmp;

  @BeforeAll
  void start() throws Exception {
    ctx = new ZContext();
    zmq = ctx.zeroMQ();
    kit = ActorTestKit.create(ctx.system()); // probes in the proxies' system, so they can watch them
    tmp = Files.createTempDirectory("pzmq-proxy");
  }

  @AfterAll
  void stop() {
    ctx.close();
  }

  private ZSocket socket(SocketType type) {
    ZSocket s = ctx.socket(type);
    s.setOption(ZmqOption.LINGER, 0);
    s.setOption(ZmqOption.SNDTIMEO, (int) WAIT.toMillis()); // a stuck test fails instead of hanging
    return s;
  }

  private String ipc(String name) {
    return "ipc://" + tmp.resolve(name + "-" + NAMES.incrementAndGet());
  }

  private static String inproc(String name) {
    return "inproc://" + name + "-" + NAMES.incrementAndGet();
  }

  private Proxy.Statistics statistics(ActorRef<Proxy.Command> proxy) {
    TestProbe<Proxy.Statistics> probe = kit.createTestProbe(Proxy.Statistics.class);
    proxy.tell(new Proxy.GetStatistics(probe.ref()));
    return probe.receiveMessage(WAIT);
  }

  private void terminate(ActorRef<Proxy.Command> proxy) {
    TestProbe<Object> probe = kit.createTestProbe();
    proxy.tell(new Proxy.Terminate());
    probe.expectTerminated(proxy, WAIT);
  }

  @Test
  void queueCarriesEachRequestToAWorkerAndTheReplyBackToItsClient() {
    String front = "tcp://127.0.0.1:" + PushPullTest.freePort();
    String back = ipc("queue-back");
    ActorRef<Proxy.Command> proxy = Proxy.queue(zmq, front, back);
    List<ZSocket> clients = new ArrayList<>();
    List<ZSocket> workers = new ArrayList<>();
    try {
      for (int w = 0; w < 2; w++) {
        ZSocket rep = socket(SocketType.REP);
        rep.connect(back);
        workers.add(rep);
      }
      for (int c = 0; c < 3; c++) {
        ZSocket req = socket(SocketType.REQ);
        req.connect(front);
        clients.add(req);
      }
      CompletableFuture<?>[] working = new CompletableFuture<?>[workers.size()];
      AtomicInteger served = new AtomicInteger();
      java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
      for (int w = 0; w < workers.size(); w++) {
        ZSocket rep = workers.get(w);
        String name = "w" + w;
        working[w] = CompletableFuture.runAsync(() -> {
          while (!done.get()) {
            Msg m = rep.recv(Duration.ofMillis(100));
            if (m == null) continue;
            rep.send(Msg.ofStrings(m.first().text(), name));
            served.incrementAndGet();
          }
        });
      }
      for (int round = 0; round < 50; round++) {
        for (int c = 0; c < clients.size(); c++) clients.get(c).send("c" + c + "-" + round);
        for (int c = 0; c < clients.size(); c++) {
          Msg reply = clients.get(c).recv(WAIT);
          assertNotNull(reply, "reply to client " + c + " round " + round);
          assertEquals("c" + c + "-" + round, reply.first().text(), "each reply returns to its client");
        }
      }
      Proxy.Statistics s = statistics(proxy);
      // a request is [5-byte id, empty, body] on the frontend and backend; its reply [id, empty, body, worker]
      assertEquals(150 * 3, s.frontendMsgsIn());
      assertEquals(150 * 3, s.backendMsgsOut());
      assertEquals(150 * 4, s.backendMsgsIn());
      assertEquals(150 * 4, s.frontendMsgsOut());
      assertEquals(s.frontendBytesIn(), s.backendBytesOut());
      assertEquals(s.backendBytesIn(), s.frontendBytesOut());
      assertEquals(s.frontendBytesIn() + 150 * 2, s.backendBytesIn(), "replies add the 2-byte worker name");
      assertEquals(150, served.get());
      done.set(true);
      CompletableFuture.allOf(working).join();
    } finally {
      terminate(proxy);
      clients.forEach(ZSocket::close);
      workers.forEach(ZSocket::close);
    }
  }

  @Test
  void streamerForwardsWholeMultipartMessagesInOrder() throws Exception {
    String front = ipc("streamer-front");
    String back = ipc("streamer-back");
    ActorRef<Proxy.Command> proxy = Proxy.streamer(zmq, front, back);
    try (ZSocket producer = socket(SocketType.PUSH); ZSocket consumer = socket(SocketType.PULL)) {
      producer.connect(front);
      consumer.connect(back);
      CompletableFuture<String> consumed = CompletableFuture.supplyAsync(() -> {
        for (int i = 0; i < 10_000; i++) {
          String bad = InteropStream.mismatch(i, consumer.recv(WAIT));
          if (bad != null) return bad;
        }
        return "OK";
      });
      for (int i = 0; i < 10_000; i++) assertTrue(producer.send(InteropStream.message(i), WAIT), "send " + i);
      assertEquals("OK", consumed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    } finally {
      terminate(proxy);
    }
  }

  @Test
  void captureGetsACopyOfEveryMessageInBothDirections() {
    try (ZSocket frontend = socket(SocketType.ROUTER);
        ZSocket backend = socket(SocketType.DEALER);
        ZSocket capture = socket(SocketType.PUSH);
        ZSocket captured = socket(SocketType.PULL);
        ZSocket client = socket(SocketType.REQ);
        ZSocket worker = socket(SocketType.REP)) {
      String f = frontend.bind(inproc("cap-front"));
      String b = backend.bind(inproc("cap-back"));
      captured.connect(capture.bind(inproc("cap")));
      ActorRef<Proxy.Command> proxy = Proxy.start(zmq, frontend, backend, capture);
      client.connect(f);
      worker.connect(b);
      for (int i = 0; i < 5; i++) {
        client.send("request-" + i);
        assertEquals("request-" + i, worker.recvString(WAIT));
        worker.send("reply-" + i);
        assertEquals("reply-" + i, client.recvString(WAIT));
        Msg req = captured.recv(WAIT);
        assertEquals(List.of("", "request-" + i), req.texts().subList(1, 3), "capture sees the request as forwarded");
        Msg rep = captured.recv(WAIT);
        assertEquals(List.of("", "reply-" + i), rep.texts().subList(1, 3), "and the reply");
        assertArrayEquals(req.first().toByteArray(), rep.first().toByteArray(), "both carry the client's id");
      }
      terminate(proxy);
      // create()/start() proxies leave their sockets open: they still work
      assertTrue(capture.trySend(Msg.ofStrings("still open")));
      assertEquals("still open", captured.recvString(WAIT));
    }
  }

  @Test
  void pauseHoldsMessagesResumeForwardsThemAndStatisticsCountPartsAndBytes() {
    try (ZSocket frontend = socket(SocketType.PULL);
        ZSocket backend = socket(SocketType.PUSH);
        ZSocket producer = socket(SocketType.PUSH);
        ZSocket consumer = socket(SocketType.PULL)) {
      producer.connect(frontend.bind(inproc("pause-front")));
      consumer.connect(backend.bind(inproc("pause-back")));
      ActorRef<Proxy.Command> proxy = Proxy.start(zmq, frontend, backend, null);
      try {
        for (int i = 0; i < 3; i++) producer.send(Msg.ofStrings("ab", "cde" + i)); // 2 parts, 6 bytes
        for (int i = 0; i < 3; i++) assertEquals(List.of("ab", "cde" + i), consumer.recv(WAIT).texts());
        assertEquals(new Proxy.Statistics(6, 18, 0, 0, 0, 0, 6, 18), statistics(proxy));

        proxy.tell(new Proxy.Pause());
        for (int i = 3; i < 5; i++) producer.send(Msg.ofStrings("ab", "cde" + i));
        awaitQueued(frontend, 2);
        assertEquals(new Proxy.Statistics(6, 18, 0, 0, 0, 0, 6, 18), statistics(proxy), "nothing moves while paused");
        assertNull(consumer.tryRecv());

        proxy.tell(new Proxy.Resume());
        for (int i = 3; i < 5; i++) assertEquals(List.of("ab", "cde" + i), consumer.recv(WAIT).texts());
        assertEquals(new Proxy.Statistics(10, 30, 0, 0, 0, 0, 10, 30), statistics(proxy));
      } finally {
        terminate(proxy);
      }
    }
  }

  private static void awaitQueued(ZSocket s, long messages) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (s.core().pipesSnapshot().stream().mapToLong(e -> e.inboundQueued()).sum() < messages) {
      if (System.nanoTime() > deadline) throw new AssertionError("messages never arrived at " + s.type());
      LockSupport.parkNanos(1_000_000);
    }
  }

  @Test
  void controlSocketSteersItAsLibzmqsDoes() {
    try (ZSocket frontend = socket(SocketType.PULL);
        ZSocket backend = socket(SocketType.PUSH);
        ZSocket control = socket(SocketType.REP);
        ZSocket steer = socket(SocketType.REQ);
        ZSocket producer = socket(SocketType.PUSH);
        ZSocket consumer = socket(SocketType.PULL)) {
      producer.connect(frontend.bind(inproc("ctl-front")));
      consumer.connect(backend.bind(inproc("ctl-back")));
      steer.connect(control.bind(inproc("ctl")));
      ActorRef<Proxy.Command> proxy = Proxy.start(zmq, frontend, backend, null, control);

      producer.send(Msg.ofStrings("hello", "world"));
      assertEquals(List.of("hello", "world"), consumer.recv(WAIT).texts());

      steer.send("PAUSE");
      assertEquals(List.of(""), steer.recv(WAIT).texts(), "a REP control socket answers with an empty frame");
      producer.send("held");
      awaitQueued(frontend, 1);

      steer.send("STATISTICS");
      Msg stats = steer.recv(WAIT);
      assertEquals(8, stats.size());
      long[] v = new long[8];
      for (int i = 0; i < 8; i++) {
        assertEquals(8, stats.frame(i).size(), "each counter is a uint64");
        v[i] = ByteBuffer.wrap(stats.frame(i).toByteArray()).order(ByteOrder.LITTLE_ENDIAN).getLong();
      }
      assertArrayEquals(new long[] {2, 10, 0, 0, 0, 0, 2, 10}, v);
      assertNull(consumer.tryRecv(), "paused");

      steer.send("BOGUS");
      assertEquals(List.of(""), steer.recv(WAIT).texts(), "an unknown command is ignored, REP still answered");
      steer.send("RESUME");
      assertEquals(List.of(""), steer.recv(WAIT).texts());
      assertEquals("held", consumer.recvString(WAIT));

      TestProbe<Object> watcher = kit.createTestProbe();
      steer.send("TERMINATE");
      assertEquals(List.of(""), steer.recv(WAIT).texts());
      watcher.expectTerminated(proxy, WAIT);
    }
  }

  @Test
  void aFullDestinationStopsTheProxyReadingAndNothingIsLost() throws Exception {
    try (ZSocket frontend = socket(SocketType.PULL);
        ZSocket backend = socket(SocketType.PUSH);
        ZSocket producer = socket(SocketType.PUSH);
        ZSocket consumer = socket(SocketType.PULL)) {
      for (ZSocket s : List.of(frontend, backend, producer, consumer)) {
        s.setOption(ZmqOption.SNDHWM, 10);
        s.setOption(ZmqOption.RCVHWM, 10);
      }
      producer.connect(frontend.bind(inproc("bp-front")));
      consumer.connect(backend.bind(inproc("bp-back")));
      ActorRef<Proxy.Command> proxy = Proxy.start(zmq, frontend, backend, null);
      try {
        int sent = 0;
        while (sent < 100_000 && producer.send(Msg.ofStrings(Integer.toString(sent)), Duration.ofMillis(300))) sent++;
        System.out.println("proxy back-pressure: " + sent + " messages taken before the producer blocked");
        // the four queues of 10 (inproc pipes hold both ends' HWMs) plus what one batch may hold
        assertTrue(sent <= 4 * 20 + 256, "the proxy held messages back only boundedly: " + sent + " were taken");
        assertTrue(sent >= 20, "messages flowed before the consumer stalled: " + sent);
        int total = sent;
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(
            () -> producer.send(Msg.ofStrings(Integer.toString(total)), WAIT));
        for (int i = 0; i <= total; i++) assertEquals(Integer.toString(i), consumer.recvString(WAIT), "in order, none lost");
        assertTrue(blocked.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the producer was released");
        Proxy.Statistics s = statistics(proxy);
        assertEquals(total + 1, s.frontendMsgsIn());
        assertEquals(total + 1, s.backendMsgsOut());
      } finally {
        terminate(proxy);
      }
    }
  }

  @Test
  void terminatedOneLinerClosesItsSockets() {
    int port = PushPullTest.freePort();
    String front = "tcp://127.0.0.1:" + port;
    ActorRef<Proxy.Command> proxy = Proxy.streamer(zmq, front, inproc("closing-back"));
    terminate(proxy);
    try (ZSocket again = socket(SocketType.PULL)) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        try {
          again.bind(front); // free once the proxy's PULL has closed its listener
          break;
        } catch (ZmqException e) {
          if (System.nanoTime() > deadline) throw e;
          LockSupport.parkNanos(5_000_000);
        }
      }
    }
  }

  @Test
  void aOneLinerThatCannotBindThrowsTheBindError() {
    try (ZSocket squatter = socket(SocketType.PULL)) {
      String taken = squatter.bind("tcp://127.0.0.1:*");
      ZmqException e = assertThrows(ZmqException.class, () -> Proxy.queue(zmq, taken, inproc("never")));
      assertEquals(io.pekkozmq.engine.Errno.EADDRINUSE, e.errno());
    }
  }

  @Test
  void forwarderCarriesPublicationsDownAndSubscriptionsUp() {
    String front = ipc("fwd-front");
    String back = ipc("fwd-back");
    ActorRef<Proxy.Command> proxy = Proxy.forwarder(zmq, front, back);
    try (ZSocket pub = socket(SocketType.PUB); ZSocket sub = socket(SocketType.SUB)) {
      pub.connect(front);
      sub.connect(back);
      sub.subscribe("A");
      Msg got = null;
      // the subscription travels SUB -> XPUB -> proxy -> XSUB -> PUB; until it arrives PUB drops
      for (int i = 0; i < 400 && got == null; i++) {
        pub.send(Msg.ofStrings("B", "not subscribed"));
        pub.send(Msg.ofStrings("A", Integer.toString(i)));
        got = sub.recv(Duration.ofMillis(50));
      }
      assertNotNull(got, "a publication reached the subscriber through the forwarder");
      assertEquals("A", got.first().text());
      pub.send(Msg.ofStrings("A", "last"));
      Msg m;
      while ((m = sub.recv(WAIT)) != null && !m.frame(1).text().equals("last")) {
        assertEquals("A", m.first().text(), "only subscribed topics come through");
      }
      assertNotNull(m);
      assertTrue(statistics(proxy).backendMsgsIn() >= 1, "the subscription came up through the backend");
    } finally {
      terminate(proxy);
    }
  }
}
