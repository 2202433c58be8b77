package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * ROUTER (RFC 28): every received message is prefixed with the routing id of the pipe it came
 * from; a sent message's first frame names the pipe to send the rest to, and is not sent.
 *
 * <p>A peer's routing id is the one it announced, else a generated one (see {@link RoutingTable});
 * a locally initiated pipe takes CONNECT_ROUTING_ID if set. A peer announcing an id already in
 * use is ignored (never read, never routed to) unless ROUTER_HANDOVER lets it take the id over,
 * in which case the old pipe is renamed and closed once any message being read from it ends.
 *
 * <p>Unroutable messages vanish unless ROUTER_MANDATORY, which turns an unknown id into
 * EHOSTUNREACH and a full peer into EAGAIN. A lone id frame without MORE is dropped silently, as
 * libzmq does. ROUTER_NOTIFY's [routing-id, empty] events are produced here, not by the runtime.
 */
public class RouterPattern extends Pattern {
  protected final FairQueue fq = new FairQueue();
  private final RoutingTable table;
  /** Pipes whose routing id clashed: kept so their termination is recognised, otherwise ignored. */
  private final Set<PatternPipe> anonymous = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Pending ROUTER_NOTIFY events: routing ids, each delivered as [id, empty]. */
  private final ArrayDeque<byte[]> notifications = new ArrayDeque<>();
  /** False for REP, which builds on ROUTER but does not take ROUTER-only options. */
  private final boolean routerOptions;

  private boolean prefetched;
  private boolean routingIdSent;
  private Frame prefetchedId;
  private Frame prefetchedMsg;
  private PatternPipe currentIn;
  private boolean terminateCurrentIn;
  private boolean moreIn;
  private PatternPipe currentOut;
  private boolean moreOut;

  public RouterPattern(PatternOptions options) {
    this(options, new SecureRandom().nextInt(), true);
  }

  /** With a known first generated id counter. */
  RouterPattern(PatternOptions options, int firstGeneratedId) {
    this(options, firstGeneratedId, true);
  }

  RouterPattern(PatternOptions options, int firstGeneratedId, boolean routerOptions) {
    super(options);
    this.table = new RoutingTable(firstGeneratedId);
    this.routerOptions = routerOptions;
  }

  @Override
  public SocketType type() {
    return SocketType.ROUTER;
  }

  private boolean mandatory() {
    return routerOptions && options.routerMandatory;
  }

  private boolean notifies(int event) {
    return routerOptions && (options.routerNotify & event) != 0;
  }

  @Override
  public void attach(PatternPipe pipe, boolean subscribeToAll, boolean locallyInitiated) {
    if (routerOptions && options.probeRouter) {
      pipe.write(Frame.EMPTY);
      pipe.flush();
    }
    if (identifyPeer(pipe, locallyInitiated)) {
      fq.attach(pipe);
      if (notifies(PatternOptions.NOTIFY_CONNECT)) {
        notifications.add(pipe.routingId());
      }
    } else {
      anonymous.add(pipe);
    }
  }

  private boolean identifyPeer(PatternPipe pipe, boolean locallyInitiated) {
    byte[] id;
    if (routerOptions && locallyInitiated && options.connectRoutingId != null) {
      id = options.connectRoutingId.clone();
      options.connectRoutingId = null;
      // libzmq asserts the id is free; the runtime should refuse the connect, we refuse the pipe.
      if (table.lookup(id) != null) {
        return false;
      }
    } else {
      byte[] announced = pipe.routingId();
      if (announced == null || announced.length == 0) {
        id = table.nextIntegralId();
      } else {
        id = announced.clone();
        RoutingTable.OutPipe existing = table.lookup(id);
        if (existing != null) {
          if (!(routerOptions && options.routerHandover)) {
            return false;
          }
          // Rename the old pipe so the id is free now; it closes asynchronously.
          PatternPipe old = existing.pipe;
          byte[] renamed = table.nextIntegralId();
          table.erase(old);
          old.setRoutingId(renamed);
          table.add(renamed, old);
          if (old == currentIn) {
            terminateCurrentIn = true;
          } else {
            old.terminate(true);
          }
        }
      }
    }
    pipe.setRoutingId(id);
    table.add(id, pipe);
    return true;
  }

  @Override
  public void pipeTerminated(PatternPipe pipe) {
    if (anonymous.remove(pipe)) {
      return;
    }
    RoutingTable.OutPipe out = table.of(pipe);
    table.erase(pipe);
    fq.pipeTerminated(pipe);
    pipe.rollback();
    if (pipe == currentOut) {
      currentOut = null;
    }
    if (out != null && notifies(PatternOptions.NOTIFY_DISCONNECT)) {
      notifications.add(out.key.array());
    }
  }

  @Override
  public void readActivated(PatternPipe pipe) {
    if (!anonymous.contains(pipe)) {
      fq.activated(pipe);
    }
  }

  @Override
  public void writeActivated(PatternPipe pipe) {
    RoutingTable.OutPipe out = table.of(pipe);
    if (out != null) {
      out.active = true;
    }
  }

  @Override
  public int send(Frame frame) {
    if (!moreOut) {
      if (frame.hasMore()) {
        moreOut = true;
        RoutingTable.OutPipe out = table.lookup(frame);
        if (out != null) {
          currentOut = out.pipe;
          if (!currentOut.checkWrite()) {
            // The reader may have made room since: then write after all. Only a pipe still without
            // room (EAGAIN) or one that is closing (EHOSTUNREACH) is refused.
            boolean full = !currentOut.checkHwm();
            if (full || !currentOut.checkWrite()) {
              out.active = false;
              currentOut = null;
              if (mandatory()) {
                moreOut = false;
                return fail(full ? Errno.EAGAIN : Errno.EHOSTUNREACH);
              }
            }
          }
        } else if (mandatory()) {
          moreOut = false;
          return fail(Errno.EHOSTUNREACH);
        }
      }
      return OK;
    }
    moreOut = frame.hasMore();
    if (currentOut != null) {
      if (!currentOut.write(frame)) {
        // The HWM was checked on the id frame, so the pipe must be going away.
        currentOut.rollback();
        currentOut = null;
      } else if (!moreOut) {
        currentOut.flush();
        currentOut = null;
      }
    }
    return OK;
  }

  /** Discards the frames staged for the current outgoing message (REP's bad envelope). */
  protected void rollback() {
    if (currentOut != null) {
      currentOut.rollback();
      currentOut = null;
    }
    moreOut = false;
  }

  @Override
  public Frame recv() {
    if (!prefetched && !moreIn && !notifications.isEmpty()) {
      prefetchNotification();
    }
    if (prefetched) {
      Frame frame;
      if (!routingIdSent) {
        frame = prefetchedId;
        routingIdSent = true;
      } else {
        frame = prefetchedMsg;
        prefetched = false;
        prefetchedId = null;
        prefetchedMsg = null;
      }
      moreIn = frame.hasMore();
      if (!moreIn) {
        endOfInboundMessage();
      }
      return frame;
    }
    Frame frame = fq.recv();
    if (frame == null) {
      return failRecv(Errno.EAGAIN);
    }
    if (moreIn) {
      moreIn = frame.hasMore();
      if (!moreIn) {
        endOfInboundMessage();
      }
      return frame;
    }
    // Keep the first part back and hand out the routing id first.
    PatternPipe pipe = fq.lastPipe();
    prefetchedMsg = frame;
    prefetched = true;
    routingIdSent = true;
    currentIn = pipe;
    return Frame.wrap(pipe.routingId(), Frame.MORE);
  }

  private void endOfInboundMessage() {
    if (terminateCurrentIn && currentIn != null) {
      currentIn.terminate(true);
    }
    terminateCurrentIn = false;
    currentIn = null;
  }

  private void prefetchNotification() {
    prefetchedId = Frame.wrap(notifications.poll(), Frame.MORE);
    prefetchedMsg = Frame.EMPTY;
    prefetched = true;
    routingIdSent = false;
    currentIn = null;
  }

  @Override
  public boolean hasIn() {
    if (moreIn || prefetched) {
      return true;
    }
    if (!notifications.isEmpty()) {
      prefetchNotification();
      return true;
    }
    Frame frame = fq.recv();
    if (frame == null) {
      return false;
    }
    PatternPipe pipe = fq.lastPipe();
    prefetchedMsg = frame;
    prefetchedId = Frame.wrap(pipe.routingId(), Frame.MORE);
    prefetched = true;
    routingIdSent = false;
    currentIn = pipe;
    return true;
  }

  @Override
  public boolean hasOut() {
    // Whether a send succeeds depends on the peer it names; only MANDATORY can refuse.
    if (!mandatory()) {
      return true;
    }
    for (RoutingTable.OutPipe out : table.all()) {
      if (out.pipe.checkHwm()) {
        return true;
      }
    }
    return false;
  }
}
