package io.pekkozmq.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Python shared by the libzmq interop tests of every module: how a peer binds or connects and says
 * where, and a sender that floods one of our receivers until high-water marks hold it back.
 */
public final class PyScripts {
  private static final String ENDPOINT = "ENDPOINT ";

  /**
   * {@code bind_or_connect(s, mode, ep)}: with mode "bind", binds {@code ep} (any tcp endpoint: a
   * random port on 127.0.0.1), else connects to it; prints "ENDPOINT ep" ({@link #endpointOf}) and
   * returns ep.
   */
  public static final String BIND_OR_CONNECT = """
      def bind_or_connect(s, mode, ep):
          if mode == "bind":
              if ep.startswith("tcp://"):
                  ep = "tcp://127.0.0.1:%d" % s.bind_to_random_port("tcp://127.0.0.1")
              else:
                  s.bind(ep)
          else:
              s.connect(ep)
          print("ENDPOINT " + ep, flush=True)
          return ep
      """;

  /**
   * {@code count_pulls(socks, total, idle_ms)}: reads the PULL sockets {@code socks} until
   * {@code total} messages are in or none came for {@code idle_ms}; returns the count per socket
   * and the set of distinct messages.
   */
  public static final String COUNT_PULLS = """
      def count_pulls(socks, total, idle_ms):
          import zmq
          poller = zmq.Poller()
          for s in socks:
              poller.register(s, zmq.POLLIN)
          counts = [0] * len(socks)
          seen = set()
          waited = 0
          while sum(counts) < total and waited < idle_ms:
              ready = dict(poller.poll(100))
              if not ready:
                  waited += 100
              for i, s in enumerate(socks):
                  while s in ready:
                      try:
                          seen.add(s.recv(zmq.NOBLOCK))
                          counts[i] += 1
                      except zmq.Again:
                          break
          return counts, seen
      """;

  /**
   * argv: endpoint, sndhwm, size, total. A PUSH connects, waits for the handshake, and sends
   * messages of {@code size} bytes (each starting with its decimal sequence number) until a send
   * has been blocked for a second (prints "HELD n"); then on a stdin line it sends the rest (prints
   * "SENT total").
   */
  public static final String FLOOD = """
      import sys, zmq
      from zmq.utils.monitor import recv_monitor_message
      ep, hwm, size, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
      ctx = zmq.Context()
      s = ctx.socket(zmq.PUSH)
      s.setsockopt(zmq.SNDHWM, hwm)
      mon = s.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
      mon.setsockopt(zmq.RCVTIMEO, 60000)
      s.connect(ep)
      recv_monitor_message(mon)
      def msg(i):
          return b"%d" % i + b" " * (size - len(b"%d" % i))
      s.setsockopt(zmq.SNDTIMEO, 1000)
      sent = 0
      while sent < total:
          try:
              s.send(msg(sent))
          except zmq.Again:
              break
          sent += 1
      print("HELD %d" % sent, flush=True)
      sys.stdin.readline()
      s.setsockopt(zmq.SNDTIMEO, 20000)
      while sent < total:
          s.send(msg(sent))
          sent += 1
      print("SENT %d" % sent, flush=True)
      mon.close()
      s.close(linger=20000)
      # pyzmq does not terminate a context at interpreter exit, and exit drops what it still
      # queues (up to SNDHWM messages): only term() makes close's linger wait for delivery
      ctx.term()
      """;

  private PyScripts() {}

  /** The endpoint a peer running {@link #BIND_OR_CONNECT} printed. */
  public static String endpointOf(PyPeer py, Duration timeout) {
    return py.awaitLine(ENDPOINT, timeout).substring(ENDPOINT.length());
  }

  /**
   * How many messages of {@code size} bytes the kernel's socket buffers of one loopback TCP
   * connection can hold at most (the largest send plus the largest receive buffer, Linux).
   */
  public static long kernelBufferedMessages(int size) throws IOException {
    return (maxOf("/proc/sys/net/ipv4/tcp_wmem") + maxOf("/proc/sys/net/ipv4/tcp_rmem")) / size;
  }

  private static long maxOf(String procFile) throws IOException {
    try (InputStream in = Files.newInputStream(Path.of(procFile))) { // Files.readString trusts /proc's size 0
      String[] v = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
      return Long.parseLong(v[v.length - 1]);
    }
  }
}
