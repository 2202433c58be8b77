package io.pekkozmq.actors.churn;

import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One socket incarnation's connections as its monitor reports them: how many have completed the
 * handshake and not been lost since, how many were lost, whether its listener has closed. Counted
 * by an actor subscribed to the monitor; the harness waits on the counts (never on time).
 *
 * <p>A DISCONNECTED ends a handshaken connection unless a HANDSHAKE_FAILED with the same endpoints
 * came first (a connection lost during its handshake), which is how libzmq orders them too.
 */
final class ConnectionWatch {
  private static final long MASK = EventType.HANDSHAKE_SUCCEEDED.value() | EventType.HANDSHAKE_FAILED_NO_DETAIL.value()
      | EventType.HANDSHAKE_FAILED_PROTOCOL.value() | EventType.HANDSHAKE_FAILED_AUTH.value()
      | EventType.DISCONNECTED.value() | EventType.CLOSED.value() | EventType.MONITOR_STOPPED.value()
      | EventType.PIPES_STATS.value();

  private final Map<String, Integer> failing = new HashMap<>();
  private int handshakes;
  private int lost;
  private int listenersClosed;
  private int pipesStats;
  private boolean stopped;

  private ConnectionWatch() {}

  /** Subscribes before the socket binds or connects, so no event is missed. */
  static ConnectionWatch of(ActorTestKit kit, ZSocket socket) {
    ConnectionWatch w = new ConnectionWatch();
    var ref = kit.spawn(Behaviors.receive(SocketEvent.class).onAnyMessage(e -> {
      w.on(e);
      return e.type() == EventType.MONITOR_STOPPED ? Behaviors.stopped() : Behaviors.same();
    }).build());
    socket.monitor(ref, MASK, Long.MAX_VALUE);
    return w;
  }

  private synchronized void on(SocketEvent e) {
    String key = e.localEndpoint() + " " + e.remoteEndpoint();
    switch (e.type()) {
      case HANDSHAKE_SUCCEEDED -> handshakes++;
      case HANDSHAKE_FAILED_NO_DETAIL, HANDSHAKE_FAILED_PROTOCOL, HANDSHAKE_FAILED_AUTH -> failing.merge(key, 1, Integer::sum);
      case DISCONNECTED -> {
        if (failing.getOrDefault(key, 0) > 0) {
          failing.merge(key, -1, Integer::sum);
        } else {
          lost++;
        }
      }
      case CLOSED -> {
        if (e.bindSide()) listenersClosed++;
      }
      case PIPES_STATS -> pipesStats++;
      case MONITOR_STOPPED -> stopped = true;
      default -> { }
    }
    notifyAll();
  }

  synchronized int handshakes() {
    return handshakes;
  }

  synchronized int lost() {
    return lost;
  }

  /** Handshaken connections not lost since. */
  synchronized int live() {
    return handshakes - lost;
  }

  synchronized boolean awaitLive(int n, Duration timeout) {
    return await(() -> handshakes - lost == n, timeout);
  }

  synchronized boolean awaitHandshakes(int atLeast, Duration timeout) {
    return await(() -> handshakes >= atLeast, timeout);
  }

  synchronized boolean awaitLost(int atLeast, Duration timeout) {
    return await(() -> lost >= atLeast, timeout);
  }

  synchronized int pipesStats() {
    return pipesStats;
  }

  synchronized boolean awaitPipesStats(int atLeast, Duration timeout) {
    return await(() -> pipesStats >= atLeast, timeout);
  }

  synchronized boolean awaitListenerClosed(Duration timeout) {
    return await(() -> listenersClosed > 0, timeout);
  }

  synchronized String describe() {
    return handshakes + " handshakes, " + lost + " lost, " + listenersClosed + " listeners closed" + (stopped ? ", stopped" : "");
  }

  private boolean await(BooleanSupplier condition, Duration timeout) {
    return GuardedWait.await(this, condition, timeout);
  }
}
