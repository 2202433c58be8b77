package io.pekkozmq.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyScripts;
import io.pekkozmq.testkit.PyZmq;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's scenario through the real launcher: {@code pzmq send --type PUSH --bind ... --events F}
 * with 100 lines on stdin and four libzmq PULL peers. LINGER is -1 by default, so every line must
 * reach a peer before the process exits; after --wait-peers 4 they must be spread evenly, as a
 * libzmq PUSH spreads them.
 */
class PzmqSendDeliveryTest {
  private static final Duration RUN = Duration.ofSeconds(60);
  private static final int LINES = 100;
  private static final String STDIN = IntStream.range(0, LINES).mapToObj(i -> "line " + i)
      .collect(Collectors.joining("\n", "", "\n"));

  /** argv: endpoint. Four PULLs connect (retrying until we bind), count until 100 or 10 s. */
  private static final String FOUR_PULLS = PyScripts.COUNT_PULLS + """
      import sys, zmq
      ctx = zmq.Context()
      socks = [ctx.socket(zmq.PULL) for _ in range(4)]
      for s in socks:
          s.connect(sys.argv[1])
      print("CONNECTING", flush=True)
      counts, seen = count_pulls(socks, 100, 10000)
      print("COUNTS " + " ".join(str(c) for c in counts) + " DISTINCT %d" % len(seen), flush=True)
      ctx.destroy(0)
      """;

  @BeforeAll
  static void buildOnce() {
    PyZmq.requireLibzmq();
    Launcher l = Launcher.run(null, Duration.ofMinutes(10), "--help");
    assertEquals(0, l.exitCode(), l.describe());
  }

  private static String endpoint(String transport, Path dir, int round) {
    return transport.equals("tcp") ? "tcp://127.0.0.1:" + Launcher.freePort() : "ipc://" + dir.resolve("send-" + round);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "ipc"})
  void everyLineReachesFourLibzmqPeersAndIsSpreadEvenlyAfterWaitPeers(String transport, @TempDir Path dir)
      throws Exception {
    for (int round = 0; round < 3; round++) {
      String ep = endpoint(transport, dir, round);
      Path events = dir.resolve("events-" + round + ".txt");
      try (PyPeer peers = PyZmq.start(FOUR_PULLS, ep)) {
        peers.awaitLine("CONNECTING", RUN);
        Launcher send = Launcher.run(STDIN, RUN, "send", "--type", "PUSH", "--bind", ep, "--wait-peers", "4",
            "--events", events.toString());
        assertEquals(0, send.exitCode(), send.describe());
        assertEquals("COUNTS 25 25 25 25 DISTINCT 100", peers.awaitLine("COUNTS", RUN),
            transport + " round " + round + ", events:\n" + Files.readString(events));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "ipc"})
  void everyLineReachesPeersThatAttachWhileTheLinesAreSent(String transport, @TempDir Path dir) throws Exception {
    for (int round = 0; round < 3; round++) {
      String ep = endpoint(transport, dir, round);
      Path events = dir.resolve("events-" + round + ".txt");
      try (Launcher send = Launcher.start("send", "--type", "PUSH", "--bind", ep, "--events", events.toString())) {
        send.input(STDIN); // the first line waits for a peer; the others go as peers attach
        try (PyPeer peers = PyZmq.start(FOUR_PULLS, ep)) {
          String counts = peers.awaitLine("COUNTS", RUN);
          assertEquals(0, send.await(RUN), send.describe());
          assertTrue(counts.endsWith(" DISTINCT 100"), transport + " round " + round + ": " + counts
              + "; events:\n" + Files.readString(events));
        }
      }
    }
  }
}
