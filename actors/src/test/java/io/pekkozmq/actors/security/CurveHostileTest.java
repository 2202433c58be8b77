package io.pekkozmq.actors.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.engine.security.CurveKeys;
import io.pekkozmq.engine.zmtp.ProtocolError;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;

/**
 * Hostile peers on a CURVE endpoint, through real sockets: a wrong server key (a clear event on the
 * server, reconnects paced by RECONNECT_IVL on the client, not a tight loop), a NULL client, a port
 * scanner and raw truncated or oversized HELLOs (CVE-2020-15166: a legitimate client keeps getting
 * through meanwhile), and back-pressure: a slow consumer holds a CURVE sender at HWM with nothing lost.
 */
class CurveHostileTest extends SecuritySockets {
  private static final CurveKeys SERVER = CurveKeys.generate();
  private static final CurveKeys CLIENT = CurveKeys.generate();


  private ZSocket server() {
    return socket(SocketType.PULL, Map.of(ZmqOption.CURVE_SERVER, true, ZmqOption.CURVE_SECRETKEY, SERVER.secretKey()));
  }

  private ZSocket client(byte[] serverKey, Map<ZmqOption, Object> extra) {
    Map<ZmqOption, Object> o = new java.util.LinkedHashMap<>(Map.of(ZmqOption.CURVE_SERVERKEY, serverKey,
        ZmqOption.CURVE_PUBLICKEY, CLIENT.publicKey(), ZmqOption.CURVE_SECRETKEY, CLIENT.secretKey()));
    o.putAll(extra);
    return socket(SocketType.PUSH, o);
  }

  @Test
  void aWrongServerKeyIsAClearEventAndReconnectsArePacedNotATightLoop() {
    ZSocket server = server();
    TestProbe<SocketEvent> serverEvents = monitor(server);
    String ep = server.bind("tcp://127.0.0.1:*");
    int ivl = 200;
    ZSocket client = client(CurveKeys.generate().publicKey(), Map.of(ZmqOption.RECONNECT_IVL, ivl));
    TestProbe<SocketEvent> clientEvents = monitor(client);
    client.connect(ep);
    client.send(io.pekkozmq.engine.Msg.ofStrings("must not arrive"), java.time.Duration.ofMillis(100)); // a refused peer's pipe may be gone
    SocketEvent e = await(serverEvents, EventType.HANDSHAKE_FAILED_PROTOCOL, EventType.HANDSHAKE_SUCCEEDED);
    assertEquals(EventType.HANDSHAKE_FAILED_PROTOCOL, e.type());
    assertEquals(ProtocolError.ZMTP_CRYPTOGRAPHIC.code(), e.value(), "the server cannot open the HELLO box");

    // count the client's connections over a bounded window, measured from its first one
    await(clientEvents, EventType.CONNECTED);
    long windowMs = 2000;
    long end = System.nanoTime() + windowMs * 1_000_000;
    int connects = 1;
    int failures = 0;
    while (true) {
      long left = end - System.nanoTime();
      if (left <= 0) break;
      SocketEvent ev;
      try {
        ev = clientEvents.receiveMessage(Duration.ofNanos(left));
      } catch (AssertionError windowOver) {
        break;
      }
      if (ev.type() == EventType.CONNECTED) connects++;
      if (ev.type() == EventType.HANDSHAKE_FAILED_NO_DETAIL) failures++;
    }
    assertTrue(connects >= 3, "it keeps trying: " + connects + " connections in " + windowMs + " ms");
    assertTrue(connects <= windowMs / ivl + 2, "each retry waits RECONNECT_IVL: " + connects + " in " + windowMs + " ms");
    assertTrue(failures >= 2, "each attempt ends in a handshake failure the client reports: " + failures);
    assertNull(server.tryRecv());
  }

  @Test
  void aNullClientNeverGetsThroughToACurveServer() {
    ZSocket server = server();
    TestProbe<SocketEvent> serverEvents = monitor(server);
    String ep = server.bind("tcp://127.0.0.1:*");
    ZSocket plain = socket(SocketType.PUSH, Map.of());
    plain.connect(ep);
    plain.send(io.pekkozmq.engine.Msg.ofStrings("cleartext"), java.time.Duration.ofMillis(100)); // a refused peer's pipe may be gone
    SocketEvent e = await(serverEvents, EventType.HANDSHAKE_FAILED_PROTOCOL, EventType.HANDSHAKE_SUCCEEDED);
    assertEquals(ProtocolError.ZMTP_MECHANISM_MISMATCH.code(), e.value());
    assertNull(server.tryRecv());
  }

  /** A CURVE client's greeting (ZMTP 3.1, as-server 0). */
  private static byte[] curveGreeting() {
    byte[] g = new byte[64];
    g[0] = (byte) 0xff;
    g[8] = 1;
    g[9] = 0x7f;
    g[10] = 3;
    g[11] = 1;
    byte[] m = "CURVE".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(m, 0, g, 12, m.length);
    return g;
  }

  private static void raw(URI ep, byte[]... chunks) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(ep.getHost(), ep.getPort()), (int) WAIT.toMillis());
      OutputStream out = s.getOutputStream();
      for (byte[] c : chunks) out.write(c);
      out.flush();
    } // closed at once: a scanner does not wait for answers
  }

  @Test
  void scannersGarbageAndMalformedHellosNeverStopALegitimateClient() throws Exception {
    ZSocket server = server();
    TestProbe<SocketEvent> serverEvents = monitor(server);
    String ep = server.bind("tcp://127.0.0.1:*");
    URI uri = URI.create(ep);
    ZSocket good = client(SERVER.publicKey(), Map.of());
    good.connect(ep);
    byte[] garbage = new byte[1024];
    new java.util.Random(7).nextBytes(garbage);
    garbage[0] = (byte) 0xff; // looks like a signature start, then nonsense
    byte[] hello = "\u0005HELLO".getBytes(StandardCharsets.US_ASCII);
    byte[] truncatedHello = new byte[2 + hello.length + 20];
    truncatedHello[0] = 0x04; // short command frame
    truncatedHello[1] = (byte) (hello.length + 20); // a HELLO is 200 bytes
    System.arraycopy(hello, 0, truncatedHello, 2, hello.length);
    byte[] oversizedHello = new byte[9 + hello.length];
    oversizedHello[0] = 0x06; // long command frame claiming 1 GiB
    oversizedHello[4] = 0x40;
    System.arraycopy(hello, 0, oversizedHello, 9, hello.length);

    for (int round = 0; round < 5; round++) {
      raw(uri); // connect and close
      raw(uri, garbage);
      raw(uri, curveGreeting(), truncatedHello);
      raw(uri, curveGreeting(), oversizedHello);
      good.send("legit " + round);
      Msg m = server.recv();
      assertNotNull(m);
      assertEquals("legit " + round, m.frame(0).text());
    }
    SocketEvent e = await(serverEvents, EventType.HANDSHAKE_FAILED_PROTOCOL);
    assertTrue(e.value() == ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO.code() || e.value() == ProtocolError.ZMTP_UNSPECIFIED.code(),
        "a malformed HELLO is reported: " + Long.toHexString(e.value()));
    assertNull(server.tryRecv(), "nothing but the legitimate client's messages");
  }

  @Test
  void aSlowConsumerHoldsACurveSenderAtHwmAndNothingIsLost() throws Exception {
    // more than the two HWMs and the kernel's socket buffers can hold between them
    int total = (int) io.pekkozmq.testkit.PyScripts.kernelBufferedMessages(1000) + 1000;
    ZSocket server = socket(SocketType.PULL, Map.of(ZmqOption.CURVE_SERVER, true, ZmqOption.CURVE_SECRETKEY,
        SERVER.secretKey(), ZmqOption.RCVHWM, 20));
    String ep = server.bind("tcp://127.0.0.1:*");
    ZSocket sender = client(SERVER.publicKey(), Map.of(ZmqOption.SNDHWM, 20));
    sender.connect(ep);
    byte[] pad = new byte[1000];
    int sent = 0;
    long deadline = System.nanoTime() + WAIT.toNanos();
    // fill until the pipes and the kernel's buffers hold the sender back
    int stalls = 0;
    while (sent < total && System.nanoTime() < deadline) {
      if (sender.send(msg(sent, pad), Duration.ofMillis(500))) {
        sent++;
      } else if (++stalls == 1) {
        break;
      }
    }
    assertTrue(sent < total, "the sender was held back at HWM after " + sent + " messages");
    int held = sent;
    Thread rest = new Thread(() -> {
      for (int i = held; i < total; i++) sender.send(msg(i, pad));
    }, "curve-sender");
    rest.start();
    for (int i = 0; i < total; i++) {
      Msg m = server.recv();
      assertEquals("" + i, m.frame(0).text(), "in order, none lost");
      assertEquals(pad.length, m.frame(1).size());
    }
    rest.join(WAIT.toMillis());
    assertFalse(rest.isAlive());
    assertNull(server.tryRecv());
  }

  private static Msg msg(int i, byte[] pad) {
    return Msg.ofBytes(("" + i).getBytes(StandardCharsets.US_ASCII), pad);
  }
}
