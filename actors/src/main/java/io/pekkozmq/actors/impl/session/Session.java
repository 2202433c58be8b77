package io.pekkozmq.actors.impl.session;

import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.actors.impl.EventSink;
import io.pekkozmq.actors.impl.engine.ZmtpEngine;
import io.pekkozmq.actors.impl.engine.RawEngine;
import io.pekkozmq.actors.impl.io.IoThread;
import io.pekkozmq.actors.impl.pipe.Pipe;
import io.pekkozmq.actors.impl.transport.Connecter;
import io.pekkozmq.actors.impl.transport.Endpoint;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.zmtp.PeerInfo;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * libzmq's session_base_t: one per connection (bind side) or per connected endpoint (connect
 * side). It owns the pipe to the socket across engine restarts, hands the pipe to each engine once
 * that engine's handshake succeeds, and reconnects (through a {@link Connecter}) after failures.
 *
 * <p>Connect side: the socket creates the pipe up front (unless IMMEDIATE), so messages sent
 * before the peer exists queue and are delivered, in order, after the connection is made. Bind
 * side, and IMMEDIATE: the pipe is created only after the handshake succeeds (CVE-2020-15166), so
 * a port scanner or a half-open connection never swallows a message.
 */
public final class Session extends AbstractBehavior<Session.Command> {
  public sealed interface Command extends org.apache.pekko.actor.NoSerializationVerificationNeeded
      permits Connected, ConnectGaveUp, Handshaked, EngineDrained, EngineStopped, Term, LingerExpired, PipeCommand {}

  /** The connecter made a connection. */
  record Connected(SocketChannel channel, String localUri, String remoteUri, long connectionId) implements Command {}

  /** The connecter stopped trying (RECONNECT_STOP, or reconnection disabled). */
  record ConnectGaveUp(String reason) implements Command {}

  record Handshaked(ActorRef<ZmtpEngine.Command> engine, PeerInfo peer) implements Command {}

  record EngineDrained(ActorRef<ZmtpEngine.Command> engine) implements Command {}

  record EngineStopped(ActorRef<ZmtpEngine.Command> engine, ZmtpEngine.Outcome outcome, String reason) implements Command {}

  /** The socket is closing (or disconnecting): deliver what is queued within linger, then stop. */
  public record Term(int lingerMillis) implements Command {}

  private enum LingerExpired implements Command { INSTANCE }

  /**
   * A command of the pipe's control plane for this session. The session's end is listened to by
   * its engine (activations and terms reach the engine without passing through here), so the one
   * the session takes is {@link Pipe.PeerStats}: the socket asks for a PIPES_STATS event about its
   * end of this session's pipe (libzmq's pipe_peer_stats), reported under the connection's endpoints.
   */
  public record PipeCommand(Pipe.Command command) implements Command {}

  /** What the session tells its socket. Called on the session's I/O thread. */
  public interface SocketLink {
    /**
     * Puts a pipe end into the socket's pattern at once (bind side and IMMEDIATE: after the
     * handshake), so the socket's next send already routes to this peer; only then does the
     * engine report HANDSHAKE_SUCCEEDED. False if the socket has closed and will not use it.
     */
    boolean attach(Pipe.End socketEnd, ActorRef<Command> session);

    /**
     * The session is ending (unbind, disconnect): the socket lets go of its end at once, so
     * nothing more is queued there, and the session delivers what is, as LINGER says.
     */
    void release(Pipe.End socketEnd);

    /** The session ends while its socket closes, leaving {@code messages} undelivered (LINGER expired). */
    void undelivered(long messages);
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final IoThread io;
  private final SocketType type;
  private final SocketOptions options;
  private final SocketLink socket;
  private final EventSink events;
  private final Endpoint endpoint; // null on the bind side
  private final ZmtpEngine.Owner engineOwner;
  private final Connecter.Owner connecterOwner;

  /** The session's end of the pipe (the socket holds the peer end); null until created. */
  private Pipe.End end;
  private ActorRef<ZmtpEngine.Command> engine;
  private ActorRef<Connecter.Command> connecter;
  private boolean terminating;
  /** A channel the connecter handed over whose Connected message we have not handled yet. */
  private final java.util.concurrent.atomic.AtomicReference<SocketChannel> unclaimed =
      new java.util.concurrent.atomic.AtomicReference<>();
  /** The current engine has written everything out and only waits for the peer's close. */
  private boolean engineDrained;
  /** The LINGER the socket closed us with (0: drop what is queued, as asked). */
  private int lingerMillis;
  private boolean everConnected;
  /** The current (or last) connection's endpoints, for PIPES_STATS. */
  private String localUri = "";
  private String remoteUri = "";
  /** Bind side: the endpoint the connection was accepted on (null for sessions made otherwise). */
  private Endpoint listening;

  private Session(ActorContext<Command> ctx, TimerScheduler<Command> timers, IoThread io, SocketType type,
      SocketOptions options, SocketLink socket, EventSink events, Endpoint endpoint, Pipe.End end) {
    super(ctx);
    this.ctx = ctx;
    this.timers = timers;
    this.io = io;
    this.type = type;
    this.options = options;
    this.socket = socket;
    this.events = events;
    this.endpoint = endpoint;
    this.end = end;
    ActorRef<Command> self = ctx.getSelf();
    this.engineOwner = new ZmtpEngine.Owner() {
      @Override
      public void handshakeSucceeded(ActorRef<ZmtpEngine.Command> e, PeerInfo peer) {
        self.tell(new Handshaked(e, peer));
      }

      @Override
      public void drained(ActorRef<ZmtpEngine.Command> e) {
        self.tell(new EngineDrained(e));
      }

      @Override
      public void engineStopped(ActorRef<ZmtpEngine.Command> e, ZmtpEngine.Outcome outcome, String reason) {
        self.tell(new EngineStopped(e, outcome, reason));
      }
    };
    this.connecterOwner = new Connecter.Owner() {
      @Override
      public void connected(SocketChannel channel, String localUri, String remoteUri, long connectionId) {
        // Ours from now on, even if we stop before the message below is handled (a disconnect
        // racing the connect): stop() closes it then, so no descriptor is left behind.
        unclaimed.set(channel);
        self.tell(new Connected(channel, localUri, remoteUri, connectionId));
      }

      @Override
      public void gaveUp(String reason) {
        self.tell(new ConnectGaveUp(reason));
      }
    };
  }

  /** A connect-side session; {@code end} is its end of a pipe created up front, or null (IMMEDIATE). */
  public static Behavior<Command> connecting(IoThread io, SocketType type, SocketOptions options, SocketLink socket,
      EventSink events, Endpoint endpoint, Pipe.End end) {
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
      Session s = new Session(ctx, timers, io, type, options, socket, events, endpoint, end);
      s.remoteUri = endpoint.original();
      s.startConnecter(false);
      return s;
    }));
  }

  /** A bind-side session for one accepted connection. */
  public static Behavior<Command> accepted(IoThread io, SocketType type, SocketOptions options, SocketLink socket,
      EventSink events, SocketChannel channel, String localUri, String remoteUri, long connectionId) {
    return accepted(io, type, options, socket, events, channel, localUri, remoteUri, connectionId, null);
  }

  /** As above, accepted on {@code listening} (ws and wss connections start with their upgrade). */
  public static Behavior<Command> accepted(IoThread io, SocketType type, SocketOptions options, SocketLink socket,
      EventSink events, SocketChannel channel, String localUri, String remoteUri, long connectionId,
      Endpoint listening) {
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
      Session s = new Session(ctx, timers, io, type, options, socket, events, null, null);
      s.listening = listening;
      s.startEngine(channel, localUri, remoteUri, connectionId);
      return s;
    }));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Connected.class, this::onConnected)
        .onMessage(ConnectGaveUp.class, this::onConnectGaveUp)
        .onMessage(Handshaked.class, this::onHandshaked)
        .onMessage(EngineDrained.class, d -> {
          if (d.engine().equals(engine)) engineDrained = true;
          return this;
        })
        .onMessage(EngineStopped.class, this::onEngineStopped)
        .onMessage(Term.class, this::onTerm)
        .onMessage(PipeCommand.class, this::onPipeCommand)
        .onMessageEquals(LingerExpired.INSTANCE, this::stop)
        .onSignal(Terminated.class, t -> this)
        .onSignal(org.apache.pekko.actor.typed.PostStop.class, p -> {
          SocketChannel orphan = unclaimed.getAndSet(null); // stopped by our parent (linger expiry)
          if (orphan != null) closeQuietly(orphan);
          return this;
        })
        .build();
  }

  private void startConnecter(boolean afterFailure) {
    connecter = ctx.spawnAnonymous(
        Connecter.create(io, endpoint, options, connecterOwner, events, afterFailure),
        io.dispatcher());
  }

  private void startEngine(SocketChannel ch, String local, String remote, long connectionId) {
    localUri = local;
    remoteUri = remote;
    Endpoint via = endpoint != null ? endpoint : listening;
    Behavior<ZmtpEngine.Command> behavior = type.raw()
        ? RawEngine.create(io, ch, options, engineOwner, events, local, remote, connectionId)
        : via != null && via.transport().webSocket()
        ? ZmtpEngine.createWebSocket(io, ch, type, options, via, endpoint != null, engineOwner, events, local, remote,
            connectionId)
        : ZmtpEngine.create(io, ch, type, options, engineOwner, events, local, remote, connectionId);
    engine = ctx.spawnAnonymous(behavior, io.dispatcher());
    engineDrained = false;
  }

  private Behavior<Command> onConnected(Connected c) {
    unclaimed.compareAndSet(c.channel(), null);
    connecter = null;
    everConnected = true;
    if (terminating && (end == null || end.inboundQueued() == 0 && end.peer().outboundQueued() == 0)) {
      closeQuietly(c.channel());
      return stop();
    }
    startEngine(c.channel(), c.localUri(), c.remoteUri(), c.connectionId());
    return this;
  }

  private Behavior<Command> onConnectGaveUp(ConnectGaveUp g) {
    connecter = null;
    if (end != null) terminatePipe();
    return stop();
  }

  private Behavior<Command> onHandshaked(Handshaked h) {
    if (!h.engine().equals(engine)) return this;
    if (end == null) {
      if (terminating) {
        // closing, and this peer never had a pipe: nothing of ours can be waiting for it
        engine.tell(new ZmtpEngine.Close(false));
        return this;
      }
      Pipe pipe = Pipe.create(options.rcvHwm, options.sndHwm, // a: session side, b: socket side
          options.conflatesInbound(type), options.conflatesOutbound(type));
      end = pipe.a();
      if (h.peer() != null) end.peer().setRoutingId(h.peer().routingId()); // a raw peer has none: STREAM names it
      applyPeer(end.peer(), h.peer());
      if (!socket.attach(end.peer(), ctx.getSelf())) {
        end.closeWrite(); // the socket closed meanwhile; its Term is on the way
        engine.tell(new ZmtpEngine.Close(false));
        return this;
      }
    } else {
      // The socket already holds this pipe: its routing id is the one the pattern gave it (a
      // CONNECT_ROUTING_ID, a generated one) and keeps across reconnects, as libzmq's does.
      applyPeer(end.peer(), h.peer());
    }
    // The pattern holds the pipe now; the engine reports HANDSHAKE_SUCCEEDED when it takes it.
    engine.tell(new ZmtpEngine.Attach(end));
    if (terminating) engine.tell(new ZmtpEngine.Close(true));
    return this;
  }

  private static void applyPeer(Pipe.End socketEnd, PeerInfo peer) {
    if (peer == null) return; // a raw peer tells nothing; STREAM names it itself
    socketEnd.setMetadata(peer.properties() == null ? Map.of() : peer.properties());
    socketEnd.setLegacySubscriptions(peer.minorVersion() == 0);
  }

  private Behavior<Command> onEngineStopped(EngineStopped s) {
    if (!s.engine().equals(engine)) return this;
    engine = null;
    if (end != null) {
      end.rollback(); // half a message from the dead connection never reaches the socket
      while (end.readingMessage() && end.read() != null) {
        // libzmq's hiccup: the rest of a half-sent message is dropped, never sent on the next connection
      }
    }
    if (type.raw() && end != null && end.peer().writeClosed() && !terminating) {
      return stop(); // the socket let go of this peer ([id, empty]): libzmq ends a raw session for good
    }
    // libzmq's session_base_t::engine_error: a protocol error (during or after the handshake)
    // ends the session for good; only connection errors and timeouts reconnect, and only with a
    // positive RECONNECT_IVL (libzmq 4.3.4 treats 0 as -1: the endpoint ends, no reconnection)
    boolean reconnect = endpoint != null && options.reconnectIvl > 0
        && s.outcome() != ZmtpEngine.Outcome.PROTOCOL_ERROR
        && s.outcome() != ZmtpEngine.Outcome.CLOSED
        && !(s.outcome() == ZmtpEngine.Outcome.HANDSHAKE_FAILED && (options.reconnectStop & 2) != 0)
        && !(s.outcome() == ZmtpEngine.Outcome.DISCONNECTED && (options.reconnectStop & 4) != 0);
    if (terminating) {
      // LINGER covers what is still queued: a connect side keeps reconnecting to deliver it, as
      // libzmq's does, until it is out or the linger timer stops us
      if (reconnect && !options.immediate && end != null && end.peer().outboundQueued() > 0) {
        startConnecter(true);
        return this;
      }
      return stop();
    }
    if (reconnect) {
      if (options.immediate && end != null) {
        // IMMEDIATE: the pipe lives only while a connection does
        terminatePipe();
        end = null;
      } else if (end != null && type.resendsSubscriptionsOnReconnect()) {
        // the next peer knows none of our subscriptions: the socket re-sends them all (libzmq's hiccup)
        end.hiccup();
      }
      startConnecter(true);
      return this;
    }
    if (end != null) terminatePipe();
    return stop();
  }

  private Behavior<Command> onPipeCommand(PipeCommand c) {
    if (c.command() instanceof Pipe.PeerStats stats) {
      Pipe.End e = stats.end();
      events.emit(EventType.PIPES_STATS, new long[] {e.outboundQueued(), e.inboundQueued()},
          localUri, remoteUri);
    }
    return this;
  }

  /**
   * libzmq's pipe terminate from the session's side: the pipe is gone for good. The socket's end
   * hears {@link Pipe.Term}, reads what is left and then lets the pipe go (its term-ack).
   */
  private void terminatePipe() {
    end.closeWrite();
  }

  private Behavior<Command> onTerm(Term t) {
    if (terminating) return this;
    terminating = true;
    lingerMillis = t.lingerMillis();
    if (end != null) socket.release(end.peer()); // no-op when the socket closed it already
    boolean nothingQueued = end == null || end.peer().outboundQueued() == 0;
    if (t.lingerMillis() == 0 || (engine == null && (nothingQueued || connecter == null))) return stop();
    // An engine mid-handshake drains too: a connect side's pipe holds messages sent before the
    // connection was made, and they are the ones LINGER is for.
    if (engine != null) engine.tell(new ZmtpEngine.Close(true));
    if (t.lingerMillis() > 0) timers.startSingleTimer(LingerExpired.INSTANCE, Duration.ofMillis(t.lingerMillis()));
    return this;
  }

  private Behavior<Command> stop() {
    SocketChannel orphan = unclaimed.getAndSet(null);
    if (orphan != null) closeQuietly(orphan);
    if (terminating && lingerMillis != 0 && end != null) {
      // LINGER's verdict: what the socket wrote and the peer never got. An engine still alive here
      // was cut short by the linger timer with bytes of its own not yet written.
      long left = end.peer().outboundQueued();
      if (engine != null && !engineDrained) left = Math.max(left, 1);
      if (left > 0) socket.undelivered(left);
    }
    if (end != null) {
      end.setListener(null);
      if (!end.writeClosed()) {
        // Ended by Term (unbind, a listener's shutdown): the socket must still drop its end, or its
        // load balancer keeps routing messages into a pipe that nobody reads any more.
        terminatePipe();
      }
    }
    return Behaviors.stopped();
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (java.io.IOException ignored) {
      // nothing to report on a connection we were dropping anyway
    }
  }
}
