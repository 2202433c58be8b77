package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import java.security.SecureRandom;

/**
 * STREAM: raw TCP peers. Every message a pipe delivers comes out as [id, data]; to send, give
 * [id, data] (the MORE flag of the data frame is ignored). Ids are always generated (5-byte form,
 * see {@link RoutingTable}) or CONNECT_ROUTING_ID. A peer's arrival and departure are empty
 * messages its connection puts in the pipe (with STREAM_NOTIFY, libzmq's raw engine does the
 * same), so they reach the application as [id, empty] in order with the data. Sending [id, empty]
 * terminates that peer's pipe: it is forgotten at once, and the runtime closes the connection after
 * writing what was queued, with no notification. An unknown id fails with EHOSTUNREACH, a full
 * peer with EAGAIN.
 */
public final class StreamPattern extends Pattern {
  private final FairQueue fq = new FairQueue();
  private final RoutingTable table;

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
  }

  @Override
  public void pipeTerminated(PatternPipe pipe) {
    table.erase(pipe);
    fq.pipeTerminated(pipe);
    if (pipe == currentOut) {
      currentOut = null;
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
        // libzmq stops using a terminated pipe at once: later sends to this id are unroutable
        PatternPipe closing = currentOut;
        pipeTerminated(closing);
        closing.terminate(false);
      } else if (currentOut.write(frame.withMore(false))) {
        currentOut.flush();
      }
      currentOut = null;
    }
    return OK;
  }

  @Override
  public Frame recv() {
    if (!prefetched && !prefetchData()) {
      return failRecv(Errno.EAGAIN);
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
    return prefetched || prefetchData();
  }

  @Override
  public boolean hasOut() {
    return true;
  }
}
