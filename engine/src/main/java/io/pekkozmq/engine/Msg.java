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
  /** SERVER/PEER: the peer's routing id (libzmq's msg_t routing_id, a uint32); 0 for none. */
  private final int routingId;
  /** RADIO/DISH: the message's group, or null. */
  private final String group;
  /**
   * A single-frame message holds its frame here and {@link #frames} is null: no array per message
   * on the hot path (every received single-frame message). Use {@link #array()} where an array is needed.
   */
  private final Frame single;

  private Msg(Frame[] frames) {
    this(frames, Map.of());
  }

  private Msg(Frame[] frames, Map<String, byte[]> properties) {
    this(frames, properties, 0, null);
  }

  private Msg(Frame[] frames, Map<String, byte[]> properties, int routingId) {
    this(frames, properties, routingId, null);
  }

  private Msg(Frame[] frames, Map<String, byte[]> properties, int routingId, String group) {
    this.frames = frames;
    this.properties = properties;
    this.routingId = routingId;
    this.group = group;
    this.single = null;
  }

  private Msg(Frame single, Map<String, byte[]> properties, int routingId) {
    this(single, properties, routingId, null);
  }

  /** A single-frame message, the frame held inline (its MORE flag already clear). */
  private Msg(Frame single, Map<String, byte[]> properties, int routingId, String group) {
    this.frames = null;
    this.properties = properties;
    this.routingId = routingId;
    this.group = group;
    this.single = single;
  }

  /** This message's frames, properties and routing id with another group. */
  private Msg withFields(int routingId, String group) {
    return frames == null ? new Msg(single, properties, routingId, group) : new Msg(frames, properties, routingId, group);
  }

  /** The frames as an array: the message's own, or a new one-element array for an inline frame. */
  private Frame[] array() {
    return frames != null ? frames : new Frame[] {single};
  }

  /** A message of the given frames; their MORE flags are set as their position requires. */
  public static Msg of(Frame... frames) {
    if (frames.length == 0) {
      throw new IllegalArgumentException("a message has at least one frame");
    }
    if (frames.length == 1) return new Msg(frames[0].withMore(false), Map.of(), 0);
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
    return new Msg(frames, properties == null ? Map.of() : properties, 0, group);
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
    return withFields(routingId, group);
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
   * As {@link #ofTrusted(Frame[], Map)}, with the routing id the SERVER or PEER socket knows the
   * sender by (0: none).
   */
  public static Msg ofTrusted(Frame[] frames, Map<String, byte[]> properties, int routingId) {
    return new Msg(frames, properties == null ? Map.of() : properties, routingId);
  }

  /**
   * The routing id of the peer this message came from, as a SERVER or PEER socket numbers its
   * peers (libzmq's {@code zmq_msg_routing_id}): an unsigned 32-bit value
   * ({@link Integer#toUnsignedLong} to print it), never 0 on a message such a socket received; 0
   * for every other message. It takes no part in {@link #equals}.
   */
  public int routingId() {
    return routingId;
  }

  /**
   * This message (the same frames and properties) addressed to the peer a SERVER or PEER socket
   * knows by {@code routingId} (libzmq's {@code zmq_msg_set_routing_id}). Throws for 0, which names
   * no peer (libzmq's EINVAL). Other socket types ignore it.
   */
  public Msg withRoutingId(int routingId) {
    if (routingId == 0) {
      throw new IllegalArgumentException("routing id 0 names no peer (SERVER and PEER number peers from 1)");
    }
    if (routingId == this.routingId) return this;
    return withFields(routingId, group);
  }

  /**
   * Trusted constructor for the runtime, one frame: {@code frame} carries no MORE flag, and
   * {@code properties} is the connection's immutable map (kept by reference). Allocates no array.
   */
  public static Msg ofTrustedFrame(Frame frame, Map<String, byte[]> properties) {
    return new Msg(frame, properties == null ? Map.of() : properties, 0);
  }

  /**
   * As {@link #ofTrustedFrame(Frame, Map)}, with the routing id a SERVER or PEER socket knows the
   * sender by (0: none) and the group a DISH received it in (null: none).
   */
  public static Msg ofTrustedFrame(Frame frame, Map<String, byte[]> properties, int routingId, String group) {
    return new Msg(frame, properties == null ? Map.of() : properties, routingId, group);
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
    return frames == null ? 1 : frames.length;
  }

  public Frame frame(int i) {
    if (frames == null) {
      if (i != 0) throw new ArrayIndexOutOfBoundsException("Index " + i + " out of bounds for length 1");
      return single;
    }
    return frames[i];
  }

  public Frame first() {
    return frames == null ? single : frames[0];
  }

  public Frame last() {
    return frames == null ? single : frames[frames.length - 1];
  }

  public List<Frame> frames() {
    return frames == null ? Collections.singletonList(single) : Collections.unmodifiableList(Arrays.asList(frames));
  }

  /** Total payload bytes. */
  public long byteSize() {
    if (frames == null) return single.size();
    long n = 0;
    for (Frame f : frames) n += f.size();
    return n;
  }

  /** A new message with {@code f} in front (and the same properties). */
  public Msg prepend(Frame f) {
    Frame[] own = array();
    Frame[] fs = new Frame[own.length + 1];
    fs[0] = f.withMore(true);
    System.arraycopy(own, 0, fs, 1, own.length);
    return new Msg(fs, properties, routingId, group);
  }

  /** A new message without the first {@code n} frames (and the same properties). */
  public Msg dropFirst(int n) {
    Frame[] own = array();
    if (n >= own.length) {
      throw new IllegalArgumentException("cannot drop " + n + " of " + own.length + " frames");
    }
    return new Msg(Arrays.copyOfRange(own, n, own.length), properties, routingId, group);
  }

  @Override
  public Iterator<Frame> iterator() {
    return frames().iterator();
  }

  /** Each frame as UTF-8 text. */
  public List<String> texts() {
    Frame[] own = array();
    List<String> out = new ArrayList<>(own.length);
    for (Frame f : own) out.add(f.text());
    return out;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Msg m) || m.size() != size()) return false;
    for (int i = 0; i < size(); i++) {
      if (!frame(i).contentEquals(m.frame(i))) return false;
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = 0; i < size(); i++) h = 31 * h + frame(i).hashCode();
    return h;
  }

  @Override
  public String toString() {
    return (group == null ? "Msg" : "Msg(group " + group + ")") + Arrays.toString(array());
  }
}
