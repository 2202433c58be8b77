package io.pekkozmq.streams.impl;

import io.pekkozmq.actors.spi.SocketDataPlane;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.streams.ZmqControl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AsyncCallback;

/**
 * Internal. The {@link ZmqControl} a stage materializes: futures the stage logic completes, a
 * callback into the stage for {@link #drainAndShutdown}, and the fan-out of the stage's one monitor
 * subscription to any number of {@link #events} subscribers.
 *
 * <p>Events: the stage subscribes one monitor before its socket binds or connects and feeds every
 * event to {@link #publish}; the last {@code history} events are kept, so a subscriber that attaches
 * later still sees how the socket started. Publishing, attaching and completion share one lock, so
 * each subscriber sees events in order, without gaps beyond its buffer, and always completes.
 */
final class StageControl implements ZmqControl {
  final CompletableFuture<String> ready = new CompletableFuture<>();
  final CompletableFuture<Done> closed = new CompletableFuture<>();
  private volatile AsyncCallback<Done> shutdown;
  private volatile SocketDataPlane core;

  private record Subscriber(long mask, BoundedSourceQueue<SocketEvent> queue) {}

  private final Object eventLock = new Object();
  private final int history;
  private final ArrayDeque<SocketEvent> recent;
  private final List<Subscriber> subscribers = new ArrayList<>();
  private boolean eventsDone;

  StageControl(int history) {
    this.history = history;
    this.recent = new ArrayDeque<>(history);
  }

  void bind(AsyncCallback<Done> shutdownCallback) {
    this.shutdown = shutdownCallback;
  }

  void setCore(SocketDataPlane core) {
    this.core = core;
  }

  /** One event of the stage's socket, for every subscriber whose mask takes it. */
  void publish(SocketEvent e) {
    synchronized (eventLock) {
      if (eventsDone) return;
      if (recent.size() == history) recent.poll();
      recent.add(e);
      for (Iterator<Subscriber> it = subscribers.iterator(); it.hasNext(); ) {
        Subscriber s = it.next();
        // a full queue drops this event for that subscriber only; a cancelled one is forgotten
        if (e.type().in(s.mask()) && s.queue().offer(e) == QueueOfferResult.closed()) it.remove();
      }
    }
  }

  /** The socket's monitor has stopped (or the socket never existed): complete every subscriber. */
  void eventsDone() {
    synchronized (eventLock) {
      if (eventsDone) return;
      eventsDone = true;
      for (Subscriber s : subscribers) s.queue().complete();
      subscribers.clear();
    }
  }

  @Override
  public CompletionStage<String> ready() {
    return ready.minimalCompletionStage();
  }

  @Override
  public String lastEndpoint() {
    SocketDataPlane c = core;
    return c == null ? "" : c.lastEndpoint();
  }

  @Override
  public Source<SocketEvent, NotUsed> events(long mask) {
    return Source.<SocketEvent>queue(history).mapMaterializedValue(queue -> {
      synchronized (eventLock) {
        for (SocketEvent e : recent) {
          if (e.type().in(mask)) queue.offer(e);
        }
        if (eventsDone) queue.complete();
        else subscribers.add(new Subscriber(mask, queue));
      }
      return NotUsed.getInstance();
    });
  }

  @Override
  public CompletionStage<Done> drainAndShutdown() {
    // a stage that has already stopped ignores the callback; its socket is closing or closed anyway
    if (!closed.isDone()) shutdown.invoke(Done.getInstance());
    return whenClosed();
  }

  @Override
  public CompletionStage<Done> whenClosed() {
    return closed.minimalCompletionStage();
  }
}
