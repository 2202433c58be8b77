package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.pekkozmq.engine.Msg;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/** What the pub-sub interop tests read from a subscriber or an XPUB, ours or another implementation's. */
final class PubSubReceiving {
  private PubSubReceiving() {}

  /** The first frame's text; null for no message. */
  static String text(Msg m) {
    return m == null ? null : m.first().text();
  }

  /** The bytes as text; null for no message. */
  static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  /** The first frame in hex, e.g. a subscription message; fails for no message. */
  static String hex(Msg m) {
    assertNotNull(m, "nothing received");
    return HexFormat.of().formatHex(m.first().toByteArray());
  }

  /**
   * What {@code next} gives up to and including {@code end}, leaving out the join marker
   * {@code marker}; fails when {@code next} gives null (nothing within its timeout).
   */
  static List<String> until(Supplier<String> next, String marker, String end) {
    List<String> got = new ArrayList<>();
    while (true) {
      String t = next.get();
      assertNotNull(t, "stream stopped after " + got);
      if (t.equals(marker)) continue;
      got.add(t);
      if (t.equals(end)) return got;
    }
  }
}
