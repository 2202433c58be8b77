package io.pekkozmq.actors;

import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 */
final class JeromqConnect {
  private JeromqConnect() {}

  static ZMQ.Socket connect(ZContext ctx, org.zeromq.ZContext jeromq, ZSocket ours, String endpoint,
      Supplier<ZMQ.Socket> open) throws InterruptedException {
    LinkedBlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();
    var monitor = ctx.system().systemActorOf(Behaviors.<SocketEvent>receiveMessage(e -> {
      if (e.type() == EventType.MONITOR_STOPPED) return Behaviors.stopped();
      events.add(e);
      return Behaviors.same();
    }), "jeromq-connect-" + UUID.randomUUID(), Props.empty());
    ours.monitor(monitor, EventType.ACCEPTED.value() | EventType.HANDSHAKE_SUCCEEDED.value()
        | EventType.DISCONNECTED.value());
    try {
      for (int attempt = 1; attempt <= 5; attempt++) {
        ZMQ.Socket peer = open.get();
        peer.connect(endpoint);
        String remote = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
          long left = deadline - System.nanoTime();
          SocketEvent e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
          if (e == null) break;
          if (e.type() == EventType.ACCEPTED && remote == null) remote = e.remoteEndpoint();
          if (e.type() == EventType.HANDSHAKE_SUCCEEDED && e.remoteEndpoint().equals(remote)) return peer;
        }
        peer.setLinger(0);
        jeromq.destroySocket(peer);
        if (remote != null) awaitDisconnect(events, remote, endpoint);
      }
      throw new AssertionError("JeroMQ never completed a handshake with " + endpoint + " in 5 connects");
    } finally {
      ours.actor().tell(new Socket.Unmonitor(monitor));
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
