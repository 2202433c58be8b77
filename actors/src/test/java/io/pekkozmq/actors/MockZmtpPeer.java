package io.pekkozmq.actors;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * A ZMTP peer written by hand over a blocking TCP socket, in the spirit of libzmq's
 * test_mock_pub_sub and test_heartbeats: it sends its greeting and READY byte by byte as the RFC
 * says, then lets a test read and write single frames and commands and stay silent when it likes.
 * Used from the test thread only.
 */
final class MockZmtpPeer implements AutoCloseable {
  /** One frame as it came off the wire. */
  record WireFrame(boolean command, boolean more, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.ISO_8859_1);
    }

    /** True for a command named {@code name}. */
    boolean isCommand(String name) {
      return command && body.length > name.length() && body[0] == name.length()
          && new String(body, 1, name.length(), StandardCharsets.US_ASCII).equals(name);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private byte[] peerGreeting;

  private MockZmtpPeer(Socket socket, Duration readTimeout) throws IOException {
    this.socket = socket;
    socket.setSoTimeout((int) readTimeout.toMillis());
    socket.setTcpNoDelay(true);
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** A loopback listener for our connecting sockets. */
  static ServerSocket listen(Duration acceptTimeout) throws IOException {
    ServerSocket s = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    s.setSoTimeout((int) acceptTimeout.toMillis());
    return s;
  }

  static String endpointOf(ServerSocket server) {
    return "tcp://127.0.0.1:" + server.getLocalPort();
  }

  static MockZmtpPeer accept(ServerSocket server, Duration readTimeout) throws IOException {
    return new MockZmtpPeer(server.accept(), readTimeout);
  }

  static MockZmtpPeer connect(String tcpEndpoint, Duration readTimeout) throws IOException {
    int port = Integer.parseInt(tcpEndpoint.substring(tcpEndpoint.lastIndexOf(':') + 1));
    return new MockZmtpPeer(new Socket(InetAddress.getLoopbackAddress(), port), readTimeout);
  }

  /**
   * Exchanges greetings (ZMTP 3.{@code minor}, NULL, as client) and READY commands announcing
   * {@code socketType}; returns our peer's READY.
   */
  WireFrame handshake(String socketType, int minor) throws IOException {
    out.write(greeting(3, minor, "NULL"));
    out.flush();
    peerGreeting = in.readNBytes(64);
    if (peerGreeting.length != 64) throw new IOException("peer closed during its greeting");
    writeCommand(readyBody(socketType));
    WireFrame theirs = readFrame();
    if (!theirs.isCommand("READY")) throw new IOException("expected READY, got " + theirs);
    return theirs;
  }

  /** A greeting as client with this version and mechanism (its name at most 20 bytes). */
  static byte[] greeting(int major, int minor, String mechanism) {
    ByteArrayOutputStream g = new ByteArrayOutputStream();
    g.writeBytes(new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, (byte) major, (byte) minor});
    byte[] m = new byte[20];
    byte[] name = mechanism.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, m, 0, name.length);
    g.writeBytes(m);
    g.write(0);
    g.writeBytes(new byte[31]);
    return g.toByteArray();
  }

  /** The body of a NULL-mechanism READY command announcing {@code socketType}. */
  static byte[] readyBody(String socketType) {
    ByteArrayOutputStream ready = new ByteArrayOutputStream();
    ready.write(5);
    ready.writeBytes("READY".getBytes(StandardCharsets.US_ASCII));
    ready.write(11);
    ready.writeBytes("Socket-Type".getBytes(StandardCharsets.US_ASCII));
    ready.writeBytes(new byte[] {0, 0, 0, (byte) socketType.length()});
    ready.writeBytes(socketType.getBytes(StandardCharsets.US_ASCII));
    return ready.toByteArray();
  }

  /** A frame as it goes on the wire: the flags (long form for a body over 255 bytes), the size, the body. */
  static byte[] frame(int flags, byte[] body) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    if (body.length > 255) {
      b.write(flags | 0x02);
      for (int s = 56; s >= 0; s -= 8) b.write((int) ((long) body.length >>> s));
    } else {
      b.write(flags);
      b.write(body.length);
    }
    b.writeBytes(body);
    return b.toByteArray();
  }

  /** The minor version the peer announced in its greeting. */
  int peerMinor() {
    return peerGreeting[11];
  }

  void writeCommand(byte[] body) throws IOException {
    writeFrame(0x04, body);
  }

  void writeData(byte[] body, boolean more) throws IOException {
    writeFrame(more ? 0x01 : 0x00, body);
  }

  void writeData(String text) throws IOException {
    writeData(text.getBytes(StandardCharsets.ISO_8859_1), false);
  }

  /** PING with a TTL in deciseconds and a context. */
  void ping(int ttlDeciseconds, String context) throws IOException {
    writeCommand(pingBody(ttlDeciseconds, context));
  }

  static byte[] pingBody(int ttlDeciseconds, String context) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(4);
    b.writeBytes("PING".getBytes(StandardCharsets.US_ASCII));
    b.write(ttlDeciseconds >>> 8);
    b.write(ttlDeciseconds);
    b.writeBytes(context.getBytes(StandardCharsets.ISO_8859_1));
    return b.toByteArray();
  }

  private void writeFrame(int flags, byte[] body) throws IOException {
    out.write(frame(flags, body));
    out.flush();
  }

  /** The next frame; fails with SocketTimeoutException after the read timeout. */
  WireFrame readFrame() throws IOException {
    int flags = in.readUnsignedByte();
    long size = (flags & 0x02) != 0 ? in.readLong() : in.readUnsignedByte();
    if (size > 16 * 1024 * 1024) throw new IOException("frame of " + size + " bytes; the mock takes 16 MiB at most");
    byte[] body = in.readNBytes((int) size);
    if (body.length != size) throw new IOException("peer closed mid-frame");
    return new WireFrame((flags & 0x04) != 0, (flags & 0x01) != 0, body);
  }

  /** The next data frame, answering and skipping commands (PINGs are answered with PONG). */
  WireFrame readData() throws IOException {
    while (true) {
      WireFrame f = readFrame();
      if (!f.command()) return f;
      if (f.isCommand("PING")) {
        byte[] pong = new byte[5 + f.body().length - 7];
        pong[0] = 4;
        System.arraycopy("PONG".getBytes(StandardCharsets.US_ASCII), 0, pong, 1, 4);
        System.arraycopy(f.body(), 7, pong, 5, f.body().length - 7);
        writeCommand(pong);
      }
    }
  }

  /** The next data frame if one starts within {@code wait}, else null (PINGs answered meanwhile). */
  WireFrame readDataWithin(Duration wait) throws IOException {
    int normal = socket.getSoTimeout();
    socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
    try {
      return readData();
    } catch (SocketTimeoutException e) {
      return null;
    } finally {
      socket.setSoTimeout(normal);
    }
  }

  /** Whether the peer closed the connection within the read timeout (reads and drops what comes). */
  boolean closedByPeer() throws IOException {
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // whatever our side still sends before it closes
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  static boolean startsWith(byte[] b, byte[] prefix) {
    return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
