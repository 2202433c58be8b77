package io.pekkozmq.actors.impl.engine;

import io.pekkozmq.actors.impl.io.IoHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.util.Arrays;

/**
 * An {@link EngineChannel} in memory, as Netty's EmbeddedChannel: the test plays the peer and the
 * kernel. It writes the peer's bytes in ({@link #peerSends}), closes or resets the connection,
 * takes what the engine wrote ({@link #takeWritten}) and decides how much a write may take
 * ({@link #setWriteWindow}: a full send buffer). Readiness is level-triggered, as a selector's:
 * after anything that can change it (bytes in, a wider window, the engine turning an interest op
 * on), a select is queued on the {@link EmbeddedLoop}; it calls the engine once with what is ready
 * and wanted, and if that moved anything while something is still ready, queues the next select
 * behind the tasks the call set off, as an {@code IoLoop} runs its tasks between two selects.
 *
 * <p>The test thread and the engine touch it one at a time: the engine only on the loop, the test
 * under this object's lock, and never calling the loop while holding it.
 */
final class MemoryChannel implements EngineChannel {
  /** More selects than any test needs: an engine that keeps a ready op busy forever fails instead. */
  private static final int MAX_SELECTS = 1_000_000;

  private final EmbeddedLoop loop;
  private IoHandler handler;
  private int interest;
  private boolean released;

  private byte[] inbound = new byte[0];
  private int inboundPos;
  private boolean peerClosed;
  private IOException readFailure;

  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private long writeWindow = Long.MAX_VALUE;
  private IOException writeFailure;
  private boolean outputShut;

  private boolean selectQueued;
  private int selects;
  /** Reads and writes that did something: a select after which nothing moved queues no other. */
  private long moves;

  MemoryChannel(EmbeddedLoop loop) {
    this.loop = loop;
  }

  // ---- the peer and the kernel (the test) -----------------------------------------------------

  /** The peer's bytes arrive; the engine reads them once it is interested. */
  void peerSends(byte[] bytes) {
    synchronized (this) {
      byte[] rest = Arrays.copyOfRange(inbound, inboundPos, inbound.length);
      inbound = Arrays.copyOf(rest, rest.length + bytes.length);
      System.arraycopy(bytes, 0, inbound, rest.length, bytes.length);
      inboundPos = 0;
    }
    queueSelect();
  }

  /** The peer closes its side: reads return -1 once its bytes are read. */
  void peerCloses() {
    synchronized (this) {
      peerClosed = true;
    }
    queueSelect();
  }

  /** The peer resets the connection: reads throw from now on. */
  void peerResets() {
    synchronized (this) {
      readFailure = new IOException("Connection reset by peer");
    }
    queueSelect();
  }

  /** Writes throw from now on. */
  synchronized void failWrites(IOException e) {
    writeFailure = e;
  }

  /**
   * The send buffer has room for {@code bytes} more (Long.MAX_VALUE: no limit); a write takes at
   * most what is left, and 0 once it is full, as a non-blocking socket's does.
   */
  void setWriteWindow(long bytes) {
    synchronized (this) {
      writeWindow = bytes;
    }
    queueSelect();
  }

  /** What the engine wrote since the last call. */
  synchronized byte[] takeWritten() {
    byte[] b = written.toByteArray();
    written.reset();
    return b;
  }

  /** Peer bytes the engine has not read yet. */
  synchronized int unread() {
    return inbound.length - inboundPos;
  }

  synchronized boolean readInterest() {
    return (interest & SelectionKey.OP_READ) != 0;
  }

  synchronized boolean writeInterest() {
    return (interest & SelectionKey.OP_WRITE) != 0;
  }

  synchronized boolean outputShut() {
    return outputShut;
  }

  synchronized boolean released() {
    return released;
  }

  // ---- EngineChannel (the engine, on the loop) --------------------------------------------------

  @Override
  public void register(int ops, IoHandler handler) {
    synchronized (this) {
      if (this.handler != null) throw new IllegalStateException("registered twice");
      this.handler = handler;
      this.interest = ops;
    }
    queueSelect();
  }

  @Override
  public void setInterest(int op, boolean on) {
    boolean added;
    synchronized (this) {
      if (released || handler == null) return;
      int next = on ? (interest | op) : (interest & ~op);
      added = (next & ~interest) != 0;
      interest = next;
    }
    if (added) queueSelect(); // level-triggered: what is ready already shows at the next select
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    if (released) throw new ClosedChannelException();
    if (readFailure != null) {
      moves++;
      throw readFailure;
    }
    int n = Math.min(dst.remaining(), inbound.length - inboundPos);
    if (n == 0 && peerClosed && inboundPos == inbound.length) {
      moves++;
      return -1;
    }
    if (n == 0) return 0;
    moves++;
    dst.put(inbound, inboundPos, n);
    inboundPos += n;
    return n;
  }

  @Override
  public synchronized int write(ByteBuffer src) throws IOException {
    if (released || outputShut) throw new ClosedChannelException();
    if (writeFailure != null) throw writeFailure;
    int n = (int) Math.min(src.remaining(), writeWindow);
    byte[] b = new byte[n];
    src.get(b);
    written.write(b, 0, n);
    if (writeWindow != Long.MAX_VALUE) writeWindow -= n;
    if (n > 0) moves++;
    return n;
  }

  @Override
  public synchronized void shutdownOutput() throws IOException {
    if (released) throw new ClosedChannelException();
    outputShut = true;
    moves++;
  }

  @Override
  public synchronized void release() {
    released = true;
    interest = 0;
  }

  // ---- readiness ------------------------------------------------------------------------------

  private void queueSelect() {
    synchronized (this) {
      if (selectQueued) return;
      selectQueued = true;
    }
    loop.execute(this::select);
  }

  /** One select and its dispatch, as an {@code IoLoop}'s pass. */
  private void select() {
    int ready;
    long before;
    IoHandler h;
    synchronized (this) {
      selectQueued = false;
      ready = released || handler == null ? 0 : readyOps();
      before = moves;
      h = handler;
      if (ready != 0 && ++selects > MAX_SELECTS) {
        throw new AssertionError("readiness never settles: interest " + interest + ", unread " + unread());
      }
    }
    if (ready == 0) return;
    h.ready(ready);
    boolean again;
    synchronized (this) {
      again = moves != before && !released && readyOps() != 0;
    }
    if (again) queueSelect();
  }

  private int readyOps() {
    int ops = 0;
    if ((interest & SelectionKey.OP_READ) != 0
        && (inboundPos < inbound.length || peerClosed || readFailure != null)) {
      ops |= SelectionKey.OP_READ;
    }
    if ((interest & SelectionKey.OP_WRITE) != 0 && (writeWindow > 0 || writeFailure != null)) {
      ops |= SelectionKey.OP_WRITE;
    }
    return ops;
  }
}
