package io.pekkozmq.actors.impl;

import io.pekkozmq.actors.impl.pipe.Pipe;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The context's inproc endpoint registry (libzmq's ctx_t endpoints and pending connections).
 * Connect and bind work in either order: a connect before the bind gets its pipe at once, so
 * messages queue, and the binder adopts the pipe when it binds.
 *
 * <p>HWM: as in libzmq, an inproc pipe holds the sender's SNDHWM plus the receiver's RCVHWM in
 * each direction (unlimited if either is 0).
 *
 * <p>Causality, as libzmq: a connect to a bound name hands the binder its pipe end through the
 * binder's {@link Binder}, synchronously, so when {@code connect} returns the binder's pattern
 * already routes to the new peer (libzmq's bind command is processed before the binder's next send).
 *
 * <p>CONFLATE: a direction conflates if the socket writing it or the one reading it asks for it
 * (see {@link SocketOptions#conflatesOutbound}); libzmq looks at the connecting socket only. When
 * the connect comes first, only the connecting socket's option is known, and counts.
 */
public final class Inproc {
  /**
   * How a bound socket adopts a pipe end from a connect. Called on the connecting socket's thread
   * while this registry's monitor is held; it takes the binder's data-plane lock and nothing else.
   * False when the binder has closed: the connecter's pipe then sees its peer gone.
   */
  public interface Binder {
    /**
     * Takes {@code binderEnd} into the bound socket; {@code peerIsCaller}: the other end is a
     * connected socket's (its callers write it), not a session's on an I/O thread (ZAP).
     */
    boolean adopt(Pipe.End binderEnd, boolean peerIsCaller);
  }

  private record Binding(Binder binder, SocketType type, SocketOptions options) {}

  private record Pending(Pipe.End binderEnd, SocketOptions connecterOptions) {}

  private final Map<String, Binding> bound = new HashMap<>();
  private final Map<String, List<Pending>> pending = new HashMap<>();

  /** Binds {@code name}; returns the binder's ends of pipes from connects that came first. */
  public synchronized List<Pipe.End> bind(String name, Binder binder, SocketType type, SocketOptions o) {
    if (bound.containsKey(name)) {
      throw new ZmqException(Errno.EADDRINUSE, "inproc://" + name + " is already bound");
    }
    bound.put(name, new Binding(binder, type, o.copy()));
    List<Pipe.End> ends = new ArrayList<>();
    List<Pending> waiting = pending.remove(name);
    if (waiting != null) {
      for (Pending p : waiting) {
        // now that both sides are known, the HWMs are the sums (libzmq's set_hwms on bind)
        p.binderEnd().setOutboundHwm(sum(o.sndHwm, p.connecterOptions().rcvHwm));
        p.binderEnd().peer().setOutboundHwm(sum(p.connecterOptions().sndHwm, o.rcvHwm));
        p.binderEnd().setRoutingId(p.connecterOptions().routingId);
        p.binderEnd().peer().setRoutingId(o.routingId);
        ends.add(p.binderEnd());
      }
    }
    return ends;
  }

  /** Connects to {@code name}; returns the connecter's end (attach it to the connecter's socket). */
  public synchronized Pipe.End connect(String name, SocketType type, SocketOptions o) {
    Binding b = bound.get(name);
    if (b == null) {
      // the binder's HWMs are not known yet: its own for now, the sums once it binds
      Pipe pipe = Pipe.create(o.sndHwm, o.rcvHwm, // a: connecter, b: future binder
          o.conflatesOutbound(type), o.conflatesInbound(type));
      pipe.a().setRoutingId(new byte[0]);
      pending.computeIfAbsent(name, k -> new ArrayList<>()).add(new Pending(pipe.b(), o.copy()));
      return pipe.a();
    }
    Pipe pipe = Pipe.create(sum(o.sndHwm, b.options().rcvHwm), sum(b.options().sndHwm, o.rcvHwm),
        o.conflatesOutbound(type) || b.options().conflatesInbound(b.type()),
        b.options().conflatesOutbound(b.type()) || o.conflatesInbound(type));
    pipe.a().setRoutingId(b.options().routingId);
    pipe.b().setRoutingId(o.routingId);
    if (!b.binder().adopt(pipe.b(), true)) pipe.b().closeWrite(); // closed, not yet unbound: the connecter sees it gone
    return pipe.a();
  }

  /** Where libzmq's sessions find the ZAP handler (RFC 27). */
  public static final String ZAP_ENDPOINT = "zeromq.zap.01";

  /** Whether a ZAP handler is bound in this context now. */
  public synchronized boolean zapHandlerBound() {
    return bound.containsKey(ZAP_ENDPOINT);
  }

  /**
   * libzmq's session_base_t::zap_connect: a pipe of its own from one connection to the ZAP
   * handler, so a REP or ROUTER handler sees one peer per connection. The handler's end joins its
   * socket at once ({@link Binder#adopt}); no HWM either way, as libzmq's. Returns the
   * connection's end, or null when no handler is bound (or it has closed, or it is not a REP or
   * ROUTER socket, the types libzmq accepts there).
   */
  public synchronized Pipe.End zapConnect() {
    Binding b = bound.get(ZAP_ENDPOINT);
    if (b == null || (b.type() != SocketType.REP && b.type() != SocketType.ROUTER)) return null;
    Pipe pipe = Pipe.create(0, 0); // a: the connection, b: the handler
    pipe.a().setRoutingId(new byte[0]);
    pipe.b().setRoutingId(new byte[0]); // libzmq sends an empty routing id: a ROUTER names the peer itself
    if (!b.binder().adopt(pipe.b(), false)) return null;
    return pipe.a();
  }

  /**
   * Removes the binding. As in libzmq, pipes already connected through it stay: unbinding an
   * inproc name only stops new connections.
   */
  public synchronized void unbind(String name, Binder binder) {
    Binding b = bound.get(name);
    if (b != null && b.binder() == binder) bound.remove(name);
  }

  /** libzmq's rule: the sum of both sides' HWMs, or no limit if either side has none. */
  private static long sum(int senderHwm, int receiverHwm) {
    return senderHwm != 0 && receiverHwm != 0 ? (long) senderHwm + receiverHwm : 0;
  }
}
