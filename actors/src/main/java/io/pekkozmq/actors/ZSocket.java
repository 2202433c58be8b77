package io.pekkozmq.actors;

import io.pekkozmq.actors.impl.socket.SocketCore;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.SocketEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The blocking facade over one socket actor, for code outside actors. Unlike a libzmq socket it is
 * safe to use from several threads at once. A blocked call ends cleanly with EINTR when its thread
 * is interrupted; the socket and context stay usable.
 *
 * <p>Send and receive go straight to the socket's data plane (no actor message per message);
 * bind, connect, options and close are round trips to the socket actor.
 */
public final class ZSocket implements AutoCloseable {
  private final ZeroMQ zmq;
  private final SocketCore core;
  private final ActorRef<Socket.Command> actor;
  /** Completes when the socket actor has stopped: true if LINGER cut nothing off. */
  private final java.util.concurrent.CompletableFuture<Boolean> stopped;
  /** close() was called: control calls fail at once, as libzmq's do on a closed socket. */
  private volatile boolean closeCalled;

  ZSocket(ZeroMQ zmq, SocketCore core, ActorRef<Socket.Command> actor) {
    this.zmq = zmq;
    this.core = core;
    this.actor = actor;
    // taken now, while the context still holds it: the context forgets a socket once it has stopped,
    // and the verdict must stay with the socket however late closeAndWait asks
    this.stopped = zmq.whenStopped(core);
  }

  public SocketType type() {
    return core.type();
  }

  /** The socket actor, for the typed API. */
  public ActorRef<Socket.Command> actor() {
    return actor;
  }

  /**
   * The data plane, for this package (poller, proxy) and, through the internal SPI
   * ({@code spi.RuntimeSpi}, which reads it by a method handle), the stream stages and monitors.
   */
  SocketCore core() {
    return core;
  }

  // ---- endpoints ----------------------------------------------------------------------------

  /** Binds and returns the resolved endpoint (e.g. the port chosen for {@code tcp://127.0.0.1:*}). */
  public String bind(String endpoint) {
    Socket.Reply r = ask(to -> new Socket.Bind(endpoint, to));
    if (r instanceof Socket.Bound b) return b.endpoint();
    throw failure(r);
  }

  public void connect(String endpoint) {
    done(ask(to -> new Socket.Connect(endpoint, to)));
  }

  /**
   * PEER only (libzmq's zmq_connect_peer): connects and returns the routing id the new peer is
   * known by, usable at once ({@code send(msg.withRoutingId(id))}: the message waits until the
   * connection is up). Throws ENOTSUP on other types, EFAULT with IMMEDIATE set.
   */
  public int connectPeer(String endpoint) {
    Socket.Reply r = ask(to -> new Socket.ConnectPeer(endpoint, to));
    if (r instanceof Socket.PeerConnected p) return p.routingId();
    throw failure(r);
  }

  public void unbind(String endpoint) {
    done(ask(to -> new Socket.Unbind(endpoint, to)));
  }

  public void disconnect(String endpoint) {
    done(ask(to -> new Socket.Disconnect(endpoint, to)));
  }

  // ---- options ------------------------------------------------------------------------------

  public void setOption(ZmqOption option, Object value) {
    done(ask(to -> new Socket.SetOption(option, value, to)));
  }

  public Object getOption(ZmqOption option) {
    Socket.Reply r = ask(to -> new Socket.GetOption(option, to));
    if (r instanceof Socket.OptionValue v) return v.value();
    throw failure(r);
  }

  /** SUB/XSUB: receive messages starting with {@code prefix} (empty: everything). */
  public void subscribe(byte[] prefix) {
    setOption(ZmqOption.SUBSCRIBE, prefix);
  }

  public void subscribe(String prefix) {
    setOption(ZmqOption.SUBSCRIBE, prefix.getBytes(StandardCharsets.UTF_8));
  }

  public void unsubscribe(String prefix) {
    setOption(ZmqOption.UNSUBSCRIBE, prefix.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * DISH (RFC 48): receive the messages sent to {@code group} (exact match; libzmq's zmq_join).
   * Throws EINVAL naming the problem for a group over {@link Msg#GROUP_MAX_LENGTH} bytes or one
   * already joined, ENOTSUP on other socket types. Takes effect at once, without an actor hop.
   */
  public void join(String group) {
    core.joinOrLeave(group, true);
  }

  /** DISH: stop receiving {@code group} (libzmq's zmq_leave); EINVAL if it was not joined. */
  public void leave(String group) {
    core.joinOrLeave(group, false);
  }

  public String lastEndpoint() {
    return core.lastEndpoint();
  }

  /** Subscribes an actor to this socket's monitor events (see {@link Socket.Monitor}). */
  public void monitor(ActorRef<SocketEvent> subscriber, long mask) {
    actor.tell(new Socket.Monitor(subscriber, mask));
  }

  /** Subscribes with an explicit initial demand (see {@link Socket.Monitor}). */
  public void monitor(ActorRef<SocketEvent> subscriber, long mask, long demand) {
    actor.tell(new Socket.Monitor(subscriber, mask, demand));
  }

  /**
   * libzmq's zmq_socket_monitor_pipes_stats: one PIPES_STATS event per peer follows. Throws EINVAL
   * when no monitor asks for PIPES_STATS, EAGAIN when there are no peers.
   */
  public void requestPipesStats() {
    done(ask(Socket.RequestPipesStats::new));
  }

  /** The context this socket belongs to. */
  public ZeroMQ context() {
    return zmq;
  }

  // ---- sending ------------------------------------------------------------------------------

  /** Sends, waiting as SNDTIMEO says (-1: until there is room). Throws EAGAIN on timeout. */
  public void send(Msg msg) {
    int timeout = core.sendTimeout();
    if (!core.send(msg, timeout)) {
      throw new ZmqException(Errno.EAGAIN, "send timed out after " + timeout + " ms on " + type() + " socket");
    }
  }

  /** Sends, waiting at most {@code timeout}; returns false if there was no room in time. */
  public boolean send(Msg msg, Duration timeout) {
    return core.send(msg, Math.max(0, timeout.toMillis()));
  }

  /** Sends without waiting; returns false if there is no room now (EAGAIN). */
  public boolean trySend(Msg msg) {
    return core.send(msg, 0);
  }

  public void send(String text) {
    send(Msg.ofStrings(text));
  }

  public void send(byte[] data) {
    send(Msg.of(Frame.wrap(data)));
  }

  // ---- receiving ----------------------------------------------------------------------------

  /** Receives, waiting as RCVTIMEO says (-1: forever). Throws EAGAIN on timeout. */
  public Msg recv() {
    int timeout = core.recvTimeout();
    Msg m = core.recv(timeout);
    if (m == null) throw new ZmqException(Errno.EAGAIN, "receive timed out after " + timeout + " ms on " + type() + " socket");
    return m;
  }

  /** Receives, waiting at most {@code timeout}; null if nothing came. */
  public Msg recv(Duration timeout) {
    return core.recv(Math.max(0, timeout.toMillis()));
  }

  /** Receives without waiting; null if nothing is there. */
  public Msg tryRecv() {
    return core.recv(0);
  }

  public String recvString() {
    return recv().first().text();
  }

  public String recvString(Duration timeout) {
    Msg m = recv(timeout);
    return m == null ? null : new String(m.first().toByteArray(), StandardCharsets.UTF_8);
  }

  // ---- close --------------------------------------------------------------------------------

  /** Closes at once; queued messages linger in the background as LINGER says. */
  @Override
  public void close() {
    closeCalled = true;
    if (core.isClosed()) return;
    actor.tell(new Socket.Close(null));
  }

  /**
   * Closes and waits until the socket has finished lingering (at most {@code timeout}). True when
   * it closed in time and LINGER cut off nothing it was meant to deliver: every queued message
   * was written to its connection or left in an inproc peer's pipe (LINGER 0 asks for queued
   * messages to be dropped, and that counts as done). False when the wait timed out, or LINGER
   * (or the context's max-termination) ran out with messages still queued.
   */
  public boolean closeAndWait(Duration timeout) {
    close();
    try {
      return stopped.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  /** Completes when the socket has closed and finished lingering (stream stages wait on this). */
  public CompletionStage<Void> whenClosed() {
    return stopped.<Void>thenApply(delivered -> null).minimalCompletionStage();
  }

  /**
   * A round trip to the socket actor, failing at once when there is nobody to answer: ETERM once
   * the context is terminated, ENOTSOCK once the socket is closed (also if it closes while we wait).
   */
  private Socket.Reply ask(java.util.function.Function<ActorRef<Socket.Reply>, Socket.Command> make) {
    if (zmq.isTerminated()) throw new ZmqException(Errno.ETERM, "the context of " + this + " is terminated");
    if (closeCalled || core.isClosed() || stopped.isDone()) {
      throw new ZmqException(Errno.ENOTSOCK, this + " is closed");
    }
    return zmq.ask(core, actor, make, this::toString);
  }

  /** The socket's type and id, e.g. {@code PUSH socket push-3}, as errors name it. */
  @Override
  public String toString() {
    return type() + " socket " + core.id();
  }

  private static void done(Socket.Reply r) {
    if (!(r instanceof Socket.Done)) throw failure(r);
  }

  private static ZmqException failure(Socket.Reply r) {
    if (r instanceof Socket.Failed f) {
      // rethrow with the caller's stack, keeping the message that names the problem
      return new ZmqException(f.error().errno(), f.error().getMessage().replaceAll(" \\([A-Z]+: [^)]*\\)$", ""), f.error());
    }
    return new ZmqException(Errno.EINVAL, "unexpected reply " + r);
  }
}
