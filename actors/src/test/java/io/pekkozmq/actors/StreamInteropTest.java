package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyScripts;
import io.pekkozmq.testkit.PyZmq;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * STREAM against real libzmq (pyzmq): a libzmq STREAM socket on the other end, our side binding
 * and connecting, over tcp and ipc; python's plain socket module as client and as server; python's
 * HTTP client against a STREAM HTTP responder; and libzmq's monitor events for raw connections
 * compared with ours.
 */
class StreamInteropTest extends RuntimePerClass {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HexFormat HEX = HexFormat.of();

  /**
   * A libzmq STREAM socket driven by stdin lines. argv: bind|connect, endpoint, [CONNECT_ROUTING_ID].
   * RECV [timeout ms] prints "MSG idhex datahex" ("-" for empty) or TIMEOUT; SEND idhex datahex|-
   * prints SENT;
   * SENDBLOB idhex n sends n pattern bytes; RECVBLOB n gathers n bytes from any chunks and prints
   * "BLOB OK chunks" or what differs; EXIT closes.
   */
  private static final String STREAM_PEER = """
      import sys, zmq
      """ + PyScripts.BIND_OR_CONNECT + """
      mode, ep = sys.argv[1], sys.argv[2]
      ctx = zmq.Context()
      s = ctx.socket(zmq.STREAM)
      s.setsockopt(zmq.RCVTIMEO, 20000)
      s.setsockopt(zmq.LINGER, 5000)
      if len(sys.argv) > 3:
          s.setsockopt(zmq.CONNECT_ROUTING_ID, sys.argv[3].encode())
      bind_or_connect(s, mode, ep)
      def blob(n):
          return bytes((i * 7 + 3) & 0xff for i in range(n))
      for line in sys.stdin:
          cmd = line.split()
          if not cmd:
              continue
          try:
              if cmd[0] == "RECV":
                  s.setsockopt(zmq.RCVTIMEO, int(cmd[1]) if len(cmd) > 1 else 20000)
                  idf, data = s.recv_multipart()
                  print("MSG %s %s" % (idf.hex(), data.hex() or "-"))
              elif cmd[0] == "SEND":
                  s.send_multipart([bytes.fromhex(cmd[1]), b"" if cmd[2] == "-" else bytes.fromhex(cmd[2])])
                  print("SENT")
              elif cmd[0] == "SENDBLOB":
                  s.send_multipart([bytes.fromhex(cmd[1]), blob(int(cmd[2]))])
                  print("SENT")
              elif cmd[0] == "RECVBLOB":
                  n, got, chunks = int(cmd[1]), b"", 0
                  while len(got) < n:
                      idf, data = s.recv_multipart()
                      if not data:
                          break
                      got += data
                      chunks += 1
                  print("BLOB OK %d" % chunks if got == blob(n) else "BLOB BAD %d bytes" % len(got))
              elif cmd[0] == "EXIT":
                  break
          except zmq.Again:
              print("TIMEOUT")
      s.close()
      ctx.term()
      """;

  /** python's socket module as a client. argv: tcp|ipc, address. Sends "ping\\n", expects "pong\\n", closes. */
  private static final String PLAIN_CLIENT = """
      import sys, socket
      kind, addr = sys.argv[1], sys.argv[2]
      if kind == "tcp":
          host, port = addr.rsplit(":", 1)
          c = socket.create_connection((host, int(port)), timeout=20)
      else:
          c = socket.socket(socket.AF_UNIX)
          c.settimeout(20)
          c.connect(addr)
      c.sendall(b"ping\\n")
      got = b""
      while not got.endswith(b"\\n"):
          d = c.recv(100)
          if not d:
              break
          got += d
      print("GOT " + got.decode().strip())
      c.close()
      """;

  /**
   * python's socket module as a server. argv: tcp|ipc, [path]. Prints ENDPOINT, accepts one
   * connection, answers a line with "echo: line", then reports whether it sees end of stream.
   */
  private static final String PLAIN_SERVER = """
      import sys, socket
      kind = sys.argv[1]
      if kind == "tcp":
          srv = socket.socket()
          srv.bind(("127.0.0.1", 0))
          ep = "tcp://127.0.0.1:%d" % srv.getsockname()[1]
      else:
          srv = socket.socket(socket.AF_UNIX)
          srv.bind(sys.argv[2])
          ep = "ipc://" + sys.argv[2]
      srv.listen(1)
      srv.settimeout(20)
      print("ENDPOINT " + ep)
      c, _ = srv.accept()
      c.settimeout(20)
      got = b""
      while not got.endswith(b"\\n"):
          got += c.recv(100)
      c.sendall(b"echo: " + got)
      print("EOF" if c.recv(100) == b"" else "MORE")
      """;

  /** python's HTTP client. argv: url. Prints the status and the body. */
  private static final String HTTP_CLIENT = """
      import sys, urllib.request
      with urllib.request.urlopen(sys.argv[1], timeout=20) as r:
          print("STATUS %d" % r.status)
          print("BODY " + r.read().decode())
      """;

  /**
   * libzmq's monitor events for a raw connection. argv: bind|connect. bind: a plain client connects,
   * sends, closes. connect: a plain server accepts, answers, closes. Prints the event names in order,
   * up to DISCONNECTED, then the value of HANDSHAKE_FAILED_NO_DETAIL.
   */
  private static final String LIBZMQ_EVENTS = """
      import sys, socket, zmq
      from zmq.utils.monitor import recv_monitor_message
      ctx = zmq.Context()
      s = ctx.socket(zmq.STREAM)
      s.setsockopt(zmq.RCVTIMEO, 20000)
      mon = s.get_monitor_socket()
      if sys.argv[1] == "bind":
          port = s.bind_to_random_port("tcp://127.0.0.1")
          c = socket.create_connection(("127.0.0.1", port))
          s.recv_multipart()
          c.sendall(b"x")
          s.recv_multipart()
          c.close()
      else:
          srv = socket.socket()
          srv.bind(("127.0.0.1", 0))
          srv.listen(1)
          s.connect("tcp://127.0.0.1:%d" % srv.getsockname()[1])
          c, _ = srv.accept()
          s.recv_multipart()
          c.sendall(b"x")
          s.recv_multipart()
          c.close()
      s.recv_multipart()
      names, detail = [], None
      while mon.poll(20000):
          e = recv_monitor_message(mon)
          name = zmq.Event(e["event"]).name
          names.append(name)
          if name == "HANDSHAKE_FAILED_NO_DETAIL":
              detail = e["value"]
          if name == "DISCONNECTED":
              break
      print("EVENTS " + " ".join(names))
      print("DETAIL %s" % detail)
      """;

  private LibzmqPeers libzmq;

  @BeforeAll
  void start() throws IOException {
    libzmq = LibzmqPeers.create("pzmq-stream-interop", WAIT);
  }

  private ZSocket stream() {
    ZSocket s = zmq.socket(SocketType.STREAM);
    s.setOption(ZmqOption.LINGER, 1000);
    return s;
  }

  private static String hex(String text) {
    return HEX.formatHex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Asks the python STREAM peer for one message; returns {id hex, data hex or "-"}. */
  private static String[] pyRecv(PyPeer py) {
    py.writeLine("RECV");
    String line = py.awaitLine("", WAIT);
    assertTrue(line.startsWith("MSG "), () -> "python: " + line + "\n" + py.stderr());
    return line.substring(4).split(" ");
  }

  private static void pySend(PyPeer py, String idHex, String dataHex) {
    py.writeLine("SEND " + idHex + " " + dataHex);
    assertEquals("SENT", py.awaitLine("", WAIT), py.stderr());
  }

  private static void send(ZSocket s, byte[] id, byte[] data) {
    s.send(Msg.of(Frame.wrap(id, Frame.MORE), Frame.wrap(data)));
  }

  static byte[] blob(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + 3);
    return b;
  }

  // ---- STREAM to STREAM ---------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "ipc"})
  void ourConnectingStreamTalksToALibzmqBindingStream(String transport) {
    try (ZSocket ours = stream();
        PyPeer py = libzmq.join(STREAM_PEER, ours, false, libzmq.endpoint(transport, "py-bound"))) {
      byte[] id = StreamSocketTest.recvNotification(ours);
      StreamSocketTest.assertGeneratedId(id);
      String[] hello = pyRecv(py);
      String theirIdForUs = hello[0];
      assertEquals("-", hello[1], "libzmq announces us with an empty frame");
      assertEquals(10, theirIdForUs.length(), "a libzmq generated id, 5 bytes");

      send(ours, id, "hello libzmq".getBytes(StandardCharsets.UTF_8));
      assertEquals(List.of(theirIdForUs, hex("hello libzmq")), List.of(pyRecv(py)));
      pySend(py, theirIdForUs, hex("hello pekko"));
      assertEquals("hello pekko", StreamSocketTest.recvText(ours, id, 11));

      py.writeLine("SENDBLOB " + theirIdForUs + " " + (1 << 20));
      assertEquals("SENT", py.awaitLine("", WAIT));
      List<Integer> chunks = new ArrayList<>();
      assertArrayEquals(blob(1 << 20), StreamSocketTest.recvBytes(ours, id, 1 << 20, chunks));
      send(ours, id, blob(1 << 20));
      py.writeLine("RECVBLOB " + (1 << 20));
      assertTrue(py.awaitLine("BLOB ", WAIT).startsWith("BLOB OK"), py.stderr());

      StreamSocketTest.close(ours, id);
      assertEquals(List.of(theirIdForUs, "-"), List.of(pyRecv(py)), "libzmq notices our close");
      py.writeLine("EXIT");
      assertEquals(0, py.waitFor(WAIT), py.stderr());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "ipc"})
  void ourBindingStreamTalksToALibzmqConnectingStream(String transport) {
    try (ZSocket ours = stream();
        PyPeer py = libzmq.join(STREAM_PEER, ours, true, libzmq.endpoint(transport, "we-bound"), "pekko")) {
      String pekko = hex("pekko");
      pySend(py, pekko, hex("queued before the connection")); // libzmq holds it until connected
      byte[] id = StreamSocketTest.recvNotification(ours);
      StreamSocketTest.assertGeneratedId(id);
      assertEquals("queued before the connection", StreamSocketTest.recvText(ours, id, 28));
      assertEquals(List.of(pekko, "-"), List.of(pyRecv(py)), "libzmq's connect notification");

      send(ours, id, "hello libzmq".getBytes(StandardCharsets.UTF_8));
      assertEquals(List.of(pekko, hex("hello libzmq")), List.of(pyRecv(py)));

      pySend(py, pekko, "-"); // libzmq closes the connection...
      py.writeLine("RECV 1000"); // ...once its socket processes commands, as it does while waiting
      assertArrayEquals(id, StreamSocketTest.recvNotification(ours), "we notice libzmq's close");
      assertEquals("TIMEOUT", py.awaitLine("", WAIT), "libzmq gives no notification for its own close");
      py.writeLine("EXIT");
      assertEquals(0, py.waitFor(WAIT), py.stderr());
    }
  }

  // ---- plain python sockets -------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "ipc"})
  void pythonSocketClientGetsItsAnswer(String transport) {
    try (ZSocket ours = stream()) {
      String ep = ours.bind(libzmq.endpoint(transport, "plain-client"));
      String addr = ep.substring(6);
      try (PyPeer py = PyZmq.start(PLAIN_CLIENT, transport, addr)) {
        byte[] id = StreamSocketTest.recvNotification(ours);
        assertEquals("ping\n", StreamSocketTest.recvText(ours, id, 5));
        StreamSocketTest.send(ours, id, "pong\n");
        assertEquals("GOT pong", py.awaitLine("GOT", WAIT));
        assertArrayEquals(id, StreamSocketTest.recvNotification(ours), "the client's close");
        assertEquals(0, py.waitFor(WAIT), py.stderr());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tcp", "ipc"})
  void ourConnectingStreamTalksToAPythonSocketServer(String transport) {
    Path path = libzmq.path("plain-server");
    try (ZSocket ours = stream();
        PyPeer py = PyZmq.start(PLAIN_SERVER, transport, path.toString())) {
      ours.connect(py.awaitLine("ENDPOINT ", WAIT).substring(9));
      byte[] id = StreamSocketTest.recvNotification(ours);
      StreamSocketTest.send(ours, id, "hi there\n");
      assertEquals("echo: hi there\n", StreamSocketTest.recvText(ours, id, 15));
      StreamSocketTest.close(ours, id);
      assertEquals("EOF", py.awaitLine("", WAIT), "the server sees our close; " + py.stderr());
      assertEquals(0, py.waitFor(WAIT), py.stderr());
    }
  }

  @Test
  void pythonHttpClientGetsAPageFromAStreamResponder() {
    try (ZSocket ours = stream()) {
      String ep = ours.bind("tcp://127.0.0.1:*");
      String url = "http://" + ep.substring(6) + "/greeting";
      try (PyPeer py = PyZmq.start(HTTP_CLIENT, url)) {
        byte[] id = StreamSocketTest.recvNotification(ours);
        StringBuilder request = new StringBuilder();
        while (!request.toString().endsWith("\r\n\r\n")) {
          Msg m = StreamSocketTest.recv(ours);
          assertArrayEquals(id, m.frame(0).toByteArray());
          request.append(m.frame(1).text());
        }
        assertTrue(request.toString().startsWith("GET /greeting HTTP/1.1\r\n"), request.toString());
        String body = "Hello from a STREAM socket";
        StreamSocketTest.send(ours, id, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
            + body.length() + "\r\nConnection: close\r\n\r\n" + body);
        StreamSocketTest.close(ours, id);
        assertEquals("STATUS 200", py.awaitLine("STATUS", WAIT), py.stderr());
        assertEquals("BODY " + body, py.awaitLine("BODY", WAIT));
        assertEquals(0, py.waitFor(WAIT), py.stderr());
      }
    }
  }

  // ---- monitor events -------------------------------------------------------------------------

  @ParameterizedTest(name = "we {0}")
  @CsvSource({"bind", "connect"})
  void rawConnectionEventsMatchLibzmqs(String side) throws IOException {
    List<String> libzmq;
    String libzmqDetail;
    try (PyPeer py = PyZmq.start(LIBZMQ_EVENTS, side)) {
      libzmq = List.of(py.awaitLine("EVENTS ", WAIT).substring(7).split(" "));
      libzmqDetail = py.awaitLine("DETAIL ", WAIT).substring(7);
      assertEquals(0, py.waitFor(WAIT), py.stderr());
    }
    List<String> ours = new ArrayList<>();
    long detail = -1;
    try (ZSocket s = stream()) {
      TestProbe<SocketEvent> events = monitor(s);
      if (side.equals("bind")) {
        String ep = s.bind("tcp://127.0.0.1:*");
        try (Socket c = StreamSocketTest.client(ep)) {
          StreamSocketTest.recvNotification(s);
          StreamSocketTest.write(c, "x");
          StreamSocketTest.recv(s);
        }
      } else {
        try (ServerSocket srv = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
          s.connect("tcp://127.0.0.1:" + srv.getLocalPort());
          try (Socket c = srv.accept()) {
            StreamSocketTest.recvNotification(s);
            StreamSocketTest.write(c, "x");
            StreamSocketTest.recv(s);
          }
        }
      }
      StreamSocketTest.recvNotification(s);
      SocketEvent e;
      do {
        e = events.receiveMessage(WAIT);
        ours.add(e.type().name());
        if (e.type() == EventType.HANDSHAKE_FAILED_NO_DETAIL) detail = e.value();
      } while (e.type() != EventType.DISCONNECTED);
    }
    assertEquals(libzmq, ours);
    assertEquals(libzmqDetail, Long.toString(detail), "the errno libzmq reports for the peer's close");
  }
}
