package io.pekkozmq.engine.zmtp;

import io.pekkozmq.engine.SocketType;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What the handshake told us about the peer.
 *
 * @param socketType the peer's {@code Socket-Type}
 * @param minorVersion ZMTP minor version: 0 for a 3.0 peer, 1 for 3.1 (and anything newer)
 * @param routingId the peer's {@code Identity} (or {@code Routing-Id}) property; empty if none
 * @param properties every metadata property of the peer's READY, names case-insensitive
 */
public record PeerInfo(SocketType socketType, int minorVersion, byte[] routingId, Map<String, byte[]> properties) {

  /** A property as text, or null. */
  public String property(String name) {
    byte[] v = properties.get(name);
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  /** Whether the peer speaks ZMTP 3.1 (SUBSCRIBE/CANCEL commands, PING context). */
  public boolean isZmtp31() {
    return minorVersion >= 1;
  }
}
