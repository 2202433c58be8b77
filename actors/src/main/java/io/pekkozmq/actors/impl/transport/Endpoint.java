package io.pekkozmq.actors.impl.transport;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.ZmqException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A parsed endpoint: {@code tcp://host:port}, {@code tcp://*:port}, {@code tcp://*:*},
 * {@code tcp://[::1]:port}, {@code ipc://path}, {@code ipc://*}, {@code inproc://name},
 * {@code ws://host:port/path} and {@code wss://host:port/path} (the path is optional and defaults
 * to {@code /}, as libzmq's ws_address; host and port as for tcp); {@code udp://[iface;]host:port}.
 * Parsing errors name the endpoint and what is wrong with it.
 *
 * @param path the ipc path, the inproc name, or the WebSocket request path; null for tcp
 */
public record Endpoint(Transport transport, String host, int port, String path, String original) {
  public enum Transport {
    TCP, IPC, INPROC, WS, WSS,
    /** RADIO/DISH datagrams (RFC 48): {@code host} the address, {@code path} the interface part before ';' or null. */
    UDP;

    /** Carried by a TCP connection (tcp, ws, wss): libzmq's tcp options apply. */
    public boolean overTcp() {
      return this == TCP || this == WS || this == WSS;
    }

    /** ZeroMQ over WebSocket (RFC 45): ws, or wss over TLS. */
    public boolean webSocket() {
      return this == WS || this == WSS;
    }
  }

  /** Parses {@code uri}; for binding, {@code *} host and {@code *}/0 port are allowed. */
  public static Endpoint parse(String uri, boolean forBind) {
    if (uri == null || uri.isEmpty()) {
      throw new ZmqException(Errno.EINVAL, "endpoint is empty");
    }
    int sep = uri.indexOf("://");
    if (sep <= 0) {
      throw new ZmqException(Errno.EINVAL, "malformed endpoint '" + uri + "': expected transport://address");
    }
    String scheme = uri.substring(0, sep).toLowerCase(Locale.ROOT);
    String rest = uri.substring(sep + 3);
    switch (scheme) {
      case "tcp":
        return parseTcp(uri, rest, forBind);
      case "ipc":
        if (rest.isEmpty()) throw new ZmqException(Errno.EINVAL, "malformed endpoint '" + uri + "': empty ipc path");
        if (rest.equals("*") && !forBind) {
          throw new ZmqException(Errno.EINVAL, "malformed endpoint '" + uri + "': ipc://* is only valid for bind");
        }
        return new Endpoint(Transport.IPC, null, 0, rest, uri);
      case "inproc":
        if (rest.isEmpty()) throw new ZmqException(Errno.EINVAL, "malformed endpoint '" + uri + "': empty inproc name");
        return new Endpoint(Transport.INPROC, null, 0, rest, uri);
      case "ws", "wss":
        return parseWs(uri, scheme, rest, forBind);
      case "udp":
        return parseUdp(uri, rest, forBind);
      case "pgm", "epgm", "norm", "vmci", "tipc":
        throw new ZmqException(Errno.EPROTONOSUPPORT, "transport '" + scheme + "' in '" + uri + "' is not supported");
      default:
        throw new ZmqException(Errno.EPROTONOSUPPORT, "unknown transport '" + scheme + "' in endpoint '" + uri + "'");
    }
  }

  /** {@code host:port[/path]}: the path starts at the first '/' after the port (libzmq's ws_address). */
  private static Endpoint parseWs(String uri, String scheme, String rest, boolean forBind) {
    int close = rest.startsWith("[") ? rest.indexOf(']') : -1;
    int slash = rest.indexOf('/', Math.max(close, 0));
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "/" : rest.substring(slash);
    if (path.contains(" ") || path.contains("\r") || path.contains("\n")) {
      throw new ZmqException(Errno.EINVAL, "malformed endpoint '" + uri + "': the path may not hold spaces or line breaks");
    }
    Endpoint tcp = parseTcp(uri, authority, forBind);
    return new Endpoint(scheme.equals("ws") ? Transport.WS : Transport.WSS, tcp.host(), tcp.port(), path, uri);
  }

  private static Endpoint parseTcp(String uri, String rest, boolean forBind) {
    int semi = rest.indexOf(';');
    if (semi >= 0) rest = rest.substring(semi + 1); // source-address form: we connect from any
    int colon = rest.lastIndexOf(':');
    if (colon < 0) {
      throw new ZmqException(Errno.EINVAL, "malformed endpoint '" + uri + "': missing :port");
    }
    String host = rest.substring(0, colon);
    String portText = rest.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    if (host.isEmpty()) {
      throw new ZmqException(Errno.EINVAL, "malformed endpoint '" + uri + "': missing host");
    }
    int port;
    if (portText.equals("*")) {
      port = 0;
    } else {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw new ZmqException(Errno.EINVAL, "malformed endpoint '" + uri + "': port '" + portText + "' is not a number");
      }
      if (port < 0 || port > 65535) {
        throw new ZmqException(Errno.EINVAL, "malformed endpoint '" + uri + "': port " + port + " out of range");
      }
    }
    if (!forBind && (port == 0 || host.equals("*"))) {
      throw new ZmqException(Errno.EINVAL, "malformed endpoint '" + uri + "': connect needs a concrete host and port");
    }
    return new Endpoint(Transport.TCP, host, port, null, uri);
  }

  /**
   * libzmq's udp_address_t forms: {@code udp://host:port} (unicast, or a multicast group),
   * {@code udp://*:port} (bind only), {@code udp://iface;host:port} where {@code iface} (an address,
   * an interface name or {@code *}) picks the interface for multicast, or the source address.
   */
  private static Endpoint parseUdp(String uri, String rest, boolean forBind) {
    int semi = rest.indexOf(';');
    String iface = semi >= 0 ? rest.substring(0, semi) : null;
    if (iface != null && iface.isEmpty()) {
      throw new ZmqException(Errno.EINVAL, "malformed endpoint '" + uri + "': empty interface before ';'");
    }
    Endpoint e = parseTcp(uri, semi >= 0 ? rest.substring(semi + 1) : rest, forBind);
    return new Endpoint(Transport.UDP, e.host(), e.port(), iface, uri);
  }

  /** The socket address to bind or connect to. */
  public SocketAddress socketAddress() {
    return switch (transport) {
      case TCP, WS, WSS, UDP -> {
        if (host.equals("*")) yield new InetSocketAddress("0.0.0.0", port);
        try {
          yield new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
          throw new ZmqException(Errno.EINVAL, "cannot resolve host '" + host + "' in '" + original + "'");
        }
      }
      case IPC -> UnixDomainSocketAddress.of(path);
      case INPROC -> throw new IllegalStateException("inproc has no socket address");
    };
  }

  /** For {@code ipc://*}: a fresh unique path, as libzmq picks one under the temp directory. */
  public Endpoint withGeneratedIpcPath() {
    try {
      Path dir = Files.createTempDirectory("pzmq-ipc-");
      dir.toFile().deleteOnExit();
      String p = dir.resolve("socket").toString();
      return new Endpoint(Transport.IPC, null, 0, p, "ipc://" + p);
    } catch (IOException e) {
      throw new ZmqException(Errno.EADDRNOTAVAIL, "cannot create a directory for ipc://*", e);
    }
  }

  /**
   * The URI of a connection's or listener's own address on this endpoint: for ws and wss with the
   * endpoint's path, as libzmq's ws_listener names its endpoints.
   */
  public String uriFor(SocketAddress addr) {
    return transport.webSocket() ? uriOf(transport, addr) + path : uriOf(transport, addr);
  }

  /** The URI form of a bound or connected address (LAST_ENDPOINT). */
  public static String uriOf(Transport t, SocketAddress addr) {
    if (addr instanceof InetSocketAddress in) {
      String h = in.getAddress().getHostAddress();
      if (h.contains(":")) {
        int pct = h.indexOf('%');
        if (pct >= 0) h = h.substring(0, pct);
        h = "[" + compressIpv6(h) + "]";
      }
      String scheme = t == Transport.WS ? "ws://" : t == Transport.WSS ? "wss://" : "tcp://";
      return scheme + h + ":" + in.getPort();
    }
    if (addr instanceof UnixDomainSocketAddress u) {
      return "ipc://" + u.getPath();
    }
    return String.valueOf(addr);
  }

  /** RFC 5952 text form, as libzmq reports it: the longest run of zero groups becomes "::". */
  static String compressIpv6(String full) {
    String[] g = full.split(":");
    if (g.length != 8) return full;
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (!g[i].equals("0")) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j].equals("0")) j++;
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestStart < 0) return String.join(":", g);
    String head = String.join(":", java.util.Arrays.copyOfRange(g, 0, bestStart));
    String tail = String.join(":", java.util.Arrays.copyOfRange(g, bestStart + bestLen, 8));
    return head + "::" + tail;
  }

  @Override
  public String toString() {
    return original;
  }
}
