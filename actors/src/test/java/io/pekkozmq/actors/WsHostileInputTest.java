package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Raw TCP peers that break ZWS 2.0 against our ws:// bound PULL: each loses its own connection
 * with HANDSHAKE_FAILED_PROTOCOL carrying libzmq's WS_UNSPECIFIED (0x30000000), then DISCONNECTED,
 * and our PUSH on the same socket keeps delivering.
 */
class WsHostileInputTest extends RuntimePerClass {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long WS_UNSPECIFIED = 0x30000000L;

  private static final String GOOD_UPGRADE = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      + "Sec-WebSocket-Protocol: ZWS2.0/NULL\r\nSec-WebSocket-Version: 13\r\n\r\n";

  /** Everything the server sends until it closes; fails if it does not close within WAIT. */
  private static String readUntilClosed(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) all.write(buf, 0, n);
    } catch (java.net.SocketException reset) {
      // a reset is a close too
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"zmtp-greeting", "wrong-protocol", "no-protocol", "unmasked-frame", "length-2^63", "text-frame"})
  void aBrokenWebSocketPeerLosesOnlyItsOwnConnection(String fault) throws Exception {
    try (ZSocket pull = zmq.socket(SocketType.PULL); ZSocket push = zmq.socket(SocketType.PUSH)) {
      TestProbe<SocketEvent> events = monitor(pull);
      String ep = pull.bind("ws://127.0.0.1:*/hostile");
      push.connect(ep);
      MonitorProbes.await(events, EventType.HANDSHAKE_SUCCEEDED, WAIT);
      try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), URI.create(ep).getPort())) {
        peer.setSoTimeout((int) WAIT.toMillis());
        OutputStream out = peer.getOutputStream();
        boolean upgraded = false;
        switch (fault) {
          case "zmtp-greeting" -> out.write(MockZmtpPeer.greeting(3, 1, "NULL"));
          case "wrong-protocol" -> out.write(GOOD_UPGRADE.replace("ZWS2.0/NULL", "chat").getBytes(StandardCharsets.US_ASCII));
          case "no-protocol" -> out.write(GOOD_UPGRADE.replace("Sec-WebSocket-Protocol: ZWS2.0/NULL\r\n", "")
              .getBytes(StandardCharsets.US_ASCII));
          default -> {
            out.write(GOOD_UPGRADE.getBytes(StandardCharsets.US_ASCII));
            upgraded = true;
            byte[] frame = switch (fault) {
              case "unmasked-frame" -> new byte[] {(byte) 0x82, 1, 0}; // a client must mask
              case "length-2^63" -> new byte[] {(byte) 0x82, (byte) 0xff, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
              default -> new byte[] {(byte) 0x81, (byte) 0x81, 0, 0, 0, 0, 'x'};
            };
            out.write(frame);
          }
        }
        out.flush();
        SocketEvent failed = MonitorProbes.await(events, EventType.HANDSHAKE_FAILED_PROTOCOL, WAIT);
        assertEquals(WS_UNSPECIFIED, failed.value(), fault);
        MonitorProbes.await(events, EventType.DISCONNECTED, WAIT);
        String reply = readUntilClosed(peer);
        if (upgraded) {
          assertTrue(reply.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), reply);
        } else {
          assertTrue(reply.startsWith("HTTP/1.1 400 Bad Request\r\n"), "a refused upgrade is answered 400: " + reply);
        }
      }
      push.send("still here after " + fault);
      Msg m = pull.recv(WAIT);
      assertNotNull(m, "our own peer stopped getting through");
      assertEquals("still here after " + fault, m.first().text());
    }
  }
}
