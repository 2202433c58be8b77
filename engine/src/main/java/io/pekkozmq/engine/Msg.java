package io.pekkozmq.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A whole multipart message: the unit ZeroMQ delivers atomically. Immutable.
 * The MORE flags of the frames are managed here: every frame but the last carries MORE.
 */
public final class Msg implements Iterable<Frame> {
  private final Frame[] frames;

  private Msg(Frame[] frames) {
    this.frames = frames;
  }

  /** A message of the given frames; their MORE flags are set as their position requires. */
  public static Msg of(Frame... frames) {
    if (frames.length == 0) {
      throw new IllegalArgumentException("a message has at least one frame");
    }
    Frame[] fs = frames.clone();
    for (int i = 0; i < fs.length; i++) {
      fs[i] = fs[i].withMore(i < fs.length - 1);
    }
    return new Msg(fs);
  }

  public static Msg of(List<Frame> frames) {
    return of(frames.toArray(new Frame[0]));
  }

  /** One UTF-8 frame per string. */
  public static Msg ofStrings(String... parts) {
    Frame[] fs = new Frame[parts.length];
    for (int i = 0; i < parts.length; i++) fs[i] = Frame.of(parts[i]);
    return of(fs);
  }

  /** One frame per array, wrapped without copying. */
  public static Msg ofBytes(byte[]... parts) {
    Frame[] fs = new Frame[parts.length];
    for (int i = 0; i < parts.length; i++) fs[i] = Frame.wrap(parts[i]);
    return of(fs);
  }

  /** Trusted constructor: frames already carry correct MORE flags. */
  public static Msg ofTrusted(Frame[] frames) {
    return new Msg(frames);
  }

  public int size() {
    return frames.length;
  }

  public Frame frame(int i) {
    return frames[i];
  }

  public Frame first() {
    return frames[0];
  }

  public Frame last() {
    return frames[frames.length - 1];
  }

  public List<Frame> frames() {
    return Collections.unmodifiableList(Arrays.asList(frames));
  }

  /** Total payload bytes. */
  public long byteSize() {
    long n = 0;
    for (Frame f : frames) n += f.size();
    return n;
  }

  /** A new message with {@code f} in front. */
  public Msg prepend(Frame f) {
    Frame[] fs = new Frame[frames.length + 1];
    fs[0] = f.withMore(true);
    System.arraycopy(frames, 0, fs, 1, frames.length);
    return new Msg(fs);
  }

  /** A new message without the first {@code n} frames. */
  public Msg dropFirst(int n) {
    if (n >= frames.length) {
      throw new IllegalArgumentException("cannot drop " + n + " of " + frames.length + " frames");
    }
    return new Msg(Arrays.copyOfRange(frames, n, frames.length));
  }

  @Override
  public Iterator<Frame> iterator() {
    return frames().iterator();
  }

  /** Each frame as UTF-8 text. */
  public List<String> texts() {
    List<String> out = new ArrayList<>(frames.length);
    for (Frame f : frames) out.add(f.text());
    return out;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Msg m) || m.frames.length != frames.length) return false;
    for (int i = 0; i < frames.length; i++) {
      if (!frames[i].contentEquals(m.frames[i])) return false;
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (Frame f : frames) h = 31 * h + f.hashCode();
    return h;
  }

  @Override
  public String toString() {
    return "Msg" + Arrays.toString(frames);
  }
}
