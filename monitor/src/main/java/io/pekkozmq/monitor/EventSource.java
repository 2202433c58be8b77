package io.pekkozmq.monitor;

import io.pekkozmq.actors.Socket;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.GraphStageWithMaterializedValue;
import scala.Tuple2;
import scala.runtime.BoxedUnit;

/**
 * A socket's monitor events as a Pekko Streams {@code Source}. Each materialization subscribes a
 * fresh monitor (its own subscriber, its own mask); the stream emits events in the order the socket
 * produced them and completes after MONITOR_STOPPED, which it emits last. Cancelling the stream
 * unsubscribes. The materialized value completes once the subscription is on its way to the
 * socket: whatever is sent to the socket afterwards (bind, connect...) is seen by the stream.
 *
 * <p>Backpressure reaches the socket as monitor demand: the stage holds at most
 * {@code bufferSize} events and grants the socket more only as downstream takes them. When
 * downstream is slower than the socket, the socket keeps the newest events up to
 * {@code pekko-zmq.monitor.buffer} and drops older ones; the next event emitted says how many were
 * lost in {@link SocketEvent#dropped()}. A slow stream never holds the socket back.
 */
public final class EventSource {
  private EventSource() {}

  /** Events of {@code socket} matching {@code mask} (e.g. {@code EventType.ALL_V1}). */
  public static Source<SocketEvent, CompletionStage<Done>> create(ZSocket socket, long mask, int bufferSize) {
    return create(socket.actor(), mask, bufferSize);
  }

  /** Events of the socket actor {@code socket} matching {@code mask}. */
  public static Source<SocketEvent, CompletionStage<Done>> create(ActorRef<Socket.Command> socket, long mask,
      int bufferSize) {
    if (bufferSize <= 0) throw new IllegalArgumentException("bufferSize must be positive, got " + bufferSize);
    return Source.fromGraph(new Stage(socket, mask, bufferSize));
  }

  private static final class Stage
      extends GraphStageWithMaterializedValue<SourceShape<SocketEvent>, CompletionStage<Done>> {
    private final Outlet<SocketEvent> out = Outlet.create("EventSource.out");
    private final SourceShape<SocketEvent> shape = SourceShape.of(out);
    private final ActorRef<Socket.Command> socket;
    private final long mask;
    private final int bufferSize;

    Stage(ActorRef<Socket.Command> socket, long mask, int bufferSize) {
      this.socket = socket;
      this.mask = mask;
      this.bufferSize = bufferSize;
    }

    @Override
    public SourceShape<SocketEvent> shape() {
      return shape;
    }

    @Override
    public Tuple2<GraphStageLogic, CompletionStage<Done>> createLogicAndMaterializedValue(Attributes attributes) {
      CompletableFuture<Done> subscribed = new CompletableFuture<>();
      GraphStageLogic logic = new GraphStageLogic(shape) {
        /** Never more than bufferSize (the demand granted), plus the final MONITOR_STOPPED. */
        private final ArrayDeque<SocketEvent> queue = new ArrayDeque<>();
        private ActorRef<SocketEvent> self;
        private int takenSinceRequest;
        private boolean ended;

        {
          setHandler(out, new AbstractOutHandler() {
            @Override
            public void onPull() {
              pushNext();
            }
          });
        }

        @Override
        public void preStart() {
          StageActor actor = getStageActor(m -> {
            if (m._2() instanceof SocketEvent e) {
              queue.add(e);
              pushNext();
            }
            return BoxedUnit.UNIT;
          });
          self = Adapter.toTyped(actor.ref());
          socket.tell(new Socket.Monitor(self, mask, bufferSize));
          subscribed.complete(Done.getInstance());
        }

        private void pushNext() {
          if (!isAvailable(out) || queue.isEmpty()) return;
          SocketEvent e = queue.poll();
          push(out, e);
          if (e.type() == EventType.MONITOR_STOPPED) {
            ended = true;
            completeStage();
            return;
          }
          // grant in batches: one message to the socket per half buffer, not per event
          if (++takenSinceRequest >= Math.max(1, bufferSize / 2)) {
            socket.tell(new Socket.MonitorRequest(self, takenSinceRequest));
            takenSinceRequest = 0;
          }
        }

        @Override
        public void postStop() {
          if (!ended && self != null) socket.tell(new Socket.Unmonitor(self));
          subscribed.completeExceptionally(new IllegalStateException("the event stream stopped before it subscribed"));
        }
      };
      return Tuple2.apply(logic, subscribed);
    }
  }
}
