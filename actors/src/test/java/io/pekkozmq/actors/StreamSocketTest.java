package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.impl.pipe.Pipe;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * STREAM against peers that speak no ZeroMQ (java.net sockets), in the spirit of libzmq's
 * test_stream, test_stream_disconnect and test_stream_empty: notifications, data both ways, closing
 * a peer, routing to several peers, chunked large data, back-pressure, a port scanner, and ipc.
 */
class StreamSocketTest extends RuntimePerClass {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int EPIPE = 32;
  private Path tmp;

  @BeforeAll
  void start() throws IOException {
    tmp = Files.createTempDirectory("pzmq-stream");
  }

  // ---- helpers --------------------------------------------------------------------------------

  static Msg recv(ZSocket s) {
    Msg m = s.recv(WAIT);
    assertNotNull(m, "nothing received within " + WAIT);
    assertEquals(2, m.size(), () -> "STREAM delivers [id, data], got " + m);
    return m;
  }

  /** Receives a connect or disconnect notification and returns its id. */
  static byte[] recvNotification(ZSocket s) {
    Msg m = recv(s);
    assertEquals(0, m.frame(1).size(), () -> "expected a notification [id, empty], got " + m);
    return m.frame(0).toByteArray();
  }

  static void assertGeneratedId(byte[] id) {
    assertEquals(5, id.length, "libzmq's generated ids are 5 bytes");
    assertEquals(0, id[0], "and start with a zero byte");
  }

  /** Receives data frames from {@code id} until {@code n} bytes have come; returns them and the chunk count. */
  static byte[] recvBytes(ZSocket s, byte[] id, int n, List<Integer> chunks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(n);
    while (out.size() < n) {
      Msg m = recv(s);
      assertArrayEquals(id, m.frame(0).toByteArray(), "data from an unexpected peer");
      assertTrue(m.frame(1).size() > 0, () -> "peer went away after " + out.size() + " of " + n + " bytes");
      out.write(m.frame(1).array(), m.frame(1).offset(), m.frame(1).size());
      if (chunks != null) chunks.add(m.frame(1).size());
    }
    assertEquals(n, out.size(), "more bytes than sent");
    return out.toByteArray();
  }

  static String recvText(ZSocket s, byte[] id, int n) {
    return new String(recvBytes(s, id, n, null), StandardCharsets.UTF_8);
  }

  static void send(ZSocket s, byte[] id, String text) {
    s.send(Msg.of(Frame.wrap(id, Frame.MORE), Frame.of(text)));
  }

  static void close(ZSocket s, byte[] id) {
    s.send(Msg.of(Frame.wrap(id, Frame.MORE), Frame.EMPTY));
  }

  static Socket client(String endpoint) throws IOException {
    int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    Socket c = new Socket(InetAddress.getLoopbackAddress(), port);
    c.setSoTimeout((int) WAIT.toMillis());
    c.setTcpNoDelay(true);
    return c;
  }

  static String readText(InputStream in, int n) throws IOException {
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  static void write(Socket c, String text) throws IOException {
    c.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    c.getOutputStream().flush();
  }

  private ZSocket stream() {
    ZSocket s = zmq.socket(SocketType.STREAM);
    s.setOption(ZmqOption.LINGER, 0);
    return s;
  }

  // ---- our STREAM binding, plain TCP clients ---------------------------------------------------

  @Test
  void boundStreamNotifiesConnectCarriesDataBothWaysAndNotifiesDisconnect() throws IOException {
    try (ZSocket server = stream()) {
      TestProbe<SocketEvent> events = monitor(server);
      String ep = server.bind("tcp://127.0.0.1:*");
      try (Socket c = client(ep)) {
        byte[] id = recvNotification(server);
        assertGeneratedId(id);
        write(c, "hello");
        assertEquals("hello", recvText(server, id, 5));
        send(server, id, "world");
        assertEquals("world", readText(c.getInputStream(), 5));
      }
      byte[] gone = recvNotification(server);
      List<EventType> seen = new ArrayList<>();
      SocketEvent e;
      do {
        e = events.receiveMessage(WAIT);
        seen.add(e.type());
        if (e.type() == EventType.HANDSHAKE_FAILED_NO_DETAIL) {
          assertEquals(EPIPE, e.value(), "libzmq reports the errno of the peer's close");
        }
      } while (e.type() != EventType.DISCONNECTED);
      // libzmq's raw engine has no handshake: no HANDSHAKE_SUCCEEDED, and its disconnect counts as a
      // handshake failure without detail
      assertEquals(List.of(EventType.LISTENING, EventType.ACCEPTED, EventType.HANDSHAKE_FAILED_NO_DETAIL,
          EventType.DISCONNECTED), seen);
      assertEquals(5, gone.length);
    }
  }

  @Test
  void emptyFrameClosesThePeerAfterWritingWhatWasQueuedAndForgetsIt() throws IOException {
    try (ZSocket server = stream()) {
      String ep = server.bind("tcp://127.0.0.1:*");
      try (Socket c = client(ep)) {
        byte[] id = recvNotification(server);
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 20_000; i++) big.append("line ").append(i).append('\n');
        send(server, id, big.toString());
        send(server, id, "last words");
        close(server, id);
        // everything queued arrives, then end of stream
        byte[] all = c.getInputStream().readAllBytes();
        assertEquals(big + "last words", new String(all, StandardCharsets.UTF_8));
        ZmqException e = assertThrows(ZmqException.class, () -> send(server, id, "too late"));
        assertEquals(Errno.EHOSTUNREACH, e.errno());
      }
      // closing it ourselves gives no disconnect notification: the next message is a new peer's
      try (Socket c2 = client(ep)) {
        byte[] id2 = recvNotification(server);
        write(c2, "second");
        assertEquals("second", recvText(server, id2, 6));
      }
    }
  }

  @Test
  void sendingToAnUnknownIdFailsWithEhostunreach() {
    try (ZSocket server = stream()) {
      server.bind("tcp://127.0.0.1:*");
      ZmqException e = assertThrows(ZmqException.class, () -> send(server, new byte[] {0, 1, 2, 3, 4}, "nobody"));
      assertEquals(Errno.EHOSTUNREACH, e.errno());
    }
  }

  @Test
  void severalClientsEachGetTheReplyToTheirOwnRequest() throws IOException {
    try (ZSocket server = stream()) {
      String ep = server.bind("tcp://127.0.0.1:*");
      List<Socket> clients = new ArrayList<>();
      try {
        Map<String, byte[]> idByName = new HashMap<>();
        for (int i = 0; i < 5; i++) {
          Socket c = client(ep);
          clients.add(c);
          recvNotification(server);
        }
        for (int i = 0; i < clients.size(); i++) write(clients.get(i), "client-" + i);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < clients.size(); i++) {
          Msg m = recv(server);
          String name = m.frame(1).text();
          assertTrue(name.startsWith("client-"), name);
          idByName.put(name, m.frame(0).toByteArray());
          ids.add(Arrays.toString(m.frame(0).toByteArray()));
        }
        assertEquals(5, ids.size(), "every connection has its own id");
        for (Map.Entry<String, byte[]> en : idByName.entrySet()) send(server, en.getValue(), "reply to " + en.getKey());
        for (int i = 0; i < clients.size(); i++) {
          String expected = "reply to client-" + i;
          assertEquals(expected, readText(clients.get(i).getInputStream(), expected.length()));
        }
      } finally {
        for (Socket c : clients) c.close();
      }
    }
  }

  /** libzmq's STREAM example: an HTTP server that answers each request and closes the connection. */
  @Test
  void answersAnHttpRequestAndClosesTheConnection() throws IOException {
    try (ZSocket server = stream()) {
      String ep = server.bind("tcp://127.0.0.1:*");
      try (Socket c = client(ep)) {
        byte[] id = recvNotification(server);
        write(c, "GET /hello HTTP/1.0\r\nHost: localhost\r\n\r\n");
        StringBuilder request = new StringBuilder();
        while (!request.toString().endsWith("\r\n\r\n")) {
          Msg m = recv(server);
          assertArrayEquals(id, m.frame(0).toByteArray());
          request.append(m.frame(1).text());
        }
        assertTrue(request.toString().startsWith("GET /hello HTTP/1.0\r\n"), request.toString());
        String body = "Hello, World!";
        send(server, id, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        close(server, id);
        String response = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(response.startsWith("HTTP/1.0 200 OK\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\n" + body), response);
      }
    }
  }

  @Test
  void aMebibyteCrossesIntactInChunksBothWays() throws Exception {
    byte[] blob = new byte[1 << 20];
    new Random(42).nextBytes(blob);
    try (ZSocket server = stream()) {
      String ep = server.bind("tcp://127.0.0.1:*");
      try (Socket c = client(ep)) {
        byte[] id = recvNotification(server);
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
          try {
            c.getOutputStream().write(blob);
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
        });
        List<Integer> chunks = new ArrayList<>();
        assertArrayEquals(blob, recvBytes(server, id, blob.length, chunks));
        writing.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(chunks.size() >= 16, "each read is one message of at most 64 KiB: " + chunks.size());
        assertTrue(chunks.stream().allMatch(n -> n <= 64 * 1024), chunks.toString());
        server.send(Msg.of(Frame.wrap(id, Frame.MORE), Frame.wrap(blob)));
        assertArrayEquals(blob, c.getInputStream().readNBytes(blob.length));
      }
    }
  }

  @Test
  void aFullInboundPipeHoldsThePeerBackAndLosesNothing() throws Exception {
    int total = 32 << 20;
    try (ZSocket server = stream()) {
      server.setOption(ZmqOption.RCVHWM, 4);
      String ep = server.bind("tcp://127.0.0.1:*");
      try (Socket c = client(ep)) {
        byte[] id = recvNotification(server);
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
          byte[] block = new byte[64 * 1024];
          try {
            OutputStream out = c.getOutputStream();
            for (int sent = 0; sent < total; sent += block.length) {
              for (int i = 0; i < block.length; i++) block[i] = (byte) ((sent + i) * 31 >>> 8);
              out.write(block);
            }
          } catch (IOException e) {
            throw new RuntimeException(e);
          }
        });
        // Far more than the kernel buffers can hold: the writer must stall while we do not read.
        assertThrows(TimeoutException.class, () -> writing.get(1, TimeUnit.SECONDS),
            "the peer wrote 32 MiB while the socket read nothing: no back-pressure");
        for (Pipe.End end : server.core().pipesSnapshot()) {
          assertTrue(end.inboundQueued() <= 4, "the inbound pipe stays at RCVHWM: " + end.inboundQueued());
        }
        long received = 0;
        while (received < total) {
          Msg m = recv(server);
          Frame data = m.frame(1);
          assertTrue(data.size() > 0, "peer went away early");
          for (int i = 0; i < data.size(); i++) {
            long pos = received + i;
            if (data.byteAt(i) != (byte) (pos * 31 >>> 8)) {
              throw new AssertionError("byte " + pos + " differs");
            }
          }
          received += data.size();
        }
        writing.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(total, received);
      }
    }
  }

  @Test
  void portScannersLeaveTheSocketWorkingForOthers() throws IOException {
    try (ZSocket server = stream()) {
      String ep = server.bind("tcp://127.0.0.1:*");
      for (int i = 0; i < 5; i++) {
        Socket scan = client(ep);
        if (i % 2 == 0) scan.setSoLinger(true, 0); // half of them reset the connection
        scan.close();
      }
      // each scanner is announced and then reported gone, in that order, with its own id
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < 10; i++) {
        String id = Arrays.toString(recvNotification(server));
        int n = seen.merge(id, 1, Integer::sum);
        assertTrue(n <= 2, "more than two notifications for " + id);
      }
      assertEquals(5, seen.size());
      assertTrue(seen.values().stream().allMatch(n -> n == 2), seen.toString());
      try (Socket c = client(ep)) {
        byte[] id = recvNotification(server);
        write(c, "still here");
        assertEquals("still here", recvText(server, id, 10));
        send(server, id, "yes");
        assertEquals("yes", readText(c.getInputStream(), 3));
      }
    }
  }

  @Test
  void withoutStreamNotifyOnlyDataArrives() throws IOException {
    try (ZSocket server = stream()) {
      server.setOption(ZmqOption.STREAM_NOTIFY, false);
      assertEquals(false, server.getOption(ZmqOption.STREAM_NOTIFY));
      String ep = server.bind("tcp://127.0.0.1:*");
      try (Socket c = client(ep)) {
        write(c, "first");
        Msg m = recv(server);
        assertEquals("first", m.frame(1).text());
        byte[] id = m.frame(0).toByteArray();
        send(server, id, "ack");
        assertEquals("ack", readText(c.getInputStream(), 3));
      }
      try (Socket c2 = client(ep)) {
        write(c2, "second");
        assertEquals("second", recv(server).frame(1).text(), "no disconnect notification for the first peer");
      }
    }
  }

  @Test
  void worksOverIpc() throws IOException {
    Path path = tmp.resolve("stream.ipc");
    try (ZSocket server = stream()) {
      server.bind("ipc://" + path);
      try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        c.connect(UnixDomainSocketAddress.of(path));
        byte[] id = recvNotification(server);
        assertGeneratedId(id);
        c.write(ByteBuffer.wrap("over ipc".getBytes(StandardCharsets.UTF_8)));
        assertEquals("over ipc", recvText(server, id, 8));
        send(server, id, "back");
        ByteBuffer in = ByteBuffer.allocate(4);
        while (in.hasRemaining()) assertTrue(c.read(in) >= 0, "early end of stream");
        assertEquals("back", new String(in.array(), StandardCharsets.UTF_8));
      }
      assertEquals(5, recvNotification(server).length);
    }
  }

  // ---- our STREAM connecting to a plain TCP server ---------------------------------------------

  @Test
  void connectingStreamQueuesEarlyDataKeepsItsIdAcrossReconnectsAndClosesForGood() throws IOException {
    try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        ZSocket s = stream()) {
      listener.setSoTimeout((int) WAIT.toMillis());
      s.setOption(ZmqOption.RECONNECT_IVL, 50);
      TestProbe<SocketEvent> events = monitor(s);
      byte[] id = "backend".getBytes(StandardCharsets.UTF_8);
      s.setOption(ZmqOption.CONNECT_ROUTING_ID, id);
      s.connect("tcp://127.0.0.1:" + listener.getLocalPort());
      send(s, id, "sent before the connection");
      try (Socket peer = listener.accept()) {
        peer.setSoTimeout((int) WAIT.toMillis());
        assertArrayEquals(id, recvNotification(s));
        assertEquals("sent before the connection", readText(peer.getInputStream(), 26));
        write(peer, "pong");
        assertEquals("pong", recvText(s, id, 4));
        MonitorProbes.await(events, EventType.CONNECTED, WAIT);
      }
      assertArrayEquals(id, recvNotification(s), "the server's close is a disconnect notification");
      assertEquals(EPIPE, MonitorProbes.await(events, EventType.HANDSHAKE_FAILED_NO_DETAIL, WAIT).value());
      MonitorProbes.await(events, EventType.DISCONNECTED, WAIT);
      MonitorProbes.await(events, EventType.CONNECT_RETRIED, WAIT);
      try (Socket peer = listener.accept()) {
        peer.setSoTimeout((int) WAIT.toMillis());
        assertArrayEquals(id, recvNotification(s), "the reconnection keeps the id");
        send(s, id, "again");
        assertEquals("again", readText(peer.getInputStream(), 5));
        close(s, id);
        assertEquals(-1, peer.getInputStream().read(), "our empty frame closes the connection");
      }
      listener.setSoTimeout(500);
      assertThrows(SocketTimeoutException.class, listener::accept, "a peer we closed is not reconnected");
      assertNull(s.recv(Duration.ofMillis(100)), "and gives no notification");
    }
  }

  @Test
  void connectToAnIpcServer() throws IOException {
    Path path = tmp.resolve("server.ipc");
    try (var listener = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ZSocket s = stream()) {
      listener.bind(UnixDomainSocketAddress.of(path));
      s.connect("ipc://" + path);
      try (SocketChannel peer = listener.accept()) {
        byte[] id = recvNotification(s);
        assertGeneratedId(id);
        send(s, id, "hi");
        ByteBuffer in = ByteBuffer.allocate(2);
        while (in.hasRemaining()) assertTrue(peer.read(in) >= 0);
        assertEquals("hi", new String(in.array(), StandardCharsets.UTF_8));
        peer.write(ByteBuffer.wrap("ho".getBytes(StandardCharsets.UTF_8)));
        assertEquals("ho", recvText(s, id, 2));
      }
    }
  }
}
