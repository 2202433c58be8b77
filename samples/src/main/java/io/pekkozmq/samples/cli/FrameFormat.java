package io.pekkozmq.samples.cli;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * How a message is one line of text. text: frames as UTF-8 separated by TAB. hex: each frame in
 * lowercase hex, frames separated by one space, an empty frame written {@code -}.
 */
public enum FrameFormat {
  TEXT, HEX;

  private static final HexFormat HEXF = HexFormat.of();

  public String format(Msg msg) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < msg.size(); i++) {
      Frame f = msg.frame(i);
      if (this == TEXT) {
        if (i > 0) b.append('\t');
        b.append(new String(f.array(), f.offset(), f.size(), StandardCharsets.UTF_8));
      } else {
        if (i > 0) b.append(' ');
        if (f.size() == 0) b.append('-');
        else b.append(HEXF.formatHex(f.array(), f.offset(), f.offset() + f.size()));
      }
    }
    return b.toString();
  }

  /** The message a line stands for; throws IllegalArgumentException on bad hex. */
  public Msg parse(String line) {
    List<Frame> frames = new ArrayList<>();
    if (this == TEXT) {
      for (String part : line.split("\t", -1)) frames.add(Frame.wrap(part.getBytes(StandardCharsets.UTF_8)));
    } else {
      for (String part : line.trim().split(" ", -1)) frames.add(Frame.wrap(bytes(part)));
    }
    return Msg.of(frames);
  }

  /** One value (a subscription or routing id) in this format. */
  public byte[] bytes(String value) {
    if (this == TEXT) return value.getBytes(StandardCharsets.UTF_8);
    if (value.equals("-")) return new byte[0];
    try {
      return HEXF.parseHex(value.toLowerCase());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed hex '" + value + "'");
    }
  }
}
