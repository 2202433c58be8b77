package io.pekkozmq.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A whole multipart message: the unit ZeroMQ delivers atomically. Immutable.
 * The MORE flags of the frames are managed here: every frame but the last carries MORE.
 *
 * <h2>Properties</h2>
 * A received message carries the properties of the connection it came over, as libzmq's
 * {@code zmq_msg_gets} answers them: {@code Socket-Type}, {@code Routing-Id} (also asked as
 * {@code Identity}), {@code Peer-Address}, {@code User-Id} and the metadata the ZAP handler
 * returned, and the peer's own {@code X-*} properties. The map is the connection's own, shared by
 * every message from it: nothing is copied per message. Messages built here and messages from
 * inproc peers have none. Properties never take part in {@link #equals}.
 *
 * <h2>Group (RADIO/DISH, RFC 48)</h2>
 * A RADIO sends a message to the DISH peers that joined its {@link #group()}, set with
 * {@link #withGroup}; a DISH's received messages carry the group they were sent to. At most
 * {@link #GROUP_MAX_LENGTH} bytes of UTF-8 (libzmq 4.3.3+ and JeroMQ 0.6.0; libzmq up to 4.3.2 had
 * 15). Like the properties, the group takes no part in {@link #equals}; other types ignore it.
 */
public final class Msg implements Iterable<Frame> {
  /** libzmq's ZMQ_MSG_PROPERTY_* names. */
  public static final String SOCKET_TYPE = "Socket-Type";
  public static final String ROUTING_ID = "Routing-Id";
  public static final String USER_ID = "User-Id";
  public static final String PEER_ADDRESS = "Peer-Address";

  /** libzmq's ZMQ_GROUP_MAX_LENGTH (4.3.3 and later, and RFC 48): a group's longest, in bytes. */
  public static final int GROUP_MAX_LENGTH = 255;

  private final Frame[] frames;
  /** The connection's properties (immutable, shared), or an empty map. */
  private final Map<String, byte[]> properties;
  /** RADIO/DISH: the message's group, or null. */
  private final String group;

  private Msg(Frame[] frames) {
    this(frames, Map.of());
  }

  private Msg(Frame[] frames, Map<String, byte[]> properties) {
    this(frames, properties, null);
  }

  private Msg(Frame[] frames, Map<String, byte[]> properties, String group) {
    this.frames = frames;
    this.properties = properties;
    this.group = group;
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

  /**
   * Trusted constructor for the runtime: frames already carry correct MORE flags, and
   * {@code properties} is the connection's immutable map (kept by reference, not copied).
   */
  public static Msg ofTrusted(Frame[] frames, Map<String, byte[]> properties) {
    return new Msg(frames, properties == null ? Map.of() : properties);
  }

  /** Trusted constructor for the runtime, as {@link #ofTrusted(Frame[], Map)}, with a group (DISH). */
  public static Msg ofTrusted(Frame[] frames, Map<String, byte[]> properties, String group) {
    return new Msg(frames, properties == null ? Map.of() : properties, group);
  }

  /**
   * The group of a RADIO/DISH message (libzmq's {@code zmq_msg_group}): the one a received DISH
   * message was sent to, or the one set by {@link #withGroup}; null if none.
   */
  public String group() {
    return group;
  }

  /**
   * The same frames and properties with {@code group} (libzmq's {@code zmq_msg_set_group}); null
   * clears it. Throws EINVAL naming the problem for a group over {@link #GROUP_MAX_LENGTH} bytes.
   */
  public Msg withGroup(String group) {
    checkGroup(group);
    return new Msg(frames, properties, group);
  }

  /** Throws EINVAL if {@code group} is longer than {@link #GROUP_MAX_LENGTH} bytes of UTF-8; null passes. */
  public static void checkGroup(String group) {
    if (group == null) return;
    int n = group.length() > GROUP_MAX_LENGTH / 3 ? group.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        : group.length() * 3; // UTF-8 takes at most 3 bytes per char: short groups need no count
    if (n > GROUP_MAX_LENGTH) {
      throw new ZmqException(Errno.EINVAL, "group '" + (group.length() > 40 ? group.substring(0, 40) + "…" : group)
          + "' is " + n + " bytes; a group is at most " + GROUP_MAX_LENGTH + " bytes");
    }
  }

  /**
   * A property of the connection this message came over, as text (UTF-8), or null if it has none
   * (libzmq's {@code zmq_msg_gets}). Names compare without regard to case, as ZMTP's do;
   * {@code Identity} and {@code Routing-Id} name the same property.
   */
  public String property(String name) {
    byte[] v = propertyBytes(name);
    return v == null ? null : new String(v, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** As {@link #property}, the raw bytes (a copy), or null. */
  public byte[] propertyBytes(String name) {
    if (properties.isEmpty()) return null;
    byte[] v = lookup(name);
    if (v == null && ROUTING_ID.equalsIgnoreCase(name)) v = lookup("Identity");
    if (v == null && "Identity".equalsIgnoreCase(name)) v = lookup(ROUTING_ID);
    return v == null ? null : v.clone();
  }

  private byte[] lookup(String name) {
    byte[] v = properties.get(name);
    if (v != null) return v;
    for (Map.Entry<String, byte[]> e : properties.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
    }
    return null;
  }

  /** Every property of this message's connection (an unmodifiable map; do not change the arrays). */
  public Map<String, byte[]> properties() {
    return properties;
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

  /** A new message with {@code f} in front (and the same properties). */
  public Msg prepend(Frame f) {
    Frame[] fs = new Frame[frames.length + 1];
    fs[0] = f.withMore(true);
    System.arraycopy(frames, 0, fs, 1, frames.length);
    return new Msg(fs, properties, group);
  }

  /** A new message without the first {@code n} frames (and the same properties). */
  public Msg dropFirst(int n) {
    if (n >= frames.length) {
      throw new IllegalArgumentException("cannot drop " + n + " of " + frames.length + " frames");
    }
    return new Msg(Arrays.copyOfRange(frames, n, frames.length), properties, group);
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
    return (group == null ? "Msg" : "Msg(group " + group + ")") + Arrays.toString(frames);
  }
}
