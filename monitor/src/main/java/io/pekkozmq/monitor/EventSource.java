package io.pekkozmq.monitor;

import io.pekkozmq.actors.Socket;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A socket's monitor events as a Pekko Streams {@code Source}. Each materialization subscribes a
 * fresh monitor (its own subscriber, its own mask); the stream emits events in the order the socket
 * produced them and completes after MONITOR_STOPPED, which it emits last. Cancelling the stream
 * unsubscribes. When downstream is slower than the socket, at most {@code bufferSize} events wait;
 * beyond that the oldest are dropped, so a slow consumer never holds the socket back.
 */
public final class EventSource {
  private EventSource() {}

  /** Events of {@code socket} matching {@code mask} (e.g. {@code EventType.ALL_V1}). */
  public static Source<SocketEvent, NotUsed> create(ZSocket socket, long mask, int bufferSize) {
    return create(socket.actor(), mask, bufferSize);
  }

  /** Events of the socket actor {@code socket} matching {@code mask}. */
  public static Source<SocketEvent, NotUsed> create(ActorRef<Socket.Command> socket, long mask, int bufferSize) {
    if (bufferSize <= 0) throw new IllegalArgumentException("bufferSize must be positive, got " + bufferSize);
    return Source.<SocketEvent>actorRef(
            msg -> Optional.empty(),
            msg -> Optional.empty(),
            bufferSize,
            OverflowStrategy.dropHead())
        .mapMaterializedValue(classic -> {
          ActorRef<SocketEvent> subscriber = Adapter.toTyped(classic);
          socket.tell(new Socket.Monitor(subscriber, mask));
          return subscriber;
        })
        .takeWhile(e -> e.type() != EventType.MONITOR_STOPPED, true)
        .watchTermination((subscriber, done) -> {
          done.whenComplete((d, err) -> socket.tell(new Socket.Unmonitor(subscriber)));
          return NotUsed.getInstance();
        });
  }
}
