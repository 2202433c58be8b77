package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyScripts;
import io.pekkozmq.testkit.PyZmq;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * libzmq's causality: once a monitor has reported HANDSHAKE_SUCCEEDED for a peer (or, over inproc,
 * once {@code connect} has returned), the socket's next send already routes to that peer. A bound
 * PUSH that has seen four handshakes and then sends 100 messages gives each peer 25, every time,
 * as libzmq does; before the fix the first peers took them all ([100, 0, 0, 0], [33, 34, 0, 33]).
 * Each case runs 20 rounds, since the defect showed in some runs only.
 */
class CausalityTest extends RuntimePerClass {
  private static final int PEERS = 4;
  private static final int MESSAGES = 100;
  private static final int ROUNDS = 20;
  private static final Duration WAIT = Duration.ofSeconds(10);

  /**
   * One libzmq process for every round: on "ROUND endpoint" it connects four PULL sockets, reads
   * until the 100 messages are in (or 5 s pass), prints "COUNTS a b c d" and closes them.
   */
  private static final String LIBZMQ_PULLS = PyScripts.COUNT_PULLS + """
      import sys, zmq
      ctx = zmq.Context()
      print("READY", flush=True)
      for line in sys.stdin:
          word, ep = line.split()
          if word != "ROUND":
              break
          socks = [ctx.socket(zmq.PULL) for _ in range(4)]
          for s in socks:
              s.connect(ep)
          counts, seen = count_pulls(socks, 100, 5000)
          print("COUNTS " + " ".join(str(c) for c in counts), flush=True)
          for s in socks:
              s.close(0)
      """;

  private PyPeer libzmq;
  private Path ipcDir;

  @BeforeAll
  void startLibzmq() throws Exception {
    PyZmq.requireLibzmq();
    libzmq = PyZmq.start(LIBZMQ_PULLS);
    libzmq.awaitLine("READY", WAIT);
    ipcDir = Files.createTempDirectory("pzmq-causality");
  }

  @AfterAll
  void stopLibzmq() throws Exception {
    if (libzmq != null) libzmq.close();
    if (ipcDir != null) {
      try (var files = Files.list(ipcDir)) {
        for (Path p : files.toList()) Files.deleteIfExists(p);
      }
      Files.deleteIfExists(ipcDir);
    }
  }

  private String endpoint(String transport, int round) {
    return transport.equals("tcp") ? "tcp://127.0.0.1:*" : "ipc://" + ipcDir.resolve("r" + round + "-" + System.nanoTime());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "ipc"})
  void aPushSendingRightAfterFourLibzmqHandshakesGivesEachPeerAQuarter(String transport) {
    for (int round = 0; round < ROUNDS; round++) {
      ZSocket push = zmq.socket(SocketType.PUSH);
      try {
        TestProbe<SocketEvent> events = monitor(push);
        String ep = push.bind(endpoint(transport, round));
        libzmq.writeLine("ROUND " + ep);
        awaitHandshakes(events, PEERS);
        for (int i = 0; i < MESSAGES; i++) push.send(Msg.ofStrings("task " + i));
        String counts = libzmq.awaitLine("COUNTS", WAIT);
        assertEquals("COUNTS 25 25 25 25", counts, transport + " round " + round);
      } finally {
        push.close();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "ipc", "inproc"})
  void aPushSendingRightAfterFourOwnPeersAttachGivesEachPeerAQuarter(String transport) {
    for (int round = 0; round < ROUNDS; round++) {
      roundWithOwnPeers(transport, round, push -> {
        for (int i = 0; i < MESSAGES; i++) push.send(Msg.ofStrings("task " + i));
      });
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "ipc"})
  void typedSendsRightAfterTheHandshakesReachEveryPeer(String transport) {
    for (int round = 0; round < ROUNDS / 4; round++) {
      roundWithOwnPeers(transport, round, push -> {
        TestProbe<Socket.Reply> replies = testKit.createTestProbe(Socket.Reply.class);
        for (int i = 0; i < MESSAGES; i++) push.actor().tell(new Socket.Send(Msg.ofStrings("task " + i), replies.ref()));
        for (int i = 0; i < MESSAGES; i++) replies.expectMessageClass(Socket.Done.class, WAIT);
      });
    }
  }

  /**
   * A bound PUSH, four of our PULLs connected, their handshakes seen (inproc has no monitor events:
   * libzmq's rule is that connect() returning is enough), then {@code sendAll}; 25 each expected.
   */
  private void roundWithOwnPeers(String transport, int round, java.util.function.Consumer<ZSocket> sendAll) {
    ZSocket push = zmq.socket(SocketType.PUSH);
    List<ZSocket> pulls = new ArrayList<>();
    try {
      TestProbe<SocketEvent> events = monitor(push);
      String ep = push.bind(transport.equals("inproc")
          ? "inproc://causality-" + round + "-" + System.nanoTime() : endpoint(transport, round));
      for (int i = 0; i < PEERS; i++) {
        ZSocket pull = zmq.socket(SocketType.PULL);
        pulls.add(pull);
        pull.connect(ep);
      }
      if (!transport.equals("inproc")) awaitHandshakes(events, PEERS);
      sendAll.accept(push);
      assertEquals("[25, 25, 25, 25]", Arrays.toString(drainEach(pulls)), transport + " round " + round);
    } finally {
      push.close();
      pulls.forEach(ZSocket::close);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "ipc"})
  void aMandatoryRouterRoutesToAPeerAsSoonAsItsHandshakeIsReported(String transport) {
    for (int round = 0; round < ROUNDS; round++) {
      ZSocket router = zmq.socket(SocketType.ROUTER);
      ZSocket dealer = zmq.socket(SocketType.DEALER);
      try {
        router.setOption(ZmqOption.ROUTER_MANDATORY, true);
        TestProbe<SocketEvent> events = monitor(router);
        String ep = router.bind(endpoint(transport, round));
        dealer.setOption(ZmqOption.ROUTING_ID, "dealer-" + round);
        dealer.connect(ep);
        awaitHandshakes(events, 1);
        // EHOSTUNREACH here would mean the event ran ahead of the routing table
        router.send(Msg.ofStrings("dealer-" + round, "hello"));
        Msg got = dealer.recv(WAIT);
        assertNotNull(got, transport + " round " + round);
        assertEquals("hello", got.first().text());
      } finally {
        router.close();
        dealer.close();
      }
    }
  }

  private static void awaitHandshakes(TestProbe<SocketEvent> events, int n) {
    for (int i = 0; i < n; i++) MonitorProbes.await(events, EventType.HANDSHAKE_SUCCEEDED, WAIT);
  }

  /** Reads each peer until the 100 messages are in (or a peer stays quiet for a second). */
  private static int[] drainEach(List<ZSocket> pulls) {
    int[] counts = new int[pulls.size()];
    int total = 0;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (total < MESSAGES && System.nanoTime() < deadline) {
      for (int i = 0; i < pulls.size(); i++) {
        while (pulls.get(i).recv(Duration.ofMillis(total == 0 ? 100 : 10)) != null) {
          counts[i]++;
          total++;
        }
      }
    }
    assertTrue(total == MESSAGES, "only " + total + " of " + MESSAGES + " messages arrived: " + Arrays.toString(counts));
    return counts;
  }
}
