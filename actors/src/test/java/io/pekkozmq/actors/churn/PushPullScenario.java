package io.pekkozmq.actors.churn;

import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.actors.churn.Peer.Role;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * Our PUSH load-balancing over PULL peers, and PUSH peers fair-queued into our PULL; peers of both
 * kinds bind (our socket connects to them) or connect to ours.
 */
final class PushPullScenario extends ChurnScenario {
  /** Messages per route in a stable phase: well below SNDHWM, so no pipe ever fills. */
  private static final int PER_ROUTE = 100;
  /** Our PUSH's messages per churn phase (the peers' senders send in small bursts). */
  private static final int CHURN_CAP = 1500;

  private final OurSocket push;
  private final OurSocket pull;
  private int stableBursts;

  PushPullScenario(String transport, long seed, int scale, ZeroMQ zmq, ActorTestKit kit, Path dir) {
    super("PUSH/PULL", transport, seed, scale, zmq, kit, dir, false);
    push = ourSocket(SocketType.PUSH, "push", s -> {}, Role.PULL);
    pull = ourSocket(SocketType.PULL, "pull", s -> {}, Role.PUSH);
  }

  @Override
  void setUp() {
    push.open();
    pull.open();
    background("pull", () -> {
      pull.lock.lock();
      try {
        Msg m = pull.socket().recv(Duration.ofMillis(20));
        if (m != null) record(pull.name(), m);
      } finally {
        pull.lock.unlock();
      }
    });
    startPeer(Role.PULL, false);
    startPeer(Role.PULL, false);
    startPeer(Role.PULL, true);
    startPeer(Role.PUSH, false);
    startPeer(Role.PUSH, true);
  }

  @Override
  List<Role> churningRoles() {
    return List.of(Role.PULL, Role.PUSH);
  }

  @Override
  void stable() {
    assertNoBackgroundFailures();
    awaitAllConnected();
    List<Peer> pulls = present(Role.PULL);
    String origin = push.name();
    long first = ledger.lastSent(origin) + 1;
    long last = first + (long) PER_ROUTE * pulls.size() - 1;
    push.lock.lock();
    try {
      for (long seq = first; seq <= last; seq++) {
        if (!push.socket().send(ChurnMessage.of(origin, seq), WAIT)) {
          throw failure(origin + " could not send #" + seq + " within " + WAIT + " to " + pulls.size() + " connected peers");
        }
        ledger.sent(origin, seq, seq);
      }
    } finally {
      push.lock.unlock();
    }
    Map<String, long[]> theirs = new LinkedHashMap<>();
    for (Peer q : present(Role.PUSH)) {
      long a = ledger.lastSent(q.name()) + 1;
      if (!q.send(PER_ROUTE) || ledger.lastSent(q.name()) != a + PER_ROUTE - 1) {
        throw failure(q.name() + " could send only up to #" + ledger.lastSent(q.name()) + " of #" + a + ".."
            + (a + PER_ROUTE - 1) + " though it is connected to " + pull.name());
      }
      theirs.put(q.name(), new long[] {a, a + PER_ROUTE - 1});
    }
    String to = pull.name();
    boolean all = ledger.await(() -> ledger.countAnywhere(origin, first, last) == last - first + 1
        && theirs.entrySet().stream().allMatch(e -> ledger.count(e.getKey(), to, e.getValue()[0], e.getValue()[1]) == PER_ROUTE), WAIT);
    if (!all) {
      List<String> missing = new ArrayList<>();
      missing.add(origin + " missing " + ledger.receivedAnywhere(origin).missing(first, last));
      theirs.forEach((q, r) -> missing.add(q + " -> " + to + " missing " + ledger.receivedBy(q, to).missing(r[0], r[1])));
      throw failure("with no peer changing, messages were lost: " + missing);
    }
    if (networked()) {
      // libzmq's PUSH round-robins over every pipe attached to it; a bind-side pipe is attached
      // before the socket reports HANDSHAKE_SUCCEEDED, so once every handshake is seen and no pipe
      // is full, each peer gets exactly its share
      Map<String, Long> split = new LinkedHashMap<>();
      for (Peer p : pulls) split.put(p.name() + (p.binds() ? "(we connect)" : "(connects to us)"), ledger.count(origin, p.name(), first, last));
      if (split.values().stream().anyMatch(n -> n != PER_ROUTE)) {
        throw failure("after every PULL peer's handshake, " + origin + " split " + (last - first + 1) + " messages as "
            + split + ", not " + PER_ROUTE + " each");
      }
    }
    stableBursts++;
  }

  @Override
  List<Runnable> traffic(Random random) {
    Random mine = new Random(random.nextLong());
    Random theirs = new Random(random.nextLong());
    int[] sent = {0};
    Runnable ours = () -> {
      if (sent[0] >= CHURN_CAP) {
        pause(5); // this phase's share is out; idle until the phase ends
        return;
      }
      push.lock.lock();
      try {
        String o = push.name();
        long seq = ledger.lastSent(o) + 1;
        if (push.socket().send(ChurnMessage.of(o, seq), Duration.ofMillis(20))) {
          ledger.sent(o, seq, seq);
          sent[0]++;
        }
      } finally {
        push.lock.unlock();
      }
      if (mine.nextInt(16) == 0) pause(1 + mine.nextInt(3));
    };
    Runnable peersSend = () -> {
      List<Peer> senders = present(Role.PUSH);
      if (senders.isEmpty()) {
        pause(2);
        return;
      }
      senders.get(theirs.nextInt(senders.size())).send(1 + theirs.nextInt(30));
      pause(theirs.nextInt(4));
    };
    return List.of(ours, peersSend);
  }

  @Override
  void check() {
    assertNoBackgroundFailures();
    if (!push.closeAndAwaitLinger(WAIT)) {
      throw failure("our PUSH incarnations " + push.lingering() + " still linger after " + WAIT + " though every peer is alive");
    }
    stopBackground();
    assertNoViolations();
    eventually(() -> checkLoadBalancedLoss(push));
    // libzmq 4.3 may drop the tail of an ipc stream when the sender closes right after its last
    // send, whatever the linger (zeromq/libzmq#4660): over ipc a departed sender's tail may go
    eventually(() -> checkSingleRouteStreams(pull, Role.PUSH, transport.equals("ipc")));
  }

  @Override
  String summary() {
    long ours = push.names().stream().mapToLong(n -> ledger.lastSent(n) + 1).sum();
    long theirs = lives.values().stream().filter(l -> l.peer.role() == Role.PUSH).mapToLong(l -> ledger.lastSent(l.peer.name()) + 1).sum();
    return ours + " messages from " + push.names().size() + " PUSH incarnations, " + theirs + " from "
        + lives.values().stream().filter(l -> l.peer.role() == Role.PUSH).count() + " peers, " + changes.size()
        + " changes, " + stableBursts + " stable phases";
  }
}
