package io.pekkozmq.actors.impl.transport;

import io.pekkozmq.actors.impl.SocketOptions;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import jdk.net.ExtendedSocketOptions;

/** What libzmq does to every tcp connection it makes or accepts: no Nagle, and the keepalive options. */
final class ChannelSetup {
  private ChannelSetup() {}

  static void apply(SocketChannel ch, Endpoint.Transport transport, SocketOptions o) throws IOException {
    ch.configureBlocking(false);
    if (!transport.overTcp()) return;
    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
    if (o.tcpKeepalive == 1) {
      ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
      if (o.tcpKeepaliveIdle > 0) ch.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, o.tcpKeepaliveIdle);
      if (o.tcpKeepaliveIntvl > 0) ch.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, o.tcpKeepaliveIntvl);
      if (o.tcpKeepaliveCnt > 0) ch.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, o.tcpKeepaliveCnt);
    } else if (o.tcpKeepalive == 0) {
      ch.setOption(StandardSocketOptions.SO_KEEPALIVE, false);
    }
  }
}
