package io.pekkozmq.actors.serialization;

import io.pekkozmq.actors.Socket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.io.NotSerializableException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.ByteBufferSerializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Pekko serialization of ZeroMQ messages ({@link Msg}, {@link Frame}), of the socket actor's public
 * protocol ({@link Socket}'s commands, {@link Socket.Delivery}, its replies) and of monitor events
 * ({@link SocketEvent}), so a socket actor can be used from any node of a cluster. Binary and without
 * Java serialization; bound in the actors module's {@code reference.conf}.
 *
 * <p>The identifier is {@code pekko.actor.serialization-identifiers} of this class (201903 by
 * default); the manifests are the short names in {@link #manifest} (stable: a new type gets a new
 * one, a changed layout a new format byte). Every payload starts with the format byte {@code 2}
 * (format 1, before the draft types' routing id and group, was never released).
 *
 * <p>Frames are written once, into the buffer Pekko hands over ({@link ByteBufferSerializer}: Artery
 * writes straight into its envelope), or into one array of the exact size. Reading from an array,
 * frames are slices of that array (no copy); reading from Artery's pooled buffer, all frame bytes
 * of a payload are copied out in one bulk copy and each frame is a slice of it. Message properties
 * shared by several messages of a delivery (one connection's map) travel once and are shared again
 * on the other side. ActorRefs travel as {@link ActorRefResolver} strings.
 *
 * <p>Layout (big-endian): strings and byte arrays as an int length (-1: null) and the bytes; a
 * message block as its property tables, then per message its table index, routing id (0: none),
 * group (null: none), frame count and each
 * frame's length and flags (MORE left out: it follows from the position), then every frame's bytes.
 * Malformed input fails with an {@link IllegalArgumentException} that names the problem; no count
 * or length read from the input allocates more than the input holds.
 */
public final class ZmqSerializer extends SerializerWithStringManifest implements ByteBufferSerializer {
  /** The key of this serializer in {@code pekko.actor.serializers}. */
  public static final String NAME = "pekko-zmq";

  static final byte FORMAT = 2;

  // manifests: stable, never reused
  static final String MSG = "M";
  static final String FRAME = "F";
  static final String SEND = "S";
  static final String DELIVERY = "D";
  static final String START_RECEIVING = "SR";
  static final String REQUEST = "R";
  static final String BIND = "B";
  static final String CONNECT = "C";
  static final String UNBIND = "UB";
  static final String DISCONNECT = "DC";
  static final String SET_OPTION = "SO";
  static final String GET_OPTION = "GO";
  static final String MONITOR = "MN";
  static final String MONITOR_REQUEST = "MR";
  static final String UNMONITOR = "UM";
  static final String REQUEST_PIPES_STATS = "PS";
  static final String CLOSE = "CL";
  static final String DONE = "OK";
  static final String BOUND = "BD";
  static final String FAILED = "ER";
  static final String OPTION_VALUE = "OV";
  static final String EVENT = "EV";

  // tags of an option value
  private static final byte V_NULL = 0;
  private static final byte V_INT = 1;
  private static final byte V_LONG = 2;
  private static final byte V_BOOL = 3;
  private static final byte V_STRING = 4;
  private static final byte V_BYTES = 5;

  private static final int FRAME_HEADER = 5; // length, flags

  private final ExtendedActorSystem system;
  private final int identifier;
  private volatile ActorRefResolver resolver;

  public ZmqSerializer(ExtendedActorSystem system) {
    this.system = system;
    this.identifier = system.settings().config()
        .getInt("pekko.actor.serialization-identifiers.\"" + ZmqSerializer.class.getName() + "\"");
  }

  @Override
  public int identifier() {
    return identifier;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof Msg) return MSG;
    if (o instanceof Socket.Delivery) return DELIVERY;
    if (o instanceof Socket.Send) return SEND;
    if (o instanceof Socket.Request) return REQUEST;
    if (o instanceof Frame) return FRAME;
    if (o instanceof Socket.StartReceiving) return START_RECEIVING;
    if (o instanceof Socket.Bind) return BIND;
    if (o instanceof Socket.Connect) return CONNECT;
    if (o instanceof Socket.Unbind) return UNBIND;
    if (o instanceof Socket.Disconnect) return DISCONNECT;
    if (o instanceof Socket.SetOption) return SET_OPTION;
    if (o instanceof Socket.GetOption) return GET_OPTION;
    if (o instanceof Socket.Monitor) return MONITOR;
    if (o instanceof Socket.MonitorRequest) return MONITOR_REQUEST;
    if (o instanceof Socket.Unmonitor) return UNMONITOR;
    if (o instanceof Socket.RequestPipesStats) return REQUEST_PIPES_STATS;
    if (o instanceof Socket.Close) return CLOSE;
    if (o instanceof Socket.Done) return DONE;
    if (o instanceof Socket.Bound) return BOUND;
    if (o instanceof Socket.Failed) return FAILED;
    if (o instanceof Socket.OptionValue) return OPTION_VALUE;
    if (o instanceof SocketEvent) return EVENT;
    throw new IllegalArgumentException("the pekko-zmq serializer cannot serialize " + o.getClass().getName());
  }

  // ---- writing ------------------------------------------------------------------------------

  @Override
  public byte[] toBinary(Object o) {
    Plan plan = new Plan();
    byte[] out = new byte[1 + size(o, plan)];
    ByteBuffer buf = ByteBuffer.wrap(out);
    write(o, buf, plan);
    if (buf.hasRemaining()) {
      throw new IllegalStateException("pekko-zmq serializer: size and layout of " + o.getClass().getName() + " disagree");
    }
    return out;
  }

  @Override
  public void toBinary(Object o, ByteBuffer buf) {
    Plan plan = new Plan();
    size(o, plan); // encodes the strings and finds the property tables once, for both passes
    write(o, buf, plan);
  }

  /**
   * What the sizing pass found, for the writing pass: every string encoded once, in the order the
   * writer puts them, and a message block's distinct property maps.
   */
  private static final class Plan {
    private final List<byte[]> strings = new ArrayList<>(4);
    private int next;
    /** Distinct non-empty property maps by identity (a connection's map is shared), in table order. */
    private final List<Map<String, byte[]>> tables = new ArrayList<>(1);
    private IdentityHashMap<Map<String, byte[]>, Integer> tableIndex;

    int add(String s) {
      byte[] b = s == null ? null : s.getBytes(StandardCharsets.UTF_8);
      strings.add(b);
      return 4 + (b == null ? 0 : b.length);
    }

    byte[] take() {
      return strings.get(next++);
    }

    /** True when {@code p} is a table not seen before. */
    boolean addTable(Map<String, byte[]> p) {
      if (tableIndex == null) tableIndex = new IdentityHashMap<>(2);
      if (tableIndex.putIfAbsent(p, tables.size()) != null) return false;
      tables.add(p);
      return true;
    }

    int tableOf(Map<String, byte[]> p) {
      return p.isEmpty() ? -1 : tableIndex.get(p);
    }
  }

  /** Bytes after the format byte; notes strings and tables in {@code p}. */
  private int size(Object o, Plan p) {
    switch (manifest(o)) {
      case MSG: return blockSize(List.of((Msg) o), p);
      case FRAME: return FRAME_HEADER + ((Frame) o).size();
      case SEND: {
        Socket.Send m = (Socket.Send) o;
        return p.add(ref(m.replyTo())) + blockSize(List.of(m.msg()), p);
      }
      case DELIVERY: {
        Socket.Delivery d = (Socket.Delivery) o;
        return p.add(ref(d.socket())) + blockSize(d.messages(), p);
      }
      case REQUEST: return 4;
      case START_RECEIVING: return p.add(ref(((Socket.StartReceiving) o).subscriber())) + 4;
      case BIND: {
        Socket.Bind b = (Socket.Bind) o;
        return p.add(b.endpoint()) + p.add(ref(b.replyTo()));
      }
      case CONNECT: {
        Socket.Connect c = (Socket.Connect) o;
        return p.add(c.endpoint()) + p.add(ref(c.replyTo()));
      }
      case UNBIND: {
        Socket.Unbind u = (Socket.Unbind) o;
        return p.add(u.endpoint()) + p.add(ref(u.replyTo()));
      }
      case DISCONNECT: {
        Socket.Disconnect d = (Socket.Disconnect) o;
        return p.add(d.endpoint()) + p.add(ref(d.replyTo()));
      }
      case SET_OPTION: {
        Socket.SetOption so = (Socket.SetOption) o;
        return p.add(so.option().name()) + valueSize(so.value(), p) + p.add(ref(so.replyTo()));
      }
      case GET_OPTION: {
        Socket.GetOption go = (Socket.GetOption) o;
        return p.add(go.option().name()) + p.add(ref(go.replyTo()));
      }
      case MONITOR: return p.add(ref(((Socket.Monitor) o).subscriber())) + 16;
      case MONITOR_REQUEST: return p.add(ref(((Socket.MonitorRequest) o).subscriber())) + 8;
      case UNMONITOR: return p.add(ref(((Socket.Unmonitor) o).subscriber()));
      case REQUEST_PIPES_STATS: return p.add(ref(((Socket.RequestPipesStats) o).replyTo()));
      case CLOSE: return p.add(ref(((Socket.Close) o).replyTo()));
      case DONE: return 0;
      case BOUND: return p.add(((Socket.Bound) o).endpoint());
      case FAILED: {
        ZmqException e = ((Socket.Failed) o).error();
        return p.add(e.errno().name()) + p.add(bareMessage(e));
      }
      case OPTION_VALUE: return valueSize(((Socket.OptionValue) o).value(), p);
      case EVENT: {
        SocketEvent e = (SocketEvent) o;
        return p.add(e.type().name()) + 4 + 8 * e.values().size() + p.add(e.localEndpoint())
            + p.add(e.remoteEndpoint()) + 8 + p.add(e.socketId()) + 1 + 8;
      }
      default: throw new IllegalStateException("no layout for " + o.getClass().getName());
    }
  }

  private static void write(Object o, ByteBuffer b, Plan p) {
    b.put(FORMAT);
    if (o instanceof Msg m) {
      writeBlock(List.of(m), b, p);
    } else if (o instanceof Socket.Delivery d) {
      putString(b, p);
      writeBlock(d.messages(), b, p);
    } else if (o instanceof Socket.Send m) {
      putString(b, p);
      writeBlock(List.of(m.msg()), b, p);
    } else if (o instanceof Socket.Request r) {
      b.putInt(r.n());
    } else if (o instanceof Frame f) {
      b.putInt(f.size()).put((byte) f.flags());
      b.put(f.array(), f.offset(), f.size());
    } else if (o instanceof Socket.StartReceiving r) {
      putString(b, p);
      b.putInt(r.demand());
    } else if (o instanceof Socket.SetOption so) {
      putString(b, p);
      putValue(b, so.value(), p);
      putString(b, p);
    } else if (o instanceof Socket.Monitor mn) {
      putString(b, p);
      b.putLong(mn.mask()).putLong(mn.demand());
    } else if (o instanceof Socket.MonitorRequest mr) {
      putString(b, p);
      b.putLong(mr.n());
    } else if (o instanceof Socket.OptionValue v) {
      putValue(b, v.value(), p);
    } else if (o instanceof SocketEvent e) {
      putString(b, p);
      b.putInt(e.values().size());
      for (Long v : e.values()) b.putLong(v);
      putString(b, p);
      putString(b, p);
      b.putLong(e.timestampMillis());
      putString(b, p);
      b.put((byte) (e.bindSide() ? 1 : 0)).putLong(e.dropped());
    } else {
      // the rest are strings only (endpoints, option names, errno and message, refs), in order
      while (p.next < p.strings.size()) putString(b, p);
    }
  }

  /** Property tables, then per message its table, frame count and frame headers, then all frame bytes. */
  private static int blockSize(List<Msg> msgs, Plan p) {
    int n = 4 + 4;
    for (Msg m : msgs) {
      Map<String, byte[]> props = m.properties();
      if (!props.isEmpty() && p.addTable(props)) {
        n += 4;
        for (Map.Entry<String, byte[]> e : props.entrySet()) n += p.add(e.getKey()) + 4 + e.getValue().length;
      }
      n += 8 + 4 + 4 + (m.group() == null ? 0 : utf8(m.group()).length) + FRAME_HEADER * m.size();
      for (int i = 0; i < m.size(); i++) n += m.frame(i).size();
    }
    return n;
  }

  private static void writeBlock(List<Msg> msgs, ByteBuffer b, Plan p) {
    b.putInt(p.tables.size());
    for (Map<String, byte[]> t : p.tables) {
      b.putInt(t.size());
      for (Map.Entry<String, byte[]> e : t.entrySet()) {
        putString(b, p);
        putBytes(b, e.getValue());
      }
    }
    b.putInt(msgs.size());
    for (Msg m : msgs) {
      b.putInt(p.tableOf(m.properties()));
      b.putInt(m.routingId());
      putBytes(b, m.group() == null ? null : utf8(m.group()));
      b.putInt(m.size());
      for (int i = 0; i < m.size(); i++) {
        Frame f = m.frame(i);
        b.putInt(f.size()).put((byte) (f.flags() & ~Frame.MORE));
      }
    }
    for (Msg m : msgs) {
      for (int i = 0; i < m.size(); i++) {
        Frame f = m.frame(i);
        b.put(f.array(), f.offset(), f.size());
      }
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static int valueSize(Object v, Plan p) {
    if (v == null) return 1;
    if (v instanceof Integer) return 1 + 4;
    if (v instanceof Long) return 1 + 8;
    if (v instanceof Boolean) return 1 + 1;
    if (v instanceof String s) return 1 + p.add(s);
    if (v instanceof byte[] bytes) return 1 + 4 + bytes.length;
    throw new IllegalArgumentException("the pekko-zmq serializer cannot serialize an option value of type "
        + v.getClass().getName() + " (Integer, Long, Boolean, String or byte[])");
  }

  private static void putValue(ByteBuffer b, Object v, Plan p) {
    if (v == null) {
      b.put(V_NULL);
    } else if (v instanceof Integer i) {
      b.put(V_INT).putInt(i);
    } else if (v instanceof Long l) {
      b.put(V_LONG).putLong(l);
    } else if (v instanceof Boolean z) {
      b.put(V_BOOL).put((byte) (z ? 1 : 0));
    } else if (v instanceof String) {
      b.put(V_STRING);
      putString(b, p);
    } else {
      b.put(V_BYTES);
      putBytes(b, (byte[]) v);
    }
  }

  private static void putString(ByteBuffer b, Plan p) {
    putBytes(b, p.take());
  }

  private static void putBytes(ByteBuffer b, byte[] bytes) {
    if (bytes == null) {
      b.putInt(-1);
    } else {
      b.putInt(bytes.length).put(bytes);
    }
  }

  private String ref(ActorRef<?> ref) {
    return ref == null ? null : resolver().toSerializationFormat(ref);
  }

  private ActorRefResolver resolver() {
    ActorRefResolver r = resolver;
    if (r == null) {
      r = ActorRefResolver.get(Adapter.toTyped(system));
      resolver = r;
    }
    return r;
  }

  /** The message as given to the exception, without the "(ENAME: text)" its constructor appends. */
  private static String bareMessage(ZmqException e) {
    String m = e.getMessage();
    String suffix = " (" + e.errno().name() + ": " + e.errno().text() + ")";
    return m != null && m.endsWith(suffix) ? m.substring(0, m.length() - suffix.length()) : m;
  }

  // ---- reading ------------------------------------------------------------------------------

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    return read(ByteBuffer.wrap(bytes), manifest, true);
  }

  @Override
  public Object fromBinary(ByteBuffer buf, String manifest) throws NotSerializableException {
    return read(buf, manifest, false);
  }

  /**
   * @param owned whether {@code b} wraps an array that is ours to keep (frames slice it), or is a
   *     buffer its owner reuses (frames are copied out, once for the whole payload)
   */
  private Object read(ByteBuffer b, String manifest, boolean owned) throws NotSerializableException {
    try {
      if (!b.hasRemaining()) throw malformed(manifest, "empty payload");
      byte format = b.get();
      if (format != FORMAT) throw malformed(manifest, "unknown format " + format + " (this version writes " + FORMAT + ")");
      Reader r = new Reader(b, owned, manifest);
      Object o = switch (manifest) {
        case MSG -> single(r.block(), manifest);
        case FRAME -> r.frame();
        case SEND -> {
          ActorRef<Socket.Reply> replyTo = r.ref();
          yield new Socket.Send(single(r.block(), manifest), replyTo);
        }
        case DELIVERY -> {
          ActorRef<Socket.Command> socket = r.ref();
          yield new Socket.Delivery(r.block(), socket);
        }
        case REQUEST -> new Socket.Request(b.getInt());
        case START_RECEIVING -> new Socket.StartReceiving(r.ref(), b.getInt());
        case BIND -> new Socket.Bind(r.string(), r.ref());
        case CONNECT -> new Socket.Connect(r.string(), r.ref());
        case UNBIND -> new Socket.Unbind(r.string(), r.ref());
        case DISCONNECT -> new Socket.Disconnect(r.string(), r.ref());
        case SET_OPTION -> new Socket.SetOption(r.option(), r.value(), r.ref());
        case GET_OPTION -> new Socket.GetOption(r.option(), r.ref());
        case MONITOR -> new Socket.Monitor(r.ref(), b.getLong(), b.getLong());
        case MONITOR_REQUEST -> new Socket.MonitorRequest(r.ref(), b.getLong());
        case UNMONITOR -> new Socket.Unmonitor(r.ref());
        case REQUEST_PIPES_STATS -> new Socket.RequestPipesStats(r.ref());
        case CLOSE -> new Socket.Close(r.ref());
        case DONE -> new Socket.Done();
        case BOUND -> new Socket.Bound(r.string());
        case FAILED -> new Socket.Failed(new ZmqException(r.errno(), r.string()));
        case OPTION_VALUE -> new Socket.OptionValue(r.value());
        case EVENT -> r.event();
        default -> throw new NotSerializableException(
            "the pekko-zmq serializer (" + identifier + ") knows no manifest '" + manifest + "'");
      };
      if (b.hasRemaining()) throw malformed(manifest, b.remaining() + " bytes left over");
      return o;
    } catch (BufferUnderflowException e) {
      throw malformed(manifest, "truncated payload");
    }
  }

  private static Msg single(List<Msg> msgs, String manifest) {
    if (msgs.size() != 1) throw malformed(manifest, msgs.size() + " messages where one was expected");
    return msgs.get(0);
  }

  static IllegalArgumentException malformed(String manifest, String why) {
    return new IllegalArgumentException("malformed pekko-zmq payload (manifest '" + manifest + "'): " + why);
  }

  /** Reads one payload; every count and length is checked against what is left before it is used. */
  private final class Reader {
    private final ByteBuffer b;
    private final boolean owned;
    private final String manifest;

    Reader(ByteBuffer b, boolean owned, String manifest) {
      this.b = b;
      this.owned = owned;
      this.manifest = manifest;
    }

    int count(int unit, String what) {
      int n = b.getInt();
      if (n < 0 || (long) n * unit > b.remaining()) {
        throw malformed(manifest, what + " " + n + " does not fit the " + b.remaining() + " bytes left");
      }
      return n;
    }

    byte[] bytes() {
      int n = b.getInt();
      if (n == -1) return null;
      if (n < -1 || n > b.remaining()) throw malformed(manifest, "length " + n + " with " + b.remaining() + " bytes left");
      byte[] out = new byte[n];
      b.get(out);
      return out;
    }

    String string() {
      byte[] s = bytes();
      return s == null ? null : new String(s, StandardCharsets.UTF_8);
    }

    <T> ActorRef<T> ref() {
      String s = string();
      return s == null ? null : resolver().resolveActorRef(s);
    }

    ZmqOption option() {
      String name = string();
      try {
        return ZmqOption.valueOf(name);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw malformed(manifest, "unknown socket option '" + name + "'");
      }
    }

    Errno errno() {
      String name = string();
      try {
        return Errno.valueOf(name);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw malformed(manifest, "unknown errno '" + name + "'");
      }
    }

    Object value() {
      byte tag = b.get();
      return switch (tag) {
        case V_NULL -> null;
        case V_INT -> b.getInt();
        case V_LONG -> b.getLong();
        case V_BOOL -> b.get() != 0;
        case V_STRING -> string();
        case V_BYTES -> {
          byte[] v = bytes();
          if (v == null) throw malformed(manifest, "a null byte[] option value");
          yield v;
        }
        default -> throw malformed(manifest, "unknown option value tag " + tag);
      };
    }

    Frame frame() {
      int n = b.getInt();
      int flags = b.get() & 0xff;
      if (n < 0 || n > b.remaining()) throw malformed(manifest, "frame length " + n + " with " + b.remaining() + " bytes left");
      if (owned && b.hasArray()) {
        int at = b.arrayOffset() + b.position();
        b.position(b.position() + n);
        return Frame.slice(b.array(), at, n, flags);
      }
      return Frame.wrap(data(n), flags);
    }

    /** {@code n} bytes copied out of a buffer its owner reuses. */
    private byte[] data(int n) {
      byte[] out = new byte[n];
      b.get(out);
      return out;
    }

    List<Msg> block() {
      int nTables = count(4, "property table count");
      List<Map<String, byte[]>> tables = new ArrayList<>(nTables);
      for (int t = 0; t < nTables; t++) {
        int entries = count(8, "property count");
        Map<String, byte[]> p = new LinkedHashMap<>(Math.max(2, entries * 2));
        for (int i = 0; i < entries; i++) {
          String key = string();
          byte[] value = bytes();
          if (key == null || value == null) throw malformed(manifest, "a null property name or value");
          p.put(key, value);
        }
        tables.add(Collections.unmodifiableMap(p));
      }
      int nMsgs = count(16, "message count");
      if (nMsgs == 0 && MSG.equals(manifest)) throw malformed(manifest, "no message");
      int[] tableOf = new int[nMsgs];
      int[] routingIds = new int[nMsgs];
      String[] groups = new String[nMsgs];
      int[][] lengths = new int[nMsgs][];
      byte[][] flags = new byte[nMsgs][];
      long total = 0;
      for (int m = 0; m < nMsgs; m++) {
        int t = b.getInt();
        if (t < -1 || t >= nTables) throw malformed(manifest, "property table " + t + " of " + nTables);
        tableOf[m] = t;
        routingIds[m] = b.getInt();
        byte[] group = bytes();
        if (group != null) {
          groups[m] = new String(group, java.nio.charset.StandardCharsets.UTF_8);
          try {
            Msg.checkGroup(groups[m]);
          } catch (RuntimeException e) {
            throw malformed(manifest, e.getMessage());
          }
        }
        int nFrames = count(FRAME_HEADER, "frame count");
        if (nFrames == 0) throw malformed(manifest, "a message without frames");
        lengths[m] = new int[nFrames];
        flags[m] = new byte[nFrames];
        for (int i = 0; i < nFrames; i++) {
          int len = b.getInt();
          if (len < 0) throw malformed(manifest, "frame length " + len);
          lengths[m][i] = len;
          flags[m][i] = b.get();
          total += len;
        }
      }
      if (total > b.remaining()) throw malformed(manifest, total + " frame bytes announced, " + b.remaining() + " left");
      byte[] data;
      int at;
      if (owned && b.hasArray()) {
        data = b.array();
        at = b.arrayOffset() + b.position();
        b.position(b.position() + (int) total);
      } else {
        data = data((int) total);
        at = 0;
      }
      List<Msg> msgs = new ArrayList<>(nMsgs);
      for (int m = 0; m < nMsgs; m++) {
        int nFrames = lengths[m].length;
        Frame[] frames = new Frame[nFrames];
        for (int i = 0; i < nFrames; i++) {
          int len = lengths[m][i];
          int f = (flags[m][i] & 0xff & ~Frame.MORE) | (i < nFrames - 1 ? Frame.MORE : 0);
          frames[i] = len == 0 && f == 0 ? Frame.EMPTY : Frame.slice(data, at, len, f);
          at += len;
        }
        Msg msg = Msg.ofTrusted(frames, tableOf[m] < 0 ? Map.of() : tables.get(tableOf[m]), groups[m]);
        msgs.add(routingIds[m] == 0 ? msg : msg.withRoutingId(routingIds[m]));
      }
      return msgs;
    }

    SocketEvent event() {
      String type = string();
      EventType t;
      try {
        t = EventType.valueOf(type);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw malformed(manifest, "unknown event type '" + type + "'");
      }
      int n = count(8, "event value count");
      List<Long> values = new ArrayList<>(n);
      for (int i = 0; i < n; i++) values.add(b.getLong());
      String local = string();
      String remote = string();
      long at = b.getLong();
      String socketId = string();
      boolean bindSide = b.get() != 0;
      long dropped = b.getLong();
      return new SocketEvent(t, values, local, remote, at, socketId, bindSide, dropped);
    }
  }
}
