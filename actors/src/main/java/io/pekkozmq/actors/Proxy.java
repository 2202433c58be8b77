package io.pekkozmq.actors;

import io.pekkozmq.engine.SocketType;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * libzmq's {@code zmq_proxy} / {@code zmq_proxy_steerable} as an actor, so a Pekko application can
 * start, supervise and stop a broker.
 *
 * <p>The proxy forwards whole multipart messages from frontend to backend and from backend to
 * frontend. With a capture socket, each forwarded message is also sent there (libzmq sends every
 * part to capture as it forwards it). Forwarding happens below the actor: it drains batches from
 * the sockets' data planes and is woken only when a socket becomes readable or writable, never
 * by an actor message per forwarded message. When a destination (or the capture socket) is at its
 * HWM, the proxy stops reading the source, as libzmq's blocking proxy does: the source's queues
 * then fill and its peers are held back. It never drops a message itself (PUB and XPUB drop by
 * their own rules) and holds at most a small fixed batch per direction.
 *
 * <p>Steering: {@link Pause} stops forwarding (messages stay queued in the sockets), {@link Resume}
 * restarts it, {@link Terminate} stops the proxy actor, {@link GetStatistics} replies with
 * libzmq's 8 counters. The same commands arrive as libzmq's control-socket messages "PAUSE",
 * "RESUME", "TERMINATE" and "STATISTICS" on an optional control socket; STATISTICS is answered
 * there with 8 frames of 8 bytes each, little-endian (libzmq sends its uint64_t counters in host
 * order), and a REP control socket gets an empty reply to the others, as in libzmq.
 *
 * <p>Sockets: a proxy made by {@link #create} or {@link #start} only uses the sockets it is given;
 * they stay open when it stops and the caller closes them (libzmq's proxy never closes its
 * sockets either). The one-liners {@link #queue}, {@link #forwarder} and {@link #streamer} create,
 * bind and own theirs: they close them (with their LINGER) when the proxy stops for any reason.
 *
 * <p>Failures: if a destination refuses a message for a reason other than a full queue (say
 * EHOSTUNREACH from a ROUTER_MANDATORY frontend), the proxy fails with that error, as
 * {@code zmq_proxy} returns -1. If one of its sockets is closed, it stops.
 */
public final class Proxy {
  private static final AtomicLong NAMES = new AtomicLong();

  private Proxy() {}

  /** What a proxy understands. */
  public sealed interface Command permits Pause, Resume, Terminate, GetStatistics, ProxyActor.Wake {}

  /** Stops forwarding; messages wait in the sockets' queues. */
  public record Pause() implements Command {}

  /** Forwards again after {@link Pause}. */
  public record Resume() implements Command {}

  /** Stops the proxy (its one-liner sockets are closed). */
  public record Terminate() implements Command {}

  /** Asks for the counters. */
  public record GetStatistics(ActorRef<Statistics> replyTo) implements Command {}

  /**
   * libzmq zmq_proxy_steerable's 8 counters, in its order. As libzmq counts them, "messages" are
   * message parts (frames) and bytes are their payload sizes: received from and sent to the
   * frontend, then received from and sent to the backend.
   */
  public record Statistics(long frontendMsgsIn, long frontendBytesIn, long frontendMsgsOut, long frontendBytesOut,
                           long backendMsgsIn, long backendBytesIn, long backendMsgsOut, long backendBytesOut) {}

  /**
   * A proxy between {@code frontend} and {@code backend}; {@code capture} (nullable) gets a copy of
   * every forwarded message. The sockets stay the caller's. {@code frontend} may be {@code backend}
   * (one socket forwarding to itself), as libzmq allows.
   */
  public static Behavior<Command> create(ZSocket frontend, ZSocket backend, ZSocket capture) {
    return create(frontend, backend, capture, null);
  }

  /** As {@link #create(ZSocket, ZSocket, ZSocket)}, also steered by libzmq's {@code control} socket (nullable). */
  public static Behavior<Command> create(ZSocket frontend, ZSocket backend, ZSocket capture, ZSocket control) {
    return ProxyActor.create(frontend, backend, capture, control, List.of());
  }

  /** Starts {@link #create(ZSocket, ZSocket, ZSocket)} as a system actor of {@code zmq}'s actor system. */
  public static ActorRef<Command> start(ZeroMQ zmq, ZSocket frontend, ZSocket backend, ZSocket capture) {
    return start(zmq, frontend, backend, capture, null);
  }

  /** Starts {@link #create(ZSocket, ZSocket, ZSocket, ZSocket)} as a system actor. */
  public static ActorRef<Command> start(ZeroMQ zmq, ZSocket frontend, ZSocket backend, ZSocket capture,
      ZSocket control) {
    return spawn(zmq, create(frontend, backend, capture, control));
  }

  /**
   * The queue device: a ROUTER bound at {@code frontendBind} for clients (REQ, DEALER) and a DEALER
   * bound at {@code backendBind} for workers (REP, DEALER). Binds before returning (throwing the
   * bind's error); the proxy owns and closes both sockets.
   */
  public static ActorRef<Command> queue(ZeroMQ zmq, String frontendBind, String backendBind) {
    return device(zmq, SocketType.ROUTER, frontendBind, SocketType.DEALER, backendBind);
  }

  /**
   * The forwarder device: an XSUB bound at {@code frontendBind} for publishers and an XPUB bound at
   * {@code backendBind} for subscribers; subscriptions travel back upstream. Owns both sockets.
   */
  public static ActorRef<Command> forwarder(ZeroMQ zmq, String frontendBind, String backendBind) {
    return device(zmq, SocketType.XSUB, frontendBind, SocketType.XPUB, backendBind);
  }

  /**
   * The streamer device: a PULL bound at {@code frontendBind} for producers and a PUSH bound at
   * {@code backendBind} for consumers. Owns both sockets.
   */
  public static ActorRef<Command> streamer(ZeroMQ zmq, String frontendBind, String backendBind) {
    return device(zmq, SocketType.PULL, frontendBind, SocketType.PUSH, backendBind);
  }

  private static ActorRef<Command> device(ZeroMQ zmq, SocketType frontType, String frontendBind,
      SocketType backType, String backendBind) {
    ZSocket frontend = zmq.socket(frontType);
    ZSocket backend = zmq.socket(backType);
    try {
      frontend.bind(frontendBind);
      backend.bind(backendBind);
    } catch (RuntimeException e) {
      frontend.close();
      backend.close();
      throw e;
    }
    return spawn(zmq, ProxyActor.create(frontend, backend, null, null, List.of(frontend, backend)));
  }

  private static ActorRef<Command> spawn(ZeroMQ zmq, Behavior<Command> behavior) {
    return zmq.system().systemActorOf(behavior, "pzmq-proxy-" + NAMES.incrementAndGet(),
        DispatcherSelector.fromConfig(zmq.settings().socketDispatcher()));
  }
}
