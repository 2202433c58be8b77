package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import java.security.SecureRandom;
import java.util.ArrayDeque;

/**
 * STREAM: raw TCP peers. Every received chunk comes as [id, data]; to send, give [id, data]
 * (the MORE flag of the data frame is ignored). Ids are always generated (5-byte form, see
 * {@link RoutingTable}) or CONNECT_ROUTING_ID. With STREAM_NOTIFY, a peer's arrival and departure
 * are delivered as [id, empty]; sending [id, empty] closes that peer. An unknown id fails with
 * EHOSTUNREACH, a full peer with EAGAIN.
 */
public final class StreamPattern extends Pattern {
  private final FairQueue fq = new FairQueue();
  private final RoutingTable table;
  private final ArrayDeque<byte[]> notifications = new ArrayDeque<>();

  private boolean prefetched;
  private boolean routingIdSent;
  private Frame prefetchedId;
  private Frame prefetchedMsg;
  private PatternPipe currentOut;
  private boolean moreOut;

  public StreamPattern(PatternOptions options) {
    this(options, new SecureRandom().nextInt());
  }

  StreamPattern(PatternOptions options, int firstGeneratedId) {
    super(options);
    this.table = new RoutingTable(firstGeneratedId);
  }

  @Override
  public SocketType type() {
    return SocketType.STREAM;
  }

  @Override
  public void attach(PatternPipe pipe, boolean subscribeToAll, boolean locallyInitiated) {
    byte[] id;
    if (locallyInitiated && options.connectRoutingId != null && table.lookup(options.connectRoutingId) == null) {
      id = options.connectRoutingId.clone();
      options.connectRoutingId = null;
    } else {
      id = table.nextIntegralId();
    }
    pipe.setRoutingId(id);
    table.add(id, pipe);
    fq.attach(pipe);
    if (options.streamNotify) {
      notifications.add(id);
    }
  }

  @Override
  public void pipeTerminated(PatternPipe pipe) {
    RoutingTable.OutPipe out = table.of(pipe);
    table.erase(pipe);
    fq.pipeTerminated(pipe);
    if (pipe == currentOut) {
      currentOut = null;
    }
    if (out != null && options.streamNotify) {
      notifications.add(out.key.array());
    }
  }

  @Override
  public void readActivated(PatternPipe pipe) {
    fq.activated(pipe);
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
        RoutingTable.OutPipe out = table.lookup(frame);
        if (out == null) {
          return fail(Errno.EHOSTUNREACH);
        }
        if (!out.pipe.checkWrite()) {
          out.active = false;
          return fail(Errno.EAGAIN);
        }
        currentOut = out.pipe;
      }
      // As libzmq: the next frame is data even if the id frame lacked MORE (it is then dropped).
      moreOut = true;
      return OK;
    }
    moreOut = false;
    if (currentOut != null) {
      if (frame.size() == 0) {
        currentOut.terminate(false);
      } else if (currentOut.write(frame.withMore(false))) {
        currentOut.flush();
      }
      currentOut = null;
    }
    return OK;
  }

  @Override
  public Frame recv() {
    if (!prefetched) {
      if (!notifications.isEmpty()) {
        prefetchedId = Frame.wrap(notifications.poll(), Frame.MORE);
        prefetchedMsg = Frame.EMPTY;
        prefetched = true;
        routingIdSent = false;
      } else if (!prefetchData()) {
        return failRecv(Errno.EAGAIN);
      }
    }
    if (!routingIdSent) {
      routingIdSent = true;
      return prefetchedId;
    }
    prefetched = false;
    return prefetchedMsg;
  }

  private boolean prefetchData() {
    Frame frame = fq.recv();
    if (frame == null) {
      return false;
    }
    prefetchedMsg = frame.withMore(false);
    prefetchedId = Frame.wrap(fq.lastPipe().routingId(), Frame.MORE);
    prefetched = true;
    routingIdSent = false;
    return true;
  }

  @Override
  public boolean hasIn() {
    return prefetched || !notifications.isEmpty() || prefetchData();
  }

  @Override
  public boolean hasOut() {
    return true;
  }
}
