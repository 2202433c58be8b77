package io.pekkozmq.monitor;

import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads libzmq-format monitor messages (seed 000's {@code get_monitor_event}, in Java): from a
 * PAIR, PULL or SUB socket connected to a monitor socket ({@link ZMonitor}, or libzmq's own
 * {@code zmq_socket_monitor_versioned}). A message that is not a monitor event of the given version
 * is refused with an {@link IllegalArgumentException} that says what is wrong with it.
 */
public final class MonitorEventReader {
  private MonitorEventReader() {}

  /** The next event from {@code monitor}, waiting at most {@code timeout}; null if none came. */
  public static MonitorEvent read(ZSocket monitor, int version, Duration timeout) {
    Msg m = monitor.recv(timeout);
    return m == null ? null : decode(m, version);
  }

  /** Decodes one whole monitor message of event version {@code version} (1 or 2). */
  public static MonitorEvent decode(Msg msg, int version) {
    return switch (version) {
      case 1 -> v1(msg);
      case 2 -> v2(msg);
      default -> throw new IllegalArgumentException("unknown monitor event version " + version + "; expected 1 or 2");
    };
  }

  private static MonitorEvent v1(Msg msg) {
    if (msg.size() != 2) {
      throw new IllegalArgumentException("a v1 monitor message has 2 frames, this one has " + msg.size());
    }
    byte[] head = msg.frame(0).toByteArray();
    if (head.length != 6) {
      throw new IllegalArgumentException("a v1 monitor message starts with 6 bytes (u16 event, u32 value), not " + head.length);
    }
    ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
    long event = Short.toUnsignedLong(b.getShort());
    long value = Integer.toUnsignedLong(b.getInt());
    return new MonitorEvent(event, List.of(value), "", "", text(msg.frame(1)), 1);
  }

  private static MonitorEvent v2(Msg msg) {
    if (msg.size() < 4) {
      throw new IllegalArgumentException("a v2 monitor message has at least 4 frames, this one has " + msg.size());
    }
    long event = u64(msg.frame(0), "the event number");
    long count = u64(msg.frame(1), "the value count");
    if (count != msg.size() - 4L) {
      throw new IllegalArgumentException("the v2 monitor message announces " + Long.toUnsignedString(count)
          + " values but carries " + (msg.size() - 4));
    }
    List<Long> values = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) values.add(u64(msg.frame(2 + i), "value " + i));
    String local = text(msg.frame(msg.size() - 2));
    String remote = text(msg.frame(msg.size() - 1));
    return new MonitorEvent(event, values, local, remote, remote.isEmpty() ? local : remote, 2);
  }

  private static long u64(Frame f, String what) {
    if (f.size() != 8) {
      throw new IllegalArgumentException("in a v2 monitor message " + what + " is 8 bytes, not " + f.size());
    }
    return ByteBuffer.wrap(f.toByteArray()).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private static String text(Frame f) {
    return new String(f.toByteArray(), StandardCharsets.UTF_8);
  }
}
