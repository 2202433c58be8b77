package io.pekkozmq.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code ./pzmq} with {@code --type STREAM}: raw TCP peers for recv, echo and send. */
class PzmqStreamCliTest {
  private static final Duration RUN = Duration.ofSeconds(60);
  private static final String PEER_HEX = HexFormat.of().formatHex("peer".getBytes(StandardCharsets.UTF_8));

  /**
   * A libzmq STREAM client. argv: endpoint, then texts: sends each (after the connect notification)
   * and prints what comes back as "ECHO text".
   */
  private static final String PY_STREAM_CLIENT = """
      import sys, zmq
      ctx = zmq.Context()
      s = ctx.socket(zmq.STREAM)
      s.setsockopt(zmq.RCVTIMEO, 30000)
      s.connect(sys.argv[1])
      peer, empty = s.recv_multipart()
      assert empty == b""
      for text in sys.argv[2:]:
          s.send_multipart([peer, text.encode()])
          got = b""
          while len(got) < len(text):
              got += s.recv_multipart()[1]
          print("ECHO " + got.decode())
      s.setsockopt(zmq.LINGER, 0)
      s.close()
      ctx.term()
      """;

  /** The first invocation may build the jar: a generous limit, once. */
  @BeforeAll
  static void buildOnce() {
    Launcher l = Launcher.run(null, Duration.ofMinutes(10), "--help");
    assertEquals(0, l.exitCode(), l.describe());
  }

  private static ServerSocket server() throws IOException {
    ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    s.setSoTimeout((int) RUN.toMillis());
    return s;
  }

  /**
   * {@code ./pzmq command --type STREAM --format hex}, connected to {@code srv} naming it "peer",
   * exiting after {@code count} messages; its stdin is closed.
   */
  private static Launcher connectedInHex(String command, ServerSocket srv, int count) {
    Launcher l = Launcher.start(command, "--type", "STREAM", "--format", "hex",
        "--connect", "tcp://127.0.0.1:" + srv.getLocalPort(), "--connect-routing-id", PEER_HEX,
        "--count", Integer.toString(count), "--timeout", "30000");
    l.input(null);
    return l;
  }

  private static Socket accept(ServerSocket s) throws IOException {
    Socket c = s.accept();
    c.setSoTimeout((int) RUN.toMillis());
    return c;
  }

  private static String read(Socket c, int n) throws IOException {
    return new String(c.getInputStream().readNBytes(n), StandardCharsets.UTF_8);
  }

  private static void write(Socket c, String text) throws IOException {
    c.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    c.getOutputStream().flush();
  }

  @Test
  void helpNamesStream() {
    Launcher l = Launcher.run(null, RUN, "recv", "--help");
    assertEquals(0, l.exitCode(), l.describe());
    assertTrue(l.stdout().contains("STREAM"), l.stdout());
  }

  @Test
  void recvPrintsTheConnectNotificationTheBytesAndTheDisconnect() throws IOException {
    try (ServerSocket srv = server(); Launcher recv = connectedInHex("recv", srv, 3)) {
      try (Socket c = accept(srv)) {
        write(c, "hi");
      }
      assertEquals(0, recv.await(RUN), recv.describe());
      assertEquals(PEER_HEX + " -\n" + PEER_HEX + " 6869\n" + PEER_HEX + " -\n", recv.stdout());
    }
  }

  @Test
  void echoReturnsTheBytesToTheSamePeerAndLeavesNotificationsUnanswered() throws IOException {
    try (ServerSocket srv = server(); Launcher echo = connectedInHex("echo", srv, 2)) {
      try (Socket c = accept(srv)) {
        write(c, "one");
        assertEquals("one", read(c, 3));
        write(c, "two");
        assertEquals("two", read(c, 3));
        assertEquals(0, echo.await(RUN), echo.describe());
        assertEquals(-1, c.getInputStream().read(), "echo's exit closes the connection");
      }
      assertEquals(PEER_HEX + " -\n" + PEER_HEX + " 6f6e65\n" + PEER_HEX + " 74776f\n", echo.stdout());
    }
  }

  @Test
  void boundEchoAnswersALibzmqStreamClient() {
    PyZmq.requireLibzmq();
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    try (Launcher echo = Launcher.start("echo", "--type", "STREAM", "--bind", ep, "--count", "2", "--timeout", "30000");
        PyPeer py = PyZmq.start(PY_STREAM_CLIENT, ep, "ping", "pong")) {
      echo.input(null);
      assertEquals("ECHO ping", py.readLine(RUN));
      assertEquals("ECHO pong", py.readLine(RUN));
      assertEquals(0, echo.await(RUN), echo.describe());
      assertEquals(0, py.waitFor(RUN), py.stderr());
    }
  }

  @Test
  void sendWritesEachLinesBytesToTheNamedPeerAndClosesAtTheEnd() throws IOException {
    try (ServerSocket srv = server();
        Launcher send = Launcher.start("send", "--type", "STREAM",
            "--connect", "tcp://127.0.0.1:" + srv.getLocalPort(), "--connect-routing-id", "web")) {
      send.input("web\tGET / HTTP/1.0\nweb\t|done\n");
      try (Socket c = accept(srv)) {
        assertEquals("GET / HTTP/1.0|done", new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
            "the lines' bytes, then end of stream when send closes");
      }
      assertEquals(0, send.await(RUN), send.describe());
    }
  }

  @Test
  void streamSendWithoutAPeerIdIsAUsageError() {
    Launcher l = Launcher.run("x\ty\n", RUN, "send", "--type", "STREAM", "--connect", "tcp://127.0.0.1:1");
    assertEquals(Pzmq.USAGE, l.exitCode(), l.describe());
    assertTrue(l.stderr().contains("--connect-routing-id"), l.describe());
    Launcher w = Launcher.run("x\ty\n", RUN, "send", "--type", "STREAM", "--connect", "tcp://127.0.0.1:1",
        "--connect-routing-id", "x", "--wait-peers", "1");
    assertEquals(Pzmq.USAGE, w.exitCode(), w.describe());
    assertTrue(w.stderr().contains("--wait-peers"), w.describe());
  }
}
