package io.pekkozmq.actors;

import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMQ;

/** JeroMQ peers for interop tests: multipart send and receive (connecting them: {@link JeromqConnect}). */
final class JeromqPeers {
  private JeromqPeers() {}

  /** One whole message, or null on timeout. */
  static List<byte[]> recv(ZMQ.Socket s) {
    List<byte[]> parts = new ArrayList<>();
    do {
      byte[] b = s.recv();
      if (b == null) return null;
      parts.add(b);
    } while (s.hasReceiveMore());
    return parts;
  }

  /** Sends a whole message; false on timeout. */
  static boolean send(ZMQ.Socket s, List<byte[]> parts) {
    for (int k = 0; k < parts.size(); k++) {
      boolean ok = k < parts.size() - 1 ? s.sendMore(parts.get(k)) : s.send(parts.get(k));
      if (!ok) return false;
    }
    return true;
  }
}
