package io.pekkozmq.actors;

import io.pekkozmq.actors.impl.EventSink;
import io.pekkozmq.actors.impl.Inproc;
import io.pekkozmq.actors.impl.MonitorHub;
import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.actors.impl.engine.UdpEngine;
import io.pekkozmq.actors.impl.io.IoThread;
import io.pekkozmq.actors.impl.pipe.Pipe;
import io.pekkozmq.actors.impl.session.Session;
import io.pekkozmq.actors.impl.socket.PipeWakeUps;
import io.pekkozmq.actors.impl.socket.SocketCore;
import io.pekkozmq.actors.impl.socket.SocketEndpoints;
import io.pekkozmq.actors.impl.transport.Endpoint;
import io.pekkozmq.actors.impl.transport.Listener;
import io.pekkozmq.actors.impl.transport.NetworkBind;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * libzmq's socket_base_t as a typed actor: owns its listeners, sessions and pipes, runs the
 * pattern (through its {@link SocketCore}), and handles bind, connect, unbind, disconnect,
 * options, monitoring and close with LINGER.
 *
 * <p>The typed API: send {@link Command}s; replies arrive as {@link Reply}. To receive, send
 * {@link StartReceiving} with a subscriber and an initial demand; the socket delivers
 * {@link Delivery} batches of at most the outstanding demand, and the subscriber asks for more
 * with {@link Request}. With no demand, messages stay in the pipes up to RCVHWM and then the
 * peers are held back, so a slow subscriber never grows its own mailbox.
 */
public final class Socket extends AbstractBehavior<Socket.Command> {
  /** Everything a socket understands. */
  public interface Command {}

  /** Replies to commands that take a {@code replyTo}. */
  public sealed interface Reply permits Done, Bound, Failed, OptionValue, PeerConnected {}

  /** The command succeeded. */
  public record Done() implements Reply {}

  /** Bound; {@code endpoint} is the resolved address (LAST_ENDPOINT). */
  public record Bound(String endpoint) implements Reply {}

  /** The command failed; the exception names the problem. */
  public record Failed(ZmqException error) implements Reply {}

  /** The value of an option. */
  public record OptionValue(Object value) implements Reply {}

  public record Bind(String endpoint, ActorRef<Reply> replyTo) implements Command {}

  public record Connect(String endpoint, ActorRef<Reply> replyTo) implements Command {}

  /**
   * PEER only (libzmq's zmq_connect_peer): connects and answers {@link PeerConnected} with the
   * routing id of the new peer, usable at once (what is sent waits until the connection is up).
   * Fails with ENOTSUP on other types, EFAULT with IMMEDIATE set (the pipe would not exist yet).
   */
  public record ConnectPeer(String endpoint, ActorRef<Reply> replyTo) implements Command {}

  /** The answer to {@link ConnectPeer}: the routing id (unsigned 32-bit, never 0) of the new peer. */
  public record PeerConnected(int routingId) implements Reply {}

  public record Unbind(String endpoint, ActorRef<Reply> replyTo) implements Command {}

  public record Disconnect(String endpoint, ActorRef<Reply> replyTo) implements Command {}

  public record SetOption(ZmqOption option, Object value, ActorRef<Reply> replyTo) implements Command {}

  public record GetOption(ZmqOption option, ActorRef<Reply> replyTo) implements Command {}

  /** DISH (RFC 48): joins a group, as {@link ZSocket#join}; {@link Done} or {@link Failed}. */
  public record Join(String group, ActorRef<Reply> replyTo) implements Command {}

  /** DISH: leaves a group, as {@link ZSocket#leave}; {@link Done} or {@link Failed}. */
  public record Leave(String group, ActorRef<Reply> replyTo) implements Command {}

  /**
   * Sends a message. If the socket cannot take it now (HWM), it is held and sent when room frees
   * up; {@code replyTo} (may be null) hears {@link Done} once it is queued, or {@link Failed}.
   */
  public record Send(Msg msg, ActorRef<Reply> replyTo) implements Command {}

  /** Starts delivering received messages to {@code subscriber}, {@code demand} messages at first. */
  public record StartReceiving(ActorRef<Delivery> subscriber, int demand) implements Command {}

  /** The subscriber can take {@code n} more messages. */
  public record Request(int n) implements Command {}

  /** A batch of received messages, never more than the outstanding demand. */
  public record Delivery(List<Msg> messages, ActorRef<Command> socket) {}

  /**
   * Subscribes an actor to this socket's monitor events matching {@code mask} (EventType bits).
   * It receives at most {@code demand} events, then asks for more with {@link MonitorRequest};
   * events beyond its demand wait in a bounded buffer that drops the oldest (see
   * {@link SocketEvent#dropped()}). The socket never waits for a subscriber. Every subscription
   * ends with exactly one MONITOR_STOPPED (unsubscribe, close, context termination).
   *
   * @param demand negative: {@code pekko-zmq.monitor.initial-demand}
   */
  public record Monitor(ActorRef<SocketEvent> subscriber, long mask, long demand) implements Command {
    /** A subscription with the configured initial demand. */
    public Monitor(ActorRef<SocketEvent> subscriber, long mask) {
      this(subscriber, mask, -1);
    }
  }

  /** The monitor subscriber can take {@code n} more events. */
  public record MonitorRequest(ActorRef<SocketEvent> subscriber, long n) implements Command {}

  /** Ends a monitor subscription; the subscriber gets MONITOR_STOPPED. */
  public record Unmonitor(ActorRef<SocketEvent> subscriber) implements Command {}

  /**
   * libzmq's zmq_socket_monitor_pipes_stats: one PIPES_STATS event per peer (outbound and inbound
   * messages queued in its pipe), emitted after the {@link Done} reply. Fails with EINVAL when no
   * subscriber monitors PIPES_STATS, EAGAIN when the socket has no peers.
   */
  public record RequestPipesStats(ActorRef<Reply> replyTo) implements Command {}

  /** Closes the socket; replies at once, while pending messages linger in the background. */
  public record Close(ActorRef<Reply> replyTo) implements Command {}

  // ---- internal -----------------------------------------------------------------------------

  /**
   * The socket's messages to itself: never serialized (they hold pipes and sessions), so Pekko's
   * {@code serialize-messages} check passes them by.
   */
  private interface Internal extends Command, org.apache.pekko.actor.NoSerializationVerificationNeeded {}

  /** A session or an inproc connect has put a pipe into the core: the actor's bookkeeping follows. */
  private record PipeAttached(Pipe.End end, ActorRef<Session.Command> session) implements Internal {}

  /** A session's pipe has gone (its term, or the session released it): the books follow. */
  private record PipeGone(Pipe.End end) implements Internal {}

  /** A command of the pipe's control plane that {@link PipeWakeUps} could not apply in place. */
  private record FromPipe(Pipe.Command command) implements Internal {}

  /** A network pipe became readable and a typed subscriber is waiting (the core already knows). */
  private enum Readable implements Internal { INSTANCE }

  /** A network pipe has room again and sends are pending here (the core already knows). */
  private enum Writable implements Internal { INSTANCE }

  /** The pattern gave up a pipe (ROUTER_HANDOVER, STREAM's close): libzmq's pipe terminate. */
  private record TerminatePipe(Pipe.End end) implements Internal {}

  /** A reply that had to wait for something off the actor (an unbind's listener closing its port). */
  private record Answer(ActorRef<Reply> replyTo, Reply reply) implements Internal {}

  private record MonitorSubscriberGone(ActorRef<SocketEvent> subscriber) implements Internal {}

  /** The typed subscriber stopped (or its node left the cluster): deliver no more to it. */
  private record SubscriberGone(ActorRef<Delivery> subscriber) implements Internal {}

  private enum LingerExpired implements Internal { INSTANCE }

  private record PendingSend(Msg msg, ActorRef<Reply> replyTo) {}

  private static final int MAX_PENDING_SENDS = 10_000;

  private final ActorContext<Command> ctx;
  private final ActorRef<Command> self;
  private final TimerScheduler<Command> timers;
  private final ZeroMQ zmq;
  private final SocketCore core;
  private final SocketType type;
  private final SocketOptions options;
  private final MonitorHub monitors;
  private final EventSink bindEvents;
  private final EventSink connectEvents;
  private final SessionBinder link;
  private final Inproc.Binder inprocBinder;
  /** The pipes' control plane as it reaches this socket (on the pipes' writer threads). */
  private final PipeWakeUps wakeUps;
  /** Set when close begins; read by sessions on their I/O threads. */
  private volatile boolean closing;
  /** Messages that sessions could not deliver before LINGER ran out (added on their threads). */
  private final java.util.concurrent.atomic.AtomicLong undelivered = new java.util.concurrent.atomic.AtomicLong();
  /** The linger timer stopped the socket while children were still delivering. */
  private boolean lingerCut;

  private final SocketEndpoints endpoints = new SocketEndpoints();
  /** udp engines being unbound, and who waits for each to stop (its channel closed). */
  private final java.util.Map<ActorRef<?>, ActorRef<Reply>> udpUnbinds = new java.util.HashMap<>();
  private final ArrayDeque<PendingSend> pendingSends = new ArrayDeque<>();

  private ActorRef<Delivery> subscriber;
  /** {@code pekko-zmq.delivery-max-bytes}: the payload bytes one Delivery carries at most. */
  private final long deliveryMaxBytes;
  private long demand;
  private int childrenAlive;

  private Socket(ActorContext<Command> ctx, TimerScheduler<Command> timers, ZeroMQ zmq, SocketCore core,
      SocketOptions options) {
    super(ctx);
    this.ctx = ctx;
    this.self = ctx.getSelf();
    this.timers = timers;
    this.zmq = zmq;
    this.core = core;
    this.type = core.type();
    this.options = options;
    var monitorConfig = zmq.system().settings().config().getConfig("pekko-zmq.monitor");
    this.monitors = new MonitorHub(core.id(), monitorConfig.getLong("initial-demand"), monitorConfig.getInt("buffer"));
    this.deliveryMaxBytes = zmq.system().settings().config().getBytes("pekko-zmq.delivery-max-bytes");
    this.bindEvents = monitors.sink(true);
    this.connectEvents = monitors.sink(false);
    this.link = new SessionBinder();
    this.inprocBinder = (end, peerIsCaller) -> {
      if (!adoptPipe(end, null, false, null, peerIsCaller)) return false;
      self.tell(new PipeAttached(end, null));
      return true;
    };
    this.wakeUps = new PipeWakeUps(core, new WakeUpMailbox());
  }

  static Behavior<Command> create(ZeroMQ zmq, SocketCore core, SocketOptions options) {
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> new Socket(ctx, timers, zmq, core, options)));
  }

  @Override
  public org.apache.pekko.actor.typed.javadsl.Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Bind.class, this::onBind)
        .onMessage(Connect.class, this::onConnect)
        .onMessage(ConnectPeer.class, this::onConnectPeer)
        .onMessage(Unbind.class, this::onUnbind)
        .onMessage(Disconnect.class, this::onDisconnect)
        .onMessage(SetOption.class, this::onSetOption)
        .onMessage(GetOption.class, this::onGetOption)
        .onMessage(Join.class, j -> onJoinOrLeave(j.group(), true, j.replyTo()))
        .onMessage(Leave.class, l -> onJoinOrLeave(l.group(), false, l.replyTo()))
        .onMessage(Send.class, this::onSend)
        .onMessage(StartReceiving.class, this::onStartReceiving)
        .onMessage(SubscriberGone.class, this::onSubscriberGone)
        .onMessage(Request.class, this::onRequest)
        .onMessage(Monitor.class, this::onMonitor)
        .onMessage(MonitorRequest.class, this::onMonitorRequest)
        .onMessage(Unmonitor.class, this::onUnmonitor)
        .onMessage(MonitorSubscriberGone.class, this::onMonitorSubscriberGone)
        .onMessage(RequestPipesStats.class, this::onRequestPipesStats)
        .onMessage(Close.class, this::onClose)
        .onMessage(PipeAttached.class, this::onPipeAttached)
        .onMessage(Answer.class, a -> {
          reply(a.replyTo(), a.reply());
          return this;
        })
        .onMessage(PipeGone.class, this::onPipeGone)
        .onMessage(FromPipe.class, this::onFromPipe)
        .onMessageEquals(Readable.INSTANCE, () -> {
          deliver();
          return this;
        })
        .onMessageEquals(Writable.INSTANCE, () -> {
          flushPendingSends();
          return this;
        })
        .onMessage(TerminatePipe.class, this::onTerminatePipe)
        .onMessageEquals(LingerExpired.INSTANCE, () -> {
          lingerCut = childrenAlive > 0;
          return stopNow();
        })
        .onSignal(Terminated.class, this::onChildStopped)
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  // ---- bind / connect -----------------------------------------------------------------------

  private Behavior<Command> onBind(Bind b) {
    try {
      checkOpen();
      Endpoint ep = Endpoint.parse(b.endpoint(), true);
      String uri = switch (ep.transport()) {
        case INPROC -> bindInproc(ep);
        case TCP, IPC, WS, WSS -> bindNetwork(checkWebSocket(ep));
        case UDP -> startUdp(ep, false);
      };
      core.setLastEndpoint(uri);
      reply(b.replyTo(), new Bound(uri));
    } catch (ZmqException e) {
      reply(b.replyTo(), new Failed(e));
    }
    return this;
  }

  /**
   * ws:// and wss:// carry ZeroMQ frames (RFC 45), which a STREAM socket's raw bytes are not; a wss
   * bind needs its certificate and key, checked now so the bind fails rather than each connection.
   */
  private Endpoint checkWebSocket(Endpoint ep) {
    if (!ep.transport().webSocket()) return ep;
    if (type.raw()) {
      throw new ZmqException(Errno.EPROTONOSUPPORT, type + " sockets cannot use " + ep + " (ZWS carries ZeroMQ frames)");
    }
    return ep;
  }

  private String bindInproc(Endpoint ep) {
    List<Pipe.End> pending = zmq.inproc().bind(ep.path(), inprocBinder, type, options);
    endpoints.inprocBound(ep.path());
    for (Pipe.End end : pending) attachPipe(end, null, false, null);
    return ep.original();
  }

  private String bindNetwork(Endpoint requested) {
    if (requested.transport() == Endpoint.Transport.WSS) {
      io.pekkozmq.actors.impl.engine.WssTls.checkServer(options, requested.original());
    }
    NetworkBind.Bound b = NetworkBind.bind(requested, bindEvents);
    Endpoint ep = b.endpoint();
    String uri = b.uri();
    long listenerId = b.listenerId();
    IoThread io = zmq.chooseIoThread(options.affinity);
    ActorRef<Listener.Command> listener = ctx.spawnAnonymous(
        Listener.create(io, b.server(), ep, uri, listenerId, b.tempIpcDir(), type, options.copy(), link, bindEvents,
            () -> zmq.chooseIoThread(options.affinity)),
        io.dispatcher());
    ctx.watch(listener);
    childrenAlive++;
    endpoints.bound(uri, ep.original(), listener);
    bindEvents.emit(EventType.LISTENING, listenerId, uri, "");
    return uri;
  }

  private Behavior<Command> onConnect(Connect c) {
    try {
      checkOpen();
      Endpoint ep = Endpoint.parse(c.endpoint(), false);
      if (ep.transport() == Endpoint.Transport.INPROC) {
        connectInproc(ep);
      } else if (ep.transport() == Endpoint.Transport.UDP) {
        startUdp(ep, true);
      } else {
        connectNetwork(checkWebSocket(ep));
      }
      core.setLastEndpoint(ep.original());
      reply(c.replyTo(), new Done());
    } catch (ZmqException e) {
      reply(c.replyTo(), new Failed(e));
    }
    return this;
  }

  private Behavior<Command> onConnectPeer(ConnectPeer c) {
    try {
      checkOpen();
      if (!type.connectsPeers()) {
        throw new ZmqException(Errno.ENOTSUP, "connectPeer is for PEER sockets, not " + type);
      }
      if (options.immediate) {
        throw new ZmqException(Errno.EFAULT, "connectPeer cannot name a peer with IMMEDIATE set (no pipe before the"
            + " handshake)");
      }
      Endpoint ep = Endpoint.parse(c.endpoint(), false);
      if (ep.transport() == Endpoint.Transport.INPROC) {
        connectInproc(ep);
      } else {
        connectNetwork(ep);
      }
      core.setLastEndpoint(ep.original());
      // the connect attached the pipe here and now (not IMMEDIATE), as libzmq's connect_internal does
      reply(c.replyTo(), new PeerConnected(core.lastAttachedRoutingId()));
    } catch (ZmqException e) {
      reply(c.replyTo(), new Failed(e));
    }
    return this;
  }

  /**
   * udp (RFC 48), as libzmq: a DISH binds (receives), a RADIO connects (sends); others get
   * ENOCOMPATPROTO. The engine is its own session (libzmq's udp_engine_t needs none): it holds
   * the session's end of one pipe, and the endpoint is kept with the connections, so disconnect,
   * unbind and close end it as they end a session.
   */
  private String startUdp(Endpoint ep, boolean send) {
    if (send ? type != SocketType.RADIO : type != SocketType.DISH) {
      throw new ZmqException(Errno.ENOCOMPATPROTO, "udp is for a RADIO to connect and a DISH to bind; a " + type
          + " cannot " + (send ? "connect" : "bind") + " '" + ep + "'");
    }
    UdpEngine.Opened opened = UdpEngine.open(ep, send, 1);
    IoThread io = zmq.chooseIoThread(options.affinity);
    Pipe pipe = Pipe.create(options.rcvHwm, options.sndHwm, false, false); // a: engine side, b: socket side
    ActorRef<Session.Command> engine = ctx.spawnAnonymous(UdpEngine.create(io, opened, send, pipe.a()), io.dispatcher());
    ctx.watch(engine);
    childrenAlive++;
    endpoints.connected(opened.uri(), engine);
    attachUdpPipe(pipe.b(), engine, send);
    return opened.uri();
  }

  private void attachUdpPipe(Pipe.End end, ActorRef<Session.Command> engine, boolean send) {
    end.setTerminator(() -> self.tell(new TerminatePipe(end)));
    if (core.attach(end, send, null, wakeUps.sessionPipes(), send, false)) {
      endpoints.pipeHeldBy(end, engine);
      flushPendingSends();
    } else {
      end.closeWrite();
    }
  }

  private void connectInproc(Endpoint ep) {
    Pipe.End mine = zmq.inproc().connect(ep.path(), type, options);
    endpoints.inprocConnected(ep.path(), mine);
    attachPipe(mine, null, true, takeConnectRoutingId());
  }

  private void connectNetwork(Endpoint ep) {
    IoThread io = zmq.chooseIoThread(options.affinity);
    Pipe.End sessionEnd = null;
    byte[] connectRoutingId = type.usesConnectRoutingId() ? takeConnectRoutingId() : null;
    // A ROUTER or STREAM peer named by CONNECT_ROUTING_ID is routable from the connect on, as in libzmq.
    boolean upFront = !options.immediate && (!needsPeerIdentityFirst() || connectRoutingId != null);
    Pipe pipe = null;
    if (upFront) {
      pipe = Pipe.create(options.rcvHwm, options.sndHwm, // a: session side, b: socket side
          options.conflatesInbound(type), options.conflatesOutbound(type));
      sessionEnd = pipe.a();
    }
    ActorRef<Session.Command> session = ctx.spawnAnonymous(
        Session.connecting(io, type, options.copy(), link, connectEvents, ep, sessionEnd), io.dispatcher());
    ctx.watch(session);
    childrenAlive++;
    endpoints.connected(ep.original(), session);
    if (pipe != null) attachPipe(pipe.b(), session, true, connectRoutingId);
  }

  /** CONNECT_ROUTING_ID names the next connection only (libzmq clears it when a pipe takes it). */
  private byte[] takeConnectRoutingId() {
    byte[] id = options.connectRoutingId;
    options.connectRoutingId = null;
    return id;
  }

  /**
   * ROUTER names a peer by the routing id it announces, so its pipes join after the handshake.
   * STREAM names its peers itself (or by CONNECT_ROUTING_ID), so, as in libzmq, its pipe exists
   * from connect on and what is sent before the connection is made waits in it.
   */
  private boolean needsPeerIdentityFirst() {
    return type.namesPeersByIdentity();
  }

  private Behavior<Command> onUnbind(Unbind u) {
    try {
      checkOpen();
      Endpoint ep = Endpoint.parse(u.endpoint(), true);
      if (ep.transport() == Endpoint.Transport.INPROC) {
        if (!endpoints.inprocUnbound(ep.path())) throw notFound(u.endpoint());
        zmq.inproc().unbind(ep.path(), inprocBinder);
      } else if (ep.transport() == Endpoint.Transport.UDP) {
        List<ActorRef<Session.Command>> engines = endpoints.disconnect(u.endpoint()); // kept as a connection
        if (engines == null) throw notFound(u.endpoint());
        for (ActorRef<Session.Command> e : engines) {
          e.tell(new Session.Term(0));
          for (Pipe.End pe : endpoints.forgetPipesOf(e)) dropPipe(pe);
          udpUnbinds.put(e, u.replyTo()); // answered when it has stopped, as a listener's unbind is
        }
        return this;
      } else {
        ActorRef<Listener.Command> l = endpoints.unbind(u.endpoint());
        if (l == null) throw notFound(u.endpoint());
        // answer once the address is free, so a rebind right after the unbind succeeds
        CompletableFuture<Void> closed = new CompletableFuture<>();
        l.tell(new Listener.Term(options.linger, closed)); // its connections linger, as libzmq's do
        ctx.pipeToSelf(closed.orTimeout(zmq.settings().commandTimeout().toMillis(), TimeUnit.MILLISECONDS),
            (ok, failure) -> new Answer(u.replyTo(), new Done()));
        return this;
      }
      reply(u.replyTo(), new Done());
    } catch (ZmqException e) {
      reply(u.replyTo(), new Failed(e));
    }
    return this;
  }

  private Behavior<Command> onDisconnect(Disconnect d) {
    try {
      checkOpen();
      Endpoint ep = Endpoint.parse(d.endpoint(), false);
      if (ep.transport() == Endpoint.Transport.INPROC) {
        List<Pipe.End> ends = endpoints.inprocDisconnect(ep.path());
        if (ends == null) throw notFound(d.endpoint());
        for (Pipe.End e : ends) dropPipe(e);
      } else {
        List<ActorRef<Session.Command>> sessions = endpoints.disconnect(d.endpoint());
        if (sessions == null) throw notFound(d.endpoint());
        for (ActorRef<Session.Command> s : sessions) {
          s.tell(new Session.Term(options.linger)); // as libzmq's term_endpoint: what is queued lingers
          for (Pipe.End e : endpoints.forgetPipesOf(s)) dropPipe(e);
        }
      }
      reply(d.replyTo(), new Done());
    } catch (ZmqException e) {
      reply(d.replyTo(), new Failed(e));
    }
    return this;
  }

  private static ZmqException notFound(String endpoint) {
    return new ZmqException(Errno.ENOENT, "endpoint '" + endpoint + "' is not bound or connected on this socket");
  }

  /** Takes a pipe out of the pattern at once: nothing more is sent there. */
  private void dropPipe(Pipe.End end) {
    core.release(end);
  }

  // ---- options ------------------------------------------------------------------------------

  private Behavior<Command> onSetOption(SetOption s) {
    try {
      checkOpen();
      if (s.option().isPatternOption()) {
        core.setPatternOption(s.option(), s.value());
        // connections made from now on read it (libzmq's raw engine copies it at bind/connect)
        if (s.option() == ZmqOption.STREAM_NOTIFY) options.streamNotify = (Boolean) core.patternOption(ZmqOption.STREAM_NOTIFY);
        reply(s.replyTo(), new Done());
        return this;
      }
      core.withLock(() -> {
        options.set(s.option(), s.value());
        options.copyTo(core.patternOptions());
      });
      core.setTimeouts(options.sndTimeo, options.rcvTimeo);
      reply(s.replyTo(), new Done());
    } catch (ZmqException e) {
      reply(s.replyTo(), new Failed(e));
    }
    return this;
  }

  private Behavior<Command> onJoinOrLeave(String group, boolean join, ActorRef<Reply> replyTo) {
    try {
      checkOpen();
      core.joinOrLeave(group, join);
      reply(replyTo, new Done());
    } catch (ZmqException e) {
      reply(replyTo, new Failed(e));
    }
    return this;
  }

  private Behavior<Command> onGetOption(GetOption g) {
    try {
      Object v = switch (g.option()) {
        case LAST_ENDPOINT -> core.lastEndpoint();
        case TYPE -> type.name();
        case MECHANISM -> options.mechanismName();
        case SUBSCRIBE, UNSUBSCRIBE -> throw new IllegalArgumentException(g.option() + " is write-only");
        default -> g.option().isPatternOption() ? core.patternOption(g.option()) : options.get(g.option());
      };
      reply(g.replyTo(), new OptionValue(v));
    } catch (RuntimeException e) {
      reply(g.replyTo(), new Failed(new ZmqException(Errno.EINVAL, e.getMessage())));
    }
    return this;
  }

  // ---- data from actors ---------------------------------------------------------------------

  private Behavior<Command> onSend(Send s) {
    if (closing) {
      reply(s.replyTo(), new Failed(closedError()));
      return this;
    }
    if (!pendingSends.isEmpty()) {
      queueSend(s);
      return this;
    }
    Errno err = core.trySend(s.msg());
    if (err == null) {
      reply(s.replyTo(), new Done());
    } else if (err == Errno.EAGAIN) {
      queueSend(s);
      flushPendingSends(); // room that came before sendsPending was set sent no Writable
    } else {
      reply(s.replyTo(), new Failed(new ZmqException(err, "cannot send on " + type + " socket")));
    }
    return this;
  }

  private void queueSend(Send s) {
    if (pendingSends.size() >= MAX_PENDING_SENDS) {
      reply(s.replyTo(), new Failed(new ZmqException(Errno.EAGAIN,
          type + " socket holds " + MAX_PENDING_SENDS + " unsent messages; wait for Done replies before sending more")));
      return;
    }
    pendingSends.add(new PendingSend(s.msg(), s.replyTo()));
    wakeUps.setSendsPending(true);
  }

  private void flushPendingSends() {
    while (!pendingSends.isEmpty()) {
      PendingSend p = pendingSends.peek();
      Errno err = core.trySend(p.msg());
      if (err == Errno.EAGAIN) return;
      pendingSends.poll();
      reply(p.replyTo(), err == null ? new Done() : new Failed(new ZmqException(err, "cannot send on " + type + " socket")));
    }
    wakeUps.setSendsPending(false);
  }

  private Behavior<Command> onStartReceiving(StartReceiving r) {
    if (subscriber != null && !subscriber.equals(r.subscriber())) ctx.unwatch(subscriber);
    subscriber = r.subscriber();
    if (subscriber != null) {
      try {
        // a subscriber that stops, or whose node leaves the cluster, takes no more messages with it:
        // what arrives stays queued for recv or the next subscriber
        ctx.watchWith(subscriber, new SubscriberGone(subscriber));
      } catch (IllegalStateException alreadyWatched) {
        // watched already for another reason (the same actor as a monitor subscriber): no second watch
      }
    }
    wakeUps.setReceiving(true);
    demand = Math.max(0, r.demand());
    deliver();
    return this;
  }

  private Behavior<Command> onSubscriberGone(SubscriberGone g) {
    if (g.subscriber().equals(subscriber)) {
      subscriber = null;
      demand = 0;
      wakeUps.setReceiving(false);
    }
    return this;
  }

  private Behavior<Command> onRequest(Request r) {
    demand += Math.max(0, r.n());
    deliver();
    return this;
  }

  private void deliver() {
    if (subscriber == null || closing) return;
    int batch = zmq.settings().deliveryBatch();
    while (demand > 0) {
      List<Msg> out = new ArrayList<>((int) Math.min(demand, 16));
      int n = core.drain(out, (int) Math.min(demand, batch));
      if (n == 0) return;
      demand -= n;
      tellDeliveries(out);
    }
  }

  /**
   * One Delivery per {@code pekko-zmq.delivery-max-bytes} of payload (a larger message alone), so
   * a batch to a subscriber on another node fits one remote message (Artery's maximum frame).
   */
  private void tellDeliveries(List<Msg> out) {
    long bytes = 0;
    int from = 0;
    for (int i = 0; i < out.size(); i++) {
      long size = out.get(i).byteSize();
      if (i > from && bytes + size > deliveryMaxBytes) {
        subscriber.tell(new Delivery(List.copyOf(out.subList(from, i)), self));
        from = i;
        bytes = 0;
      }
      bytes += size;
    }
    subscriber.tell(new Delivery(from == 0 ? out : List.copyOf(out.subList(from, out.size())), self));
  }

  // ---- pipes --------------------------------------------------------------------------------

  /** Attaches a pipe from inside the actor (connect-side pipes made up front, inproc). */
  private void attachPipe(Pipe.End end, ActorRef<Session.Command> session, boolean locallyInitiated,
      byte[] connectRoutingId) {
    if (adoptPipe(end, session, locallyInitiated, connectRoutingId, session == null)) {
      // a session that let go before the attach (its connecter gave up at once) sent its term to
      // nobody: the core has reaped the pipe, so the books never hold it
      if (session != null && !end.peerClosed()) endpoints.pipeHeldBy(end, session);
      flushPendingSends();
      deliver();
    } else {
      end.closeWrite();
    }
  }

  /**
   * Puts {@code end} into the core's pattern now, from any thread: the actor, a session's I/O
   * thread, or an inproc peer's connect. False if the socket has closed (the core refuses under
   * its lock, so a pipe is either closed by {@link SocketCore#close} or never taken). Callers
   * off the actor then tell it {@link PipeAttached} for its bookkeeping.
   */
  private boolean adoptPipe(Pipe.End end, ActorRef<Session.Command> session, boolean locallyInitiated,
      byte[] connectRoutingId, boolean peerIsCaller) {
    // The pattern may call this under the data-plane lock, mid-operation: act later, in the actor.
    end.setTerminator(() -> self.tell(new TerminatePipe(end)));
    return core.attach(end, locallyInitiated, connectRoutingId,
        session != null ? wakeUps.sessionPipes() : wakeUps.inprocPipes(), false, peerIsCaller);
  }

  private Behavior<Command> onPipeAttached(PipeAttached a) {
    if (a.session() != null && !closing) endpoints.pipeHeldBy(a.end(), a.session());
    flushPendingSends();
    deliver();
    return this;
  }

  private Behavior<Command> onPipeGone(PipeGone g) {
    endpoints.pipeGone(g.end());
    deliver();
    return this;
  }

  /** An activation, hiccup or term that the writer's thread could not apply (an inproc peer's lock). */
  private Behavior<Command> onFromPipe(FromPipe f) {
    core.apply(f.command());
    if (f.command() instanceof Pipe.ActivateWrite) {
      flushPendingSends();
    } else {
      deliver();
    }
    return this;
  }

  /**
   * As libzmq: the pattern stops using the pipe and its messages. The connection itself stays
   * until its peer leaves (its inbound queue stops at RCVHWM), except for raw STREAM peers: their
   * connection delivers what is queued and then closes for good (no reconnect: libzmq ends a raw
   * session whose pipe is terminated).
   */
  private Behavior<Command> onTerminatePipe(TerminatePipe t) {
    ActorRef<Session.Command> session = endpoints.pipeGone(t.end());
    dropPipe(t.end());
    if (type.raw() && session != null) session.tell(new Session.Term(-1));
    return this;
  }

  // ---- monitor ------------------------------------------------------------------------------

  private Behavior<Command> onMonitor(Monitor m) {
    monitors.subscribe(m.subscriber(), m.mask(), m.demand());
    ctx.watchWith(m.subscriber(), new MonitorSubscriberGone(m.subscriber()));
    return this;
  }

  private Behavior<Command> onMonitorRequest(MonitorRequest r) {
    monitors.request(r.subscriber(), r.n());
    return this;
  }

  private Behavior<Command> onUnmonitor(Unmonitor u) {
    if (monitors.unsubscribe(u.subscriber())) ctx.unwatch(u.subscriber());
    return this;
  }

  private Behavior<Command> onMonitorSubscriberGone(MonitorSubscriberGone g) {
    monitors.forget(g.subscriber());
    return this;
  }

  private Behavior<Command> onRequestPipesStats(RequestPipesStats r) {
    if (closing) {
      reply(r.replyTo(), new Failed(closedError()));
    } else if (!monitors.wants(EventType.PIPES_STATS)) {
      reply(r.replyTo(), new Failed(new ZmqException(Errno.EINVAL,
          "no monitor of this " + type + " socket asks for PIPES_STATS (subscribe with EventType.ALL_V2 or its bit)")));
    } else {
      List<Pipe.End> pipes = core.pipesSnapshot();
      if (pipes.isEmpty()) {
        reply(r.replyTo(), new Failed(new ZmqException(Errno.EAGAIN, type + " socket has no peers to report on yet")));
      } else {
        reply(r.replyTo(), new Done());
        for (Pipe.End end : pipes) {
          ActorRef<Session.Command> session = endpoints.sessionOf(end);
          if (session != null) {
            session.tell(new Session.PipeCommand(new Pipe.PeerStats(end)));
          } else {
            String name = endpoints.inprocNameOf(end);
            (name == null ? bindEvents : connectEvents).emit(EventType.PIPES_STATS,
                new long[] {end.outboundQueued(), end.inboundQueued()}, "", name == null ? "" : "inproc://" + name);
          }
        }
      }
    }
    return this;
  }

  // ---- close --------------------------------------------------------------------------------

  private Behavior<Command> onClose(Close c) {
    reply(c.replyTo(), new Done());
    if (closing) return this;
    closing = true;
    for (PendingSend p : pendingSends) {
      reply(p.replyTo(), new Failed(new ZmqException(Errno.ETERM, type + " socket " + core.id() + " closed before the message was queued")));
    }
    pendingSends.clear();
    for (String name : endpoints.takeInprocBound()) zmq.inproc().unbind(name, inprocBinder);
    core.close();
    int linger = options.linger;
    for (ActorRef<Listener.Command> l : endpoints.listeners()) l.tell(new Listener.Term(linger));
    for (ActorRef<Session.Command> s : endpoints.connectSessions()) s.tell(new Session.Term(linger));
    if (childrenAlive == 0 || linger == 0) return stopNow();
    if (linger > 0) timers.startSingleTimer(LingerExpired.INSTANCE, Duration.ofMillis(linger + 50L));
    return this;
  }

  private Behavior<Command> onChildStopped(Terminated t) {
    childrenAlive--;
    endpoints.childStopped(t.getRef());
    ActorRef<Reply> unbound = udpUnbinds.remove(t.getRef());
    if (unbound != null) reply(unbound, new Done()); // its channel is closed: the port is free again
    return closing && childrenAlive <= 0 ? stopNow() : this;
  }

  private Behavior<Command> stopNow() {
    return Behaviors.stopped();
  }

  private Behavior<Command> onPostStop() {
    if (!core.isClosed()) {
      core.close();
      for (String name : endpoints.inprocBoundNames()) zmq.inproc().unbind(name, inprocBinder);
    }
    // children have stopped (and reported their last events) before this runs
    monitors.stop();
    // LINGER's verdict for closeAndWait: true when nothing queued at close was left behind
    zmq.socketStopped(core, !lingerCut && undelivered.get() == 0);
    return this;
  }

  private void checkOpen() {
    if (closing) throw closedError();
  }

  /** libzmq's answer on a closed socket: ENOTSOCK (ETERM once the whole context is terminated). */
  private ZmqException closedError() {
    return zmq.isTerminated()
        ? new ZmqException(Errno.ETERM, "the context of " + type + " socket " + core.id() + " is terminated")
        : new ZmqException(Errno.ENOTSOCK, type + " socket " + core.id() + " is closed");
  }

  private static void reply(ActorRef<Reply> to, Reply r) {
    if (to != null) to.tell(r);
  }

  /** How {@link PipeWakeUps} reaches this actor: on the pipes' writer threads, so each call only sends a message. */
  private final class WakeUpMailbox implements PipeWakeUps.Mailbox {
    @Override
    public void apply(Pipe.Command command) {
      self.tell(new FromPipe(command));
    }

    @Override
    public void readable() {
      self.tell(Readable.INSTANCE);
    }

    @Override
    public void writable() {
      self.tell(Writable.INSTANCE);
    }

    @Override
    public void terminated(Pipe.End end) {
      self.tell(new PipeGone(end));
    }
  }

  /**
   * The socket as its sessions see it. Every method runs on the calling session's I/O thread:
   * {@link #attach} puts the pipe into the core there and then (so the event the engine emits
   * next is never ahead of the pipe) and leaves the actor's bookkeeping to a message.
   */
  private final class SessionBinder implements Session.SocketLink {
    @Override
    public boolean attach(Pipe.End socketEnd, ActorRef<Session.Command> session) {
      if (!adoptPipe(socketEnd, session, false, null, false)) return false;
      self.tell(new PipeAttached(socketEnd, session));
      return true;
    }

    @Override
    public void release(Pipe.End socketEnd) {
      core.release(socketEnd);
      self.tell(new PipeGone(socketEnd));
    }

    @Override
    public void undelivered(long messages) {
      if (closing) undelivered.addAndGet(messages);
    }
  }
}
