package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Frame;

/**
 * The draft types' rule for incoming messages (libzmq's client, server, gather and channel xrecv):
 * they take single-frame messages only, and a peer's multipart message is dropped whole, frame by
 * frame, before the next single-frame message is taken.
 */
final class SingleFrame {
  private SingleFrame() {}

  /** The next single-frame message from {@code fq}, dropping multipart ones; null if none. */
  static Frame recv(FairQueue fq) {
    Frame f = fq.recv();
    while (f != null && f.hasMore()) {
      do {
        f = fq.recv();
      } while (f != null && f.hasMore());
      if (f != null) f = fq.recv();
    }
    return f;
  }

  /** As {@link #recv(FairQueue)}, from one pipe (CHANNEL). */
  static Frame recv(PatternPipe pipe) {
    Frame f = pipe.read();
    while (f != null && f.hasMore()) {
      do {
        f = pipe.read();
      } while (f != null && f.hasMore());
      if (f != null) f = pipe.read();
    }
    return f;
  }
}
