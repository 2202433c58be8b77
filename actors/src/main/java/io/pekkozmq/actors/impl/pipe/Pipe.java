package io.pekkozmq.actors.impl.pipe;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.pattern.PatternPipe;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jctools.queues.SpscUnboundedArrayQueue;

/**
 * libzmq's pipe_t pair: two ends, each the writer of one lock-free single-producer /
 * single-consumer queue and the reader of the other.
 *
 * <p>Data never travels as actor messages. Control does, and only on transitions: when a reader
 * finds its queue empty it marks itself asleep and the writer's next {@link End#flush} calls
 * {@link Listener#readActivated} once (libzmq's activate_read); when a writer finds the queue at
 * HWM it marks itself waiting and the reader calls {@link Listener#writeActivated} once the queue
 * has drained to the low-water mark (activate_write). What each end's owner does with those calls
 * is said at {@link Listener}.
 *
 * <p>Messages are atomic: frames of an unfinished message are staged on the writer's side and
 * published together with the last one. HWM counts messages, as libzmq's does; 0 means no limit.
 * Each end is used by one thread at a time (its owner's), which is what makes the queues SPSC.
 *
 * <p>CONFLATE: a direction created conflating keeps only the last whole message written (libzmq's
 * ypipe_conflate); a new one replaces one not yet read, and writing never waits. libzmq keeps the
 * last <em>frame</em>, so a multipart message loses its earlier parts there ("does not support
 * multi-part messages"); we keep the last message whole, so a reader still never sees part of
 * one. A single-frame message costs no allocation; a multipart one costs one array.
 */
public final class Pipe {
  /**
   * Callbacks to an end's owner, called on the peer's thread, once per sleep transition. An
   * engine's turn them into an actor message (`EngineWakeUps`). A socket's apply the activation
   * to its data plane on the caller's thread: for a network pipe at once (the writer, an engine,
   * holds no lock, so it may wait for the core's), for an inproc pipe only if the core's lock is
   * free (the writer holds its own socket's lock), else through a message to the socket actor.
   */
  public interface Listener {
    /** The end that reported no message now has one (or its peer closed). */
    void readActivated(End end);

    /** The end that reported full now has room. */
    void writeActivated(End end);
  }

  private static final Frame[] NO_FRAMES = new Frame[0];

  /**
   * Where a reader's ends note which of them it read last (one plain store per frame read), so
   * the socket can give a received message its connection's properties without the patterns
   * knowing. Used under the reader's lock only.
   */
  public static final class ReadMark {
    public End last;
  }

  /** Activations sent process-wide: the hot path's only actor messages (for the benchmarks). */
  private static final java.util.concurrent.atomic.LongAdder ACTIVATIONS = new java.util.concurrent.atomic.LongAdder();

  /** Read and write activations sent so far in this JVM. */
  public static long activationsSent() {
    return ACTIVATIONS.sum();
  }

  private final End a;
  private final End b;

  private Pipe(long hwmAtoB, long hwmBtoA, boolean conflateAtoB, boolean conflateBtoA) {
    Direction ab = new Direction(hwmAtoB, conflateAtoB);
    Direction ba = new Direction(hwmBtoA, conflateBtoA);
    this.a = new End("a", ba, ab);
    this.b = new End("b", ab, ba);
    a.peer = b;
    b.peer = a;
  }

  /** A pipe whose end {@code a} may queue {@code hwmAtoB} messages towards {@code b}, and back. */
  public static Pipe create(long hwmAtoB, long hwmBtoA) {
    return new Pipe(hwmAtoB, hwmBtoA, false, false);
  }

  /** As {@link #create(long, long)}; a conflating direction keeps only its last message, whatever its HWM. */
  public static Pipe create(long hwmAtoB, long hwmBtoA, boolean conflateAtoB, boolean conflateBtoA) {
    return new Pipe(hwmAtoB, hwmBtoA, conflateAtoB, conflateBtoA);
  }

  public End a() {
    return a;
  }

  public End b() {
    return b;
  }

  /** libzmq's watermark rule: reactivate the writer when the queue has drained this far. */
  static long lowWater(long hwm) {
    final long maxDelta = 1024;
    return hwm > maxDelta * 2 ? hwm - maxDelta : (hwm + 1) / 2;
  }

  /** One direction of the pipe. */
  static final class Direction {
    /** The frames in order; null when conflating. */
    final SpscUnboundedArrayQueue<Frame> queue;
    /** CONFLATE: the last whole message written and not yet taken (a Frame, or a Frame[]); else null. */
    final AtomicReference<Object> last;
    /** Whole messages published by the writer; written by the writer only. */
    final AtomicLong published = new AtomicLong();
    /** Whole messages taken by the reader; written by the reader only. */
    final AtomicLong consumed = new AtomicLong();
    final AtomicBoolean readerAsleep = new AtomicBoolean();
    final AtomicBoolean writerWaiting = new AtomicBoolean();
    volatile long hwm;
    volatile long lwm;
    /** Set by the writer when it will write no more (libzmq's delimiter). */
    volatile boolean writerClosed;

    Direction(long hwm, boolean conflate) {
      this.queue = conflate ? null : new SpscUnboundedArrayQueue<>(256);
      this.last = conflate ? new AtomicReference<>() : null;
      setHwm(hwm);
    }

    boolean conflates() {
      return last != null;
    }

    void setHwm(long hwm) {
      this.hwm = conflates() ? 0 : Math.max(0, hwm); // a conflating pipe never fills
      this.lwm = lowWater(this.hwm);
    }

    long depth() {
      return conflates() ? (last.get() == null ? 0 : 1) : published.get() - consumed.get();
    }
  }

  /** One end of the pipe; see the class comment for its threading contract. */
  public static final class End implements PatternPipe {
    private final String side;
    private final Direction in;
    private final Direction out;
    private End peer;
    private volatile Listener listener;

    // writer-side staging of an unfinished outbound message
    private Frame[] staged = NO_FRAMES;
    private int stagedCount;
    private boolean pendingFlush;
    /** Whole messages this end has written; its own thread only. */
    private long written;

    // reader-side: inside a message (frames of it remain)
    private boolean readingMessage;
    /** Reader-side, conflating: the message being read and the index of its next frame. */
    private Frame[] taken;
    private int takenPos;

    private volatile byte[] routingId = new byte[0];
    private volatile Map<String, byte[]> metadata = Map.of();
    private volatile boolean legacySubscriptions;
    private volatile Runnable terminator;
    /** Set by the peer's {@link #hiccup}; read and cleared by this end's owner. */
    private volatile boolean hiccuped;
    /** Told of every frame this end reads; null if nobody asks. */
    private ReadMark readMark;

    private End(String side, Direction in, Direction out) {
      this.side = side;
      this.in = in;
      this.out = out;
    }

    public End peer() {
      return peer;
    }

    /** Notes in {@code mark} each read from this end (the reader's thread only). */
    public void setReadMark(ReadMark mark) {
      this.readMark = mark;
    }

    /** Sets who is told about activation; null mutes the end. */
    public void setListener(Listener listener) {
      this.listener = listener;
    }

    // ---- reading ---------------------------------------------------------------------------

    @Override
    public boolean checkRead() {
      if (messageAvailable()) return true;
      in.readerAsleep.set(true);
      if (messageAvailable()) {
        in.readerAsleep.set(false);
        return true;
      }
      return false;
    }

    /**
     * Whether a frame may be read: we are inside a message, or the writer has flushed a whole one.
     * The writer offers a message's frames to the queue one by one before it publishes the
     * message, so a frame at the head of the queue may belong to a message still being offered;
     * reading it then would split the message (libzmq's ypipe likewise reads only up to the flush).
     */
    private boolean messageAvailable() {
      if (readingMessage) return true;
      return in.conflates() ? in.last.get() != null : in.published.get() > in.consumed.get();
    }

    @Override
    public Frame read() {
      if (!messageAvailable() && !checkRead()) return null; // checkRead marked us asleep
      ReadMark mark = readMark;
      if (mark != null) mark.last = this;
      if (in.conflates()) return readConflated();
      // published frames were offered before the publishing store, so they are visible now
      Frame f = in.queue.poll();
      if (f == null) return null;
      if (f.hasMore()) {
        readingMessage = true;
      } else {
        readingMessage = false;
        long consumed = in.consumed.get() + 1;
        in.consumed.set(consumed); // volatile store: orders against the writerWaiting load below
        if (in.writerWaiting.get() && in.published.get() - consumed <= in.lwm
            && in.writerWaiting.compareAndSet(true, false)) {
          Listener l = peer.listener;
          if (l != null) {
            ACTIVATIONS.increment();
            l.writeActivated(peer);
          }
        }
      }
      return f;
    }

    private Frame readConflated() {
      if (!readingMessage) {
        Object m = in.last.getAndSet(null);
        if (m == null) return null;
        if (m instanceof Frame single) return single;
        taken = (Frame[]) m;
        takenPos = 0;
        readingMessage = true;
      }
      Frame f = taken[takenPos];
      taken[takenPos++] = null;
      if (!f.hasMore()) {
        readingMessage = false;
        taken = null;
      }
      return f;
    }

    /** Whether the peer has closed its writing side and everything it wrote has been read. */
    public boolean peerClosedAndDrained() {
      if (!in.writerClosed) return false;
      return in.conflates() ? !readingMessage && in.last.get() == null : in.queue.peek() == null;
    }

    /** Whether the peer has closed its writing side (it has let go of the pipe). */
    public boolean peerClosed() {
      return in.writerClosed;
    }

    /** Whether a message is partly read. */
    public boolean readingMessage() {
      return readingMessage;
    }

    // ---- writing ---------------------------------------------------------------------------

    /**
     * Also false for good once the peer has closed its side: in this runtime an end closes its
     * writing side only when its owner lets go of the pipe, so nobody would read what we wrote
     * (libzmq's check_write fails once the peer's pipe_term is processed). The pattern then skips
     * this pipe while it still reads the messages the peer left in it.
     */
    @Override
    public boolean checkWrite() {
      if (in.writerClosed) return false;
      if (hasRoom()) return true;
      out.writerWaiting.set(true);
      if (hasRoom()) {
        out.writerWaiting.set(false);
        return true;
      }
      return false;
    }

    /**
     * Room under the HWM, recording nothing; true for a pipe whose peer has gone (its writes fail
     * for good), so ROUTER_MANDATORY answers EHOSTUNREACH there rather than EAGAIN.
     */
    @Override
    public boolean checkHwm() {
      return hasRoom();
    }

    private boolean hasRoom() {
      long hwm = out.hwm;
      return hwm == 0 || written - out.consumed.get() < hwm;
    }

    @Override
    public boolean write(Frame frame) {
      if (stagedCount == 0 && !checkWrite()) return false;
      if (frame.hasMore()) {
        if (stagedCount == staged.length) {
          staged = java.util.Arrays.copyOf(staged, Math.max(8, staged.length * 2));
        }
        staged[stagedCount++] = frame;
        return true;
      }
      if (out.conflates()) {
        Object message = frame;
        if (stagedCount > 0) {
          Frame[] whole = java.util.Arrays.copyOf(staged, stagedCount + 1);
          whole[stagedCount] = frame;
          rollback();
          message = whole;
        }
        out.last.set(message); // replaces a message the reader has not taken
        written++;
        pendingFlush = true;
        return true;
      }
      for (int i = 0; i < stagedCount; i++) {
        out.queue.offer(staged[i]);
        staged[i] = null;
      }
      stagedCount = 0;
      out.queue.offer(frame);
      written++;
      pendingFlush = true;
      return true;
    }

    @Override
    public void rollback() {
      for (int i = 0; i < stagedCount; i++) staged[i] = null;
      stagedCount = 0;
    }

    @Override
    public void flush() {
      if (!pendingFlush) return;
      pendingFlush = false;
      out.published.set(written); // volatile store: orders the frames against the readerAsleep load
      wakeReader();
    }

    private void wakeReader() {
      if (out.readerAsleep.get() && out.readerAsleep.compareAndSet(true, false)) {
        Listener l = peer.listener;
        if (l != null) {
          ACTIVATIONS.increment();
          l.readActivated(peer);
        }
      }
    }

    /** Closes this end's writing side: the peer reads what is queued, then sees the close. */
    public void closeWrite() {
      rollback();
      out.writerClosed = true;
      pendingFlush = true;
      out.readerAsleep.set(true); // force one wake so a sleeping reader notices the close
      wakeReader();
    }

    /**
     * libzmq's hiccup, sent by the session end when its connection was lost and a new one will
     * take over the pipe: the peer (socket) end hears a read activation and then finds
     * {@link #takeHiccup} true, so its pattern can re-send what the new peer must know (SUB and
     * XSUB: every subscription).
     */
    public void hiccup() {
      peer.hiccuped = true;
      out.readerAsleep.set(true); // force one wake, as closeWrite does
      wakeReader();
    }

    /** Whether the peer end hiccuped since the last call. */
    public boolean takeHiccup() {
      if (!hiccuped) return false;
      hiccuped = false;
      return true;
    }

    /** Whether this end has closed its writing side. */
    public boolean writeClosed() {
      return out.writerClosed;
    }

    /** Changes the HWM of what this end sends (libzmq's set_hwms). */
    public void setOutboundHwm(long hwm) {
      out.setHwm(hwm);
      boolean room = out.hwm == 0 || out.depth() < out.hwm;
      if (out.writerWaiting.get() && room && out.writerWaiting.compareAndSet(true, false)) {
        Listener l = listener;
        if (l != null) l.writeActivated(this);
      }
    }

    public long outboundHwm() {
      return out.hwm;
    }

    // ---- metadata --------------------------------------------------------------------------

    @Override
    public byte[] routingId() {
      return routingId;
    }

    @Override
    public void setRoutingId(byte[] id) {
      this.routingId = id == null ? new byte[0] : id;
    }

    @Override
    public Map<String, byte[]> metadata() {
      return metadata;
    }

    public void setMetadata(Map<String, byte[]> metadata) {
      this.metadata = Map.copyOf(metadata);
    }

    @Override
    public boolean legacySubscriptions() {
      return legacySubscriptions;
    }

    public void setLegacySubscriptions(boolean legacy) {
      this.legacySubscriptions = legacy;
    }

    /** What {@link #terminate} does; set by the runtime that owns the connection. */
    public void setTerminator(Runnable terminator) {
      this.terminator = terminator;
    }

    @Override
    public void terminate(boolean delay) {
      Runnable t = terminator;
      if (t != null) t.run();
    }

    @Override
    public long outboundQueued() {
      return out.depth();
    }

    @Override
    public long inboundQueued() {
      return in.depth();
    }

    @Override
    public String toString() {
      return "Pipe.End(" + side + ", out=" + out.depth() + "/" + out.hwm + ", in=" + in.depth() + ")";
    }
  }
}
