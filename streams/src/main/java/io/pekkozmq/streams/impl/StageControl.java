package io.pekkozmq.streams.impl;

import io.pekkozmq.actors.impl.socket.SocketCore;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.streams.ZmqControl;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AsyncCallback;

/**
 * Internal. The {@link ZmqControl} a stage materializes: futures the stage logic completes, and a
 * callback into the stage for {@link #drainAndShutdown}.
 */
final class StageControl implements ZmqControl {
  final CompletableFuture<String> ready = new CompletableFuture<>();
  final CompletableFuture<Done> closed = new CompletableFuture<>();
  /** The stage's event hub, once its socket exists; an empty source if it never did. */
  final CompletableFuture<Source<SocketEvent, NotUsed>> eventHub = new CompletableFuture<>();
  private volatile AsyncCallback<Done> shutdown;
  private volatile SocketCore core;

  void bind(AsyncCallback<Done> shutdownCallback) {
    this.shutdown = shutdownCallback;
  }

  void setCore(SocketCore core) {
    this.core = core;
  }

  @Override
  public CompletionStage<String> ready() {
    return ready.minimalCompletionStage();
  }

  @Override
  public String lastEndpoint() {
    SocketCore c = core;
    return c == null ? "" : c.lastEndpoint();
  }

  @Override
  public Source<SocketEvent, NotUsed> events(long mask) {
    return Source.completionStageSource(eventHub.thenApply(hub -> hub.filter(e -> e.type().in(mask))))
        .mapMaterializedValue(f -> NotUsed.getInstance());
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
