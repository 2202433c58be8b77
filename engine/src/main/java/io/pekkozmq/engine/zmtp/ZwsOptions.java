package io.pekkozmq.engine.zmtp;

import java.util.Objects;

/**
 * A connection that speaks ZWS 2.0 (RFC 45: ZeroMQ over WebSocket) instead of ZMTP's own framing:
 * an HTTP/1.1 upgrade first, then each ZeroMQ frame as one binary WebSocket message whose payload
 * starts with a flags byte. Set on {@link ZmtpOptions#zws()}; null there means plain ZMTP 3.1.
 *
 * @param client true on the connecting side: it sends the upgrade request and masks what it sends;
 *     the accepting side answers the request and expects every frame it receives to be masked
 * @param host the {@code Host} header the client sends ({@code host} or {@code host:port})
 * @param path the request target the client sends ({@code /} when the endpoint names none)
 */
public record ZwsOptions(boolean client, String host, String path) {
  public ZwsOptions {
    host = host == null ? "" : host;
    path = path == null || path.isEmpty() ? "/" : path;
    Objects.requireNonNull(host);
  }

  /** The accepting side: it reads the host and path from the request and needs neither. */
  public static ZwsOptions server() {
    return new ZwsOptions(false, "", "/");
  }

  public static ZwsOptions client(String host, String path) {
    return new ZwsOptions(true, host, path);
  }
}
