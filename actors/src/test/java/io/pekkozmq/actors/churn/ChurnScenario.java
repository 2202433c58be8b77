package io.pekkozmq.actors.churn;

import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.actors.churn.Peer.Role;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * The skeleton every churn test runs: a stable phase, then rounds of a churn phase (traffic flows
 * while peers join, leave, are killed and restarted, and our sockets are closed and reopened, one
 * change at a time, each awaited through our monitor) followed by a stable phase (no peer changes:
 * exact delivery is asserted), and at the end the checks of what churn may and may not lose. A
 * subclass is one messaging pattern: its sockets, its traffic, its stable phase, its checks.
 *
 * <p>Every failure names the seed, so {@code -Dchurn.seed=N} replays the same choices (the timing
 * of threads and processes is not replayed).
 */
abstract class ChurnScenario implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final AtomicInteger SCENARIOS = new AtomicInteger();

  /** How a peer incarnation ended. */
  enum End { ALIVE, KILLED, LEFT }

  /** A peer incarnation's life, for the checks. */
  static final class Life {
    final Peer peer;
    /** The incarnation of its counterpart (our socket) that was current when it started. */
    final int counterpartAtStart;
    final long started = System.nanoTime();
    volatile long ended = Long.MAX_VALUE;
    volatile End end = End.ALIVE;

    Life(Peer peer, int counterpartAtStart) {
      this.peer = peer;
      this.counterpartAtStart = counterpartAtStart;
    }
  }

  enum Kind { JOIN, RESTART, LEAVE, REOPEN }

  /**
   * One change, from its start to the moment its effect was seen on our side; the last sequence
   * number each incarnation of {@code socket} had sent at both moments (for loss attribution).
   */
  record Change(Kind kind, OurSocket socket, String removed, String added, long start, long end,
      Map<String, Long> sentAtStart, Map<String, Long> sentAtEnd) {}

  protected final String transport;
  protected final long seed;
  protected final int scale;
  protected final Random rnd;
  protected final ZeroMQ zmq;
  protected final ActorTestKit kit;
  protected final Path dir;
  protected final Ledger ledger;
  protected final String title;
  /** The peers now present. */
  protected final List<Peer> peers = new CopyOnWriteArrayList<>();
  protected final Map<String, Life> lives = new ConcurrentHashMap<>();
  protected final List<Change> changes = new CopyOnWriteArrayList<>();
  private final Map<Role, OurSocket> counterparts = new EnumMap<>(Role.class);
  private final List<OurSocket> ours = new ArrayList<>();
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final List<Throwable> trafficFailures = new CopyOnWriteArrayList<>();
  private final List<Throwable> backgroundFailures = new CopyOnWriteArrayList<>();
  private final List<Thread> backgroundThreads = new CopyOnWriteArrayList<>();
  private volatile boolean closing;
  private final int id = SCENARIOS.incrementAndGet();
  private final long t0 = System.nanoTime();
  private int peerNames;
  private int endpointNames;

  ChurnScenario(String title, String transport, long seed, int scale, ZeroMQ zmq, ActorTestKit kit, Path dir,
      boolean fanOut) {
    this.title = title;
    this.transport = transport;
    this.seed = seed;
    this.scale = scale;
    this.rnd = new Random(seed ^ title.hashCode() ^ transport.hashCode());
    this.zmq = zmq;
    this.kit = kit;
    this.dir = dir;
    this.ledger = new Ledger(fanOut);
  }

  // ---- the skeleton -------------------------------------------------------------------------

  /** Runs the scenario; any failure, also one from a helper or a socket, names the seed. */
  final void run() {
    try {
      play();
    } catch (AssertionError | RuntimeException e) {
      if (String.valueOf(e.getMessage()).startsWith(context())) throw e;
      AssertionError named = failure(e.toString());
      named.initCause(e);
      throw named;
    }
  }

  /** The skeleton: stable, then {@code 4 x scale} rounds of churn and stable, then the checks. */
  void play() {
    setUp();
    stable();
    int rounds = 4 * scale;
    for (int r = 1; r <= rounds; r++) {
      note("round " + r + " of " + rounds + ": churn");
      churn();
      note("round " + r + " of " + rounds + ": stable");
      stable();
    }
    check();
    assertNoViolations();
    note("done: " + summary());
    System.out.println("churn " + title + " over " + transport + " (seed " + seed + ", scale " + scale + "): " + summary()
        + " in " + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
  }

  /** Opens our sockets and starts the first peers. */
  abstract void setUp();

  /** Waits for every peer, sends a burst on every route and asserts exact delivery. */
  abstract void stable();

  /** The traffic of a churn phase: loop bodies, each run over and over on its own thread. */
  abstract List<Runnable> traffic(Random random);

  /** The roles of the peers that churn. */
  abstract List<Role> churningRoles();

  /** The end-of-run checks: what churn lost is what libzmq may lose, nothing more. */
  abstract void check();

  abstract String summary();

  // ---- the churn phase ----------------------------------------------------------------------

  private void churn() {
    List<Thread> threads = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    for (Runnable body : traffic(new Random(rnd.nextLong()))) {
      Thread t = new Thread(() -> {
        try {
          while (!stop.get()) body.run();
        } catch (Throwable e) {
          trafficFailures.add(e);
        }
      }, "churn-traffic-" + threads.size());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    try {
      int events = 4 + rnd.nextInt(3);
      for (int i = 0; i < events; i++) {
        pause(rnd.nextInt(25));
        randomChange();
      }
      for (Role role : churningRoles()) {
        if (present(role).isEmpty()) join(role);
      }
      pause(rnd.nextInt(25));
    } finally {
      stop.set(true);
      for (Thread t : threads) {
        try {
          t.join(WAIT.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (t.isAlive()) trafficFailures.add(new AssertionError(t.getName() + " did not stop within " + WAIT));
      }
    }
    if (!trafficFailures.isEmpty()) {
      AssertionError e = failure("traffic failed: " + trafficFailures.get(0));
      trafficFailures.forEach(e::addSuppressed);
      throw e;
    }
    if (rnd.nextBoolean()) {
      // a peer connects to our bound endpoint just before the stable phase, which starts at once
      // on its HANDSHAKE_SUCCEEDED: its pipe must already take its share
      Role role = churningRoles().get(rnd.nextInt(churningRoles().size()));
      if (present(role).size() < 5) joinConnecting(role);
    }
  }

  private void randomChange() {
    List<Role> roles = churningRoles();
    Role role = roles.get(rnd.nextInt(roles.size()));
    List<Peer> present = present(role);
    int dice = rnd.nextInt(100);
    if (dice < 35 && !present.isEmpty()) {
      restart(present.get(rnd.nextInt(present.size())));
    } else if (dice < 55 && present.size() > 1) {
      leave(present.get(rnd.nextInt(present.size())));
    } else if (dice < 80 && present.size() < 4) {
      join(role);
    } else {
      reopen(counterpart(role));
    }
  }

  /** A short random pause between changes: part of the churn, never used to wait for anything. */
  static void pause(int millis) {
    if (millis <= 0) return;
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- our sockets --------------------------------------------------------------------------

  /**
   * One of our sockets, bound to a fresh endpoint, serving the peers of {@code peerRoles}; its
   * incarnations are named "our" + base + n, never like a peer (role + n): names are origins.
   */
  OurSocket ourSocket(SocketType type, String base, Consumer<ZSocket> setup, Role... peerRoles) {
    OurSocket s = new OurSocket(zmq, kit, type, "our" + base, freshEndpoint(base), setup, WAIT, closeLingerMillis());
    for (Role r : peerRoles) counterparts.put(r, s);
    ours.add(s);
    return s;
  }

  /**
   * The LINGER an incarnation closes with. Churn closes with 3 s, not -1: an incarnation may still
   * be connected to an endpoint whose bound peer has left, and what it queued there waits for ever
   * (libzmq's would too: its zmq_ctx_term hangs then). 3 s is far more than delivery to live peers
   * takes on loopback, and the ledger checks that delivery; {@link LingerScenario} closes with -1.
   */
  int closeLingerMillis() {
    return 3000;
  }

  OurSocket counterpart(Role role) {
    return counterparts.get(role);
  }

  /** The last sequence number each incarnation of {@code s} has sent. */
  Map<String, Long> sentSnapshot(OurSocket s) {
    Map<String, Long> m = new HashMap<>();
    for (String n : s.names()) m.put(n, ledger.lastSent(n));
    return m;
  }

  boolean networked() {
    return !transport.equals("inproc");
  }

  String freshEndpoint(String hint) {
    int n = ++endpointNames;
    return switch (transport) {
      case "tcp" -> "tcp://127.0.0.1:*";
      case "ipc" -> "ipc://" + dir.resolve("s" + id + "-" + hint + n);
      default -> "inproc://churn-" + id + "-" + hint + n;
    };
  }

  // ---- peers --------------------------------------------------------------------------------

  List<Peer> present(Role role) {
    return peers.stream().filter(p -> p.role() == role).toList();
  }

  /**
   * Starts a peer of {@code role}: bound to {@code endpoint}, or connecting to its counterpart's
   * endpoint; {@code connectOurs}: our socket connects to a binding peer (a restarted peer at an
   * endpoint our socket already connects to needs no second connect, except over inproc).
   */
  Peer startPeer(Role role, boolean binds, String endpoint, boolean connectOurs) {
    OurSocket s = counterpart(role);
    String name = role.name().toLowerCase() + (++peerNames);
    String ep = binds ? endpoint : s.bound();
    Peer p = networked()
        ? LibzmqPeer.start(role, binds, ep, name, ledger, WAIT)
        : OurPeer.start(zmq, role, binds, ep, name, ledger);
    lives.put(name, new Life(p, s.incarnation()));
    peers.add(p);
    if (binds && connectOurs) s.connect(p.endpoint());
    note("started " + name + (binds ? " bound to " : " connecting to ") + p.endpoint());
    return p;
  }

  Peer startPeer(Role role, boolean binds) {
    return startPeer(role, binds, freshEndpoint(role.name().toLowerCase()), true);
  }

  void join(Role role) {
    join(role, rnd.nextBoolean());
  }

  /** A peer that connects to our socket, so that its pipe joins ours after the handshake. */
  void joinConnecting(Role role) {
    join(role, false);
  }

  private void join(Role role, boolean binds) {
    OurSocket s = counterpart(role);
    Map<String, Long> before = sentSnapshot(s);
    long start = System.nanoTime();
    int handshakes = s.watch().handshakes();
    Peer p = startPeer(role, binds);
    awaitHandshake(s, handshakes + 1, "join of " + p.name());
    changes.add(new Change(Kind.JOIN, s, null, p.name(), start, System.nanoTime(), before, sentSnapshot(s)));
  }

  /** SIGKILL (inproc: LINGER 0) and a new incarnation in the same place. */
  void restart(Peer p) {
    OurSocket s = counterpart(p.role());
    Map<String, Long> before = sentSnapshot(s);
    long start = System.nanoTime();
    int lost = s.watch().lost();
    int handshakes = s.watch().handshakes();
    p.kill();
    ended(p, End.KILLED);
    note("killed " + p.name());
    awaitLost(s, lost + 1, "kill of " + p.name());
    s.settle();
    Peer q = startPeer(p.role(), p.binds(), p.endpoint(), !networked());
    awaitHandshake(s, handshakes + 1, "restart of " + p.name() + " as " + q.name());
    changes.add(new Change(Kind.RESTART, s, p.name(), q.name(), start, System.nanoTime(), before, sentSnapshot(s)));
  }

  void leave(Peer p) {
    OurSocket s = counterpart(p.role());
    if (p.binds() && !s.awaitLingerDone(WAIT)) {
      // a closed incarnation would otherwise linger for ever on the endpoint that goes away
      throw failure("closed incarnations " + s.lingering() + " still linger after " + WAIT + " though every peer is alive");
    }
    Map<String, Long> before = sentSnapshot(s);
    long start = System.nanoTime();
    int lost = s.watch().lost();
    p.leave();
    ended(p, End.LEFT);
    note("left " + p.name());
    awaitLost(s, lost + 1, "leave of " + p.name());
    s.settle();
    if (p.binds()) s.disconnect(p.endpoint());
    changes.add(new Change(Kind.LEAVE, s, p.name(), null, start, System.nanoTime(), before, sentSnapshot(s)));
  }

  /** Closes our socket (LINGER -1) and opens its next incarnation on the same endpoints. */
  void reopen(OurSocket s) {
    Map<String, Long> before = sentSnapshot(s);
    long start = System.nanoTime();
    String old = s.name();
    s.reopen();
    List<Peer> served = peers.stream().filter(p -> counterpart(p.role()) == s).toList();
    for (Peer p : served) p.reconnect();
    note("reopened " + old + " as " + s.name());
    awaitLive(s, served.size(), "reopen of " + old + " as " + s.name());
    changes.add(new Change(Kind.REOPEN, s, null, null, start, System.nanoTime(), before, sentSnapshot(s)));
  }

  private void ended(Peer p, End how) {
    peers.remove(p);
    Life l = lives.get(p.name());
    l.ended = System.nanoTime();
    l.end = how;
  }

  // ---- waiting on our monitors (tcp and ipc; inproc has no connection events) ---------------

  void awaitHandshake(OurSocket s, int atLeast, String why) {
    if (networked() && !s.watch().awaitHandshakes(atLeast, WAIT)) {
      throw failure(s.name() + " saw no handshake within " + WAIT + " after the " + why + " (" + s.watch().describe() + ")");
    }
  }

  void awaitLost(OurSocket s, int atLeast, String why) {
    if (networked() && !s.watch().awaitLost(atLeast, WAIT)) {
      throw failure(s.name() + " saw no DISCONNECTED within " + WAIT + " after the " + why + " (" + s.watch().describe() + ")");
    }
  }

  void awaitLive(OurSocket s, int n, String why) {
    if (networked() && !s.watch().awaitLive(n, WAIT)) {
      throw failure(s.name() + " has not " + n + " handshaken connections within " + WAIT + " for the " + why + " ("
          + s.watch().describe() + ")");
    }
  }

  /** Every present peer of each role is connected to its counterpart, as our monitor sees it. */
  void awaitAllConnected() {
    for (OurSocket s : ours) {
      int n = (int) peers.stream().filter(p -> counterpart(p.role()) == s).count();
      awaitLive(s, n, "stable phase");
    }
  }

  // ---- checks -------------------------------------------------------------------------------

  /**
   * Runs {@code check}; if it fails, waits (at most 3 s) for messages still on their way (a closed
   * incarnation's last ones, written before it finished lingering, may not have been read and
   * reported by the peer yet) until it passes, and runs it a last time to fail with its message.
   */
  void eventually(Runnable check) {
    if (passes(check)) return;
    ledger.await(() -> passes(check), Duration.ofSeconds(3));
    check.run();
  }

  private static boolean passes(Runnable check) {
    try {
      check.run();
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  void assertNoViolations() {
    List<String> v = ledger.violations();
    if (!v.isEmpty()) {
      throw failure(v.size() + " messages torn, duplicated or reordered; first ones:\n  "
          + String.join("\n  ", v.subList(0, Math.min(10, v.size()))));
    }
  }

  /**
   * Load balancing (PUSH, REQ): every message of our socket {@code s} that no receiver got was
   * queued to, or in flight to, a peer that was killed or left: sent after that peer's last message
   * from this origin (a pipe is FIFO, so nothing before it was still queued there), after that
   * peer joined, and not after our side had seen it go. libzmq loses those too (the bind-side pipe
   * goes with the connection; TCP buffers and the engine's batch die with the peer); anything else
   * lost went to a live peer and is a defect.
   */
  void checkLoadBalancedLoss(OurSocket s) {
    List<String> unexplained = new ArrayList<>();
    long lostTotal = 0;
    for (String origin : s.names()) {
      SeqSet sent = ledger.sentBy(origin);
      if (sent.isEmpty()) continue;
      SeqSet got = ledger.receivedAnywhere(origin);
      List<Long> lost = got.missing(0, sent.last());
      lostTotal += lost.size();
      for (long m : lost) {
        if (!explainedByRemoval(s, origin, m)) unexplained.add(origin + " #" + m);
      }
    }
    if (!unexplained.isEmpty()) {
      throw failure(unexplained.size() + " of " + lostTotal + " lost messages went to no peer that was killed or left: "
          + unexplained.subList(0, Math.min(20, unexplained.size())) + "; removals: " + removals(s, s.names()));
    }
    note(lostTotal + " messages lost to killed or departed peers, all explained");
  }

  private boolean explainedByRemoval(OurSocket s, String origin, long m) {
    for (Change c : changes) {
      if (c.socket() != s || c.removed() == null) continue;
      long detected = c.sentAtEnd().getOrDefault(origin, -1L);
      long lastGot = ledger.receivedBy(origin, c.removed()).last();
      if (m > Math.max(attachedAt(c.removed(), origin), lastGot) && m <= detected) return true;
    }
    return false;
  }

  /** The last sequence number {@code origin} had sent when peer {@code name} started joining, or -1. */
  long attachedAt(String name, String origin) {
    for (Change c : changes) {
      if (name.equals(c.added())) return c.sentAtStart().getOrDefault(origin, -1L);
    }
    return -1;
  }

  private String removals(OurSocket s, List<String> origins) {
    List<String> out = new ArrayList<>();
    for (Change c : changes) {
      if (c.socket() != s || c.removed() == null) continue;
      Map<String, String> per = new LinkedHashMap<>();
      for (String o : origins) {
        per.put(o, "(" + Math.max(attachedAt(c.removed(), o), ledger.receivedBy(o, c.removed()).last()) + ", "
            + c.sentAtEnd().getOrDefault(o, -1L) + "]");
      }
      out.add(c.kind() + " " + c.removed() + " " + per);
    }
    return out.toString();
  }

  /**
   * A peer sending to one of our sockets over a single route (PUSH to our PULL, DEALER to our
   * ROUTER): each of our incarnations gets one contiguous run of its stream (a connection is FIFO
   * and loses nothing while both ends live); a gap may open only where our socket was closed and
   * reopened (what was queued at the closed incarnation, or in the peer's bind-side pipe, is lost,
   * as in libzmq), and the tail only if the peer was killed ({@code tailMayGoOnLeave}: or left).
   */
  void checkSingleRouteStreams(OurSocket receiver, Role senderRole, boolean tailMayGoOnLeave) {
    List<String> names = receiver.names();
    for (Life life : lives.values()) {
      if (life.peer.role() != senderRole) continue;
      String q = life.peer.name();
      SeqSet sent = ledger.sentBy(q);
      long prevLast = -1;
      int prevIncarnation = -1;
      for (int k = 0; k < names.size(); k++) {
        SeqSet got = ledger.receivedBy(q, names.get(k));
        if (got.isEmpty()) continue;
        if (got.runs().size() > 1) {
          throw failure(names.get(k) + " lost messages from " + q + " within one connection: got " + got + " (sent " + sent + ")");
        }
        if (got.first() != prevLast + 1 && prevIncarnation == -1 && k == life.counterpartAtStart) {
          throw failure(names.get(k) + " got " + q + "'s stream from #" + got.first() + ", not from its start, though it was "
              + "open before " + q + " started and stayed open (got " + got + ", sent " + sent + ")");
        }
        prevLast = got.last();
        prevIncarnation = k;
      }
      long lastSent = Math.max(sent.last(), prevLast);
      boolean tailMayGo = life.end == End.KILLED || (tailMayGoOnLeave && life.end == End.LEFT)
          || prevIncarnation < names.size() - 1;
      if (prevLast < lastSent && !tailMayGo) {
        throw failure("the last " + (lastSent - prevLast) + " messages of " + q + " (" + life.end + ") never reached "
            + receiver.base() + ": got up to #" + prevLast + " of #" + lastSent);
      }
    }
  }

  // ---- our side's receivers ----------------------------------------------------------------

  /** Checks a message one of our sockets received and records it (or what is wrong with it). */
  void record(String receiver, Msg m) {
    ChurnMessage.Parsed p = ChurnMessage.parse(m);
    if (p.error() != null) {
      ledger.violation(receiver + " " + p.error());
    } else {
      ledger.received(receiver, p.stream(), p.seq(), p.seq());
    }
  }

  /** Runs {@code body} over and over on a thread until {@link #close}; a failure fails the run. */
  void background(String name, Runnable body) {
    Thread t = new Thread(() -> {
      try {
        while (!closing) body.run();
      } catch (Throwable e) {
        if (!closing) backgroundFailures.add(e);
      }
    }, "churn-" + name);
    t.setDaemon(true);
    backgroundThreads.add(t);
    t.start();
  }

  /** Stops the background threads (they finish their current turn). */
  void stopBackground() {
    closing = true;
    for (Thread t : backgroundThreads) {
      try {
        t.join(WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  void assertNoBackgroundFailures() {
    if (!backgroundFailures.isEmpty()) {
      AssertionError e = failure("a receiving thread failed: " + backgroundFailures.get(0));
      backgroundFailures.forEach(e::addSuppressed);
      throw e;
    }
  }

  // ---- failures and the log -----------------------------------------------------------------

  void note(String line) {
    log.add(String.format("%7.3f s %s", (System.nanoTime() - t0) / 1e9, line));
  }

  String context() {
    return "[" + title + " over " + transport + ", -Dchurn.seed=" + seed + " -Dchurn.scale=" + scale + "] ";
  }

  AssertionError failure(String what) {
    List<String> tail;
    synchronized (log) {
      tail = new ArrayList<>(log.subList(Math.max(0, log.size() - 40), log.size()));
    }
    return new AssertionError(context() + what + "\nlast events:\n  " + String.join("\n  ", tail));
  }

  /**
   * Cleanup: our sockets still open close with LINGER 0 (a failed run must not leave them
   * lingering at peers that are about to go), then every peer process or socket ends.
   */
  @Override
  public void close() {
    stopBackground();
    for (OurSocket s : ours) {
      ZSocket z = s.socket();
      if (z == null || io.pekkozmq.actors.spi.RuntimeSpi.dataPlane(z).isClosed()) continue;
      try {
        z.setOption(ZmqOption.LINGER, 0);
      } catch (RuntimeException closing) {
        // closing anyway
      }
      z.close();
    }
    for (Peer p : lives.values().stream().map(l -> l.peer).toList()) p.close();
  }
}
