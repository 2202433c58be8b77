package io.pekkozmq.engine.zmtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ZmtpConnection against real libzmq (through pyzmq), over plain NIO channels. */
class ZmtpLibzmqInteropTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @BeforeAll
  static void libzmq() {
    PyZmq.requireLibzmq();
  }

  private static final String ECHO_BIND = """
      import sys, zmq
      ctx = zmq.Context()
      s = ctx.socket(getattr(zmq, sys.argv[1]))
      s.setsockopt(zmq.LINGER, 1000)
      port = s.bind_to_random_port("tcp://127.0.0.1")
      print("PORT %d" % port)
      for _ in range(int(sys.argv[2])):
          s.send_multipart(s.recv_multipart())
      print("DONE")
      """;

  private static final String CONNECT_SEND_RECV = """
      import sys, zmq
      ctx = zmq.Context()
      s = ctx.socket(getattr(zmq, sys.argv[1]))
      s.setsockopt(zmq.LINGER, 1000)
      s.connect("tcp://127.0.0.1:" + sys.argv[2])
      s.send_multipart([b"hello", b"", b"world"])
      print("GOT " + "|".join(p.decode() for p in s.recv_multipart()))
      """;

  private static final String PUSH = """
      import sys, zmq
      ctx = zmq.Context()
      s = ctx.socket(zmq.PUSH)
      s.setsockopt(zmq.LINGER, 5000)
      s.connect("tcp://127.0.0.1:" + sys.argv[1])
      for i in range(int(sys.argv[2])):
          s.send_multipart([b"m%d" % i, b"x" * (i * 37)])
      print("SENT")
      # close explicitly: LINGER is honoured by close+term, not reliably by interpreter exit
      s.close()
      ctx.term()
      """;

  private static final String SUB = """
      import sys, zmq
      ctx = zmq.Context()
      s = ctx.socket(zmq.SUB)
      s.setsockopt(zmq.LINGER, 0)
      s.connect("tcp://127.0.0.1:" + sys.argv[1])
      s.setsockopt(zmq.SUBSCRIBE, b"ab")
      print("GOT " + s.recv().decode())
      """;

  /** Drives one connection over a channel until {@code done}. */
  private static final class Driver {
    final SocketChannel ch;
    final ZmtpConnection conn;
    final Selector selector;
    final ArrayDeque<Frame> outbound = new ArrayDeque<>();
    final List<Frame> inbound = new ArrayList<>();
    final ByteBuffer out = ByteBuffer.allocate(8192);
    ByteBuffer in = ByteBuffer.allocate(65536);

    Driver(SocketChannel ch, ZmtpOptions options) throws IOException {
      this.ch = ch;
      this.conn = new ZmtpConnection(options);
      ch.configureBlocking(false);
      selector = Selector.open();
      ch.register(selector, SelectionKey.OP_READ);
    }

    void send(Frame... frames) {
      for (int i = 0; i < frames.length; i++) outbound.add(frames[i].withMore(i < frames.length - 1));
    }

    void runUntil(BooleanSupplier done) throws IOException {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (true) {
        boolean more;
        do {
          out.clear();
          more = conn.produce(out, outbound::poll);
          out.flip();
          while (out.hasRemaining()) ch.write(out);
        } while (more);
        if (done.getAsBoolean()) return;
        if (System.nanoTime() > deadline) fail("timed out; handshake=" + conn.handshakeComplete() + " got " + inbound);
        selector.select(100);
        selector.selectedKeys().clear();
        in.clear();
        int n = ch.read(in);
        if (n < 0) fail("libzmq closed the connection; error=" + conn.error() + " " + conn.errorDetail());
        in.flip();
        ZmtpConnection.Status s = conn.consume(in, inbound::add);
        assertEquals(ZmtpConnection.Status.OK, s, conn.errorDetail());
        if (conn.retainsInput()) in = ByteBuffer.allocate(65536);
      }
    }

    List<String> texts() {
      List<String> t = new ArrayList<>();
      for (Frame f : inbound) t.add(f.text());
      return t;
    }

    void close() throws IOException {
      selector.close();
      ch.close();
    }
  }

  private static int port(PyPeer py) {
    return Integer.parseInt(py.awaitLine("PORT ", TIMEOUT).substring(5).trim());
  }

  @Test
  void javaDealerExchangesMultipartWithLibzmqDealer() throws IOException {
    try (PyPeer py = PyZmq.start(ECHO_BIND, "DEALER", "2")) {
      Driver d = new Driver(SocketChannel.open(new InetSocketAddress("127.0.0.1", port(py))),
          ZmtpOptions.builder(SocketType.DEALER).routingId("java".getBytes()).build());
      d.runUntil(d.conn::handshakeComplete);
      assertEquals(SocketType.DEALER, d.conn.peer().socketType());
      assertEquals(1, d.conn.peer().minorVersion());
      byte[] big = new byte[100_000];
      java.util.Arrays.fill(big, (byte) 'q');
      d.send(Frame.of("a"), Frame.of(""), Frame.of("b"));
      d.send(Frame.of("big"), Frame.wrap(big));
      d.runUntil(() -> d.inbound.size() == 5);
      assertEquals(List.of("a", "", "b", "big"), d.texts().subList(0, 4));
      assertTrue(d.inbound.get(0).hasMore());
      assertTrue(d.inbound.get(1).hasMore());
      assertTrue(!d.inbound.get(2).hasMore());
      assertTrue(d.inbound.get(4).contentEquals(big));
      py.awaitLine("DONE", TIMEOUT);
      d.close();
    }
  }

  @Test
  void javaPairListensAndLibzmqPairConnects() throws IOException {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      try (PyPeer py = PyZmq.start(CONNECT_SEND_RECV, "PAIR", Integer.toString(port))) {
        Driver d = new Driver(server.accept(), ZmtpOptions.builder(SocketType.PAIR).build());
        d.runUntil(() -> d.inbound.size() == 3);
        assertEquals(List.of("hello", "", "world"), d.texts());
        d.send(Frame.of("back"), Frame.of("at you"));
        d.runUntil(() -> true);
        assertEquals("GOT back|at you", py.awaitLine("GOT", TIMEOUT));
        d.close();
      }
    }
  }

  @Test
  void libzmqPushDeliversToJavaPull() throws IOException {
    int count = 300;
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      try (PyPeer py = PyZmq.start(PUSH, Integer.toString(port), Integer.toString(count))) {
        Driver d = new Driver(server.accept(), ZmtpOptions.builder(SocketType.PULL).build());
        d.runUntil(() -> d.inbound.size() == 2 * count);
        for (int i = 0; i < count; i++) {
          assertEquals("m" + i, d.inbound.get(2 * i).text());
          assertEquals(i * 37, d.inbound.get(2 * i + 1).size());
        }
        assertEquals(SocketType.PUSH, d.conn.peer().socketType());
        py.awaitLine("SENT", TIMEOUT);
        d.close();
      }
    }
  }

  @Test
  void libzmqSubSendsSubscribeCommandsToAJavaPub() throws IOException {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      try (PyPeer py = PyZmq.start(SUB, Integer.toString(port))) {
        Driver d = new Driver(server.accept(), ZmtpOptions.builder(SocketType.PUB).build());
        d.runUntil(() -> !d.inbound.isEmpty());
        Frame sub = d.inbound.get(0);
        assertTrue(sub.isSubscribe(), sub.toString());
        assertEquals("\u0001ab", sub.text());
        d.send(Frame.of("zz-not-this"));
        d.send(Frame.of("abc"));
        d.runUntil(() -> true);
        assertEquals("GOT abc", py.awaitLine("GOT", TIMEOUT));
        d.close();
      }
    }
  }

  @Test
  void javaSubscribeCommandIsUnderstoodByLibzmqXpub() throws IOException {
    String xpub = """
        import zmq
        ctx = zmq.Context()
        s = ctx.socket(zmq.XPUB)
        s.setsockopt(zmq.LINGER, 0)
        port = s.bind_to_random_port("tcp://127.0.0.1")
        print("PORT %d" % port)
        print("SUB " + s.recv().hex())
        print("SUB " + s.recv().hex())
        """;
    try (PyPeer py = PyZmq.start(xpub)) {
      Driver d = new Driver(SocketChannel.open(new InetSocketAddress("127.0.0.1", port(py))),
          ZmtpOptions.builder(SocketType.SUB).build());
      d.send(Frame.wrap(new byte[] {1, 'a', 'b'}, Frame.SUBSCRIBE));
      d.runUntil(d.conn::handshakeComplete);
      d.runUntil(() -> true);
      assertEquals("SUB 016162", py.awaitLine("SUB", TIMEOUT));
      d.send(Frame.wrap(new byte[] {0, 'a', 'b'}, Frame.CANCEL));
      d.runUntil(() -> true);
      assertEquals("SUB 006162", py.awaitLine("SUB", TIMEOUT));
      assertNotEquals(null, PyZmq.libzmqVersion());
      d.close();
    }
  }
}
