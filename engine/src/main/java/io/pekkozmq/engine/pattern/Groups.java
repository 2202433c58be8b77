package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Frame;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;

/**
 * RADIO/DISH (RFC 48) in a pipe, in the form libzmq 4.3 puts on the wire, so inproc pipes, the
 * ZMTP engine and the udp engine carry it unchanged: a message is a group frame (MORE) then its
 * body; a join or leave is a command frame {@code \4JOIN}+group or {@code \5LEAVE}+group
 * ({@link Frame#COMMAND}), libzmq's dish_session_t encoding.
 */
public final class Groups {
  public static final int JOIN = 1;
  public static final int LEAVE = 2;
  private static final byte[] JOIN_NAME = {4, 'J', 'O', 'I', 'N'};
  private static final byte[] LEAVE_NAME = {5, 'L', 'E', 'A', 'V', 'E'};
  /** Group frames kept by RADIO, so a send allocates nothing; cleared when it grows past this. */
  private static final int MAX_CACHED = 4096;

  private final HashMap<String, Frame> frames = new HashMap<>();

  /** The group frame (MORE) for {@code group}, made once per group. */
  Frame groupFrame(String group) {
    Frame f = frames.get(group);
    if (f == null) {
      if (frames.size() >= MAX_CACHED) frames.clear();
      f = Frame.wrap(group.getBytes(StandardCharsets.UTF_8), Frame.MORE);
      frames.put(group, f);
    }
    return f;
  }

  /** The JOIN or LEAVE command frame for the group's UTF-8 bytes. */
  public static Frame command(int kind, byte[] group) {
    byte[] name = kind == JOIN ? JOIN_NAME : LEAVE_NAME;
    byte[] b = Arrays.copyOf(name, name.length + group.length);
    System.arraycopy(group, 0, b, name.length, group.length);
    return Frame.wrap(b, Frame.COMMAND);
  }

  /** {@link #JOIN}, {@link #LEAVE}, or 0 for any other frame. */
  public static int kind(Frame f) {
    if (!f.isCommand()) return 0;
    if (f.startsWith(JOIN_NAME)) return JOIN;
    if (f.startsWith(LEAVE_NAME)) return LEAVE;
    return 0;
  }

  /** The group named by a JOIN or LEAVE command frame. */
  public static String commandGroup(Frame f, int kind) {
    int skip = kind == JOIN ? JOIN_NAME.length : LEAVE_NAME.length;
    return new String(f.array(), f.offset() + skip, f.size() - skip, StandardCharsets.UTF_8);
  }
}
