package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assumptions;

/**
 * ZWS 2.0 against a peer that is not ours: a WebSocket client and server on Debian's
 * python3-websockets (10.4), which does RFC 6455 (upgrade, masking: its server refuses unmasked
 * client frames, its client masked server frames) and nothing of ZeroMQ. The script speaks ZWS 2.0
 * by hand: the NULL mechanism's READY with Socket-Type (or, under the bare {@code ZWS2.0}, a
 * routing id as first message), then frames whose first payload byte carries MORE/COMMAND, and it
 * prints what it received byte for byte. libzmq 4.3.4 from Debian is built without ws (pyzmq's
 * {@code zmq.has('ws')} is false), so there is no libzmq case.
 */
class WsPythonInteropTest extends RuntimePerClass {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final String SCRIPT = """
      import asyncio, hashlib, sys, websockets
      import websockets.legacy.client as wsclient, websockets.legacy.server as wsserver
      # ZWS 2.0's subprotocol names (ZWS2.0/NULL) are not HTTP tokens ('/'), which websockets
      # refuses; a plain comma split stands in for its token parser, and nothing else changes
      for m in (wsclient, wsserver):
          m.parse_subprotocol = lambda value: [p.strip() for p in value.split(',') if p.strip()]
          m.validate_subprotocols = lambda protocols: None
      mode, where, protocol, ident = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].encode()
      BIG = bytes(i % 251 for i in range(70000))

      def prop(name, value):
          return bytes([len(name)]) + name + len(value).to_bytes(4, 'big') + value

      async def talk(ws):
          print('protocol', ws.subprotocol, flush=True)
          if protocol == 'ZWS2.0':
              await ws.send(b'\\x00' + ident)                       # bare ZWS2.0: routing id first
              first = await ws.recv()
              print('routing', first.hex(), flush=True)
          else:
              await ws.send(b'\\x02' + b'\\x05READY' + prop(b'Socket-Type', b'PAIR' if not ident else b'DEALER')
                            + prop(b'Identity', ident))
              first = await ws.recv()
              print('ready', first.hex(), flush=True)
          await ws.send(b'\\x01' + b'hello')                        # MORE
          await ws.send(b'\\x00' + BIG)                             # last frame, 64-bit length
          for _ in range(2):
              m = await ws.recv()
              print('frame', '%02x' % m[0], len(m) - 1, hashlib.sha256(m[1:]).hexdigest(), flush=True)
          await ws.close()
          print('closed', flush=True)

      async def handler(ws, path=None):
          print('path', ws.path, flush=True)
          print('offered', ws.request_headers.get('Sec-WebSocket-Protocol'), flush=True)
          await talk(ws)
          done.set_result(True)

      async def main():
          global done
          done = asyncio.get_running_loop().create_future()
          if mode == 'client':
              async with websockets.connect(where, subprotocols=[protocol], max_size=None, compression=None) as ws:
                  await talk(ws)
          else:
              async with websockets.serve(handler, '127.0.0.1', 0, subprotocols=[protocol], max_size=None,
                                          compression=None) as server:
                  print('listening', server.sockets[0].getsockname()[1], flush=True)
                  await asyncio.wait_for(done, 30)

      asyncio.run(main())
      """;

  private static final byte[] BIG = new byte[70_000];

  static {
    for (int i = 0; i < BIG.length; i++) BIG[i] = (byte) (i % 251);
  }

  @BeforeAll
  void requireWebsockets() throws Exception {
    Process p = new ProcessBuilder(PyZmq.PYTHON, "-c", "import websockets").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    if (!ok) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("python3-websockets is required on CI: " + out);
      Assumptions.assumeTrue(false, "python3-websockets not available: " + out);
    }
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static String after(PyPeer py, String prefix) {
    return py.awaitLine(prefix + " ", WAIT).substring(prefix.length() + 1);
  }

  /** The flags byte of a READY (02), its name, and a Socket-Type property naming {@code type}. */
  private static void assertReady(String hex, String type) {
    assertTrue(hex.startsWith("02" + "05" + HexFormat.of().formatHex("READY".getBytes())), hex);
    String prop = HexFormat.of().formatHex(("\u000bSocket-Type\u0000\u0000\u0000" + (char) type.length() + type)
        .getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(hex.contains(prop), "READY names Socket-Type " + type + ": " + hex);
  }

  /** We send [ok, BIG]: the peer sees flags 01 then 00, and the bodies whole. */
  private static void assertOurReply(PyPeer py) throws Exception {
    assertEquals("01 2 " + sha256("ok".getBytes()), after(py, "frame"));
    assertEquals("00 70000 " + sha256(BIG), after(py, "frame"));
    py.awaitLine("closed", WAIT);
  }

  private static void assertTheirMessage(Msg m, int from) {
    assertNotNull(m, "the python peer's message");
    assertEquals("hello", m.frame(from).text());
    assertTrue(m.frame(from).hasMore());
    assertArrayEquals(BIG, m.frame(from + 1).toByteArray());
  }

  @Test
  void pythonClientWithNullMechanismToOurBoundPair() throws Exception {
    try (ZSocket pair = zmq.socket(SocketType.PAIR)) {
      TestProbe<SocketEvent> events = monitor(pair);
      String ep = pair.bind("ws://127.0.0.1:*/py");
      try (PyPeer py = PyZmq.start(SCRIPT, "client", ep, "ZWS2.0/NULL", "")) {
        assertEquals("ZWS2.0/NULL", after(py, "protocol"));
        assertReady(after(py, "ready"), "PAIR");
        assertTheirMessage(pair.recv(WAIT), 0);
        pair.send(Msg.of(Frame.of("ok"), Frame.wrap(BIG)));
        assertOurReply(py);
        // the peer's WebSocket close ends the connection cleanly
        MonitorProbes.await(events, EventType.DISCONNECTED, WAIT);
        assertEquals(0, py.waitFor(WAIT), py.stderr());
      }
    }
  }

  @Test
  void ourPairConnectsToAPythonServerAndMasksWhatItSends() throws Exception {
    try (PyPeer py = PyZmq.start(SCRIPT, "server", "-", "ZWS2.0/NULL", "");
         ZSocket pair = zmq.socket(SocketType.PAIR)) {
      int port = Integer.parseInt(after(py, "listening"));
      pair.connect("ws://127.0.0.1:" + port + "/zmq/path");
      assertEquals("/zmq/path", after(py, "path"));
      assertEquals("ZWS2.0/NULL,ZWS2.0", after(py, "offered"));
      assertEquals("ZWS2.0/NULL", after(py, "protocol"));
      // the websockets server drops a client whose frames are not masked: this READY came masked
      assertReady(after(py, "ready"), "PAIR");
      assertTheirMessage(pair.recv(WAIT), 0);
      pair.send(Msg.of(Frame.of("ok"), Frame.wrap(BIG)));
      assertOurReply(py);
      assertEquals(0, py.waitFor(WAIT), py.stderr());
    }
  }

  @Test
  void bareZws20ClientNamesItselfToOurRouter() throws Exception {
    try (ZSocket router = zmq.socket(SocketType.ROUTER)) {
      String ep = router.bind("ws://127.0.0.1:*");
      try (PyPeer py = PyZmq.start(SCRIPT, "client", ep, "ZWS2.0", "py-id")) {
        assertEquals("ZWS2.0", after(py, "protocol"));
        assertEquals("00", after(py, "routing"), "our routing id (none) comes first, flags 00");
        Msg m = router.recv(WAIT);
        assertNotNull(m);
        assertEquals("py-id", m.frame(0).text(), "the peer is named by its first message");
        assertTheirMessage(m, 1);
        router.send(Msg.of(Frame.of("py-id"), Frame.of("ok"), Frame.wrap(BIG)));
        assertOurReply(py);
        assertEquals(0, py.waitFor(WAIT), py.stderr());
      }
    }
  }

  @Test
  void ourDealerSpeaksBareZws20WhenTheServerChoosesIt() throws Exception {
    try (PyPeer py = PyZmq.start(SCRIPT, "server", "-", "ZWS2.0", "srv");
         ZSocket dealer = zmq.socket(SocketType.DEALER)) {
      dealer.setOption(ZmqOption.ROUTING_ID, "me".getBytes());
      int port = Integer.parseInt(after(py, "listening"));
      dealer.connect("ws://127.0.0.1:" + port);
      assertEquals("/", after(py, "path"));
      assertEquals("ZWS2.0", after(py, "protocol"));
      assertEquals("00" + HexFormat.of().formatHex("me".getBytes()), after(py, "routing"));
      assertTheirMessage(dealer.recv(WAIT), 0);
      dealer.send(Msg.of(Frame.of("ok"), Frame.wrap(BIG)));
      assertOurReply(py);
      assertEquals(0, py.waitFor(WAIT), py.stderr());
    }
  }
}
