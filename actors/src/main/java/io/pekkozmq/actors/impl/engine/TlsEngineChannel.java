package io.pekkozmq.actors.impl.engine;

import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.actors.impl.io.IoHandler;
import io.pekkozmq.actors.impl.io.IoThread;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A wss:// connection: TLS (the JDK's {@link SSLEngine}) between the engine and a
 * {@link SocketChannel} in its I/O thread's selector; the engine reads and writes plaintext as on
 * any {@link EngineChannel}. Used on that I/O thread only (the engine's).
 *
 * <p>The TLS handshake runs inside the readiness callbacks and the engine's calls, before any
 * plaintext moves; its delegated tasks (certificate checks) run inline, as GnuTLS runs them in
 * libzmq's I/O thread. The key's interest is the engine's plus what TLS needs itself (reading during
 * the handshake, writing while ciphertext waits for the kernel). Plaintext TLS has decrypted but
 * the engine has not taken yet has no readiness of its own in the selector, so when the engine
 * wants to read and some is held, the channel hands the engine a read readiness itself through
 * the loop. A TLS failure (an untrusted certificate, a wrong host name) reaches the engine as an
 * {@link IOException} naming it, from its next read or write.
 *
 * <p>Copies: one record is sealed from the engine's write buffer into the network buffer and one
 * opened from the network buffer into the engine's read buffer, which is what TLS costs anywhere.
 */
final class TlsEngineChannel implements EngineChannel, IoHandler {
  private final IoThread io;
  private final SocketChannel channel;
  private final SSLEngine ssl;
  private final ByteBuffer netIn;
  private final ByteBuffer netOut;
  /** Plaintext opened while the engine's buffer had no room for a whole record. */
  private final ByteBuffer appIn;
  private SelectionKey key;
  private IoHandler engine;
  private int wanted;
  private boolean handshaking = true;
  private boolean eof;
  private IOException failure;
  private boolean shutdownPending;
  private boolean released;
  private boolean deliveryScheduled;
  /** netIn holds only part of a record: nothing to open until the socket brings more. */
  private boolean partialOnly;

  private TlsEngineChannel(IoThread io, SocketChannel channel, SSLEngine ssl) {
    this.io = io;
    this.channel = channel;
    this.ssl = ssl;
    int packet = ssl.getSession().getPacketBufferSize();
    this.netIn = ByteBuffer.allocate(packet * 2);
    this.netOut = ByteBuffer.allocate(packet * 2);
    this.appIn = ByteBuffer.allocate(ssl.getSession().getApplicationBufferSize());
    appIn.flip(); // empty, ready to be read from
  }

  /** A client checks the server's certificate against WSS_HOSTNAME or {@code host}. */
  static TlsEngineChannel create(IoThread io, SocketChannel channel, SocketOptions options, boolean client,
      String host, int port) {
    return new TlsEngineChannel(io, channel, WssTls.engine(options, client, host, port));
  }

  @Override
  public void register(int ops, IoHandler handler) throws IOException {
    channel.configureBlocking(false);
    engine = handler;
    wanted = ops;
    key = io.loop().register(channel, ops | SelectionKey.OP_READ, this);
    io.loop().adjustLoad(1);
    ssl.beginHandshake();
    progress();
    updateInterest();
  }

  /** Readiness from the selector (or a delivery of held plaintext): TLS first, then the engine. */
  @Override
  public void ready(int readyOps) {
    deliveryScheduled = false;
    if (released) return;
    if ((readyOps & SelectionKey.OP_WRITE) != 0) {
      try {
        flush();
      } catch (IOException e) {
        if (failure == null) failure = e;
      }
    }
    if (handshaking) progress();
    int forEngine = 0;
    if (failure != null || eof) {
      forEngine = SelectionKey.OP_READ; // the engine's read reports it
    } else if (!handshaking) {
      if ((readyOps & SelectionKey.OP_READ) != 0 || held()) forEngine |= wanted & SelectionKey.OP_READ;
      if ((readyOps & SelectionKey.OP_WRITE) != 0 && netOut.position() == 0) forEngine |= wanted & SelectionKey.OP_WRITE;
    }
    if (forEngine != 0) engine.ready(forEngine);
    if (released) return;
    updateInterest();
    if ((wanted & SelectionKey.OP_READ) != 0 && !handshaking && held()) scheduleDelivery();
  }

  @Override
  public void setInterest(int op, boolean on) {
    wanted = on ? (wanted | op) : (wanted & ~op);
    updateInterest();
    if (on && op == SelectionKey.OP_READ && held()) scheduleDelivery();
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (failure != null) throw failure;
    if (handshaking) {
      progress();
      if (failure != null) throw failure;
      if (handshaking) return eof ? -1 : 0;
    }
    int start = dst.position();
    while (dst.hasRemaining()) {
      if (appIn.hasRemaining()) {
        int n = Math.min(appIn.remaining(), dst.remaining());
        ByteBuffer slice = appIn.slice();
        slice.limit(n);
        dst.put(slice);
        appIn.position(appIn.position() + n);
        continue;
      }
      if (!unwrapInto(dst) && !fill()) break;
    }
    int got = dst.position() - start;
    if (failure != null && got == 0) throw failure;
    return got == 0 && eof ? -1 : got;
  }

  /** Opens one record into {@code dst} (or appIn when it lacks room); false if no whole record is held. */
  private boolean unwrapInto(ByteBuffer dst) throws IOException {
    if (netIn.position() == 0) return false;
    netIn.flip();
    boolean direct = dst.remaining() >= ssl.getSession().getApplicationBufferSize();
    SSLEngineResult r;
    try {
      if (direct) {
        r = ssl.unwrap(netIn, dst);
      } else {
        appIn.clear();
        r = ssl.unwrap(netIn, appIn);
        appIn.flip();
      }
    } catch (SSLException e) {
      fail(e);
      return false;
    } finally {
      netIn.compact();
    }
    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
      eof = true;
      return false;
    }
    partialOnly = r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW;
    return r.getStatus() == SSLEngineResult.Status.OK;
  }

  /** Reads ciphertext from the socket; false if none came. */
  private boolean fill() throws IOException {
    if (eof || !netIn.hasRemaining()) return false;
    int n = channel.read(netIn);
    if (n < 0) {
      eof = true;
      return false;
    }
    if (n > 0) partialOnly = false;
    return n > 0;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (failure != null) throw failure;
    if (handshaking) {
      progress();
      if (failure != null) throw failure;
      if (handshaking) return 0;
    }
    if (!flush()) return 0;
    int start = src.position();
    while (src.hasRemaining()) {
      SSLEngineResult r;
      try {
        r = ssl.wrap(src, netOut);
      } catch (SSLException e) {
        fail(e);
        throw failure;
      }
      if (r.getStatus() != SSLEngineResult.Status.OK) break; // BUFFER_OVERFLOW: flush first
      if (!flush()) break;
    }
    updateInterest();
    return src.position() - start;
  }

  /** Writes held ciphertext; true when none is left. */
  private boolean flush() throws IOException {
    if (netOut.position() == 0) {
      return true;
    }
    netOut.flip();
    try {
      channel.write(netOut);
    } finally {
      netOut.compact();
    }
    boolean done = netOut.position() == 0;
    if (done && shutdownPending) {
      shutdownPending = false;
      channel.shutdownOutput();
    }
    return done;
  }

  /** close_notify, then our FIN after it. */
  @Override
  public void shutdownOutput() throws IOException {
    ssl.closeOutbound();
    try {
      ssl.wrap(ByteBuffer.allocate(0), netOut);
    } catch (SSLException e) {
      // closing anyway
    }
    shutdownPending = true;
    flush();
    updateInterest();
  }

  @Override
  public void release() {
    if (released) return;
    released = true;
    NioEngineChannel.deregisterAndClose(io, key, channel);
    key = null;
  }

  /** Steps the TLS handshake as far as the bytes at hand allow. */
  private void progress() {
    try {
      while (handshaking && failure == null) {
        switch (ssl.getHandshakeStatus()) {
          case NEED_TASK -> {
            Runnable t;
            while ((t = ssl.getDelegatedTask()) != null) t.run();
          }
          case NEED_WRAP -> {
            SSLEngineResult r = ssl.wrap(ByteBuffer.allocate(0), netOut);
            if (!flush() && r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) return;
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
              failure = new IOException("TLS closed during the handshake");
              return;
            }
          }
          case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
            netIn.flip();
            appIn.compact();
            SSLEngineResult r;
            try {
              r = ssl.unwrap(netIn, appIn);
            } finally {
              appIn.flip();
              netIn.compact();
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
              if (!fill()) {
                if (eof) failure = new IOException("peer closed the connection during the TLS handshake");
                return;
              }
            } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
              failure = new IOException("peer ended TLS during the handshake");
              return;
            }
          }
          default -> handshaking = false; // FINISHED or NOT_HANDSHAKING
        }
      }
    } catch (SSLException e) {
      fail(e);
    } catch (IOException e) {
      failure = e;
    }
  }

  /** Records a TLS failure and tries to get TLS's alert out to the peer, so it learns why. */
  private void fail(SSLException e) {
    if (failure == null) failure = new IOException("TLS: " + e.getMessage(), e);
    try {
      ssl.closeOutbound();
      while (ssl.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
        SSLEngineResult r = ssl.wrap(ByteBuffer.allocate(0), netOut);
        if (r.getStatus() != SSLEngineResult.Status.OK) break;
      }
      flush();
    } catch (IOException ignored) {
      // the alert is a courtesy
    }
  }

  private boolean held() {
    return appIn.hasRemaining() || (netIn.position() > 0 && !partialOnly && !eof);
  }

  /** Held plaintext has no selector readiness: hand the engine one through the loop. */
  private void scheduleDelivery() {
    if (deliveryScheduled || released) return;
    deliveryScheduled = true;
    io.loop().execute(() -> ready(0));
  }

  private void updateInterest() {
    if (key == null || !key.isValid()) return;
    // while TLS shakes hands the engine's writes wait for it: its OP_WRITE would only spin the loop
    int ops = handshaking ? (wanted & ~SelectionKey.OP_WRITE) | SelectionKey.OP_READ : wanted;
    if (netOut.position() > 0) ops |= SelectionKey.OP_WRITE;
    if (key.interestOps() != ops) key.interestOps(ops);
  }
}
