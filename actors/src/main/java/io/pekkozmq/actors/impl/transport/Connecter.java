package io.pekkozmq.actors.impl.transport;

import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.actors.impl.EventSink;
import io.pekkozmq.actors.impl.io.IoHandler;
import io.pekkozmq.actors.impl.io.IoThread;
import io.pekkozmq.engine.event.EventType;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * libzmq's tcp_connecter / ipc_connecter: makes one connection for its session, retrying with
 * RECONNECT_IVL plus jitter, doubling up to RECONNECT_IVL_MAX, and giving up per RECONNECT_STOP.
 * Emits CONNECT_DELAYED, CONNECTED, CLOSED and CONNECT_RETRIED (with the interval) as libzmq does.
 */
public final class Connecter extends AbstractBehavior<Connecter.Command> implements IoHandler {
  public sealed interface Command extends org.apache.pekko.actor.NoSerializationVerificationNeeded permits Attempt, ConnectReady, ConnectTimedOut {}

  /**
   * Who the connecter reports to (its session), as libzmq's connecter reports to its own_t
   * parent. Called on the connecter's I/O thread; implementations send themselves a message.
   */
  public interface Owner {
    /** A connection is made; the owner takes over the channel. */
    void connected(SocketChannel channel, String localUri, String remoteUri, long connectionId);

    /** The connecter stopped trying (RECONNECT_STOP, or reconnection disabled). */
    void gaveUp(String reason);
  }

  private enum Attempt implements Command { INSTANCE }

  private enum ConnectReady implements Command { INSTANCE }

  private enum ConnectTimedOut implements Command { INSTANCE }

  private static final int ECONNREFUSED = 111;

  private final ActorContext<Command> ctx;
  private final ActorRef<Command> self;
  private final TimerScheduler<Command> timers;
  private final IoThread io;
  private final Endpoint endpoint;
  private final SocketOptions options;
  private final Owner owner;
  private final EventSink events;
  private final ReconnectBackoff backoff;
  private SocketChannel channel;
  /** The current attempt's id: its CONNECTED or CLOSED value (where libzmq has the fd). */
  private long attemptId;
  private SelectionKey key;

  private Connecter(ActorContext<Command> ctx, TimerScheduler<Command> timers, IoThread io, Endpoint endpoint,
      SocketOptions options, Owner owner, EventSink events) {
    super(ctx);
    this.ctx = ctx;
    this.self = ctx.getSelf();
    this.timers = timers;
    this.io = io;
    this.endpoint = endpoint;
    this.options = options;
    this.owner = owner;
    this.events = events;
    this.backoff = new ReconnectBackoff(options.reconnectIvl, options.reconnectIvlMax, ThreadLocalRandom.current());
  }

  /**
   * @param delayed wait one reconnect interval first (after a connection was lost)
   */
  public static Behavior<Command> create(IoThread io, Endpoint endpoint, SocketOptions options,
      Owner owner, EventSink events, boolean delayed) {
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
      Connecter c = new Connecter(ctx, timers, io, endpoint, options, owner, events);
      if (delayed) {
        c.scheduleRetry();
      } else {
        ctx.getSelf().tell(Attempt.INSTANCE);
      }
      return c;
    }));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Attempt.INSTANCE, this::attempt)
        .onMessageEquals(ConnectReady.INSTANCE, this::finishConnect)
        .onMessageEquals(ConnectTimedOut.INSTANCE, this::onTimeout)
        .onSignal(PostStop.class, s -> {
          dropChannel(true); // libzmq's connecter closes (CLOSED) an attempt still in progress
          return this;
        })
        .build();
  }

  private Behavior<Command> attempt() {
    try {
      channel = endpoint.transport() == Endpoint.Transport.IPC
          ? SocketChannel.open(StandardProtocolFamily.UNIX)
          : SocketChannel.open();
      attemptId = ConnectionIds.next();
      ChannelSetup.apply(channel, endpoint.transport(), options);
      if (channel.connect(endpoint.socketAddress())) {
        return connected();
      }
      events.emit(EventType.CONNECT_DELAYED, 115 /* EINPROGRESS */, "", endpoint.original());
      key = io.loop().register(channel, SelectionKey.OP_CONNECT, this);
      if (options.connectTimeout > 0) {
        timers.startSingleTimer(ConnectTimedOut.INSTANCE, Duration.ofMillis(options.connectTimeout));
      }
      return this;
    } catch (IOException | RuntimeException e) {
      return failed(e);
    }
  }

  @Override
  public void ready(int readyOps) {
    key.interestOps(0);
    self.tell(ConnectReady.INSTANCE);
  }

  private Behavior<Command> finishConnect() {
    if (channel == null) return this;
    try {
      if (channel.finishConnect()) return connected();
      key.interestOps(SelectionKey.OP_CONNECT);
      return this;
    } catch (IOException e) {
      return failed(e);
    }
  }

  private Behavior<Command> onTimeout() {
    if (channel == null || channel.isConnected()) return this;
    return failed(new IOException("connect timed out after " + options.connectTimeout + " ms"));
  }

  private Behavior<Command> connected() throws IOException {
    timers.cancel(ConnectTimedOut.INSTANCE);
    if (key != null) {
      key.cancel();
      key = null;
    }
    SocketChannel ch = channel;
    channel = null;
    long id = attemptId;
    String local = Endpoint.uriOf(endpoint.transport(), ch.getLocalAddress());
    if (endpoint.transport() == Endpoint.Transport.IPC) local = endpoint.original();
    events.emit(EventType.CONNECTED, id, local, endpoint.original());
    owner.connected(ch, local, endpoint.original(), id);
    return Behaviors.stopped();
  }

  private Behavior<Command> failed(Exception e) {
    timers.cancel(ConnectTimedOut.INSTANCE);
    boolean refused = e instanceof ConnectException || String.valueOf(e.getMessage()).contains("refused");
    dropChannel(true);
    // RECONNECT_IVL 0 retries no more than -1 does (libzmq 4.3.4: add_reconnect_timer needs ivl > 0)
    if (options.reconnectIvl <= 0 || (refused && (options.reconnectStop & 1) != 0)) {
      owner.gaveUp("connect to " + endpoint + " failed: " + e.getMessage());
      return Behaviors.stopped();
    }
    scheduleRetry();
    return this;
  }

  /** libzmq's add_reconnect_timer: CONNECT_RETRIED with the wait, then the next attempt after it. */
  private void scheduleRetry() {
    int interval = backoff.next();
    events.emit(EventType.CONNECT_RETRIED, interval, "", endpoint.original());
    timers.startSingleTimer(Attempt.INSTANCE, Duration.ofMillis(interval));
  }

  private void dropChannel(boolean emitClosed) {
    if (key != null) {
      key.cancel();
      key = null;
    }
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the attempt failed already; closing cannot make it worse
      }
      channel = null;
      if (emitClosed) events.emit(EventType.CLOSED, attemptId, "", endpoint.original());
    }
  }
}
