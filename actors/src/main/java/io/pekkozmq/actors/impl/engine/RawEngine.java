package io.pekkozmq.actors.impl.engine;

import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.actors.impl.EventSink;
import io.pekkozmq.actors.impl.io.IoHandler;
import io.pekkozmq.actors.impl.io.IoThread;
import io.pekkozmq.actors.impl.pipe.Pipe;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.event.EventType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Locale;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * libzmq's raw_engine, for STREAM sockets: plain bytes to and from a peer that speaks no ZeroMQ.
 * It understands the same {@link ZmtpEngine.Command}s as the ZMTP {@link ZmtpEngine}, so a session drives
 * either alike.
 *
 * <p>There is no greeting: the engine is ready as soon as it exists (libzmq's engine_ready at plug),
 * and with STREAM_NOTIFY it puts an empty message in the inbound pipe first, which the socket
 * delivers as [id, empty]. Each read (up to 64 KiB, into one reused buffer) becomes one
 * single-frame message; outbound, frames are copied back to back into one reused buffer and
 * written with one call per buffer. When the peer goes, the engine puts a last empty message in
 * the pipe (the disconnect notification) and reports, as libzmq does for a connection without a
 * handshake, HANDSHAKE_FAILED_NO_DETAIL with the errno and then DISCONNECTED. When the socket lets
 * go of the pipe (STREAM's [id, empty], or closing), the engine writes what is still queued and
 * closes the connection without an event.
 *
 * <p>Back-pressure: a read the full inbound pipe refuses is kept, reading stops, and TCP holds the
 * peer back until the socket has drained the pipe to its low-water mark ({@link ZmtpEngine.ActivateWrite}).
 */
public final class RawEngine extends AbstractBehavior<ZmtpEngine.Command> implements IoHandler {
  private static final int BUFFER_SIZE = 64 * 1024;
  private static final int READS_PER_TURN = 4;
  private static final int WRITES_PER_TURN = 32;
  /** The errno libzmq reports when the peer closes (its read of 0 bytes) or resets the connection. */
  private static final int EPIPE = 32;
  private static final int ECONNRESET = 104;

  private final ActorRef<ZmtpEngine.Command> self;
  private final EngineChannel channel;
  private final ZmtpEngine.Owner owner;
  private final EventSink events;
  private final String local;
  private final String remote;
  private final long connectionId;
  private final boolean notify;

  private final ByteBuffer readBuf = ByteBuffer.allocateDirect(BUFFER_SIZE);
  private final ByteBuffer writeBuf = ByteBuffer.allocateDirect(BUFFER_SIZE);
  private Pipe.End pipe;
  /** A message the full inbound pipe refused; reading waits until it is taken. */
  private Frame refused;
  /** The outbound frame being copied into writeBuf, and how much of it has been copied. */
  private Frame sending;
  private int sendingOffset;
  /** Closing with linger: stop once the pipe has nothing more. */
  private boolean draining;
  private boolean stopped;

  private RawEngine(ActorContext<ZmtpEngine.Command> ctx, EngineChannel channel, SocketOptions options,
      ZmtpEngine.Owner owner, EventSink events, String local, String remote, long connectionId) {
    super(ctx);
    this.self = ctx.getSelf();
    this.channel = channel;
    this.owner = owner;
    this.events = events;
    this.local = local;
    this.remote = remote;
    this.connectionId = connectionId;
    this.notify = options.streamNotify;
    try {
      // No interest until the pipe is attached: the connect notification must come before any data.
      this.channel.register(0, this);
    } catch (IOException e) {
      finish(ZmtpEngine.Outcome.DISCONNECTED, "cannot register channel: " + e.getMessage());
      self.tell(new ZmtpEngine.Close(false));
      return;
    }
    owner.handshakeSucceeded(self, null); // nothing to negotiate: the session may attach the pipe now
  }

  public static Behavior<ZmtpEngine.Command> create(IoThread io, SocketChannel channel, SocketOptions options,
      ZmtpEngine.Owner owner, EventSink events, String local, String remote, long connectionId) {
    return Behaviors.setup(ctx -> new RawEngine(ctx, new NioEngineChannel(io, channel), options, owner, events,
        local, remote, connectionId));
  }

  /** A raw engine over any {@link EngineChannel} (the tests' in-memory one); the session uses the one above. */
  static Behavior<ZmtpEngine.Command> create(EngineChannel channel, SocketOptions options, ZmtpEngine.Owner owner,
      EventSink events, String local, String remote, long connectionId) {
    return Behaviors.setup(ctx -> new RawEngine(ctx, channel, options, owner, events, local, remote, connectionId));
  }

  @Override
  public Receive<ZmtpEngine.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ZmtpEngine.Attach.class, this::onAttach)
        .onMessageEquals(ZmtpEngine.ActivateRead.INSTANCE, () -> afterIo(this::pushOut))
        .onMessageEquals(ZmtpEngine.ActivateWrite.INSTANCE, () -> afterIo(this::resumeInput))
        .onMessage(ZmtpEngine.Close.class, this::onClose)
        .onSignal(PostStop.class, s -> {
          channel.release();
          return this;
        })
        .build();
  }

  private Behavior<ZmtpEngine.Command> onAttach(ZmtpEngine.Attach a) {
    if (stopped) return Behaviors.stopped();
    pipe = a.pipe();
    pipe.setListener(new EngineWakeUps(self));
    if (notify) refused = Frame.EMPTY; // queued ahead of the first read
    return afterIo(() -> {
      resumeInput();
      pushOut();
    });
  }

  private Behavior<ZmtpEngine.Command> onClose(ZmtpEngine.Close c) {
    if (!c.drain()) {
      finish(ZmtpEngine.Outcome.CLOSED, "closed by the socket");
    } else if (pipe == null) {
      draining = true; // the session attaches the pipe (with what was sent before the connection) or closes us
    } else {
      draining = true;
      pushOut();
    }
    return stopped ? Behaviors.stopped() : this;
  }

  private Behavior<ZmtpEngine.Command> afterIo(Runnable work) {
    if (!stopped) work.run();
    return stopped ? Behaviors.stopped() : this;
  }

  // ---- readiness (on this actor's thread) ---------------------------------------------------

  @Override
  public void ready(int readyOps) {
    if (stopped) return;
    if ((readyOps & SelectionKey.OP_READ) != 0) pullIn();
    // only release cancels the key, and it comes after stopped: this stands for the key's isValid
    if (!stopped && (readyOps & SelectionKey.OP_WRITE) != 0) pushOut();
    if (stopped) self.tell(new ZmtpEngine.Close(false)); // the actor stops on its next message
  }

  /** Reads until the socket is drained, the pipe is full, or this turn's share is used. */
  private void pullIn() {
    int reads = 0;
    while (refused == null && !stopped && reads++ < READS_PER_TURN) {
      int n;
      try {
        n = channel.read(readBuf);
      } catch (IOException e) {
        lost(errnoOf(e), String.valueOf(e.getMessage()));
        return;
      }
      if (n < 0) {
        lost(EPIPE, "peer closed the connection");
        return;
      }
      if (n == 0) break;
      byte[] chunk = new byte[n];
      readBuf.flip();
      readBuf.get(chunk);
      readBuf.clear();
      Frame frame = Frame.wrap(chunk);
      if (!pipe.write(frame)) refused = frame;
      if (n < BUFFER_SIZE) break; // the kernel had no more; select will say when it has
    }
    pipe.flush();
    if (refused != null) channel.setInterest(SelectionKey.OP_READ, false);
  }

  /** Offers the refused message again; when the pipe takes it, reading resumes. */
  private void resumeInput() {
    if (pipe == null) return;
    if (refused != null) {
      if (!pipe.write(refused)) return; // still full: the pipe calls writeActivated again
      refused = null;
      pipe.flush();
    }
    channel.setInterest(SelectionKey.OP_READ, true);
    pullIn(); // speculative, as libzmq's restart_input
  }

  /** Moves queued frames to the wire until the pipe is empty, the kernel is full, or the turn ends. */
  private void pushOut() {
    if (pipe == null) return;
    for (int writes = 0; !stopped; ) {
      copyQueuedFrames();
      if (writeBuf.position() == 0) {
        channel.setInterest(SelectionKey.OP_WRITE, false);
        if (sending == null && (draining || pipe.peerClosedAndDrained())) {
          finish(ZmtpEngine.Outcome.CLOSED, "the socket closed this connection"); // libzmq: no event
        }
        return;
      }
      if (!writeOnce()) return;
      if (++writes == WRITES_PER_TURN) {
        self.tell(ZmtpEngine.ActivateRead.INSTANCE); // let other connections on this thread run first
        return;
      }
    }
  }

  /** Fills writeBuf with the bytes of queued frames, back to back. */
  private void copyQueuedFrames() {
    while (writeBuf.hasRemaining()) {
      if (sending == null) {
        sending = pipe.read();
        sendingOffset = 0;
        if (sending == null) return;
      }
      int n = Math.min(sending.size() - sendingOffset, writeBuf.remaining());
      writeBuf.put(sending.array(), sending.offset() + sendingOffset, n);
      sendingOffset += n;
      if (sendingOffset == sending.size()) sending = null;
    }
  }

  /** One write of writeBuf; false if the kernel took only part of it (OP_WRITE is then on) or failed. */
  private boolean writeOnce() {
    writeBuf.flip();
    try {
      channel.write(writeBuf);
    } catch (IOException e) {
      writeBuf.clear();
      lost(errnoOf(e), String.valueOf(e.getMessage()));
      return false;
    }
    boolean all = !writeBuf.hasRemaining();
    writeBuf.compact();
    if (!all) channel.setInterest(SelectionKey.OP_WRITE, true);
    return all;
  }

  // ---- ending -------------------------------------------------------------------------------

  /**
   * The connection broke or the peer closed it. What was read but refused, and then the disconnect
   * notification, go into the pipe past RCVHWM (as libzmq's pipe delimiter does), so an
   * application keeping state per peer always hears that the peer has gone.
   */
  private void lost(int errno, String reason) {
    if (stopped) return;
    if (pipe != null) {
      pipe.setListener(null);
      if (refused != null) forceWrite(refused);
      if (notify) forceWrite(Frame.EMPTY);
      refused = null;
      pipe.flush();
    }
    events.emit(EventType.HANDSHAKE_FAILED_NO_DETAIL, errno, local, remote);
    events.emit(EventType.DISCONNECTED, connectionId, local, remote);
    finish(ZmtpEngine.Outcome.DISCONNECTED, reason);
  }

  private void forceWrite(Frame frame) {
    long hwm = pipe.outboundHwm();
    pipe.setOutboundHwm(0);
    pipe.write(frame);
    pipe.setOutboundHwm(hwm);
  }

  private void finish(ZmtpEngine.Outcome outcome, String reason) {
    if (stopped) return;
    stopped = true;
    if (pipe != null) pipe.setListener(null); // nothing wakes a stopped engine
    channel.release();
    owner.engineStopped(self, outcome, reason);
  }

  private static int errnoOf(IOException e) {
    String m = e.getMessage();
    return m != null && m.toLowerCase(Locale.ROOT).contains("reset") ? ECONNRESET : EPIPE;
  }
}
