package io.pekkozmq.samples.bench;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.zmtp.FrameSink;
import io.pekkozmq.engine.zmtp.FrameSource;
import io.pekkozmq.engine.zmtp.ZmtpConnection;
import io.pekkozmq.engine.zmtp.ZmtpOptions;
import java.nio.ByteBuffer;

/**
 * Encode and decode cost of the ZMTP codec alone (no I/O), in ns per single-frame message.
 * Usage: {@code CodecBench [rounds] [messagesPerRound]}.
 */
public final class CodecBench {
  private static volatile long sinkHole;

  private CodecBench() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 20_000_000;
    for (int size : new int[] {16, 1024}) {
      int n = size >= 1024 ? perRound / 8 : perRound;
      bench(size, n / 4, 2, false); // warm-up
      bench(size, n, rounds, true);
    }
  }

  private static void bench(int size, int messages, int rounds, boolean print) {
    ZmtpConnection[] pair = connectedPair();
    ZmtpConnection sender = pair[0];
    ZmtpConnection receiver = pair[1];
    Frame frame = Frame.wrap(new byte[size]);
    ByteBuffer out = ByteBuffer.allocate(64 * 1024);

    // One output buffer's worth of encoded frames, decoded over and over.
    ByteBuffer encoded = ByteBuffer.allocate(64 * 1024);
    int[] left = {Integer.MAX_VALUE};
    FrameSource endless = () -> frame;
    sender.produce(encoded, endless);
    encoded.flip();
    int perBuffer = encoded.remaining() / (size + (size > 255 ? 9 : 2));
    encoded.limit(perBuffer * (size + (size > 255 ? 9 : 2)));

    long[] count = {0};
    FrameSink sink = f -> {
      count[0] += f.size();
      return true;
    };
    for (int r = 0; r < rounds; r++) {
      left[0] = messages;
      FrameSource source = () -> left[0]-- > 0 ? frame : null;
      long t0 = System.nanoTime();
      boolean more = true;
      while (more) {
        out.clear();
        sender.produce(out, source);
        more = left[0] > 0;
      }
      long t1 = System.nanoTime();
      long decoded = 0;
      while (decoded < messages) {
        encoded.position(0);
        receiver.consume(encoded, sink);
        decoded += perBuffer;
      }
      long t2 = System.nanoTime();
      if (print) {
        System.out.printf("%5d B  encode %6.1f ns/msg  decode %6.1f ns/msg  (%d msgs)%n",
            size, (t1 - t0) / (double) messages, (t2 - t1) / (double) decoded, messages);
      }
    }
    sinkHole += count[0];
  }

  /** Two connections that have completed the NULL handshake with each other in memory. */
  private static ZmtpConnection[] connectedPair() {
    ZmtpConnection a = new ZmtpConnection(ZmtpOptions.builder(SocketType.PAIR).build());
    ZmtpConnection b = new ZmtpConnection(ZmtpOptions.builder(SocketType.PAIR).build());
    ByteBuffer buf = ByteBuffer.allocate(8192);
    FrameSource none = () -> null;
    FrameSink drop = f -> true;
    for (int i = 0; i < 10 && !(a.handshakeComplete() && b.handshakeComplete()); i++) {
      buf.clear();
      a.produce(buf, none);
      buf.flip();
      b.consume(buf, drop);
      buf.clear();
      b.produce(buf, none);
      buf.flip();
      a.consume(buf, drop);
    }
    if (!a.handshakeComplete() || !b.handshakeComplete()) {
      throw new IllegalStateException("in-memory handshake failed: " + a.errorDetail() + " / " + b.errorDetail());
    }
    return new ZmtpConnection[] {a, b};
  }
}
