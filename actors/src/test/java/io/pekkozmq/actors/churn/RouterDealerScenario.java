package io.pekkozmq.actors.churn;

import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.actors.churn.Peer.Role;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * Our ROUTER as an echo server for DEALER peers: each request comes back to the DEALER that sent it
 * (by its routing id, ROUTER_MANDATORY so an unroutable reply is reported, not dropped silently).
 * Two streams per (DEALER, ROUTER incarnation): the requests, over a single route, and the replies.
 */
final class RouterDealerScenario extends ChurnScenario {
  private static final int PER_ROUTE = 50;

  private final OurSocket router;
  /** "dealer router" -> the requests whose echo the router could not route (the DEALER was gone). */
  private final Map<String, SeqSet> unroutable = new HashMap<>();
  private int stableBursts;

  RouterDealerScenario(String transport, long seed, int scale, ZeroMQ zmq, ActorTestKit kit, Path dir) {
    super("DEALER/ROUTER", transport, seed, scale, zmq, kit, dir, false);
    router = ourSocket(SocketType.ROUTER, "router", s -> s.setOption(ZmqOption.ROUTER_MANDATORY, true), Role.DEALER);
  }

  @Override
  void setUp() {
    router.open();
    background("router", this::echoOne);
    startPeer(Role.DEALER, false);
    startPeer(Role.DEALER, false);
    startPeer(Role.DEALER, true);
  }

  private void echoOne() {
    router.lock.lock();
    try {
      Msg m = router.socket().recv(Duration.ofMillis(20));
      if (m == null) return;
      String me = router.name();
      if (m.size() < 2) {
        ledger.violation(me + " got a message of " + m.size() + " frame(s): no routing id and body");
        return;
      }
      Frame rid = m.first();
      Msg body = m.dropFirst(1);
      ChurnMessage.Parsed p = ChurnMessage.parse(body);
      if (p.error() != null) {
        ledger.violation(me + " " + p.error());
        return;
      }
      ledger.received(me, p.stream(), p.seq(), p.seq());
      boolean routed;
      try {
        routed = router.socket().send(ChurnMessage.echo(body, me).prepend(rid), Duration.ofSeconds(2));
      } catch (ZmqException e) {
        if (e.errno() != Errno.EHOSTUNREACH) throw e;
        routed = false;
      }
      if (!routed) {
        synchronized (unroutable) {
          unroutable.computeIfAbsent(p.origin() + " " + me, k -> new SeqSet()).add(p.seq(), p.seq());
        }
      }
    } finally {
      router.lock.unlock();
    }
  }

  private SeqSet unroutable(String dealer, String routerName) {
    synchronized (unroutable) {
      SeqSet s = unroutable.get(dealer + " " + routerName);
      return s == null ? new SeqSet() : s.copy();
    }
  }

  @Override
  List<Role> churningRoles() {
    return List.of(Role.DEALER);
  }

  @Override
  void stable() {
    assertNoBackgroundFailures();
    awaitAllConnected();
    String r = router.name();
    Map<String, long[]> bursts = new LinkedHashMap<>();
    for (Peer d : present(Role.DEALER)) {
      long a = ledger.lastSent(d.name()) + 1;
      if (!d.send(PER_ROUTE) || ledger.lastSent(d.name()) != a + PER_ROUTE - 1) {
        throw failure(d.name() + " could send only up to #" + ledger.lastSent(d.name()) + " of #" + a + ".."
            + (a + PER_ROUTE - 1) + " though it is connected to " + r);
      }
      bursts.put(d.name(), new long[] {a, a + PER_ROUTE - 1});
    }
    boolean all = ledger.await(() -> bursts.entrySet().stream()
        .allMatch(e -> ledger.count(e.getKey() + "@" + r, e.getKey(), e.getValue()[0], e.getValue()[1]) == PER_ROUTE), WAIT);
    if (!all) {
      List<String> missing = new ArrayList<>();
      bursts.forEach((d, b) -> missing.add(d + ": requests missing at " + r + " " + ledger.receivedBy(d, r).missing(b[0], b[1])
          + ", replies missing " + ledger.receivedBy(d + "@" + r, d).missing(b[0], b[1])
          + ", unroutable " + unroutable(d, r)));
      throw failure("with no peer changing, requests or replies were lost: " + missing);
    }
    stableBursts++;
  }

  @Override
  List<Runnable> traffic(Random random) {
    Random r = new Random(random.nextLong());
    return List.of(() -> {
      List<Peer> dealers = present(Role.DEALER);
      if (dealers.isEmpty()) {
        pause(2);
        return;
      }
      dealers.get(r.nextInt(dealers.size())).send(1 + r.nextInt(30));
      pause(r.nextInt(4));
    });
  }

  @Override
  void check() {
    assertNoBackgroundFailures();
    if (!router.closeAndAwaitLinger(WAIT)) {
      throw failure("our ROUTER incarnations " + router.lingering() + " still linger after " + WAIT + " though every peer is alive");
    }
    stopBackground();
    assertNoViolations();
    eventually(() -> checkSingleRouteStreams(router, Role.DEALER, transport.equals("ipc")));
    eventually(this::checkReplies);
  }

  /**
   * Every request a ROUTER incarnation took from a DEALER comes back to that DEALER, in order: all
   * of them if the DEALER is alive (a closed ROUTER lingers until its replies are delivered), a
   * prefix if it was killed or left. A reply is unroutable only once its DEALER is gone.
   */
  private void checkReplies() {
    for (Life life : lives.values()) {
      if (life.peer.role() != Role.DEALER) continue;
      String d = life.peer.name();
      for (String r : router.names()) {
        SeqSet echoed = ledger.receivedBy(d, r).minus(unroutable(d, r));
        SeqSet replies = ledger.receivedBy(d + "@" + r, d);
        SeqSet lost = unroutable(d, r);
        if (life.end == End.ALIVE && !lost.isEmpty()) {
          throw failure(r + " could not route replies " + lost + " to " + d + ", which never left");
        }
        boolean sound = echoed.minus(replies).size() == echoed.size() - replies.size(); // replies within echoed
        boolean whole = life.end == End.ALIVE ? replies.size() == echoed.size() : echoed.count(0, replies.last()) == replies.size();
        if (!sound || !whole) {
          throw failure(d + " (" + life.end + ") got back " + replies + " from " + r + ", which echoed " + echoed
              + (life.end == End.ALIVE ? ": every echo must reach a live DEALER" : ": what a departed DEALER got must be a prefix"));
        }
      }
    }
  }

  @Override
  String summary() {
    long requests = lives.values().stream().mapToLong(l -> ledger.lastSent(l.peer.name()) + 1).sum();
    return requests + " requests from " + lives.size() + " DEALER peers to " + router.names().size()
        + " ROUTER incarnations, " + changes.size() + " changes, " + stableBursts + " stable phases";
  }
}
