package io.pekkozmq.engine.zmtp;

import io.pekkozmq.engine.SocketType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metadata property list carried by READY (and CURVE's INITIATE): {@code name-length(1) name
 * value-length(4, big endian) value}, repeated. Shared by every mechanism.
 */
public final class ZmtpMetadata {
  public static final String SOCKET_TYPE = "Socket-Type";
  public static final String IDENTITY = "Identity";
  public static final String ROUTING_ID = "Routing-Id";

  private ZmtpMetadata() {}

  /**
   * The properties our side announces, in libzmq's order: Socket-Type, then Identity (only for
   * REQ, DEALER and ROUTER, even when empty, exactly as libzmq 4.3.4), then the application's
   * {@code X-*} properties.
   */
  public static byte[] encodeBasicProperties(ZmtpOptions options) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    add(out, SOCKET_TYPE, options.socketType().wireNameBytes());
    switch (options.socketType()) {
      case REQ, DEALER, ROUTER -> add(out, IDENTITY, options.routingIdUnsafe());
      default -> { }
    }
    for (Map.Entry<String, byte[]> e : options.metadata().entrySet()) {
      add(out, e.getKey(), e.getValue());
    }
    return out.toByteArray();
  }

  private static void add(ByteArrayOutputStream out, String name, byte[] value) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    out.write(n.length);
    out.write(n, 0, n.length);
    int len = value.length;
    out.write(len >>> 24);
    out.write(len >>> 16);
    out.write(len >>> 8);
    out.write(len);
    out.write(value, 0, len);
  }

  /**
   * Parses a property list that must fill {@code [offset, offset+length)} exactly. Returns null if
   * a name or value runs past the end or bytes are left over (libzmq rejects those too, see
   * mechanism_t::parse_metadata). Names are case-insensitive; the last duplicate wins. Values are
   * copied, since commands may be slices of a read buffer that will be reused.
   */
  public static Map<String, byte[]> parse(byte[] b, int offset, int length) {
    Map<String, byte[]> props = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    int p = offset;
    int end = offset + length;
    while (p < end) {
      int nameLen = b[p++] & 0xff;
      if (nameLen == 0 || end - p < nameLen) {
        return null;
      }
      String name = new String(b, p, nameLen, StandardCharsets.US_ASCII);
      p += nameLen;
      if (end - p < 4) {
        return null;
      }
      long valueLen = ((b[p] & 0xffL) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
      p += 4;
      if (end - p < valueLen) {
        return null;
      }
      props.put(name, Arrays.copyOfRange(b, p, p + (int) valueLen));
      p += (int) valueLen;
    }
    return Collections.unmodifiableMap(props);
  }

  /**
   * Why a peer with these properties may not talk to a socket of type {@code self}, or null if it
   * may. libzmq 4.3.4 tolerates a missing Socket-Type; we do not, since RFC 37 requires it.
   */
  public static String checkPeerSocketType(SocketType self, Map<String, byte[]> props) {
    byte[] t = props.get(SOCKET_TYPE);
    if (t == null) {
      return "peer READY has no Socket-Type property";
    }
    SocketType peer = SocketType.fromWire(t, 0, t.length);
    if (peer == null) {
      return "peer announces unknown Socket-Type '" + new String(t, StandardCharsets.US_ASCII) + "'";
    }
    if (!self.isCompatible(peer)) {
      return "peer Socket-Type " + peer + " cannot talk to " + self;
    }
    return null;
  }

  /** The peer's routing id: Identity, else Routing-Id, else empty. */
  public static byte[] peerRoutingId(Map<String, byte[]> props) {
    byte[] id = props.get(IDENTITY);
    if (id == null) {
      id = props.get(ROUTING_ID);
    }
    return id == null ? new byte[0] : id;
  }
}
