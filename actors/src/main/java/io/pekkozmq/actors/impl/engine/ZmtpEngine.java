package io.pekkozmq.actors.impl.engine;

import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.actors.impl.EventSink;
import io.pekkozmq.actors.impl.io.IoHandler;
import io.pekkozmq.actors.impl.io.IoThread;
import io.pekkozmq.actors.impl.pipe.Pipe;
import io.pekkozmq.actors.impl.transport.Endpoint;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.security.SecurityOptions;
import io.pekkozmq.engine.zmtp.FrameSink;
import io.pekkozmq.engine.zmtp.FrameSource;
import io.pekkozmq.engine.zmtp.PeerInfo;
import io.pekkozmq.engine.zmtp.ProtocolError;
import io.pekkozmq.engine.zmtp.ZmtpConnection;
import io.pekkozmq.engine.zmtp.ZmtpOptions;
import io.pekkozmq.engine.zmtp.ZwsOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * libzmq's zmtp_engine: drives one {@link ZmtpConnection} over one channel. Runs on an I/O thread's
 * dispatcher, so readiness callbacks ({@link #ready}) and actor messages share one thread.
 *
 * <p>Data path: one read takes up to 64 KiB; the codec slices frames out of it into the inbound
 * pipe, which is flushed once per read. Outbound, the codec pulls frames from the pipe into one
 * reused 64 KiB buffer and the engine makes one write per buffer. No actor message is sent per
 * frame: the pipe wakes this actor ({@link ActivateRead}) only after it found the pipe empty, and
 * wakes it ({@link ActivateWrite}) only after it found the inbound pipe full.
 *
 * <h2>Heartbeats</h2>
 * As libzmq 4.3's stream_engine_base/zmtp_engine, for every socket type: once the handshake is
 * done, every HEARTBEAT_IVL a PING goes out carrying HEARTBEAT_TTL in deciseconds and
 * HEARTBEAT_CONTEXT, and unless one is already running a HEARTBEAT_TIMEOUT timer (default: the
 * interval) starts; a PING from the peer with a TTL starts a TTL timer. Any bytes received count
 * as life and defuse both timers; an expired timer closes the connection as libzmq does
 * (DISCONNECTED, then the session reconnects). Nothing happens per message: a read bumps a counter,
 * and each timer remembers the counter it was armed at. A timer seen to be defused is replaced
 * at the next PING (ours for the timeout; for the TTL, at expiry while the peer keeps pinging), so
 * a silent peer is dropped between one and two TTLs after its last traffic, as libzmq's timer
 * restarted by each PING would at one. While the inbound pipe is full we stop reading, so we do
 * not judge the peer then.
 */
public final class ZmtpEngine extends AbstractBehavior<ZmtpEngine.Command> implements IoHandler, FrameSink, FrameSource {
  public sealed interface Command extends org.apache.pekko.actor.NoSerializationVerificationNeeded permits Attach, ActivateRead, ActivateWrite, Close, HandshakeTimeout, StopNow,
      Heartbeat, HalfClosed, ZapReplyReady {}

  /** The session hands over the pipe end to read outbound and write inbound messages. */
  public record Attach(Pipe.End pipe) implements Command {}

  /** The outbound pipe has messages again. */
  public enum ActivateRead implements Command { INSTANCE }

  /** The inbound pipe has room again. */
  public enum ActivateWrite implements Command { INSTANCE }

  /** Stop: at once, or after sending what the pipe still holds (linger is the session's timer). */
  public record Close(boolean drain) implements Command {}

  private enum HandshakeTimeout implements Command { INSTANCE }

  /** The ZAP handler has written to this connection's ZAP pipe. */
  enum ZapReplyReady implements Command { INSTANCE }

  /** Readiness handling ended the connection; stop from inside the actor. */
  private enum StopNow implements Command { INSTANCE }

  /**
   * Drained: our side of the connection is shut (FIN after the last byte); ARMED arms the wait for
   * the peer's own close, EXPIRED ends it.
   */
  private enum HalfClosed implements Command { ARMED, EXPIRED }

  /** How long a drained connection waits for the peer to close its side before closing anyway. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

  /**
   * Heartbeat steps. START and ARM_TTL come from readiness handling, which may not touch timers;
   * the others are the timers.
   */
  private enum Heartbeat implements Command { START, SEND_PING, TIMEOUT, ARM_TTL, TTL }

  /**
   * Why an engine stopped, reported to its session: the connection failed during the handshake
   * (I/O error or HANDSHAKE_IVL), the peer broke the protocol (during or after the handshake:
   * libzmq never reconnects after that), the connection was lost after the handshake, or the
   * socket closed it.
   */
  public enum Outcome { HANDSHAKE_FAILED, PROTOCOL_ERROR, DISCONNECTED, CLOSED }

  // errno values libzmq reports with HANDSHAKE_FAILED_NO_DETAIL
  private static final int EAGAIN = 11;
  private static final int EPIPE = 32;
  private static final int ECONNRESET = 104;

  /** What the engine tells its session. */
  public interface Owner {
    void handshakeSucceeded(ActorRef<Command> engine, PeerInfo peer);

    /** Closing: everything the pipe held has been written; the engine now waits for the peer's close. */
    default void drained(ActorRef<Command> engine) {}

    void engineStopped(ActorRef<Command> engine, Outcome outcome, String reason);
  }

  private static final int READ_SIZE = 64 * 1024;
  private static final int WRITE_SIZE = 64 * 1024;
  private static final int MAX_WRITES_PER_TURN = 32;

  private final ActorContext<Command> ctx;
  /** Kept so readiness callbacks, which run outside message handling, never touch ctx. */
  private final ActorRef<Command> self;
  private final TimerScheduler<Command> timers;
  private final EngineChannel channel;
  private final ZmtpConnection conn;
  private final Owner owner;
  private final EventSink events;
  private final String local;
  private final String remote;
  private final long connectionId;
  private final SocketOptions options;

  // ZAP (RFC 27), as libzmq's session_base_t::zap_connect and zap_client_t: a pipe of this
  // connection's own to the handler at inproc://zeromq.zap.01, made when the mechanism first asks
  // whether a handler is there; the request goes into it and the reply comes back on this thread,
  // woken by the pipe (ZapReplyReady), so the handshake never blocks the I/O thread.
  private Pipe.End zapPipe;
  private java.util.List<byte[]> zapReplyFrames;

  private ByteBuffer readBuf = ByteBuffer.allocate(READ_SIZE);
  private final ByteBuffer writeBuf = ByteBuffer.allocateDirect(WRITE_SIZE);
  private Pipe.End pipe;
  private boolean handshakeDone;
  /** HANDSHAKE_SUCCEEDED has been emitted (at {@link Attach}, once the socket's pattern holds the pipe). */
  private boolean handshakeReported;
  /** The inbound pipe refused a frame: reading stops until ActivateWrite. */
  private boolean inboundBlocked;
  /** Closing with linger: stop once everything queued has been written. */
  private boolean draining;
  /** Drained and our output shut down: waiting for the peer's EOF. */
  private boolean outputShut;
  private boolean stopped;

  // heartbeats (see the class comment)
  /** Reads that brought bytes; never reset, timers compare it with the value they were armed at. */
  private long traffic;
  private int seenPeerPings;
  private boolean timeoutArmed;
  private long timeoutMark;
  private boolean ttlArmed;
  private boolean ttlRequested;
  private long ttlMillis;
  private long ttlMark;
  private int ttlPingMark;

  private ZmtpEngine(ActorContext<Command> ctx, TimerScheduler<Command> timers, EngineChannel channel,
      SocketType type, SocketOptions options, String peerAddress, Owner owner, EventSink events,
      String local, String remote, long connectionId, ZwsOptions zws) {
    super(ctx);
    this.ctx = ctx;
    this.self = ctx.getSelf();
    this.timers = timers;
    this.channel = channel;
    this.owner = owner;
    this.events = events;
    this.local = local;
    this.remote = remote;
    this.connectionId = connectionId;
    this.options = options;
    this.conn = new ZmtpConnection(zmtpOptions(type, options, peerAddress, this::zapConnect, zws));
    try {
      this.channel.register(SelectionKey.OP_READ, this);
    } catch (IOException e) {
      fail(Outcome.DISCONNECTED, "cannot register channel: " + e.getMessage());
      return;
    }
    if (options.handshakeIvl > 0) {
      timers.startSingleTimer(HandshakeTimeout.INSTANCE, Duration.ofMillis(options.handshakeIvl));
    }
    writeOut();
    if (stopped) self.tell(StopNow.INSTANCE);
  }

  public static Behavior<Command> create(IoThread io, SocketChannel channel, SocketType type, SocketOptions options,
      Owner owner, EventSink events, String local, String remote, long connectionId) {
    String peerAddress = PeerAddress.of(channel);
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> new ZmtpEngine(ctx, timers, new NioEngineChannel(io, channel),
        type, options, peerAddress, owner, events, local, remote, connectionId, null)));
  }

  /**
   * An engine speaking ZWS 2.0 (RFC 45) on a ws:// or wss:// connection: the codec runs the HTTP
   * upgrade (the connecting side sends the request for {@code endpoint}'s host and path) and the
   * WebSocket framing; for wss the channel is {@link TlsEngineChannel}, TLS below all of it.
   */
  public static Behavior<Command> createWebSocket(IoThread io, SocketChannel channel, SocketType type,
      SocketOptions options, Endpoint endpoint, boolean client, Owner owner,
      EventSink events, String local, String remote, long connectionId) {
    String peerAddress = PeerAddress.of(channel);
    String host = endpoint.host().contains(":") ? "[" + endpoint.host() + "]" : endpoint.host();
    ZwsOptions zws = client ? ZwsOptions.client(host + ":" + endpoint.port(), endpoint.path()) : ZwsOptions.server();
    boolean tls = endpoint.transport() == Endpoint.Transport.WSS;
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx -> {
      EngineChannel ch = tls
          ? TlsEngineChannel.create(io, channel, options, client, endpoint.host(), endpoint.port())
          : new NioEngineChannel(io, channel);
      return new ZmtpEngine(ctx, timers, ch, type, options, peerAddress, owner, events, local, remote, connectionId, zws);
    }));
  }

  /** An engine over any {@link EngineChannel} (the tests' in-memory one); the session uses the one above. */
  static Behavior<Command> create(EngineChannel channel, SocketType type, SocketOptions options, String peerAddress,
      Owner owner, EventSink events, String local, String remote, long connectionId) {
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx ->
        new ZmtpEngine(ctx, timers, channel, type, options, peerAddress, owner, events, local, remote, connectionId, null)));
  }

  /** As above, speaking ZWS 2.0 over the channel (the tests' in-memory one). */
  static Behavior<Command> create(EngineChannel channel, SocketType type, SocketOptions options, String peerAddress,
      Owner owner, EventSink events, String local, String remote, long connectionId, ZwsOptions zws) {
    return Behaviors.withTimers(timers -> Behaviors.setup(ctx ->
        new ZmtpEngine(ctx, timers, channel, type, options, peerAddress, owner, events, local, remote, connectionId, zws)));
  }

  /**
   * The codec's options from this connection's copy of the socket's: the security options choose
   * the mechanism and the greeting's as-server bit (1 only for a PLAIN or CURVE server; a binding
   * NULL socket sends 0, as libzmq's).
   */
  static ZmtpOptions zmtpOptions(SocketType type, SocketOptions o, String peerAddress, java.util.function.BooleanSupplier zap) {
    return zmtpOptions(type, o, peerAddress, zap, null);
  }

  static ZmtpOptions zmtpOptions(SocketType type, SocketOptions o, String peerAddress,
      java.util.function.BooleanSupplier zap, ZwsOptions zws) {
    return ZmtpOptions.builder(type)
        .zws(zws)
        .routingId(o.routingId)
        .maxMsgSize(o.maxMsgSize)
        .security(o.security())
        .peerAddress(peerAddress)
        .zapHandlerPresent(zap)
        .build();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Attach.class, this::onAttach)
        .onMessageEquals(ActivateRead.INSTANCE, this::onActivateRead)
        .onMessageEquals(ActivateWrite.INSTANCE, this::onActivateWrite)
        .onMessage(Close.class, this::onClose)
        .onMessageEquals(HandshakeTimeout.INSTANCE, this::onHandshakeTimeout)
        .onMessageEquals(StopNow.INSTANCE, Behaviors::stopped)
        .onMessage(Heartbeat.class, this::onHeartbeat)
        .onMessage(HalfClosed.class, this::onHalfClosed)
        .onMessageEquals(ZapReplyReady.INSTANCE, this::onZapReplyReady)
        .onSignal(PostStop.class, s -> {
          channel.release();
          return this;
        })
        .build();
  }

  private Behavior<Command> onAttach(Attach a) {
    if (stopped) return Behaviors.stopped();
    this.pipe = a.pipe();
    // The session attached the socket's end first: whoever sees this event and then sends on the
    // socket reaches this peer (libzmq's bind command precedes the event the same way).
    reportHandshake();
    pipe.setListener(new EngineWakeUps(self));
    pipe.setLegacySubscriptions(conn.peer() != null && conn.peer().minorVersion() == 0);
    // Frames the codec held back while no pipe was attached go in now (or, draining, are dropped).
    resumeInput();
    writeOut();
    return stoppedOrSame();
  }

  private Behavior<Command> onActivateRead() {
    writeOut();
    return stoppedOrSame();
  }

  private Behavior<Command> onActivateWrite() {
    resumeInput();
    return stoppedOrSame();
  }

  private Behavior<Command> onClose(Close c) {
    if (!c.drain()) {
      finish(Outcome.CLOSED, "closed by the socket");
    } else if (!handshakeDone || pipe == null) {
      // Mid-handshake, or handshaken but not yet given the pipe: the session decides once it
      // hears of the handshake (a connect side's pipe may hold messages LINGER must deliver).
      draining = true;
    } else {
      draining = true;
      keepReadingWhileDraining();
      writeOut();
    }
    return stoppedOrSame();
  }

  /**
   * While draining, nobody reads the inbound pipe any more (the socket let go of its end), so
   * what the peer sends is read and dropped: unread bytes in the kernel's receive buffer would
   * make the final close a reset, and a reset discards what we still had in the send buffer.
   */
  private void keepReadingWhileDraining() {
    if (inboundBlocked) resumeInput();
  }

  private Behavior<Command> onHandshakeTimeout() {
    if (!handshakeDone) {
      // libzmq reports whatever errno its last read left: EAGAIN
      fail(Outcome.HANDSHAKE_FAILED, "handshake not completed within " + options.handshakeIvl + " ms", EAGAIN);
    }
    return stoppedOrSame();
  }

  private Behavior<Command> onHeartbeat(Heartbeat h) {
    if (stopped) return Behaviors.stopped();
    switch (h) {
      case START -> {
        if (options.heartbeatIvl > 0) {
          timers.startTimerWithFixedDelay(Heartbeat.SEND_PING, Duration.ofMillis(options.heartbeatIvl));
        }
      }
      case SEND_PING -> sendPing();
      case TIMEOUT -> {
        timeoutArmed = false;
        if (traffic == timeoutMark && !inboundBlocked) {
          fail(Outcome.DISCONNECTED, "heartbeat: no traffic from the peer within HEARTBEAT_TIMEOUT of "
              + HeartbeatTimes.timeoutMillis(options.heartbeatIvl, options.heartbeatTimeout) + " ms");
        }
      }
      case ARM_TTL -> {
        ttlRequested = false;
        armTtl();
      }
      case TTL -> {
        ttlArmed = false;
        if (traffic == ttlMark && !inboundBlocked) {
          fail(Outcome.DISCONNECTED, "heartbeat: no traffic from the peer within the TTL of " + ttlMillis
              + " ms its PING asked for");
        } else if (seenPeerPings != ttlPingMark || inboundBlocked) {
          ttlMillis = conn.lastPeerPingTtlMillis();
          ttlMark = traffic;
          ttlPingMark = seenPeerPings;
          armTtl();
        }
      }
    }
    return stoppedOrSame();
  }

  private Behavior<Command> onHalfClosed(HalfClosed h) {
    if (h == HalfClosed.ARMED) {
      timers.startSingleTimer(HalfClosed.EXPIRED, CLOSE_WAIT);
    } else {
      finish(Outcome.CLOSED, "drained; the peer did not close within " + CLOSE_WAIT);
    }
    return stoppedOrSame();
  }

  /**
   * Everything queued is written. Closing now could still lose it: bytes the peer sends meanwhile
   * make our close a reset, and a reset can throw away what the peer has not read yet. So, as a
   * lingering close does, shut our output (the FIN follows our last byte), keep reading and dropping,
   * and close when the peer closes its side (a ZeroMQ peer does so on seeing our FIN), or after
   * {@link #CLOSE_WAIT}.
   */
  private void drained() {
    if (outputShut || stopped) return;
    outputShut = true;
    channel.setInterest(SelectionKey.OP_WRITE, false);
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      finish(Outcome.CLOSED, "drained");
      return;
    }
    owner.drained(self);
    keepReadingWhileDraining();
    if (!stopped) self.tell(HalfClosed.ARMED);
  }

  private void sendPing() {
    if (outputShut) return;
    if (timeoutArmed && traffic != timeoutMark) {
      // libzmq cancels the timeout on the first message after the PING; we notice at the next one
      timers.cancel(Heartbeat.TIMEOUT);
      timeoutArmed = false;
    }
    conn.queuePing(options.heartbeatContext, HeartbeatTimes.pingTtlDeciseconds(options.heartbeatTtl));
    writeOut();
    long timeout = HeartbeatTimes.timeoutMillis(options.heartbeatIvl, options.heartbeatTimeout);
    if (!stopped && !timeoutArmed && timeout > 0 && !inboundBlocked) {
      timeoutArmed = true;
      timeoutMark = traffic;
      timers.startSingleTimer(Heartbeat.TIMEOUT, Duration.ofMillis(timeout));
    }
  }

  private void armTtl() {
    if (ttlMillis <= 0 || ttlArmed) return;
    ttlArmed = true;
    timers.startSingleTimer(Heartbeat.TTL, Duration.ofMillis(ttlMillis));
  }

  /** The peer's PING was decoded: start its TTL timer unless one runs (from the actor: a message). */
  private void peerPinged() {
    seenPeerPings = conn.peerPings();
    long ttl = conn.lastPeerPingTtlMillis();
    if (ttl > 0 && !ttlArmed && !ttlRequested) {
      ttlRequested = true;
      ttlMillis = ttl;
      ttlMark = traffic;
      ttlPingMark = seenPeerPings;
      self.tell(Heartbeat.ARM_TTL);
    }
  }

  private Behavior<Command> stoppedOrSame() {
    return stopped ? Behaviors.stopped() : this;
  }

  // ---- readiness (on this actor's thread) ---------------------------------------------------

  @Override
  public void ready(int readyOps) {
    if (stopped) return;
    if ((readyOps & SelectionKey.OP_READ) != 0) readIn();
    // only release cancels the key, and it comes after stopped: this stands for the key's isValid
    if (!stopped && (readyOps & SelectionKey.OP_WRITE) != 0) writeOut();
    if (stopped) self.tell(StopNow.INSTANCE);
  }

  private void readIn() {
    for (int i = 0; i < 4 && !inboundBlocked && !stopped; i++) {
      int n;
      try {
        n = channel.read(readBuf);
      } catch (IOException e) {
        if (outputShut) {
          finish(Outcome.CLOSED, "drained");
          return;
        }
        fail(handshakeDone ? Outcome.DISCONNECTED : Outcome.HANDSHAKE_FAILED, e.getMessage(), errnoOf(e));
        return;
      }
      if (n < 0 && outputShut) {
        finish(Outcome.CLOSED, "drained; the peer closed too");
        return;
      }
      if (n < 0) {
        // libzmq turns a read of 0 bytes into EPIPE
        fail(handshakeDone ? Outcome.DISCONNECTED : Outcome.HANDSHAKE_FAILED, "peer closed the connection", EPIPE);
        return;
      }
      if (n == 0) return;
      consumeBuffered();
      if (n < READ_SIZE / 2) return; // the socket is likely drained; let select tell us
    }
  }

  /** Feeds readBuf's bytes to the codec and keeps what it could not take. */
  private void consumeBuffered() {
    readBuf.flip();
    ZmtpConnection.Status st = conn.consume(readBuf, this);
    if (conn.sawTrafficSinceLastCheck()) traffic++;
    if (conn.peerPings() != seenPeerPings) peerPinged();
    if (conn.retainsInput()) {
      // frames point into this buffer: never overwrite it
      ByteBuffer fresh = ByteBuffer.allocate(READ_SIZE);
      fresh.put(readBuf);
      readBuf = fresh;
    } else {
      readBuf.compact();
    }
    if (pipe != null) pipe.flush();
    if (!handshakeDone && conn.handshakeComplete()) onHandshake();
    switch (st) {
      case OK -> {}
      case BLOCKED -> {
        inboundBlocked = true;
        channel.setInterest(SelectionKey.OP_READ, false);
      }
      case ERROR -> {
        failOnProtocolError();
        return;
      }
    }
    if (!handshakeDone) sendZapRequest();
    if (conn.hasPendingOutput()) writeOut();
  }

  /**
   * The codec failed the connection: the monitor hears why as libzmq's does (EFAULT as
   * HANDSHAKE_FAILED_NO_DETAIL when ZAP is required and no handler is bound; the ZAP status as
   * HANDSHAKE_FAILED_AUTH, whether our handler refused the peer or the peer's ERROR carries one;
   * else the protocol error's code where libzmq reports it), then DISCONNECTED.
   */
  private void failOnProtocolError() {
    if (conn.peerClosedWebSocket()) {
      // a WebSocket close is the peer ending the connection, as a FIN is: reconnect as after one
      writeOut(); // our echoed close
      fail(handshakeDone ? Outcome.DISCONNECTED : Outcome.HANDSHAKE_FAILED, conn.errorDetail(), EPIPE);
      return;
    }
    ProtocolError err = conn.error();
    int auth = conn.zapFailureStatus();
    if (auth == 0 && conn.errorFromPeer()) auth = statusOfPeerError(conn.errorDetail());
    if (conn.failureErrno() != 0) {
      // ZAP required and no handler bound: libzmq's event_handshake_failed_no_detail(EFAULT)
      events.emit(EventType.HANDSHAKE_FAILED_NO_DETAIL, conn.failureErrno(), local, remote);
    } else if (auth != 0) {
      events.emit(EventType.HANDSHAKE_FAILED_AUTH, auth, local, remote);
    } else if (err != null && reportedAsProtocolError(err, conn.errorFromPeer(), handshakeDone,
        options.mechanism != SecurityOptions.Kind.NULL)) {
      events.emit(EventType.HANDSHAKE_FAILED_PROTOCOL, err.code(), local, remote);
    }
    writeOut(); // try to get an ERROR command out before closing
    fail(Outcome.PROTOCOL_ERROR, err + (conn.errorDetail() == null ? "" : ": " + conn.errorDetail()));
  }

  // ---- ZAP -----------------------------------------------------------------------------------

  /**
   * Asked by the mechanism (on this thread, inside consume or produce) when it needs ZAP: connects
   * this connection's pipe to the handler if one is bound now (libzmq's zap_connect).
   */
  private boolean zapConnect() {
    if (zapPipe != null) return true;
    if (options.inproc == null) return false;
    Pipe.End end = options.inproc.zapConnect();
    if (end == null) return false;
    zapPipe = end;
    end.setListener(new ZapWakeUp(self));
    return true;
  }

  /** Hands the handshake's ZAP request, if it has one, to the handler, and looks for the reply. */
  private void sendZapRequest() {
    java.util.List<byte[]> request = conn.takeZapRequest();
    if (request == null || stopped) return;
    if (zapPipe == null && !zapConnect()) {
      // the handler went away between the mechanism's question and now: as if it never answers
      // (HANDSHAKE_IVL ends the wait), which is what a handler that closed without replying does
      return;
    }
    for (int i = 0; i < request.size(); i++) {
      zapPipe.write(Frame.wrap(request.get(i), i < request.size() - 1 ? Frame.MORE : 0));
    }
    zapPipe.flush();
    readZapReply();
  }

  private Behavior<Command> onZapReplyReady() {
    readZapReply();
    return stoppedOrSame();
  }

  /** Takes the handler's reply once it is whole, gives it to the codec and lets the handshake go on. */
  private void readZapReply() {
    if (zapPipe == null || stopped) return;
    Frame f;
    while ((f = zapPipe.read()) != null) {
      if (zapReplyFrames == null) zapReplyFrames = new java.util.ArrayList<>(7);
      zapReplyFrames.add(f.toByteArray());
      if (!f.hasMore()) {
        java.util.List<byte[]> reply = zapReplyFrames;
        zapReplyFrames = null;
        closeZap(); // one request per connection; a second reply is nobody's
        conn.zapReply(reply);
        consumeBuffered(); // input held while waiting, and the verdict (an ERROR fails here)
        if (!stopped) writeOut();
        if (stopped) self.tell(StopNow.INSTANCE);
        return;
      }
    }
  }

  private void closeZap() {
    if (zapPipe == null) return;
    zapPipe.setListener(null);
    zapPipe.closeWrite(); // the handler's socket reaps its end
    zapPipe = null;
  }

  private void resumeInput() {
    if (stopped) return;
    inboundBlocked = false;
    // even with no bytes left, the codec may hold the frame the pipe refused: offer it again
    consumeBuffered();
    if (!inboundBlocked && !stopped) channel.setInterest(SelectionKey.OP_READ, true);
  }

  private void onHandshake() {
    handshakeDone = true; // the handshake timer, if it fires, sees this and does nothing
    if (options.heartbeatIvl > 0) self.tell(Heartbeat.START);
    owner.handshakeSucceeded(self, conn.peer());
  }

  /** Emits HANDSHAKE_SUCCEEDED once; before any later event of this connection. */
  private void reportHandshake() {
    if (handshakeReported || !handshakeDone) return;
    handshakeReported = true;
    events.emit(EventType.HANDSHAKE_SUCCEEDED, 0, local, remote);
  }

  private void writeOut() {
    if (stopped || outputShut) return;
    for (int turn = 0; turn < MAX_WRITES_PER_TURN; turn++) {
      // A buffer still full from a write the kernel refused leaves no room to ask the codec: assume
      // more is pending, or the rest of a large frame (and the pipe behind it) is never written.
      boolean more = !writeBuf.hasRemaining() || conn.produce(writeBuf, this);
      if (writeBuf.position() == 0) {
        channel.setInterest(SelectionKey.OP_WRITE, false);
        if (draining && pipe != null && pipe.peerClosedAndDrained()) drained();
        return;
      }
      writeBuf.flip();
      try {
        channel.write(writeBuf);
      } catch (IOException e) {
        writeBuf.clear();
        fail(handshakeDone ? Outcome.DISCONNECTED : Outcome.HANDSHAKE_FAILED, e.getMessage(), errnoOf(e));
        return;
      }
      writeBuf.compact();
      if (writeBuf.position() > 0) {
        channel.setInterest(SelectionKey.OP_WRITE, true); // partial write: the kernel buffer is full
        return;
      }
      if (!more) {
        channel.setInterest(SelectionKey.OP_WRITE, false);
        if (draining && pipe != null && pipe.peerClosedAndDrained()) drained();
        return;
      }
    }
    self.tell(ActivateRead.INSTANCE); // yield to other work, then continue
  }

  // ---- FrameSink: decoded frames into the inbound pipe --------------------------------------

  @Override
  public boolean offer(Frame frame) {
    if (pipe == null) return false;
    if (draining) return true; // see keepReadingWhileDraining
    return pipe.write(frame);
  }

  // ---- FrameSource: outbound frames from the pipe -------------------------------------------

  @Override
  public Frame poll() {
    if (pipe == null) return null;
    return pipe.read();
  }

  // ---- ending -------------------------------------------------------------------------------

  private void fail(Outcome outcome, String reason) {
    fail(outcome, reason, 0);
  }

  /** Ends the connection; {@code errno} is what HANDSHAKE_FAILED_NO_DETAIL carries. */
  private void fail(Outcome outcome, String reason, int errno) {
    if (stopped) return;
    reportHandshake(); // ended before the session attached the pipe: the peer did shake hands
    if (outcome != Outcome.CLOSED) {
      if (outcome == Outcome.HANDSHAKE_FAILED) {
        // libzmq: a failure during the handshake that is not a protocol error has no detail
        events.emit(EventType.HANDSHAKE_FAILED_NO_DETAIL, errno, local, remote);
      }
      events.emit(EventType.DISCONNECTED, connectionId, local, remote);
    }
    finish(outcome, reason);
  }

  /**
   * Whether libzmq 4.3 reports this handshake failure as HANDSHAKE_FAILED_PROTOCOL before the
   * DISCONNECTED: a mechanism mismatch, an unexpected or malformed command; not a peer READY with
   * the wrong socket type or bad metadata, nor the peer's ERROR command, which libzmq drops with
   * DISCONNECTED alone. ZMTP_UNSPECIFIED is our refusal of a ZMTP 1.0/2.0 greeting, which libzmq
   * would accept; we report it.
   */
  private static boolean reportedAsHandshakeFailure(ProtocolError err, boolean fromPeer) {
    return switch (err) {
      case ZMTP_MECHANISM_MISMATCH, ZMTP_UNEXPECTED_COMMAND, ZMTP_MALFORMED_COMMAND_ERROR -> true;
      case ZMTP_UNSPECIFIED -> !fromPeer;
      default -> false;
    };
  }

  /**
   * As {@link #reportedAsHandshakeFailure} for NULL; PLAIN and CURVE (libzmq's plain_*, curve_*
   * and zap_client) report every error they detect themselves, and CURVE's MESSAGE errors
   * (INVALID_SEQUENCE, CRYPTOGRAPHIC, MALFORMED_COMMAND_MESSAGE) even after the handshake. A
   * malformed ZAP reply is reported whatever the mechanism. The peer's ERROR command never is.
   */
  static boolean reportedAsProtocolError(ProtocolError err, boolean fromPeer, boolean afterHandshake, boolean secured) {
    if (fromPeer) return false;
    // a refused upgrade (as libzmq's ws_engine reports it) and, departing from libzmq, which just
    // disconnects, a broken WebSocket frame after the handshake too: the monitor says which
    if (err == ProtocolError.WS_UNSPECIFIED) return true;
    if (err.code() >= ProtocolError.ZAP_UNSPECIFIED.code() && err.code() < ProtocolError.WS_UNSPECIFIED.code()) return true;
    if (afterHandshake) {
      return secured && (err == ProtocolError.ZMTP_INVALID_SEQUENCE || err == ProtocolError.ZMTP_CRYPTOGRAPHIC
          || err == ProtocolError.ZMTP_MALFORMED_COMMAND_MESSAGE);
    }
    return secured || reportedAsHandshakeFailure(err, false);
  }

  /**
   * libzmq's mechanism_base_t::handle_error_reason: a peer's ERROR whose reason is exactly a ZAP
   * status code (300, 400 or 500) is an authentication failure.
   */
  static int statusOfPeerError(String detail) {
    if (detail == null || detail.length() < 3) return 0;
    int colon = detail.lastIndexOf(": ");
    String reason = colon < 0 ? detail : detail.substring(colon + 2);
    if (reason.length() != 3 || reason.charAt(1) != '0' || reason.charAt(2) != '0') return 0;
    char c = reason.charAt(0);
    return c >= '3' && c <= '5' ? (c - '0') * 100 : 0;
  }

  private static int errnoOf(IOException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("Broken pipe") ? EPIPE : ECONNRESET;
  }

  private void finish(Outcome outcome, String reason) {
    if (stopped) return;
    reportHandshake();
    stopped = true;
    if (pipe != null) pipe.setListener(null); // nothing wakes a stopped engine
    closeZap();
    channel.release();
    owner.engineStopped(self, outcome, reason);
  }
}
