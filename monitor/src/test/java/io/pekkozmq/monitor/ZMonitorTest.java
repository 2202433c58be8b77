package io.pekkozmq.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.ConfigFactory;
import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * libzmq-format monitor sockets: seed 000's errors, frames byte for byte (v1 against what libzmq
 * itself writes, v2 against libzmq's layout), PUB monitors filtered by event, the reader, one
 * monitor per socket, and what happens while nobody reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZMonitorTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(200);
  private ZContext ctx;
  private final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  void start() {
    ctx = new ZContext();
  }

  @AfterAll
  void stop() {
    ctx.close();
  }

  private String inproc() {
    return "inproc://zmonitor-test-" + names.incrementAndGet();
  }

  private ZSocket reader(SocketType type, String endpoint) {
    ZSocket r = ctx.socket(type);
    r.setOption(ZmqOption.LINGER, 0);
    r.connect(endpoint);
    return r;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static byte[] u64(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<byte[]> frames(Msg m) {
    List<byte[]> out = new ArrayList<>();
    for (Frame f : m) out.add(f.toByteArray());
    return out;
  }

  private static Msg recv(ZSocket r) {
    Msg m = r.recv(WAIT);
    assertNotNull(m, "no monitor message within " + WAIT);
    return m;
  }

  // ---- errors, as seed 000 and libzmq's socket_base_t::monitor ---------------------------------

  @Test
  void aMonitorEndpointThatIsNotInprocIsProtocolNotSupported() {
    try (ZSocket client = ctx.socket(SocketType.DEALER)) {
      ZmqException e = assertThrows(ZmqException.class,
          () -> ZMonitor.monitor(client, "tcp://127.0.0.1:9999", 0, 2, SocketType.PAIR));
      assertEquals(Errno.EPROTONOSUPPORT, e.errno());
      assertTrue(e.getMessage().contains("protocol not supported"), e.getMessage());
      assertEquals(Errno.EPROTONOSUPPORT, assertThrows(ZmqException.class,
          () -> ZMonitor.monitor(client, "carrier-pigeon://x", EventType.ALL_V1, 1, SocketType.PAIR)).errno());
    }
  }

  @Test
  void anUnsupportedTypeOrVersionOrAV1MaskBeyondSixteenEventsIsInvalid() {
    try (ZSocket s = ctx.socket(SocketType.DEALER)) {
      assertEquals(Errno.EINVAL, assertThrows(ZmqException.class,
          () -> ZMonitor.monitor(s, inproc(), EventType.ALL_V1, 1, SocketType.REQ)).errno());
      assertEquals(Errno.EINVAL, assertThrows(ZmqException.class,
          () -> ZMonitor.monitor(s, inproc(), EventType.ALL_V1, 3, SocketType.PAIR)).errno());
      ZmqException v1 = assertThrows(ZmqException.class,
          () -> ZMonitor.monitor(s, inproc(), EventType.ALL_V2, 1, SocketType.PAIR));
      assertEquals(Errno.EINVAL, v1.errno());
      assertTrue(v1.getMessage().contains("first 16 events"), v1.getMessage());
    }
  }

  @Test
  void aMonitorOnATerminatedContextIsTerminated() {
    ZContext other = new ZContext();
    ZSocket s = other.socket(SocketType.PAIR);
    other.close();
    assertEquals(Errno.ETERM, assertThrows(ZmqException.class,
        () -> ZMonitor.monitor(s, "inproc://after-term", EventType.ALL_V1, 1, SocketType.PAIR)).errno());
  }

  @Test
  void aMonitorEndpointAlreadyBoundIsInUse() {
    String ep = inproc();
    try (ZSocket taken = ctx.socket(SocketType.PAIR); ZSocket s = ctx.socket(SocketType.PUSH)) {
      taken.bind(ep);
      assertEquals(Errno.EADDRINUSE, assertThrows(ZmqException.class,
          () -> ZMonitor.monitor(s, ep, EventType.ALL_V1, 1, SocketType.PAIR)).errno());
    }
  }

  // ---- v1 frames, byte for byte as libzmq writes them -----------------------------------------

  /** A PUSH connecting to a refused port, then closed; a PULL failing to bind: on libzmq and ours. */
  @Test
  void v1FramesAreByteForByteLibzmqs() throws Exception {
    int refused = freePort();
    try (LibzmqDriver py = new LibzmqDriver()) {
      py.socket("holder", "PULL");
      String held = py.bind("holder", "tcp://127.0.0.1:*");
      String target = "tcp://127.0.0.1:" + refused;

      // libzmq: zmq_socket_monitor, event version 1, PAIR
      py.socket("c", "PUSH");
      py.option("c", "RECONNECT_IVL", 10_000);
      py.monitor("c");
      py.connect("c", target);
      List<List<byte[]>> theirs = new ArrayList<>(py.rawEvents("c", 3, WAIT));
      py.close("c");
      theirs.addAll(py.rawEvents("c", 1, WAIT));
      py.socket("b", "PULL");
      py.monitor("b");
      py.callFailing("bind b " + held);
      theirs.addAll(py.rawEvents("b", 2, WAIT));

      // ours: the same, through ZMonitor
      List<List<byte[]>> ours = new ArrayList<>();
      ZSocket c = ctx.socket(SocketType.PUSH);
      c.setOption(ZmqOption.RECONNECT_IVL, 10_000);
      String epC = inproc();
      ZMonitor.monitor(c, epC, EventType.ALL_V1, 1, SocketType.PAIR);
      try (ZSocket r = reader(SocketType.PAIR, epC)) {
        c.connect(target);
        for (int i = 0; i < 3; i++) ours.add(frames(recv(r)));
        c.close();
        ours.add(frames(recv(r)));
      }
      try (ZSocket b = ctx.socket(SocketType.PULL)) {
        String epB = inproc();
        ZMonitor.monitor(b, epB, EventType.ALL_V1, 1, SocketType.PAIR);
        try (ZSocket r = reader(SocketType.PAIR, epB)) {
          assertThrows(ZmqException.class, () -> b.bind(held));
          for (int i = 0; i < 2; i++) ours.add(frames(recv(r)));
        }
      }

      assertEquals(theirs.size(), ours.size());
      for (int i = 0; i < theirs.size(); i++) {
        List<byte[]> t = theirs.get(i);
        List<byte[]> o = ours.get(i);
        String what = "message " + i + ": libzmq " + hex(t) + ", ours " + hex(o);
        assertEquals(2, o.size(), what);
        assertEquals(6, o.get(0).length, what);
        assertArrayEquals(t.get(1), o.get(1), what + " (endpoint)");
        int event = (t.get(0)[0] & 0xff) | (t.get(0)[1] & 0xff) << 8;
        boolean fdOrTiming = event == EventType.CLOSED.value() || event == EventType.CONNECT_RETRIED.value();
        if (fdOrTiming) {
          assertArrayEquals(java.util.Arrays.copyOf(t.get(0), 2), java.util.Arrays.copyOf(o.get(0), 2), what);
        } else {
          assertArrayEquals(t.get(0), o.get(0), what);
        }
      }
      // and the values that are not file descriptors, spelled out: CONNECT_DELAYED 115 (EINPROGRESS),
      // MONITOR_STOPPED 0, BIND_FAILED 98 (EADDRINUSE), little endian
      assertArrayEquals(new byte[] {0x02, 0, 115, 0, 0, 0}, ours.get(0).get(0));
      assertArrayEquals(new byte[] {0x00, 0x04, 0, 0, 0, 0}, ours.get(3).get(0));
      assertArrayEquals(new byte[] {0x10, 0, 98, 0, 0, 0}, ours.get(5).get(0));
      assertEquals(held.substring("tcp://".length()), new String(ours.get(5).get(1), StandardCharsets.UTF_8));
    }
  }

  private static String hex(List<byte[]> frames) {
    return frames.stream().map(f -> HexFormat.of().formatHex(f)).toList().toString();
  }

  // ---- v2 frames: libzmq's layout (socket_base.cpp monitor_event, case 2) ---------------------

  @Test
  void v2FramesAreEventCountValuesLocalRemoteInLittleEndianU64s() throws Exception {
    int refused = freePort();
    String target = "tcp://127.0.0.1:" + refused;
    ZSocket c = ctx.socket(SocketType.PUSH);
    c.setOption(ZmqOption.RECONNECT_IVL, 10_000);
    String ep = inproc();
    ZMonitor.monitor(c, ep, EventType.ALL_V2, 2, SocketType.PAIR);
    try (ZSocket r = reader(SocketType.PAIR, ep)) {
      c.connect(target);
      List<byte[]> delayed = frames(recv(r));
      assertEquals(5, delayed.size());
      assertArrayEquals(u64(0x0002), delayed.get(0), "event");
      assertArrayEquals(u64(1), delayed.get(1), "one value");
      assertArrayEquals(u64(115), delayed.get(2), "EINPROGRESS");
      assertArrayEquals(new byte[0], delayed.get(3), "no local endpoint before the connection");
      assertArrayEquals(utf8(target), delayed.get(4), "remote endpoint");
      recv(r); // CLOSED
      recv(r); // CONNECT_RETRIED
      c.send("queued"); // waits in the pipe: nothing listens
      ZMonitor.requestPipesStats(c);
      List<byte[]> stats = frames(recv(r));
      assertEquals(6, stats.size());
      assertArrayEquals(new byte[] {0, 0, 1, 0, 0, 0, 0, 0}, stats.get(0), "PIPES_STATS is 0x10000");
      assertArrayEquals(u64(2), stats.get(1), "two values");
      assertArrayEquals(u64(1), stats.get(2), "one message queued outbound");
      assertArrayEquals(u64(0), stats.get(3), "none inbound");
      assertArrayEquals(new byte[0], stats.get(4));
      assertArrayEquals(utf8(target), stats.get(5));
      c.setOption(ZmqOption.LINGER, 0); // else it lingers (and monitors) until the message is out
      c.close();
      List<byte[]> stopped = frames(recv(r));
      assertEquals(List.of("0004000000000000", "0100000000000000", "0000000000000000", "", ""),
          stopped.stream().map(f -> HexFormat.of().formatHex(f)).toList());
    }
  }

  // ---- socket types -----------------------------------------------------------------------------

  @Test
  void aPubMonitorLetsSubReadersSubscribeByEventNumber() {
    try (ZSocket s = ctx.socket(SocketType.PULL); ZSocket peer = ctx.socket(SocketType.PUSH)) {
      String ep = inproc();
      ZMonitor.monitor(s, ep, EventType.ALL_V2, 2, SocketType.PUB);
      try (ZSocket handshakes = reader(SocketType.SUB, ep); ZSocket listening = reader(SocketType.SUB, ep)) {
        handshakes.subscribe(u64(EventType.HANDSHAKE_SUCCEEDED.value()));
        handshakes.subscribe(u64(EventType.LISTENING.value()));
        listening.subscribe(u64(EventType.LISTENING.value()));
        // a PUB drops what no subscription asks for yet: bind until both have seen a LISTENING
        String bound = null;
        for (ZSocket sub : List.of(handshakes, listening)) {
          for (int i = 0; ; i++) {
            if (i == 100) fail("a SUB never received LISTENING");
            bound = s.bind("tcp://127.0.0.1:*");
            Msg m = sub.recv(Duration.ofMillis(50));
            if (m != null) break;
          }
        }
        drain(handshakes);
        drain(listening);
        peer.connect(bound);
        MonitorEvent e = MonitorEventReader.read(handshakes, 2, WAIT);
        assertEquals(EventType.HANDSHAKE_SUCCEEDED, e.type(), "ACCEPTED, not subscribed, went by: " + e);
        assertNull(handshakes.recv(QUIET));
        assertNull(listening.recv(Duration.ofMillis(10)), "the other SUB asked only for LISTENING");
      }
    }
  }

  private static void drain(ZSocket s) {
    while (s.recv(Duration.ofMillis(20)) != null) {
      // LISTENING events of the subscription loop
    }
  }

  @Test
  void aPushMonitorFeedsAPullReader() {
    ZSocket s = ctx.socket(SocketType.PULL);
    String ep = inproc();
    ZMonitor.Handle h = ZMonitor.monitor(s, ep, EventType.LISTENING.value() | EventType.MONITOR_STOPPED.value(), 1,
        SocketType.PUSH);
    assertEquals(SocketType.PUSH, h.type());
    try (ZSocket r = reader(SocketType.PULL, ep)) {
      String bound = s.bind("tcp://127.0.0.1:*");
      MonitorEvent listening = MonitorEventReader.read(r, 1, WAIT);
      assertEquals(EventType.LISTENING, listening.type());
      assertEquals(bound, listening.endpoint());
      s.close();
      assertEquals(EventType.MONITOR_STOPPED, MonitorEventReader.read(r, 1, WAIT).type(), "CLOSED was not asked for");
    }
  }

  // ---- one monitor per socket, MONITOR_STOPPED only if asked for -------------------------------

  @Test
  void aNewMonitorReplacesTheOldOneWhichGetsMonitorStopped() {
    try (ZSocket s = ctx.socket(SocketType.PULL)) {
      String first = inproc();
      ZMonitor.Handle old = ZMonitor.monitor(s, first, EventType.ALL_V1, 1, SocketType.PAIR);
      try (ZSocket r1 = reader(SocketType.PAIR, first)) {
        s.bind("tcp://127.0.0.1:*");
        assertEquals(EventType.LISTENING, MonitorEventReader.read(r1, 1, WAIT).type());
        // the same endpoint again: the old monitor socket is gone first, so the name is free
        ZMonitor.monitor(s, first, EventType.LISTENING.value(), 2, SocketType.PAIR);
        assertTrue(old.stopped().isDone());
        assertEquals(EventType.MONITOR_STOPPED, MonitorEventReader.read(r1, 1, WAIT).type());
        try (ZSocket r2 = reader(SocketType.PAIR, first)) {
          String bound = s.bind("tcp://127.0.0.1:*");
          MonitorEvent e = MonitorEventReader.read(r2, 2, WAIT);
          assertEquals(EventType.LISTENING, e.type());
          assertEquals(bound, e.localEndpoint());
          assertNull(r1.recv(QUIET), "the old monitor is done");
          ZMonitor.monitor(s, null, 0, 1, SocketType.PAIR); // zmq_socket_monitor(s, NULL, 0)
          assertNull(r2.recv(QUIET), "MONITOR_STOPPED was not in its mask");
        }
      }
    }
  }

  // ---- nobody reading ---------------------------------------------------------------------------

  @Test
  void eventsWaitForAReaderThatConnectsLate() {
    try (ZSocket s = ctx.socket(SocketType.PULL)) {
      String ep = inproc();
      ZMonitor.monitor(s, ep, EventType.ALL_V1, 1, SocketType.PAIR);
      List<String> bound = new ArrayList<>();
      for (int i = 0; i < 3; i++) bound.add(s.bind("tcp://127.0.0.1:*")); // libzmq would block here
      try (ZSocket r = reader(SocketType.PAIR, ep)) {
        for (String b : bound) assertEquals(b, MonitorEventReader.read(r, 1, WAIT).endpoint());
      }
    }
  }

  @Test
  void withoutAReaderTheBacklogKeepsTheNewestAndCountsTheRest() {
    ZContext small = new ZContext(ConfigFactory.parseString("pekko-zmq.monitor.socket-backlog = 4")
        .withFallback(ConfigFactory.load()));
    try (ZSocket s = small.socket(SocketType.PULL)) {
      String ep = "inproc://backlog";
      ZMonitor.Handle h = ZMonitor.monitor(s, ep, EventType.LISTENING.value(), 1, SocketType.PAIR);
      List<String> bound = new ArrayList<>();
      for (int i = 0; i < 10; i++) bound.add(s.bind("tcp://127.0.0.1:*"));
      ZSocket r = small.socket(SocketType.PAIR);
      r.connect(ep);
      for (String b : bound.subList(6, 10)) assertEquals(b, MonitorEventReader.read(r, 1, WAIT).endpoint());
      assertNull(r.recv(QUIET));
      assertEquals(6, h.droppedEvents());
    } finally {
      small.close();
    }
  }

  // ---- the reader -------------------------------------------------------------------------------

  @Test
  void theReaderDecodesWhatTheEncoderWritesInBothVersions() {
    List<SocketEvent> samples = List.of(
        SocketEvent.of(EventType.ACCEPTED, List.of(7L), "tcp://127.0.0.1:5555", "tcp://127.0.0.1:40000", true, "s"),
        SocketEvent.of(EventType.CONNECTED, List.of(9L), "tcp://127.0.0.1:40000", "tcp://127.0.0.1:5555", false, "s"),
        SocketEvent.of(EventType.HANDSHAKE_FAILED_PROTOCOL, List.of(0x11000002L), "", "tcp://[::1]:1", false, "s"),
        SocketEvent.of(EventType.MONITOR_STOPPED, List.of(0L), "", "", false, "s"),
        SocketEvent.of(EventType.PIPES_STATS, List.of(3L, 4L), "ipc:///tmp/é", "", true, "s"));
    for (SocketEvent e : samples) {
      MonitorEvent v2 = MonitorEventReader.decode(MonitorFrames.encode(e, 2), 2);
      assertEquals(e.type(), v2.type());
      assertEquals(e.values(), v2.values());
      assertEquals(e.localEndpoint(), v2.localEndpoint());
      assertEquals(e.remoteEndpoint(), v2.remoteEndpoint());
      if (e.type() == EventType.PIPES_STATS) {
        assertThrows(IllegalArgumentException.class, () -> MonitorFrames.encode(e, 1), "v2 only");
        continue;
      }
      MonitorEvent v1 = MonitorEventReader.decode(MonitorFrames.encode(e, 1), 1);
      assertEquals(e.type(), v1.type());
      assertEquals(List.of(e.value()), v1.values());
      assertEquals(e.endpoint(), v1.endpoint(), "v1 keeps libzmq's one endpoint");
    }
    // a u32 value above 2^31 stays unsigned
    MonitorEvent big = MonitorEventReader.decode(MonitorFrames.encode(
        SocketEvent.of(EventType.HANDSHAKE_FAILED_AUTH, 0xFFFFFFF0L, "", "", "s"), 1), 1);
    assertEquals(0xFFFFFFF0L, big.value());
  }

  @Test
  void theReaderRefusesWhatIsNotAMonitorMessageAndSaysWhy() {
    assertMalformed(Msg.ofStrings("hello"), 1, "2 frames");
    assertMalformed(Msg.ofBytes(new byte[5], new byte[0]), 1, "6 bytes");
    assertMalformed(Msg.ofBytes(u64(1), u64(1), u64(0)), 2, "at least 4 frames");
    assertMalformed(Msg.ofBytes(u64(1), u64(2), u64(0), new byte[0], new byte[0]), 2, "announces 2 values but carries 1");
    assertMalformed(Msg.ofBytes(u64(1), u64(1), new byte[3], new byte[0], new byte[0]), 2, "value 0 is 8 bytes");
    assertMalformed(Msg.ofBytes(new byte[6], new byte[0]), 3, "version 3");
  }

  private static void assertMalformed(Msg m, int version, String says) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MonitorEventReader.decode(m, version));
    assertTrue(e.getMessage().contains(says), "'" + e.getMessage() + "' should say " + says);
  }

  @Test
  void theReaderReadsLibzmqsOwnMonitorMessages() throws Exception {
    try (LibzmqDriver py = new LibzmqDriver()) {
      py.socket("s", "PULL");
      py.monitor("s");
      String bound = py.bind("s", "tcp://127.0.0.1:*");
      List<byte[]> frames = py.rawEvents("s", 1, WAIT).get(0);
      MonitorEvent e = MonitorEventReader.decode(Msg.ofBytes(frames.toArray(new byte[0][])), 1);
      assertEquals(EventType.LISTENING, e.type());
      assertEquals(bound, e.endpoint());
      py.close("s");
    }
  }
}
