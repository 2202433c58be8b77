package io.pekkozmq.actors.impl.engine;

import io.pekkozmq.actors.impl.io.IoHandler;
import io.pekkozmq.actors.impl.io.IoThread;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * An engine's TCP or IPC connection: a {@link SocketChannel} registered in its I/O thread's
 * selector. Used on that I/O thread only (the engine's).
 */
final class NioEngineChannel implements EngineChannel {
  private final IoThread io;
  private final SocketChannel channel;
  private SelectionKey key;

  NioEngineChannel(IoThread io, SocketChannel channel) {
    this.io = io;
    this.channel = channel;
  }

  /** Makes the channel non-blocking and registers it; it counts in the loop's load until released. */
  @Override
  public void register(int ops, IoHandler handler) throws IOException {
    channel.configureBlocking(false);
    key = io.loop().register(channel, ops, handler);
    io.loop().adjustLoad(1); // release takes it back, as it does only for a registered key
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return channel.read(dst);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return channel.write(src);
  }

  @Override
  public void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  /** A cancelled or missing key is left alone. */
  @Override
  public void setInterest(int op, boolean on) {
    if (key == null || !key.isValid()) return;
    int ops = key.interestOps();
    int next = on ? (ops | op) : (ops & ~op);
    if (next != ops) key.interestOps(next);
  }

  /** Cancels the registration, giving its share of the loop's load back once, and closes the channel. */
  @Override
  public void release() {
    deregisterAndClose(io, key, channel);
    key = null;
  }

  /**
   * libzmq's rm_fd and close, for every channel kind here (plain and TLS): cancels {@code key} if the
   * channel was registered, giving its share of {@code io}'s load back, and closes the channel.
   */
  static void deregisterAndClose(IoThread io, SelectionKey key, SocketChannel channel) {
    if (key != null) {
      key.cancel();
      io.loop().adjustLoad(-1);
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // the connection is gone either way
    }
  }
}
