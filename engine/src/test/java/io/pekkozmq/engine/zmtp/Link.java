package io.pekkozmq.engine.zmtp;

import io.pekkozmq.engine.Frame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/** Two connections wired back to back, input fed whole, byte by byte or split at random points. */
final class Link {
  enum Split { WHOLE, BYTES, RANDOM }

  final ZmtpConnection a;
  final ZmtpConnection b;
  final Wire.Collect toA = new Wire.Collect();
  final Wire.Collect toB = new Wire.Collect();
  final List<Frame> fromA = new ArrayList<>();
  final List<Frame> fromB = new ArrayList<>();
  final List<List<byte[]>> zapRequests = new ArrayList<>();
  /** Every byte each side sent, in order. */
  final java.io.ByteArrayOutputStream wireAtoB = new java.io.ByteArrayOutputStream();
  final java.io.ByteArrayOutputStream wireBtoA = new java.io.ByteArrayOutputStream();
  UnaryOperator<List<byte[]>> zapHandler = req -> reply("200", "OK", "user", new byte[0]);
  private final Split split;
  private final Random random = new Random(13);
  ZmtpConnection.Status lastA = ZmtpConnection.Status.OK;
  ZmtpConnection.Status lastB = ZmtpConnection.Status.OK;

  Link(ZmtpConnection a, ZmtpConnection b, Split split) {
    this.a = a;
    this.b = b;
    this.split = split;
  }

  static List<byte[]> reply(String status, String text, String userId, byte[] metadata) {
    return List.of(new byte[0], ascii("1.0"), ascii("1"), ascii(status), ascii(text), ascii(userId), metadata);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Moves bytes both ways until neither side has anything to say or one fails; bounded. */
  Link run() {
    for (int round = 0; round < 50; round++) {
      boolean moved = move(a, b, fromA, toB, true) | move(b, a, fromB, toA, false);
      if (!moved || lastA == ZmtpConnection.Status.ERROR || lastB == ZmtpConnection.Status.ERROR) {
        break;
      }
    }
    return this;
  }

  private boolean move(ZmtpConnection from, ZmtpConnection to, List<Frame> frames, Wire.Collect sink, boolean toB) {
    answerZap(from);
    java.util.ArrayDeque<Frame> q = new java.util.ArrayDeque<>(frames);
    frames.clear();
    byte[] bytes = Wire.drain(from, q::poll);
    if (bytes.length == 0) {
      return false;
    }
    (toB ? wireAtoB : wireBtoA).write(bytes, 0, bytes.length);
    ZmtpConnection.Status st = feed(to, bytes, sink);
    if (toB) {
      lastB = st;
    } else {
      lastA = st;
    }
    answerZap(to);
    return true;
  }

  private void answerZap(ZmtpConnection c) {
    List<byte[]> req;
    while ((req = c.takeZapRequest()) != null) {
      zapRequests.add(req);
      c.zapReply(zapHandler.apply(req));
    }
  }

  /** The frames in a side's wire bytes after its 64-byte greeting. */
  static List<Frame> framesAfterGreeting(byte[] wire) {
    FrameDecoder d = new FrameDecoder(-1, 0);
    ByteBuffer in = ByteBuffer.wrap(java.util.Arrays.copyOfRange(wire, 64, wire.length));
    List<Frame> frames = new ArrayList<>();
    Frame f;
    while ((f = d.next(in)) != null) {
      frames.add(Frame.slice(f.toByteArray(), 0, f.size(), f.flags()));
    }
    return frames;
  }

  ZmtpConnection.Status feed(ZmtpConnection to, byte[] bytes, Wire.Collect sink) {
    ZmtpConnection.Status st = ZmtpConnection.Status.OK;
    int p = 0;
    while (p < bytes.length && st != ZmtpConnection.Status.ERROR) {
      int n = switch (split) {
        case WHOLE -> bytes.length - p;
        case BYTES -> 1;
        case RANDOM -> 1 + random.nextInt(Math.min(300, bytes.length - p));
      };
      // a fresh array per chunk, as an engine's read buffer: the connection may open boxes in place
      st = to.consume(ByteBuffer.wrap(java.util.Arrays.copyOfRange(bytes, p, p + n)), sink);
      p += n;
      answerZap(to);
    }
    return st;
  }
}
