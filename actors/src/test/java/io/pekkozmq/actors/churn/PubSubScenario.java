package io.pekkozmq.actors.churn;

import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.actors.churn.Peer.Role;
import io.pekkozmq.engine.SocketType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * Our PUB fanning out to SUB peers (subscribed to everything). A SUB's subscription reaches a PUB
 * some time after the connection, so each stable phase first sends probes (their own origin) until
 * every SUB has one: from then on that SUB is known subscribed to that PUB incarnation. No phase
 * sends more than SNDHWM messages, and each stable phase drains the pipes, so PUB never drops for
 * HWM here: each (PUB incarnation, SUB) pair gets one contiguous run, complete from the SUB's
 * confirmation on for as long as both live (a closed PUB lingers until its pipes are delivered).
 */
final class PubSubScenario extends ChurnScenario {
  private static final int BURST = 200;
  /** Data messages per churn phase: with a stable phase's burst, below SNDHWM (1000). */
  private static final int CHURN_CAP = 500;

  private final OurSocket pub;
  /** PUB incarnation -> SUB -> the PUB's last data sequence number when the SUB was confirmed subscribed. */
  private final Map<String, Map<String, Long>> confirmed = new ConcurrentHashMap<>();
  private int stableBursts;

  PubSubScenario(String transport, long seed, int scale, ZeroMQ zmq, ActorTestKit kit, Path dir) {
    super("PUB/SUB", transport, seed, scale, zmq, kit, dir, true);
    pub = ourSocket(SocketType.PUB, "pub", s -> {}, Role.SUB);
  }

  @Override
  void setUp() {
    pub.open();
    startPeer(Role.SUB, false);
    startPeer(Role.SUB, false);
    startPeer(Role.SUB, true);
  }

  @Override
  List<Role> churningRoles() {
    return List.of(Role.SUB);
  }

  private static String probes(String pubName) {
    return pubName + ".probe";
  }

  @Override
  void stable() {
    awaitAllConnected();
    String origin = pub.name();
    List<Peer> subs = present(Role.SUB);
    confirmSubscriptions(origin, subs);
    long first = ledger.lastSent(origin) + 1;
    long last = first + BURST - 1;
    pub.lock.lock();
    try {
      for (long seq = first; seq <= last; seq++) {
        if (!pub.socket().send(ChurnMessage.of(origin, seq), WAIT)) throw failure(origin + " could not send #" + seq);
        ledger.sent(origin, seq, seq);
      }
    } finally {
      pub.lock.unlock();
    }
    if (!ledger.await(() -> subs.stream().allMatch(p -> ledger.count(origin, p.name(), first, last) == BURST), WAIT)) {
      List<String> missing = new ArrayList<>();
      for (Peer p : subs) missing.add(p.name() + " missing " + ledger.receivedBy(origin, p.name()).missing(first, last));
      throw failure("with no peer changing and every SUB subscribed, " + origin + " lost messages: " + missing);
    }
    stableBursts++;
  }

  /**
   * Probes until every SUB has one sent after this call began: a pipe is FIFO, so the SUB's
   * subscription is active and everything sent before has drained from its pipe. Each probe waits
   * for the ledger to move (messages arriving), at most a few milliseconds, before the next one.
   */
  private void confirmSubscriptions(String origin, List<Peer> subs) {
    String probe = probes(origin);
    long firstProbe = ledger.lastSent(probe) + 1;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!ledger.await(() -> subs.stream().allMatch(p -> ledger.receivedBy(probe, p.name()).last() >= firstProbe),
        Duration.ofMillis(5))) {
      if (System.nanoTime() > deadline) {
        List<String> got = new ArrayList<>();
        for (Peer p : subs) got.add(p.name() + "=" + ledger.receivedBy(probe, p.name()));
        throw failure("not every SUB got a probe from #" + firstProbe + " within " + WAIT + ": " + got);
      }
      pub.lock.lock();
      try {
        long seq = ledger.lastSent(probe) + 1;
        pub.socket().send(ChurnMessage.of(probe, seq), WAIT);
        ledger.sent(probe, seq, seq);
      } finally {
        pub.lock.unlock();
      }
    }
    long at = ledger.lastSent(origin);
    Map<String, Long> m = confirmed.computeIfAbsent(origin, k -> new ConcurrentHashMap<>());
    for (Peer p : subs) m.putIfAbsent(p.name(), at);
  }

  @Override
  List<Runnable> traffic(Random random) {
    Random r = new Random(random.nextLong());
    int[] sent = {0};
    return List.of(() -> {
      if (sent[0] >= CHURN_CAP) {
        pause(5); // this phase's share is out; idle until the phase ends
        return;
      }
      pub.lock.lock();
      try {
        String o = pub.name();
        long seq = ledger.lastSent(o) + 1;
        pub.socket().send(ChurnMessage.of(o, seq), WAIT);
        ledger.sent(o, seq, seq);
        sent[0]++;
      } finally {
        pub.lock.unlock();
      }
      if (r.nextInt(8) == 0) pause(1 + r.nextInt(3));
    });
  }

  @Override
  void check() {
    if (!pub.closeAndAwaitLinger(WAIT)) {
      throw failure("our PUB incarnations " + pub.lingering() + " still linger after " + WAIT + " though every peer is alive");
    }
    assertNoViolations();
    eventually(this::checkRuns);
  }

  private void checkRuns() {
    for (String j : pub.names()) {
      long end = ledger.lastSent(j);
      for (Life life : lives.values()) {
        String p = life.peer.name();
        SeqSet got = ledger.receivedBy(j, p);
        if (got.runs().size() > 1) {
          throw failure(p + " lost messages from " + j + " between others, though no pipe reached SNDHWM: got " + got);
        }
        Long c = confirmed.getOrDefault(j, Map.of()).get(p);
        if (c == null || end <= c) continue;
        // confirmed subscribed: everything after, for as long as both lived (linger included)
        boolean outlived = life.end == End.ALIVE || life.ended > pub.lingerDoneAt(j);
        long upTo = outlived ? end : got.last();
        if (upTo > c && got.count(c + 1, upTo) != upTo - c) {
          throw failure(p + " (" + life.end + ") was subscribed to " + j + " from #" + (c + 1) + " but got " + got
              + " of #" + (c + 1) + ".." + upTo + (outlived ? " (it outlived " + j + "'s linger)" : ""));
        }
      }
    }
  }

  @Override
  String summary() {
    long data = pub.names().stream().mapToLong(n -> ledger.lastSent(n) + 1).sum();
    return data + " messages from " + pub.names().size() + " PUB incarnations to " + lives.size() + " SUB peers, "
        + changes.size() + " changes, " + stableBursts + " stable phases";
  }
}
