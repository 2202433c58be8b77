package io.pekkozmq.actors.impl.engine;

import io.pekkozmq.actors.impl.io.IoHandler;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The connection under a {@link ZmtpEngine} or a {@link RawEngine}, as the engine uses it: register for
 * readiness, switch interest ops, read and write, half-close, let go. Called on the engine's thread
 * only, and readiness comes back on that thread, between the engine's mailbox runs.
 *
 * <p>{@link NioEngineChannel} is the connection a session hands over (a {@code SocketChannel} in an
 * {@code IoLoop}); the engine tests' {@code MemoryChannel} is fed bytes and readiness by hand, as
 * Netty's {@code EmbeddedChannel} is.
 */
interface EngineChannel {
  /**
   * Starts readiness callbacks to {@code handler} for {@code ops} ({@code SelectionKey.OP_*}).
   * Whatever the outcome, {@link #release} is called once at the end.
   */
  void register(int ops, IoHandler handler) throws IOException;

  /** Turns {@code op} on or off; after {@link #release} it does nothing. */
  void setInterest(int op, boolean on);

  /** As {@code SocketChannel.read}: bytes read, 0 if none are there, -1 at the peer's close. */
  int read(ByteBuffer dst) throws IOException;

  /** As {@code SocketChannel.write}: bytes taken, which may be fewer than offered (or 0). */
  int write(ByteBuffer src) throws IOException;

  /** Half-closes: the peer reads our FIN after the last byte written. */
  void shutdownOutput() throws IOException;

  /** Ends readiness and closes the connection; idempotent. */
  void release();
}
