package io.pekkozmq.monitor;

import io.pekkozmq.actors.Socket;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.spi.RuntimeSpi;
import io.pekkozmq.actors.spi.SocketDataPlane;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Turns one socket's monitor events into libzmq-format messages on a monitor socket (libzmq's
 * socket_base_t::monitor_event). A typed subscriber of the monitored socket; writes without ever
 * waiting. Messages the monitor socket cannot take yet (PAIR or PUSH with no reader, or a full
 * pipe) wait in a backlog of bounded size, oldest dropped first; a PUB monitor drops as PUB does.
 * Ends, closing the monitor socket, after MONITOR_STOPPED (which it forwards only if asked for,
 * as libzmq does) or when the monitored socket is gone.
 */
final class MonitorSocketBridge extends AbstractBehavior<MonitorSocketBridge.Command> {
  sealed interface Command permits Event, Retry, StopMonitoring {}

  private record Event(SocketEvent event) implements Command {}

  /** The monitor socket may have room or a reader now. */
  private enum Retry implements Command { INSTANCE }

  /** zmq_socket_monitor(socket, NULL, 0), or a new monitor replacing this one. */
  enum StopMonitoring implements Command { INSTANCE }

  /** Events granted to the monitored socket at a time; this actor only ever encodes and queues. */
  private static final int WINDOW = 256;

  private final ActorRef<Socket.Command> monitored;
  private final ZMonitor.Handle handle;
  private final ZSocket monitorSocket;
  private final SocketDataPlane core;
  private final ActorRef<SocketEvent> subscriber;
  private final ArrayDeque<Msg> backlog = new ArrayDeque<>();
  private final AtomicBoolean waitingForRoom = new AtomicBoolean();
  private final SocketDataPlane.Watcher watcher;
  private int receivedSinceRequest;

  private MonitorSocketBridge(ActorContext<Command> ctx, ActorRef<Socket.Command> monitored, ZMonitor.Handle handle) {
    super(ctx);
    this.monitored = monitored;
    this.handle = handle;
    this.monitorSocket = handle.monitorSocket();
    this.core = RuntimeSpi.dataPlane(monitorSocket);
    this.subscriber = ctx.messageAdapter(SocketEvent.class, Event::new);
    ActorRef<Command> self = ctx.getSelf();
    this.watcher = () -> {
      if (waitingForRoom.compareAndSet(true, false)) self.tell(Retry.INSTANCE);
    };
    core.addWatcher(watcher);
    ctx.watch(monitored);
    monitored.tell(new Socket.Monitor(subscriber, handle.events() | EventType.MONITOR_STOPPED.value(), WINDOW));
    handle.subscribed();
  }

  static Behavior<Command> create(ActorRef<Socket.Command> monitored, ZMonitor.Handle handle) {
    return Behaviors.setup(ctx -> new MonitorSocketBridge(ctx, monitored, handle));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Event.class, e -> onEvent(e.event()))
        .onMessageEquals(Retry.INSTANCE, () -> {
          flush();
          return this;
        })
        .onMessageEquals(StopMonitoring.INSTANCE, () -> {
          monitored.tell(new Socket.Unmonitor(subscriber)); // MONITOR_STOPPED ends us
          return this;
        })
        .onSignal(Terminated.class, t -> Behaviors.stopped()) // the monitored socket is gone
        .onSignal(PostStop.class, s -> {
          core.removeWatcher(watcher);
          monitorSocket.close(); // LINGER 0: what its reader has not taken yet is lost, as in libzmq
          handle.stopped().complete(null);
          return this;
        })
        .build();
  }

  private Behavior<Command> onEvent(SocketEvent e) {
    if (e.dropped() > 0) handle.addDropped(e.dropped());
    if (++receivedSinceRequest >= WINDOW / 2) {
      monitored.tell(new Socket.MonitorRequest(subscriber, receivedSinceRequest));
      receivedSinceRequest = 0;
    }
    if (e.type().in(handle.events())) enqueue(MonitorFrames.encode(e, handle.version()));
    flush();
    return e.type() == EventType.MONITOR_STOPPED ? Behaviors.stopped() : this;
  }

  private void enqueue(Msg m) {
    if (backlog.size() >= handle.backlogLimit()) {
      backlog.poll();
      handle.addDropped(1);
    }
    backlog.add(m);
  }

  private void flush() {
    while (!backlog.isEmpty()) {
      Errno err = core.trySend(backlog.peek());
      if (err == Errno.EAGAIN) {
        // ask to be woken, then look once more: room may have come before the flag was set
        waitingForRoom.set(true);
        err = core.trySend(backlog.peek());
        if (err == Errno.EAGAIN) return;
      }
      if (err != null) { // the monitor socket is closed: nothing will ever take these
        handle.addDropped(backlog.size());
        backlog.clear();
        return;
      }
      backlog.poll();
    }
  }
}
