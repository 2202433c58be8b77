package io.pekkozmq.engine.zmtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.security.CurveKeys;
import io.pekkozmq.engine.security.SecurityOptions;
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
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CURVE and PLAIN wire formats against real libzmq 4.3.4 (pyzmq), over a plain blocking-loop
 * NIO channel: our side client and server, listening and connecting; data both ways (multipart, a
 * 100 kB frame); libzmq's heartbeats (HEARTBEAT_IVL 100 ms) reach us as PINGs inside MESSAGE
 * boxes and our PONGs, boxed, keep it connected; our own PING is answered without a decode error.
 */
class SecureLibzmqInteropTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @BeforeAll
  static void libzmq() {
    PyZmq.requireLibzmq();
  }

  private static final String PEER = """
      import sys, zmq
      role, mech, mode, ep = sys.argv[1:5]
      keys = sys.argv[5:]
      ctx = zmq.Context()
      auth = None
      s = ctx.socket(zmq.PAIR)
      s.setsockopt(zmq.LINGER, 1000)
      s.setsockopt(zmq.HEARTBEAT_IVL, 100)
      s.setsockopt(zmq.HEARTBEAT_TIMEOUT, 5000)
      if mech == "CURVE":
          s.curve_secretkey = keys[0].encode()
          s.curve_publickey = keys[1].encode()
          if role == "server":
              s.curve_server = True
          else:
              s.curve_serverkey = keys[2].encode()
      elif mech == "PLAIN":
          if role == "server":
              from zmq.auth.thread import ThreadAuthenticator
              auth = ThreadAuthenticator(ctx)
              auth.start()
              auth.configure_plain(domain='*', passwords={'admin': 'secret'})
              s.plain_server = True
          else:
              s.plain_username = b"admin"
              s.plain_password = b"secret"
      if mode == "bind":
          print("PORT %d" % s.bind_to_random_port("tcp://127.0.0.1"), flush=True)
      else:
          s.connect(ep)
      n = 0
      user = None
      while True:
          msg = s.recv_multipart(copy=False)
          if user is None:
              try:
                  user = msg[0].get("User-Id")
              except Exception as e:
                  user = "none"
          if [m.bytes for m in msg] == [b"BYE"]:
              break
          s.send_multipart([b"echo"] + [m.bytes for m in msg])
          n += 1
      print("DONE %d %s" % (n, user), flush=True)
      s.close()
      if auth:
          auth.stop()
      ctx.term()
      """;

  @ParameterizedTest(name = "{0}: our side {1}, {2}")
  @CsvSource({
      "CURVE, client, connect",
      "CURVE, server, listen",
      "CURVE, client, listen",
      "CURVE, server, connect",
      "PLAIN, client, connect",
      "PLAIN, server, listen",
  })
  void exchangesWithLibzmq(String mech, String ourRole, String ourMode) throws IOException {
    boolean weServe = ourRole.equals("server");
    boolean weListen = ourMode.equals("listen");
    CurveKeys serverKeys = CurveKeys.generate();
    CurveKeys clientKeys = CurveKeys.generate();
    SecurityOptions sec;
    List<String> pyKeys = new ArrayList<>();
    if (mech.equals("CURVE")) {
      sec = weServe ? SecurityOptions.curveServer(serverKeys) : SecurityOptions.curveClient(clientKeys, serverKeys.publicKey());
      if (weServe) {
        pyKeys.addAll(List.of(clientKeys.secretZ85(), clientKeys.publicZ85(), serverKeys.publicZ85()));
      } else {
        pyKeys.addAll(List.of(serverKeys.secretZ85(), serverKeys.publicZ85()));
      }
    } else {
      sec = weServe ? SecurityOptions.plain(true, null, null)
          : SecurityOptions.plain(false, "admin".getBytes(), "secret".getBytes());
    }
    List<List<byte[]>> zapRequests = new ArrayList<>();
    ZmtpOptions options = ZmtpOptions.builder(SocketType.PAIR).security(sec).peerAddress("127.0.0.1")
        .zapHandlerPresent(() -> weServe && mech.equals("PLAIN")).build();
    String pyRole = weServe ? "client" : "server";
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress("127.0.0.1", 0));
      int ourPort = ((InetSocketAddress) listener.getLocalAddress()).getPort();
      List<String> args = new ArrayList<>(List.of(pyRole, mech, weListen ? "connect" : "bind", "tcp://127.0.0.1:" + ourPort));
      args.addAll(pyKeys);
      try (PyPeer py = PyZmq.start(PEER, args.toArray(String[]::new))) {
        SocketChannel ch = weListen ? listener.accept()
            : SocketChannel.open(new InetSocketAddress("127.0.0.1",
                Integer.parseInt(py.awaitLine("PORT ", TIMEOUT).substring(5).trim())));
        Driver d = new Driver(ch, options, zapRequests);
        d.runUntil(d.conn::handshakeComplete, py);
        assertEquals(weServe, options.mechanism().create(options).asServer());
        byte[] big = new byte[100_000];
        Arrays.fill(big, (byte) 'z');
        d.send(Frame.of("a"), Frame.of(""), Frame.wrap(big));
        for (int i = 0; i < 50; i++) {
          d.send(Frame.of("m" + i));
        }
        d.runUntil(() -> d.inbound.size() == 4 + 100, py);
        assertEquals("echo", d.inbound.get(0).text());
        assertEquals("a", d.inbound.get(1).text());
        assertEquals(0, d.inbound.get(2).size());
        assertTrue(d.inbound.get(3).contentEquals(big));
        assertTrue(d.inbound.get(2).hasMore() && !d.inbound.get(3).hasMore());
        assertEquals("m49", d.inbound.get(103).text());
        // libzmq's heartbeats: PINGs inside MESSAGE boxes; our PONGs go back boxed
        d.runUntil(() -> d.conn.peerPings() >= 3, py);
        d.conn.queuePing(new byte[] {'h', 'b'}, 0);
        d.send(Frame.of("after-ping"));
        d.runUntil(() -> d.inbound.size() == 106, py);
        assertEquals("after-ping", d.inbound.get(105).text());
        d.send(Frame.of("BYE"));
        d.runUntil(() -> !d.conn.hasPendingOutput(), py);
        String done = py.awaitLine("DONE", TIMEOUT);
        if (mech.equals("PLAIN") && !weServe) {
          assertEquals("DONE 52 admin", done, "libzmq's ZAP (ThreadAuthenticator) names the user");
        } else {
          assertTrue(done.startsWith("DONE 52 "), done);
        }
        if (weServe && mech.equals("PLAIN")) {
          assertEquals(1, zapRequests.size());
          assertEquals(List.of("", "1.0", "1", "", "127.0.0.1", "", "PLAIN", "admin", "secret"),
              zapRequests.get(0).stream().map(String::new).toList());
          assertEquals("admin", d.conn.peer().property("User-Id"));
        }
        d.close();
      }
    }
  }

  /** Drives one connection over a channel, answering ZAP requests (accepts admin/secret). */
  private static final class Driver {
    final SocketChannel ch;
    final ZmtpConnection conn;
    final Selector selector;
    final ArrayDeque<Frame> outbound = new ArrayDeque<>();
    final List<Frame> inbound = new ArrayList<>();
    final List<List<byte[]>> zapRequests;
    final ByteBuffer out = ByteBuffer.allocate(8192);
    ByteBuffer in = ByteBuffer.allocate(65536);

    Driver(SocketChannel ch, ZmtpOptions options, List<List<byte[]>> zapRequests) throws IOException {
      this.ch = ch;
      this.conn = new ZmtpConnection(options);
      this.zapRequests = zapRequests;
      ch.configureBlocking(false);
      selector = Selector.open();
      ch.register(selector, SelectionKey.OP_READ);
    }

    void send(Frame... frames) {
      for (int i = 0; i < frames.length; i++) outbound.add(frames[i].withMore(i < frames.length - 1));
    }

    void runUntil(BooleanSupplier done, PyPeer py) throws IOException {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (true) {
        List<byte[]> req = conn.takeZapRequest();
        if (req != null) {
          zapRequests.add(req);
          boolean ok = req.size() == 9 && new String(req.get(7)).equals("admin") && new String(req.get(8)).equals("secret");
          conn.zapReply(Link.reply(ok ? "200" : "400", ok ? "OK" : "no", ok ? "admin" : "", new byte[0]));
        }
        boolean more;
        do {
          out.clear();
          more = conn.produce(out, outbound::poll);
          out.flip();
          while (out.hasRemaining()) ch.write(out);
        } while (more);
        if (done.getAsBoolean()) return;
        if (System.nanoTime() > deadline) {
          fail("timed out; handshake=" + conn.handshakeComplete() + " got " + inbound.size() + " frames; python: " + py.stderr());
        }
        selector.select(100);
        selector.selectedKeys().clear();
        in.clear();
        int n = ch.read(in);
        if (n < 0) fail("libzmq closed the connection; error=" + conn.error() + " " + conn.errorDetail() + "; python: " + py.stderr());
        in.flip();
        ZmtpConnection.Status s = conn.consume(in, inbound::add);
        assertEquals(ZmtpConnection.Status.OK, s, conn.error() + " " + conn.errorDetail());
        if (conn.retainsInput()) in = ByteBuffer.allocate(65536);
      }
    }

    void close() throws IOException {
      selector.close();
      ch.close();
    }
  }
}
