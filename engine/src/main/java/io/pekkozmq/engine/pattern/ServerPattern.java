package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import java.security.SecureRandom;
import java.util.IdentityHashMap;

/**
 * SERVER (RFC 41, libzmq's server_t): fair-queues single-frame messages from its peers and routes
 * each reply to one peer by routing id. Every pipe gets the next id of a 32-bit counter that starts
 * at a random value and skips 0 (libzmq's {@code _next_routing_id}); a received message carries its
 * pipe's id ({@link #receivedRoutingId}), a sent one names its pipe by it ({@link #routeTo}).
 *
 * <p>As libzmq: a send with MORE is EINVAL; an unknown id is EHOSTUNREACH; a full peer is EAGAIN
 * (it is writable again on its activation); a peer's multipart message is dropped whole;
 * {@link #hasOut} is always true, since success depends on the peer a message names.
 */
public class ServerPattern extends Pattern {
  /** A routable peer; {@code active} false after it was found full, until write-activated. */
  private static final class OutPipe {
    final PatternPipe pipe;
    final int id;
    boolean active = true;

    OutPipe(PatternPipe pipe, int id) {
      this.pipe = pipe;
      this.id = id;
    }
  }

  private final FairQueue fq = new FairQueue();
  private final IntMap<OutPipe> byId = new IntMap<>();
  private final IdentityHashMap<PatternPipe, OutPipe> byPipe = new IdentityHashMap<>();
  private int nextRoutingId;
  private int lastAttached;
  private int target;
  private int received;

  public ServerPattern(PatternOptions options) {
    this(options, new SecureRandom().nextInt());
  }

  /** With a known first routing id (tests). */
  ServerPattern(PatternOptions options, int firstRoutingId) {
    super(options);
    this.nextRoutingId = firstRoutingId;
  }

  @Override
  public SocketType type() {
    return SocketType.SERVER;
  }

  @Override
  public void attach(PatternPipe pipe, boolean subscribeToAll, boolean locallyInitiated) {
    int id = nextRoutingId++;
    if (id == 0) id = nextRoutingId++; // never 0, which names no peer
    OutPipe out = new OutPipe(pipe, id);
    byId.put(id, out);
    byPipe.put(pipe, out);
    lastAttached = id;
    fq.attach(pipe);
  }

  /** The routing id of the pipe attached last (libzmq's peer_t {@code _peer_last_routing_id}). */
  public int lastAttachedRoutingId() {
    return lastAttached;
  }

  /** The routing id this socket knows {@code pipe} by; 0 if it is not (or no longer) attached. */
  public int routingIdOf(PatternPipe pipe) {
    OutPipe out = byPipe.get(pipe);
    return out == null ? 0 : out.id;
  }

  @Override
  public void pipeTerminated(PatternPipe pipe) {
    OutPipe out = byPipe.remove(pipe);
    if (out != null) byId.remove(out.id);
    fq.pipeTerminated(pipe);
  }

  @Override
  public void readActivated(PatternPipe pipe) {
    fq.activated(pipe);
  }

  @Override
  public void writeActivated(PatternPipe pipe) {
    OutPipe out = byPipe.get(pipe);
    if (out != null) out.active = true;
  }

  @Override
  public void routeTo(int routingId) {
    target = routingId;
  }

  @Override
  public int send(Frame frame) {
    int id = target;
    target = 0;
    if (frame.hasMore()) return fail(Errno.EINVAL);
    OutPipe out = byId.get(id);
    if (out == null) return fail(Errno.EHOSTUNREACH);
    if (!out.pipe.checkWrite()) {
      out.active = false;
      return fail(Errno.EAGAIN);
    }
    // a pipe that refuses after check_write is closing: the message is dropped, as libzmq's
    if (out.pipe.write(frame)) out.pipe.flush();
    return OK;
  }

  @Override
  public Frame recv() {
    Frame frame = SingleFrame.recv(fq);
    if (frame == null) {
      received = 0;
      return failRecv(Errno.EAGAIN);
    }
    received = routingIdOf(fq.lastPipe());
    return frame;
  }

  @Override
  public int receivedRoutingId() {
    return received;
  }

  @Override
  public boolean hasIn() {
    return fq.hasIn();
  }

  @Override
  public boolean hasOut() {
    return true;
  }
}
