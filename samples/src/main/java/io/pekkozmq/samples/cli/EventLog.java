package io.pekkozmq.samples.cli;

import io.pekkozmq.actors.Socket;
import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.io.PrintStream;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A socket's monitor as seen from plain Java: a tiny actor that writes each event as one line
 * ({@link SocketEvent#toLine}) and counts successful handshakes so a caller can wait for peers.
 */
public final class EventLog {
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final Semaphore handshakes = new Semaphore(0);
  private final Consumer<SocketEvent> sink;

  private EventLog(Consumer<SocketEvent> sink) {
    this.sink = sink;
  }

  /** Subscribes to every event of {@code socket}; {@code out} may be null (count only). */
  public static EventLog attach(ZContext ctx, ZSocket socket, PrintStream out, String prefix) {
    return attach(ctx, socket, out, prefix, e -> {});
  }

  /** As {@link #attach(ZContext, ZSocket, PrintStream, String)}; {@code also} sees each event after it is written. */
  public static EventLog attach(ZContext ctx, ZSocket socket, PrintStream out, String prefix, Consumer<SocketEvent> also) {
    Consumer<SocketEvent> write = out == null ? e -> {} : e -> {
      synchronized (out) {
        out.println(prefix + e.toLine());
        out.flush();
      }
    };
    EventLog log = new EventLog(write.andThen(also));
    var ref = ctx.system().systemActorOf(Behaviors.<SocketEvent>setup(self -> Behaviors.receive(SocketEvent.class)
        .onMessage(SocketEvent.class, e -> {
          log.sink.accept(e);
          if (e.type() == EventType.HANDSHAKE_SUCCEEDED) log.handshakes.release();
          // monitor subscribers get what they ask for: one more per event, so the log never stalls
          socket.actor().tell(new Socket.MonitorRequest(self.getSelf(), 1));
          return Behaviors.same();
        }).build()), "pzmq-events-" + NAMES.incrementAndGet(), Props.empty());
    socket.monitor(ref, EventType.ALL);
    return log;
  }

  /** Waits for {@code n} HANDSHAKE_SUCCEEDED events in all; false on timeout. */
  public boolean awaitHandshakes(int n, long timeoutMillis) throws InterruptedException {
    if (n <= 0) return true;
    return handshakes.tryAcquire(n, timeoutMillis, TimeUnit.MILLISECONDS);
  }
}
