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

/** JeroMQ peers for interop tests: connecting them to our sockets, multipart send and receive. */
final class JeromqPeers {
  private JeromqPeers() {}

  /**
   * Opens a JeroMQ socket, connects it to {@code endpoints[k]} of {@code ours[k]} and waits for each
   * handshake. JeroMQ 0.6.0 now and then never starts the handshake on a connecting socket (see
   * JeromqInteropTest), so a socket that misses one is replaced, a bounded number of times.
   */
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
      }), "jeromq-handshakes-" + UUID.randomUUID(), Props.empty());
      s.monitor(m, EventType.HANDSHAKE_SUCCEEDED.value());
      events.add(q);
      monitors.add(m);
    }
    try {
      for (int attempt = 1; attempt <= 5; attempt++) {
        ZMQ.Socket peer = open.get();
        for (String e : endpoints) peer.connect(e);
        boolean all = true;
        for (LinkedBlockingQueue<SocketEvent> q : events) {
          if (q.poll(3, TimeUnit.SECONDS) == null) all = false;
        }
        if (all) return peer;
        peer.setLinger(0);
        jeromq.destroySocket(peer);
        for (LinkedBlockingQueue<SocketEvent> q : events) q.clear();
      }
      throw new AssertionError("JeroMQ never completed its handshakes with " + endpoints + " in 5 connects");
    } finally {
      for (int k = 0; k < ours.size(); k++) ours.get(k).actor().tell(new Socket.Unmonitor(monitors.get(k)));
    }
  }

  /** One whole message, or null on timeout. */
  static List<byte[]> recv(ZMQ.Socket s) {
    List<byte[]> parts = new ArrayList<>();
    do {
      byte[] b = s.recv();
      if (b == null) return null;
      parts.add(b);
    } while (s.hasReceiveMore());
    return parts;
  }

  /** Sends a whole message; false on timeout. */
  static boolean send(ZMQ.Socket s, List<byte[]> parts) {
    for (int k = 0; k < parts.size(); k++) {
      boolean ok = k < parts.size() - 1 ? s.sendMore(parts.get(k)) : s.send(parts.get(k));
      if (!ok) return false;
    }
    return true;
  }
}
