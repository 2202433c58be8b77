package io.pekkozmq.actors.impl.engine;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * The peer's address as libzmq gives it to the ZAP request's {@code address} frame and the
 * {@code Peer-Address} property: the IP in numeric form for tcp ({@code 127.0.0.1}, {@code ::1}),
 * "" for ipc.
 */
final class PeerAddress {
  private PeerAddress() {}

  static String of(SocketChannel channel) {
    try {
      SocketAddress a = channel.getRemoteAddress();
      return a instanceof InetSocketAddress inet && inet.getAddress() != null ? text(inet.getAddress()) : "";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** As inet_ntop: IPv6 with the longest run of two or more zero groups shortened to "::", no scope. */
  static String text(InetAddress address) {
    if (!(address instanceof Inet6Address)) return address.getHostAddress();
    byte[] b = address.getAddress();
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) j++;
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
