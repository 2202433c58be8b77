package io.pekkozmq.actors.impl.engine;

import io.pekkozmq.actors.impl.io.IoHandler;
import io.pekkozmq.actors.impl.io.IoThread;
import io.pekkozmq.actors.impl.pipe.Pipe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What {@link Engine} and {@link RawEngine} do alike with their connection: register the channel in
 * the I/O loop, switch interest ops, read and write, and at the end let go of the pipe, release the
 * channel and tell the session. Used on the engine's I/O thread only.
 */
final class EngineChannel {
  private final IoThread io;
  private final SocketChannel channel;
  private final Engine.Owner owner;
  private final ActorRef<Engine.Command> engine;
  private SelectionKey key;

  EngineChannel(IoThread io, SocketChannel channel, Engine.Owner owner, ActorRef<Engine.Command> engine) {
    this.io = io;
    this.channel = channel;
    this.owner = owner;
    this.engine = engine;
  }

  /** Makes the channel non-blocking and registers it with {@code ops}; it counts in the loop's load until released. */
  void register(int ops, IoHandler handler) throws IOException {
    channel.configureBlocking(false);
    key = io.loop().register(channel, ops, handler);
    io.loop().adjustLoad(1); // release takes it back, as it does only for a registered key
  }

  int read(ByteBuffer dst) throws IOException {
    return channel.read(dst);
  }

  int write(ByteBuffer src) throws IOException {
    return channel.write(src);
  }

  /** Half-closes: the peer reads our FIN after the last byte written. */
  void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  /** Turns {@code op} on or off; a cancelled or missing key is left alone. */
  void setInterest(int op, boolean on) {
    if (key == null || !key.isValid()) return;
    int ops = key.interestOps();
    int next = on ? (ops | op) : (ops & ~op);
    if (next != ops) key.interestOps(next);
  }

  /** Cancels the registration, giving its share of the loop's load back once, and closes the channel. */
  void release() {
    if (key != null) {
      key.cancel();
      io.loop().adjustLoad(-1);
      key = null;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // the connection is gone either way
    }
  }

  /**
   * The engine has stopped: {@code pipe} (if attached) no longer wakes it, the channel is released,
   * and the session hears why. The engine calls this once.
   */
  void stopped(Pipe.End pipe, Engine.Outcome outcome, String reason) {
    if (pipe != null) pipe.setListener(null);
    release();
    owner.engineStopped(engine, outcome, reason);
  }

  /** Pipe wake-ups as messages to the engine: the pipe calls these on the socket's thread. */
  Pipe.Listener wakeUps() {
    return new Pipe.Listener() {
      @Override
      public void readActivated(Pipe.End end) {
        engine.tell(Engine.ActivateRead.INSTANCE);
      }

      @Override
      public void writeActivated(Pipe.End end) {
        engine.tell(Engine.ActivateWrite.INSTANCE);
      }
    };
  }
}
