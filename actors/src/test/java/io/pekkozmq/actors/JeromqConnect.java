package io.pekkozmq.actors;

import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.zeromq.ZMQ;

/**
 * Connects JeroMQ sockets to one of ours and waits for the handshake, replacing a JeroMQ socket
 * that never starts it. JeroMQ 0.6.0 now and then never acts on a completed TCP connect: it neither
 * sends its greeting nor reads ours (ss shows our 10-byte signature unread in its receive queue),
 * and it does not reconnect. Reproduced JeroMQ-to-JeroMQ without pekko-zmq; frequent on a loaded
 * machine. Each attempt's connection is told apart by its remote endpoint (from ACCEPTED), and a
 * replaced socket's connection must be gone (DISCONNECTED) before the next attempt, so a replaced
 * socket that wakes up late can never hold the place of its successor (a PAIR keeps one peer).
 * What a late socket sent before it went stays sent: an XPUB of ours has reported its
 * subscriptions and their cancels, so a scenario that reads those has the JeroMQ socket subscribe
 * only once connected (PubSubInteropTest).
 */
final class JeromqConnect {
  private JeromqConnect() {}

  static ZMQ.Socket connect(ZContext ctx, org.zeromq.ZContext jeromq, ZSocket ours, String endpoint,
      Supplier<ZMQ.Socket> open) throws InterruptedException {
    return connect(ctx, jeromq, List.of(ours), List.of(endpoint), open);
  }

  /** One JeroMQ socket connected to {@code endpoints.get(k)} of {@code ours.get(k)}, for every k. */
  static ZMQ.Socket connect(ZContext ctx, org.zeromq.ZContext jeromq, List<ZSocket> ours, List<String> endpoints,
      Supplier<ZMQ.Socket> open) throws InterruptedException {
    List<LinkedBlockingQueue<SocketEvent>> events = new ArrayList<>();
    List<ActorRef<SocketEvent>> monitors = new ArrayList<>();
    for (ZSocket s : ours) {
      LinkedBlockingQueue<SocketEvent> q = new LinkedBlockingQueue<>();
      ActorRef<SocketEvent> m = ctx.system().systemActorOf(Behaviors.<SocketEvent>receiveMessage(e -> {
        if (e.type() == EventType.MONITOR_STOPPED) return Behaviors.stopped();
        q.add(e);
        return Behaviors.same();
      }), "jeromq-connect-" + UUID.randomUUID(), Props.empty());
      s.monitor(m, EventType.ACCEPTED.value() | EventType.HANDSHAKE_SUCCEEDED.value()
          | EventType.DISCONNECTED.value());
      events.add(q);
      monitors.add(m);
    }
    // sockets already connected to ours (earlier calls for the same ROUTER, say) keep their pipes
    int[] before = new int[ours.size()];
    for (int k = 0; k < ours.size(); k++) before[k] = ours.get(k).core().pipesSnapshot().size();
    try {
      for (int attempt = 1; attempt <= 5; attempt++) {
        ZMQ.Socket peer = open.get();
        for (String e : endpoints) peer.connect(e);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String[] remotes = new String[ours.size()];
        boolean all = true;
        for (int k = 0; k < ours.size(); k++) {
          if (!handshook(events.get(k), remotes, k, deadline)) all = false;
        }
        if (all) {
          if (attempt > 1) awaitOnePipeEach(ours, before, endpoints);
          return peer;
        }
        peer.setLinger(0);
        jeromq.destroySocket(peer);
        for (int k = 0; k < ours.size(); k++) {
          if (remotes[k] != null) awaitDisconnect(events.get(k), remotes[k], endpoints.get(k));
        }
      }
      throw new AssertionError("JeroMQ never completed its handshakes with " + endpoints + " in 5 connects");
    } finally {
      for (int k = 0; k < ours.size(); k++) ours.get(k).actor().tell(new Socket.Unmonitor(monitors.get(k)));
    }
  }

  /** Waits for this attempt's connection (its ACCEPTED names it) to complete its handshake. */
  private static boolean handshook(LinkedBlockingQueue<SocketEvent> events, String[] remotes, int k, long deadline)
      throws InterruptedException {
    while (true) {
      long left = deadline - System.nanoTime();
      SocketEvent e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) return false;
      if (e.type() == EventType.ACCEPTED && remotes[k] == null) remotes[k] = e.remoteEndpoint();
      if (e.type() == EventType.HANDSHAKE_SUCCEEDED && e.remoteEndpoint().equals(remotes[k])) return true;
    }
  }

  /**
   * A replaced socket's DISCONNECTED is reported as it happens; the socket drops that pipe a moment
   * later. Until it has, a message could still be balanced onto the dead pipe: wait until each of
   * ours has one pipe more than before this call.
   */
  private static void awaitOnePipeEach(List<ZSocket> ours, int[] before, List<String> endpoints) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (int k = 0; k < ours.size(); k++) {
      ZSocket s = ours.get(k);
      while (s.core().pipesSnapshot().size() > before[k] + 1) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("a replaced JeroMQ socket's pipe stayed in " + s.type() + " at " + endpoints);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
    }
  }

  private static void awaitDisconnect(LinkedBlockingQueue<SocketEvent> events, String remote, String endpoint)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      long left = deadline - System.nanoTime();
      SocketEvent e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) throw new AssertionError("a replaced JeroMQ socket (" + remote + ") stayed connected to " + endpoint);
      if (e.type() == EventType.DISCONNECTED && e.remoteEndpoint().equals(remote)) return;
    }
  }
}
