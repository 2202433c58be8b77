package io.pekkozmq.actors.impl.engine;

import io.pekkozmq.actors.impl.io.IoThread;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * What every engine does with its channel's registration in its I/O loop: switch one interest op
 * on or off, and release the registration and the channel. Engines call these on their own I/O
 * thread only.
 */
final class ChannelRegistration {
  private ChannelRegistration() {}

  /** Turns {@code op} on or off; a cancelled or missing key is left alone. */
  static void setInterest(SelectionKey key, int op, boolean on) {
    if (key == null || !key.isValid()) return;
    int ops = key.interestOps();
    int next = on ? (ops | op) : (ops & ~op);
    if (next != ops) key.interestOps(next);
  }

  /**
   * Cancels {@code key} (if any) and gives its share of the loop's load back, then closes the
   * channel. Callers forget the key afterwards, so the load is given back once.
   */
  static void release(IoThread io, SelectionKey key, SocketChannel channel) {
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
