package io.pekkozmq.engine.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import java.util.ArrayList;
import java.util.List;

/** Whole-message send/receive over a pattern's frame API, as the runtime will do it. */
final class PatternDriver {
  private PatternDriver() {}

  /** Sends every frame; returns the first failure's errno, or null if all were accepted. */
  static Errno send(Pattern p, Msg msg) {
    for (Frame f : msg) {
      if (p.send(f) != Pattern.OK) {
        return p.lastError();
      }
    }
    return null;
  }

  static Errno send(Pattern p, String... parts) {
    return send(p, Msg.ofStrings(parts));
  }

  static void sendOk(Pattern p, String... parts) {
    assertEquals(null, send(p, parts), "send " + List.of(parts));
  }

  /** A whole message, or null if none (then lastError is set). */
  static Msg recv(Pattern p) {
    List<Frame> frames = new ArrayList<>();
    while (true) {
      Frame f = p.recv();
      if (f == null) {
        assertEquals(0, frames.size(), "message ended halfway");
        return null;
      }
      frames.add(f);
      if (!f.hasMore()) {
        return Msg.ofTrusted(frames.toArray(new Frame[0]));
      }
    }
  }

  static List<String> recvTexts(Pattern p) {
    Msg m = recv(p);
    assertNotNull(m, "expected a message, got " + p.lastError());
    return m.texts();
  }

  static PatternOptions options() {
    return new PatternOptions();
  }
}
