package io.pekkozmq.actors.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.engine.security.CurveKeys;
import io.pekkozmq.engine.zmtp.ProtocolError;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A relay in the middle of a CURVE connection (a man in the middle without the keys): a blocking
 * TCP proxy on 127.0.0.1 that passes the greeting and handshake through, parses the client's ZMTP
 * frames after it and tampers with the first MESSAGE: replays it, or flips one bit of its box. As
 * libzmq's curve_mechanism_base_t::decode, the server drops that connection with
 * HANDSHAKE_FAILED_PROTOCOL, ZMTP_INVALID_SEQUENCE for a nonce that does not increase and
 * ZMTP_CRYPTOGRAPHIC for a box that does not open; nothing forged is delivered (a replay delivers
 * the original once, never its copy, nor anything after it on that connection); a second client
 * connected directly to the same server keeps working before, during and after (CVE-2014-7203).
 * The relayed client is ours, and then libzmq 4.3.4's (a pyzmq PUSH).
 *
 * <p>The relay forwards the greeting as it arrives: each side sends its signature and waits for
 * the other's before the rest.
 */
class CurveRelayTest extends SecuritySockets {
  private static final CurveKeys SERVER = CurveKeys.generate();
  private static final CurveKeys CLIENT = CurveKeys.generate();
  private static final int RELAYED = 5;

  enum Tamper { REPLAY, FLIP_BIT }


  private ZSocket client() {
    return socket(SocketType.PUSH, Map.of(ZmqOption.CURVE_SERVERKEY, SERVER.publicKey(),
        ZmqOption.CURVE_PUBLICKEY, CLIENT.publicKey(), ZmqOption.CURVE_SECRETKEY, CLIENT.secretKey()));
  }

  /**
   * One connection relayed from a listening port to {@code target}; the listener closes after the
   * first accept (a reconnect is refused, so the tampered connection is the only relayed one).
   * Client to server: greeting (64 bytes) as is, then frame by frame; the first frame whose body is
   * a MESSAGE command is tampered with. Server to client: bytes as they come.
   */
  static final class Relay implements AutoCloseable {
    final ServerSocket listener;
    final Tamper tamper;
    final InetSocketAddress target;
    final CountDownLatch tampered = new CountDownLatch(1);
    final List<Socket> open = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();

    Relay(InetSocketAddress target, Tamper tamper) throws IOException {
      this.target = target;
      this.tamper = tamper;
      this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
      start("relay-accept", this::acceptOne);
    }

    int port() {
      return listener.getLocalPort();
    }

    private void start(String name, Runnable r) {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }

    private void acceptOne() {
      try (ServerSocket l = listener) {
        Socket c = l.accept();
        Socket s = new Socket(target.getAddress(), target.getPort());
        synchronized (open) {
          open.add(c);
          open.add(s);
        }
        start("relay-c2s", () -> clientToServer(c, s));
        start("relay-s2c", () -> copy(s, c));
      } catch (IOException closed) {
        // closed before a client came, or the target refused: the test's awaits report it
      }
    }

    private void clientToServer(Socket c, Socket s) {
      try {
        DataInputStream in = new DataInputStream(c.getInputStream());
        OutputStream out = s.getOutputStream();
        // the greeting as it comes: each side sends its signature and waits for the other's
        byte[] greeting = new byte[64];
        for (int got = 0, n; got < 64; got += n) {
          n = in.read(greeting, got, 64 - got);
          if (n < 0) throw new IOException("relay: the client closed in its greeting");
          out.write(greeting, got, n);
          out.flush();
        }
        boolean done = false;
        for (int frames = 0; frames < 10_000; frames++) { // bounded
          int flags = in.readUnsignedByte();
          long size = (flags & 0x02) != 0 ? in.readLong() : in.readUnsignedByte();
          if (size < 0 || size > 1 << 20) throw new IOException("relay: frame of " + size + " bytes");
          byte[] body = new byte[(int) size];
          in.readFully(body);
          byte[] header = (flags & 0x02) != 0
              ? java.nio.ByteBuffer.allocate(9).put((byte) flags).putLong(size).array()
              : new byte[] {(byte) flags, (byte) size};
          boolean message = body.length > 8 && body[0] == 7
              && new String(body, 1, 7, StandardCharsets.US_ASCII).equals("MESSAGE");
          if (message && !done) {
            done = true;
            if (tamper == Tamper.FLIP_BIT) body[body.length - 1] ^= 0x01; // in the box (ciphertext)
            out.write(header);
            out.write(body);
            if (tamper == Tamper.REPLAY) {
              out.write(header);
              out.write(body);
            }
            out.flush();
            tampered.countDown();
          } else {
            out.write(header);
            out.write(body);
            out.flush();
          }
        }
      } catch (IOException gone) {
        // either side closed
      } finally {
        closeQuietly(c);
        closeQuietly(s);
      }
    }

    private static void copy(Socket from, Socket to) {
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) >= 0; ) {
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException gone) {
        // either side closed
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }

    private static void closeQuietly(AutoCloseable c) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing
      }
    }

    @Override
    public void close() throws InterruptedException {
      closeQuietly(listener);
      synchronized (open) {
        open.forEach(Relay::closeQuietly);
      }
      for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  private static void direct(ZSocket direct, ZSocket server, String text) {
    direct.send(Msg.ofStrings(text));
    Msg m = server.recv();
    assertNotNull(m, "the direct client's " + text + " within " + WAIT);
    assertEquals(text, m.frame(0).text(), "the server receives the direct client's message and nothing else");
  }

  /** A libzmq CURVE PUSH (pyzmq): connects to argv[1] with server key argv[2], sends RELAYED messages, waits for stdin to close. */
  private static final String LIBZMQ_PUSH = """
      import sys, zmq
      ctx = zmq.Context()
      s = ctx.socket(zmq.PUSH)
      s.setsockopt(zmq.LINGER, 0)
      s.curve_serverkey = sys.argv[2].encode()
      pub, sec = zmq.curve_keypair()
      s.curve_publickey, s.curve_secretkey = pub, sec
      s.connect(sys.argv[1])
      for i in range(%d):
          s.send_string("relayed-%%d" %% i)
      print("SENT", flush=True)
      sys.stdin.readline()
      s.close()
      ctx.term()
      """.formatted(RELAYED);

  @ParameterizedTest
  @EnumSource(Tamper.class)
  void aTamperedMessageDropsThatConnectionOnlyAndNothingForgedIsDelivered(Tamper tamper) throws Exception {
    tampered(tamper, port -> {
      ZSocket relayed = client();
      relayed.connect("tcp://127.0.0.1:" + port);
      for (int i = 0; i < RELAYED; i++) relayed.send(Msg.ofStrings("relayed-" + i), Duration.ofMillis(100));
      return () -> { };
    });
  }

  /** The same with libzmq 4.3.4's CURVE client (pyzmq) behind the relay. */
  @ParameterizedTest
  @EnumSource(Tamper.class)
  void aTamperedLibzmqMessageDropsThatConnectionOnly(Tamper tamper) throws Exception {
    io.pekkozmq.testkit.PyZmq.requireLibzmq();
    tampered(tamper, port -> {
      io.pekkozmq.testkit.PyPeer py = io.pekkozmq.testkit.PyZmq.start(LIBZMQ_PUSH, "tcp://127.0.0.1:" + port, SERVER.publicZ85());
      return py::close;
    });
  }

  interface RelayedClient {
    AutoCloseable start(int relayPort) throws Exception;
  }

  private void tampered(Tamper tamper, RelayedClient relayedClient) throws Exception {
    ZSocket server = socket(SocketType.PULL, Map.of(ZmqOption.CURVE_SERVER, true, ZmqOption.CURVE_SECRETKEY, SERVER.secretKey()));
    TestProbe<SocketEvent> events = TestProbe.create(SocketEvent.class, ctx.system());
    server.monitor(events.ref(), EventType.ALL_V1);
    URI ep = URI.create(server.bind("tcp://127.0.0.1:*"));

    ZSocket direct = client();
    direct.connect(ep.toString());
    direct(direct, server, "direct-before");
    SocketEvent first = await(events, EventType.HANDSHAKE_SUCCEEDED);
    assertNotNull(first);

    try (Relay relay = new Relay(new InetSocketAddress(ep.getHost(), ep.getPort()), tamper);
         AutoCloseable relayed = relayedClient.start(relay.port())) {
      assertTrue(relay.tampered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the relay saw a MESSAGE");

      SocketEvent e = await(events, EventType.HANDSHAKE_FAILED_PROTOCOL);
      assertEquals(tamper == Tamper.REPLAY ? ProtocolError.ZMTP_INVALID_SEQUENCE.code() : ProtocolError.ZMTP_CRYPTOGRAPHIC.code(),
          e.value(), "the server's event for a " + tamper);

      // the direct client keeps working; what the relayed connection delivered arrived before the
      // failure, so it is received before the direct client's next message
      direct.send(Msg.ofStrings("direct-after"));
      List<String> got = new ArrayList<>();
      for (int i = 0; i < RELAYED + 2; i++) {
        Msg m = server.recv();
        assertNotNull(m, "direct-after within " + WAIT + "; got " + got);
        got.add(m.frame(0).text());
        if (got.get(got.size() - 1).equals("direct-after")) break;
      }
      List<String> expected = tamper == Tamper.REPLAY ? List.of("relayed-0", "direct-after") : List.of("direct-after");
      assertEquals(expected, got, "the original once at most, never a copy, a forged box or anything after it");
      direct(direct, server, "direct-later");
      assertEquals(null, server.tryRecv(), "nothing more of the tampered connection");
    }
  }
}
