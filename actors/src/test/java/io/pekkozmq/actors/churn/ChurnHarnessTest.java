package io.pekkozmq.actors.churn;

import io.pekkozmq.actors.RuntimePerClass;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.testkit.PyZmq;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The churn harness (issue 12): sequence-numbered multipart messages through each pattern while
 * peers join, leave, are killed (SIGKILL) and restarted, and our sockets are closed and reopened;
 * over tcp and ipc against libzmq 4.3 (python), over inproc against our own sockets. libzmq's
 * guarantees, asserted exactly:
 * <ul>
 *   <li>while no peer changes, nothing is lost, duplicated, reordered or torn, and load balancing
 *       splits evenly over every peer whose handshake our monitor reported;
 *   <li>under churn, never a torn message, a duplicate, or a reordering within one stream and
 *       receiver; a loss only where libzmq loses too (what was queued to or in flight to a peer
 *       that was killed or left, what a closed receiver held, what PUB sent before a subscription);
 *   <li>a socket closed with LINGER -1 (the default) delivers everything sent before the close to
 *       peers that stay alive, also from pipes whose connection is mid-handshake or reconnecting.
 * </ul>
 * Randomised: {@code -Dchurn.seed=N} replays a run's choices (printed first, and in every failure);
 * {@code -Dchurn.scale=N} multiplies the rounds ({@code bench/churn.sh} runs 10).
 */
class ChurnHarnessTest extends RuntimePerClass {
  private static final long SEED = Long.getLong("churn.seed", System.nanoTime());
  private static final int SCALE = Integer.getInteger("churn.scale", 1);

  private Path dir;

  @BeforeAll
  void announceSeed() throws IOException {
    System.out.println("churn harness: -Dchurn.seed=" + SEED + " -Dchurn.scale=" + SCALE);
    dir = Files.createTempDirectory("pzmq-churn");
  }

  @AfterAll
  void removeIpcFiles() throws IOException {
    if (dir == null) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  static Stream<String> transports() {
    return Stream.of("tcp", "ipc", "inproc");
  }

  static Stream<Arguments> lingerCases() {
    return Stream.of(SocketType.PUSH, SocketType.DEALER, SocketType.PUB)
        .flatMap(type -> transports().map(transport -> Arguments.of(type, transport)));
  }

  /** Inproc does not reconnect (libzmq neither): a closed peer's pipe is gone for good. */
  static Stream<Arguments> lingerCasesOverTheNetwork() {
    return lingerCases().filter(a -> !a.get()[1].equals("inproc"));
  }

  private static void requirePeers(String transport) {
    if (!transport.equals("inproc")) PyZmq.requireLibzmq();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  @Timeout(300)
  void pushPullLosesOnlyWhatDepartedPeersHeldAndNeverTearsDuplicatesOrReorders(String transport) {
    requirePeers(transport);
    try (PushPullScenario s = new PushPullScenario(transport, SEED, SCALE, zmq, testKit, dir)) {
      s.run();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  @Timeout(300)
  void routerEchoesEveryRequestBackToLiveDealersAndNeverTearsDuplicatesOrReorders(String transport) {
    requirePeers(transport);
    try (RouterDealerScenario s = new RouterDealerScenario(transport, SEED, SCALE, zmq, testKit, dir)) {
      s.run();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  @Timeout(300)
  void pubReachesEverySubscribedLiveSubWithoutGapsDuplicatesOrTearing(String transport) {
    requirePeers(transport);
    try (PubSubScenario s = new PubSubScenario(transport, SEED, SCALE, zmq, testKit, dir)) {
      s.run();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transports")
  @Timeout(300)
  void reqGetsEveryAnswerExceptWhileARepIsKilledOrLeaving(String transport) {
    requirePeers(transport);
    try (ReqRepScenario s = new ReqRepScenario(transport, SEED, SCALE, zmq, testKit, dir)) {
      s.run();
    }
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("lingerCases")
  @Timeout(120)
  void closeWithDefaultLingerRightAfterConnectingDeliversEverythingToPeersThatStayAlive(SocketType type, String transport) {
    requirePeers(transport);
    try (LingerScenario s = new LingerScenario(type, false, transport, SEED, zmq, testKit, dir)) {
      s.run();
    }
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("lingerCasesOverTheNetwork")
  @Timeout(120)
  void closeWithDefaultLingerWhileReconnectingDeliversEverythingOnceThePeerIsBack(SocketType type, String transport) {
    requirePeers(transport);
    try (LingerScenario s = new LingerScenario(type, true, transport, SEED, zmq, testKit, dir)) {
      s.run();
    }
  }
}
