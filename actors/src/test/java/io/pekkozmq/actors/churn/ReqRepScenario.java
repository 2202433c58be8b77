package io.pekkozmq.actors.churn;

import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.actors.ZmqOption;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * Our REQ (REQ_RELAXED and REQ_CORRELATE, as a client that survives a lost server must be) over
 * REP peers that echo: one request at a time, a new one after a timeout. A reply always answers
 * the request just sent (correlation drops stale ones); a request goes unanswered only while a REP
 * peer is being killed and restarted or is leaving; while no peer changes every request is
 * answered, round-robin over every REP whose handshake our monitor reported.
 */
final class ReqRepScenario extends ChurnScenario {
  private static final int PER_ROUTE = 20;
  private static final Duration CHURN_TIMEOUT = Duration.ofMillis(300);

  private record Unanswered(String origin, long seq, long sent, long gaveUp) {}

  private final OurSocket req;
  private final List<Unanswered> unanswered = new CopyOnWriteArrayList<>();
  private int stableBursts;

  ReqRepScenario(String transport, long seed, int scale, ZeroMQ zmq, ActorTestKit kit, Path dir) {
    super("REQ/REP", transport, seed, scale, zmq, kit, dir, false);
    req = ourSocket(SocketType.REQ, "req", s -> {
      s.setOption(ZmqOption.REQ_RELAXED, true);
      s.setOption(ZmqOption.REQ_CORRELATE, true);
    }, Role.REP);
  }

  @Override
  void setUp() {
    req.open();
    startPeer(Role.REP, true);
    startPeer(Role.REP, true);
    startPeer(Role.REP, false);
  }

  @Override
  List<Role> churningRoles() {
    return List.of(Role.REP);
  }

  /** One request and its reply; false if it could not be sent or was not answered in time. */
  private boolean request(Duration timeout) {
    req.lock.lock();
    try {
      String o = req.name();
      long seq = ledger.lastSent(o) + 1;
      long sent = System.nanoTime();
      if (!req.socket().send(ChurnMessage.of(o, seq), timeout)) return false; // no REP at all
      ledger.sent(o, seq, seq);
      long deadline = sent + timeout.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        Msg reply = left > 0 ? req.socket().recv(Duration.ofNanos(left)) : null;
        if (reply == null) {
          unanswered.add(new Unanswered(o, seq, sent, System.nanoTime()));
          return false;
        }
        ChurnMessage.Parsed p = ChurnMessage.parse(reply);
        if (p.error() != null) {
          ledger.violation(o + " got a torn reply: " + p.error());
        } else if (!p.origin().equals(o) || p.seq() != seq || p.via().isEmpty()) {
          ledger.violation(o + " got " + p.stream() + " #" + p.seq() + " as the reply to #" + seq + " (REQ_CORRELATE lets only that one through)");
        } else {
          ledger.received(o, p.stream(), seq, seq);
          return true;
        }
      }
    } finally {
      req.lock.unlock();
    }
  }

  @Override
  void stable() {
    awaitAllConnected();
    List<Peer> reps = present(Role.REP);
    String o = req.name();
    long first = ledger.lastSent(o) + 1;
    long last = first + (long) PER_ROUTE * reps.size() - 1;
    for (long seq = first; seq <= last; seq++) {
      if (!request(WAIT)) {
        long lost = ledger.lastSent(o);
        List<String> at = ledger.receiversOf(o).stream().filter(r -> ledger.count(o, r, lost, lost) > 0).toList();
        throw failure(o + "'s request #" + lost + " was not answered within " + WAIT + " with no peer changing; "
            + (at.isEmpty() ? "no REP got it" : at + " got it") + "; REPs present: " + reps.stream().map(Peer::name).toList());
      }
    }
    if (networked()) {
      // libzmq's REQ round-robins over every attached pipe, and a bind-side pipe is attached
      // before HANDSHAKE_SUCCEEDED is reported
      Map<String, Long> split = new LinkedHashMap<>();
      for (Peer p : reps) split.put(p.name() + (p.binds() ? "(we connect)" : "(connects to us)"), ledger.count(o + "@" + p.name(), o, first, last));
      if (split.values().stream().anyMatch(n -> n != PER_ROUTE)) {
        throw failure("after every REP peer's handshake, " + o + "'s " + (last - first + 1) + " requests were answered as "
            + split + ", not " + PER_ROUTE + " each");
      }
    }
    stableBursts++;
  }

  @Override
  List<Runnable> traffic(Random random) {
    Random r = new Random(random.nextLong());
    return List.of(() -> {
      request(CHURN_TIMEOUT);
      if (r.nextInt(8) == 0) pause(1 + r.nextInt(3));
    });
  }

  @Override
  void check() {
    if (!req.closeAndAwaitLinger(WAIT)) {
      throw failure("our REQ incarnations " + req.lingering() + " still linger after " + WAIT + " though every peer is alive");
    }
    assertNoViolations();
    eventually(() -> checkLoadBalancedLoss(req));
    List<String> unexplained = new ArrayList<>();
    for (Unanswered u : unanswered) {
      boolean explained = changes.stream().anyMatch(c -> c.socket() == req && (c.kind() == Kind.RESTART || c.kind() == Kind.LEAVE)
          && c.start() <= u.gaveUp() && c.end() >= u.sent());
      if (!explained) unexplained.add(u.origin() + " #" + u.seq());
    }
    if (!unexplained.isEmpty()) {
      throw failure(unexplained.size() + " of " + unanswered.size() + " requests went unanswered for "
          + CHURN_TIMEOUT.toMillis() + " ms though no REP peer was killed or left meanwhile: "
          + unexplained.subList(0, Math.min(20, unexplained.size())));
    }
  }

  @Override
  String summary() {
    long sent = req.names().stream().mapToLong(n -> ledger.lastSent(n) + 1).sum();
    return sent + " requests from " + req.names().size() + " REQ incarnations to " + lives.size() + " REP peers, "
        + unanswered.size() + " unanswered, " + changes.size() + " changes, " + stableBursts + " stable phases";
  }
}
