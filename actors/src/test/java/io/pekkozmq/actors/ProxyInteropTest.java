package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our {@link Proxy#queue} between libzmq REQ clients and libzmq REP workers, over tcp and ipc. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int CLIENTS = 4;
  private static final int WORKERS = 3;
  private static final int ROUNDS = 100;

  /** argv: CLIENTS|WORKERS, endpoint, how many sockets, rounds (clients) or total requests (workers). */
  private static final String PEER = """
      import sys, zmq
      role, ep, n, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
      ctx = zmq.Context()
      socks = []
      for k in range(n):
          s = ctx.socket(zmq.REQ if role == "CLIENTS" else zmq.REP)
          s.setsockopt(zmq.LINGER, 5000)
          s.setsockopt(zmq.RCVTIMEO, 20000)
          s.setsockopt(zmq.SNDTIMEO, 20000)
          s.connect(ep)
          socks.append(s)
      print("READY")
      if role == "CLIENTS":
          workers = set()
          for r in range(count):
              for k, s in enumerate(socks):
                  s.send_multipart([b"c%d" % k, b"%d" % r, bytes([r & 0xff]) * (r * 13 % 500)])
              for k, s in enumerate(socks):
                  m = s.recv_multipart()
                  if m[:3] != [b"c%d" % k, b"%d" % r, bytes([r & 0xff]) * (r * 13 % 500)] or len(m) != 4:
                      print("BAD reply to client %d round %d: %r" % (k, r, [p[:20] for p in m]))
                      sys.exit(1)
                  workers.add(m[3])
          print("OK workers=%d" % len(workers))
      else:
          served = [0] * n
          poller = zmq.Poller()
          for s in socks:
              poller.register(s, zmq.POLLIN)
          while sum(served) < count:
              events = dict(poller.poll(20000))
              if not events:
                  print("TIMEOUT after %d requests" % sum(served))
                  sys.exit(1)
              for k, s in enumerate(socks):
                  if s in events:
                      s.send_multipart(s.recv_multipart() + [b"w%d" % k])
                      served[k] += 1
          print("SERVED " + ",".join(str(x) for x in served))
      ctx.destroy(linger=5000)
      """;

  private ZContext ctx;
  private ActorTestKit kit;
  private Path tmp;

  @BeforeAll
  void start() throws Exception {
    PyZmq.requireLibzmq();
    ctx = new ZContext();
    kit = ActorTestKit.create(ctx.system());
    tmp = Files.createTempDirectory("pzmq-proxy-interop");
  }

  @AfterAll
  void stop() {
    if (ctx != null) ctx.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc"})
  void queueServesLibzmqClientsWithLibzmqWorkers(String transport) {
    String front = transport.equals("tcp") ? "tcp://127.0.0.1:" + PushPullTest.freePort() : "ipc://" + tmp.resolve("front");
    String back = transport.equals("tcp") ? "tcp://127.0.0.1:" + PushPullTest.freePort() : "ipc://" + tmp.resolve("back");
    ActorRef<Proxy.Command> proxy = Proxy.queue(ctx.zeroMQ(), front, back);
    try (PyPeer workers = PyZmq.start(PEER, "WORKERS", back, Integer.toString(WORKERS), Integer.toString(CLIENTS * ROUNDS));
        PyPeer clients = PyZmq.start(PEER, "CLIENTS", front, Integer.toString(CLIENTS), Integer.toString(ROUNDS))) {
      workers.awaitLine("READY", WAIT);
      clients.awaitLine("READY", WAIT);
      String ok = clients.awaitLine("", WAIT);
      assertEquals("OK workers=" + WORKERS, ok, "every reply reached its client, and every worker served: " + clients.stderr());
      String served = workers.awaitLine("SERVED ", WAIT);
      int total = 0;
      for (String n : served.substring(7).split(",")) total += Integer.parseInt(n);
      assertEquals(CLIENTS * ROUNDS, total, served);
      assertEquals(0, clients.waitFor(WAIT), clients.stderr());
      assertEquals(0, workers.waitFor(WAIT), workers.stderr());

      TestProbe<Proxy.Statistics> stats = kit.createTestProbe(Proxy.Statistics.class);
      proxy.tell(new Proxy.GetStatistics(stats.ref()));
      Proxy.Statistics s = stats.receiveMessage(WAIT);
      // requests are [id, empty, 3 parts] both sides of the proxy; replies add the worker's part
      assertEquals(CLIENTS * ROUNDS * 5L, s.frontendMsgsIn());
      assertEquals(CLIENTS * ROUNDS * 5L, s.backendMsgsOut());
      assertEquals(CLIENTS * ROUNDS * 6L, s.backendMsgsIn());
      assertEquals(CLIENTS * ROUNDS * 6L, s.frontendMsgsOut());
      assertTrue(s.frontendBytesIn() > 0 && s.frontendBytesIn() == s.backendBytesOut());
    } finally {
      TestProbe<Object> watcher = kit.createTestProbe();
      proxy.tell(new Proxy.Terminate());
      watcher.expectTerminated(proxy, WAIT);
    }
  }
}
