package io.pekkozmq.actors.impl.pipe;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.pattern.PatternPipe;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * libzmq's pipe_t pair: two ends, each the writer of one lock-free single-producer /
 * single-consumer queue and the reader of the other.
 *
 * <p><b>Data plane.</b> Data never travels as actor messages: frames go through the queues.
 * Messages are atomic: frames of an unfinished message are staged on the writer's side and
 * published together with the last one. HWM counts messages, as libzmq's does; 0 means no limit.
 * Each end is used by one thread at a time (its owner's), which is what makes the queues SPSC.
 *
 * <p><b>Control plane.</b> What the ends tell each other is one sealed protocol, {@link Command}
 * (libzmq's pipe commands, from its command.hpp), delivered to the {@link Listener} of the end it
 * is for, and only on transitions, never per message:
 * <ul>
 *   <li>{@link ActivateRead}: a reader that found its queue empty marked itself asleep; the
 *       writer's next {@link End#flush} sends this once (activate_read).
 *   <li>{@link ActivateWrite}: a writer that found the queue at HWM marked itself waiting; the
 *       reader sends this once the queue has drained to the low-water mark (activate_write).
 *   <li>{@link Hiccup}: the session's connection was replaced (hiccup).
 *   <li>{@link Term} and {@link TermAck}: the termination handshake below (pipe_term,
 *       pipe_term_ack).
 *   <li>{@link PeerStats}: the socket asks the owner of the other end to publish the queue depths
 *       (pipe_peer_stats); it travels as an actor message, as the session is not its end's listener.
 * </ul>
 * libzmq's pipe_hwm needs no command: both ends share each direction's counters, so
 * {@link End#setOutboundHwm} applies at once, and the writer hears {@link ActivateWrite} if that
 * made room. The commands carry only their end, so each end keeps one instance of each and a
 * wake-up allocates nothing.
 *
 * <p><b>Termination</b> (libzmq's pipe_t::terminate): an end that will write no more calls
 * {@link End#closeWrite}: the delimiter goes in behind its last message and the peer hears
 * {@link Term}. The peer reads what is left (nothing is lost) and, when it reads up to the
 * delimiter ({@link End#peerClosedAndDrained} turns true), the pipe sends the closing end
 * {@link TermAck}: everything it wrote has been read. An end that has been acked and has read its
 * own peer's delimiter, if the peer closed too, is {@link End#released}; when both are, nobody
 * touches the pipe again. libzmq needs the ack to free each end's memory on its own thread;
 * here the collector frees it, so the owners act on {@link Term} (the socket reaps the pipe
 * once drained) and take {@link TermAck} as the record that the peer is done.
 *
 * <p>CONFLATE: a direction created conflating keeps only the last whole message written (libzmq's
 * ypipe_conflate); a new one replaces one not yet read, and writing never waits. libzmq keeps the
 * last <em>frame</em>, so a multipart message loses its earlier parts there ("does not support
 * multi-part messages"); we keep the last message whole, so a reader still never sees part of
 * one. A single-frame message costs no allocation; a multipart one costs one array.
 */
public final class Pipe {
  /**
   * The pipe's control plane, libzmq's pipe commands: each names the end it is for (the end
   * whose owner receives it). Delivered to that end's {@link Listener} on the sender's thread, or
   * carried in an owner's actor message ({@code Socket}'s and {@code Session}'s protocols take it).
   */
  public sealed interface Command permits ActivateRead, ActivateWrite, Hiccup, Term, TermAck, PeerStats {
    End end();
  }

  /** libzmq's activate_read: {@code end} found no message and now has one. */
  public record ActivateRead(End end) implements Command {}

  /** libzmq's activate_write: {@code end} found the queue full and now has room. */
  public record ActivateWrite(End end) implements Command {}

  /** libzmq's hiccup: the peer's connection was replaced; {@code end}'s owner re-sends what a new peer must know. */
  public record Hiccup(End end) implements Command {}

  /** libzmq's pipe_term: the peer of {@code end} writes no more; read what is left, then the delimiter. */
  public record Term(End end) implements Command {}

  /** libzmq's pipe_term_ack: the peer has read everything {@code end} wrote, delimiter included. */
  public record TermAck(End end) implements Command {}

  /** libzmq's pipe_peer_stats: publish the queue depths of the pipe whose socket-side end is {@code end}. */
  public record PeerStats(End end) implements Command {}

  /**
   * An end's owner, as the pipe reaches it: called on the thread of the end that sends the
   * command (the writer for activate-read, hiccup and term; the reader for activate-write and
   * term-ack), once per transition. It must not block and must not take the sender's locks: an
   * engine's only sends itself a message (`EngineWakeUps`); a socket's apply the command to its
   * data plane in place when they may and otherwise queue it for the socket actor
   * (`PipeWakeUps`).
   */
  public interface Listener {
    void command(Command command);
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

  /**
   * A counter alone on its cache lines (two 64-byte lines of padding behind its value, and the
   * next object's header ahead of any neighbour's hot field), so the writer's and the reader's
   * counters never share a line.
   */
  @SuppressWarnings("unused")
  static final class PaddedCounter extends AtomicLong {
    private long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
  }

  /**
   * A link of a direction's frame queue (libzmq's yqueue chunk): the writer fills its slots in
   * order and links the next chunk when it is full; the reader follows. Slots and links are plain
   * fields: the reader reads only what {@link Direction#published} (a volatile store after them)
   * or {@link Direction#writerClosed} covers, so they are visible. Unlike a queue whose reader
   * nulls each slot it takes (JCTools'), the reader here clears a cache line of slots only once it
   * has read all of it, and the writer never comes back to a line: the two threads do not write
   * the same line per frame. A fully read chunk goes back to the writer as its spare.
   */
  static final class Chunk {
    static final int SIZE = 256;
    /** Slots per 64-byte cache line, at most (4-byte compressed references); a divisor of SIZE. */
    static final int LINE = 16;
    final Frame[] slots = new Frame[SIZE];
    Chunk next;
  }

  /** One direction of the pipe. */
  static final class Direction {
    /** The first chunk of the frames' queue; null when conflating. */
    final Chunk first;
    /** A chunk the reader has finished with, cleared, for the writer to reuse (libzmq's spare_chunk). */
    final AtomicReference<Chunk> spare = new AtomicReference<>();
    /** CONFLATE: the last whole message written and not yet taken (a Frame, or a Frame[]); else null. */
    final AtomicReference<Object> last;
    /**
     * Whole messages published by the writer; written by the writer only. Padded, as is
     * {@link #consumed}: the two are written per message by different threads, and on one cache
     * line each store would take the line away from the other thread.
     */
    final AtomicLong published = new PaddedCounter();
    /** Whole messages taken by the reader; written by the reader only. */
    final AtomicLong consumed = new PaddedCounter();
    final AtomicBoolean readerAsleep = new AtomicBoolean();
    final AtomicBoolean writerWaiting = new AtomicBoolean();
    volatile long hwm;
    volatile long lwm;
    /** Set by the writer when it will write no more (libzmq's delimiter). */
    volatile boolean writerClosed;

    Direction(long hwm, boolean conflate) {
      this.first = conflate ? null : new Chunk();
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
    /**
     * The writer's last look at {@code out.consumed}: a lower bound (the count only grows), so room
     * it shows is real room; only when it shows the queue full is the reader's counter read again.
     * libzmq's ypipe and JCTools' queues keep the same cache, so the writer does not pull the
     * reader's cache line over per message. Its own thread only.
     */
    private long consumedSeen;

    // reader-side: inside a message (frames of it remain)
    private boolean readingMessage;
    /**
     * The reader's last look at {@code in.published}: a lower bound, so messages it shows are
     * there; only when it shows none is the writer's counter read again (as {@link #consumedSeen}).
     */
    private long publishedSeen;
    /** Reader-side, conflating: the message being read and the index of its next frame. */
    private Frame[] taken;
    private int takenPos;

    // the frame queues' cursors: the writer's in out's chunks, the reader's in in's (own thread only)
    /** The chunk the writer fills and the index of its next free slot. */
    private Chunk tail;
    private int tailPos;
    /** The chunk the reader reads, the index of its next slot, and how far it has cleared the slots read. */
    private Chunk head;
    private int headPos;
    private int cleared;

    private volatile byte[] routingId = new byte[0];
    private volatile Map<String, byte[]> metadata = Map.of();
    private volatile boolean legacySubscriptions;
    private volatile Runnable terminator;
    /** Set by the peer's {@link #hiccup}; read and cleared by this end's owner. */
    private volatile boolean hiccuped;
    /** This end has read up to its peer's delimiter and sent the peer {@link TermAck}. */
    private volatile boolean termAckSent;
    /** This end closed its writing side and its peer has read all of it ({@link TermAck} received). */
    private volatile boolean termAcked;

    // the commands for this end, one instance each: a wake-up allocates nothing
    private final ActivateRead activateRead = new ActivateRead(this);
    private final ActivateWrite activateWrite = new ActivateWrite(this);
    private final Hiccup hiccupCommand = new Hiccup(this);
    private final Term term = new Term(this);
    private final TermAck termAck = new TermAck(this);
    /** Told of every frame this end reads; null if nobody asks. */
    private ReadMark readMark;

    private End(String side, Direction in, Direction out) {
      this.side = side;
      this.in = in;
      this.out = out;
      this.tail = out.first;
      this.head = in.first;
    }

    // ---- the frame queue (out: this end writes; in: this end reads) -------------------------

    private void enqueue(Frame frame) {
      if (tailPos == Chunk.SIZE) {
        Chunk c = out.spare.getAndSet(null);
        if (c == null) c = new Chunk();
        tail.next = c; // published with the frames that follow, by the next flush
        tail = c;
        tailPos = 0;
      }
      tail.slots[tailPos++] = frame;
    }

    /** The next frame the writer has offered, or null; the reader's thread only. */
    private Frame dequeue() {
      Chunk h = head;
      int p = headPos;
      if (p == Chunk.SIZE) {
        Chunk n = h.next;
        if (n == null) return null;
        // every line of h is cleared (the last one at p == SIZE); the writer has moved on to n
        h.next = null;
        in.spare.lazySet(h);
        head = h = n;
        headPos = p = 0;
        cleared = 0;
      }
      Frame f = h.slots[p];
      if (f == null) return null;
      headPos = ++p;
      if ((p & (Chunk.LINE - 1)) == 0) {
        // a whole line read: the writer is past it for good, so clearing it costs it nothing
        java.util.Arrays.fill(h.slots, cleared, p, null);
        cleared = p;
      }
      return f;
    }

    /** The next frame, not taken; null if none. The reader's thread only. */
    private Frame peekQueued() {
      Chunk h = head;
      int p = headPos;
      if (p == Chunk.SIZE) {
        h = h.next;
        if (h == null) return null;
        p = 0;
      }
      return h.slots[p];
    }

    /** Drops the references to frames already read that a part-read line still holds (the reader goes idle). */
    private void clearRead() {
      if (head != null && cleared < headPos) {
        java.util.Arrays.fill(head.slots, cleared, headPos, null);
        cleared = headPos;
      }
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
      clearRead(); // idle now: hold no frame already handed out
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
      if (in.conflates()) return in.last.get() != null;
      long consumed = in.consumed.get(); // our own counter: its line stays in our cache
      return publishedSeen > consumed || (publishedSeen = in.published.get()) > consumed;
    }

    @Override
    public Frame read() {
      if (!messageAvailable() && !checkRead()) return null; // checkRead marked us asleep
      ReadMark mark = readMark;
      if (mark != null) mark.last = this;
      if (in.conflates()) return readConflated();
      // published frames were offered before the publishing store, so they are visible now
      Frame f = dequeue();
      if (f == null) return null;
      if (f.hasMore()) {
        readingMessage = true;
      } else {
        readingMessage = false;
        long consumed = in.consumed.get() + 1;
        long lwm = in.lwm;
        if (publishedSeen - consumed > lwm || (publishedSeen = in.published.get()) - consumed > lwm) {
          // More than the low-water mark is still queued (published only grows): no writer is owed
          // a wake-up now, so an ordered store will do, without the full fence of a volatile one.
          // A writer that meanwhile finds the queue full and waits is woken when the reader
          // gets down to the low-water mark, through the branch below.
          in.consumed.lazySet(consumed);
        } else {
          in.consumed.set(consumed); // volatile store: orders against the writerWaiting load below
          if (in.writerWaiting.get() && in.writerWaiting.compareAndSet(true, false)) {
            send(peer, peer.activateWrite);
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

    /**
     * Whether the peer has closed its writing side and everything it wrote has been read: this end
     * has reached the delimiter. The first time it has, the pipe acknowledges the peer's
     * {@link Term} ({@link TermAck}). The reading end's thread only.
     */
    public boolean peerClosedAndDrained() {
      if (!in.writerClosed) return false;
      boolean drained = in.conflates() ? !readingMessage && in.last.get() == null : peekQueued() == null;
      if (drained && !termAckSent) {
        termAckSent = true;
        peer.termAcked = true;
        send(peer, peer.termAck);
      }
      return drained;
    }

    /**
     * Whether the termination handshake is over for this end: it closed and its peer acknowledged
     * (read everything it wrote), or its peer closed and it acknowledged. Nothing is read from or
     * written to a released end.
     */
    public boolean released() {
      return (out.writerClosed && termAcked) || (in.writerClosed && termAckSent);
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
      return hwm == 0 || written - consumedSeen < hwm || written - (consumedSeen = out.consumed.get()) < hwm;
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
        enqueue(staged[i]);
        staged[i] = null;
      }
      stagedCount = 0;
      enqueue(frame);
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
        send(peer, peer.activateRead);
      }
    }

    /** Delivers {@code command} to {@code to}'s owner, if it listens; on this end's thread. */
    private static void send(End to, Command command) {
      Listener l = to.listener;
      if (l != null) {
        ACTIVATIONS.increment();
        l.command(command);
      }
    }

    /**
     * libzmq's pipe_t::terminate: this end writes no more. The delimiter goes in behind what is
     * queued, and the peer hears {@link Term} whether or not its reader was asleep; it reads the
     * rest and then acknowledges ({@link TermAck}).
     */
    public void closeWrite() {
      rollback();
      out.writerClosed = true;
      pendingFlush = true;
      out.readerAsleep.set(false); // the term wakes the reader, asleep or not
      send(peer, peer.term);
    }

    /**
     * libzmq's hiccup, sent by the session end when its connection was lost and a new one will
     * take over the pipe: the peer (socket) end hears {@link Hiccup} and finds {@link #takeHiccup}
     * true (the flag keeps it for an owner that was not listening yet), so its pattern can re-send
     * what the new peer must know (SUB and XSUB: every subscription).
     */
    public void hiccup() {
      peer.hiccuped = true;
      out.readerAsleep.set(false); // the hiccup wakes the reader, asleep or not, as a term does
      send(peer, peer.hiccupCommand);
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
        if (l != null) l.command(activateWrite);
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
