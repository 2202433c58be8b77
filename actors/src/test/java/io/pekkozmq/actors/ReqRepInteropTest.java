package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
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
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request-reply family against real libzmq (pyzmq): REQ↔REP both ways, our ROUTER serving
 * three libzmq DEALERs and a libzmq ROUTER serving three of ours (each reply back to its sender),
 * and ROUTER↔ROUTER with explicit ROUTING_ID / CONNECT_ROUTING_ID; our side binding and
 * connecting, over tcp and ipc.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReqRepInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int COUNT = 300;
  private static final int PEERS = 3;

  /** argv: role, bind|connect, endpoint (several comma-separated for a connecting ROUTER), count. */
  static final String PEER = """
      import sys, zmq
      role, mode, ep, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
      ctx = zmq.Context()
      def body(i):
          return bytes([i & 0xff]) * (70000 if i % 100 == 99 else (i * 37) % 300)
      def sock(kind, **opts):
          s = ctx.socket(kind)
          s.setsockopt(zmq.LINGER, 10000)
          s.setsockopt(zmq.RCVTIMEO, 20000)
          s.setsockopt(zmq.SNDTIMEO, 20000)
          for name, value in opts.items():
              s.setsockopt(getattr(zmq, name), value)
          return s
      def place(s, where):
          if mode == "bind":
              if where.startswith("tcp://"):
                  return "tcp://127.0.0.1:%d" % s.bind_to_random_port("tcp://127.0.0.1")
              s.bind(where)
              return where
          for e in where.split(","):
              s.connect(e)
          return where
      def check(got, want, what):
          if got != want:
              print("BAD %s: got %r" % (what, [p[:24] for p in got]))
              sys.exit(1)
      if role == "REP":
          s = sock(zmq.REP)
          print("ENDPOINT " + place(s, ep))
          for i in range(count):
              m = s.recv_multipart()
              check(m, [b"%d" % i, body(i)], "request %d" % i)
              s.send_multipart(m + [b"rep"])
      elif role == "REQ":
          s = sock(zmq.REQ)
          print("ENDPOINT " + place(s, ep))
          for i in range(count):
              s.send_multipart([b"%d" % i, body(i)])
              check(s.recv_multipart(), [b"%d" % i, body(i), b"rep"], "reply %d" % i)
      elif role == "DEALERS":
          ds = [sock(zmq.DEALER) for k in range(3)]
          eps = [place(d, ep if mode == "connect" or ep.startswith("tcp://") else "%s-%d" % (ep, k))
                 for k, d in enumerate(ds)]
          print("ENDPOINT " + ",".join(eps))
          for i in range(count):
              for k, d in enumerate(ds):
                  d.send_multipart([b"d%d" % k, b"%d" % i, body(i)])
          for k, d in enumerate(ds):
              for i in range(count):
                  check(d.recv_multipart(), [b"d%d" % k, b"%d" % i, body(i), b"back"], "reply %d to dealer %d" % (i, k))
      elif role == "ROUTER":
          s = sock(zmq.ROUTER, ROUTER_MANDATORY=1)
          print("ENDPOINT " + place(s, ep))
          ids = {}
          for j in range(3 * count):
              m = s.recv_multipart()
              ids.setdefault(m[1], set()).add(m[0])
              s.send_multipart(m + [b"back"])
          if len(ids) != 3 or any(len(v) != 1 for v in ids.values()) or len(set().union(*ids.values())) != 3:
              print("BAD ids %r" % ids)
              sys.exit(1)
          print("IDS " + " ".join(sorted(next(iter(v)).hex() for v in ids.values())))
      elif role == "RR_SERVER":
          s = sock(zmq.ROUTER, ROUTING_ID=b"py-server")
          print("ENDPOINT " + place(s, ep))
          for i in range(count):
              m = s.recv_multipart()
              check(m, [b"our-client", b"hello", b"%d" % i], "request %d" % i)
              s.send_multipart([m[0], b"world", b"%d" % i])
      elif role == "RR_CLIENT":
          s = sock(zmq.ROUTER, ROUTING_ID=b"py-client", CONNECT_ROUTING_ID=b"server-alias", ROUTER_MANDATORY=1)
          print("ENDPOINT " + place(s, ep))
          for i in range(count):
              s.send_multipart([b"server-alias", b"hello", b"%d" % i])
              check(s.recv_multipart(), [b"server-alias", b"world", b"%d" % i], "reply %d" % i)
      else:
          print("BAD role " + role)
          sys.exit(2)
      print("DONE")
      s = None
      ctx.destroy(linger=10000)
      """;

  private ZContext ctx;
  private Path tmp;

  @BeforeAll
  void start() throws Exception {
    PyZmq.requireLibzmq();
    ctx = new ZContext();
    tmp = Files.createTempDirectory("pzmq-reqrep");
  }

  @AfterAll
  void stop() {
    if (ctx != null) ctx.close();
  }

  static Stream<Arguments> placements() {
    List<Arguments> cases = new ArrayList<>();
    for (boolean weBind : List.of(true, false)) {
      for (String transport : List.of("tcp", "ipc")) cases.add(Arguments.of(weBind, transport));
    }
    return cases.stream();
  }

  static byte[] body(int i) {
    byte[] b = new byte[i % 100 == 99 ? 70_000 : (i * 37) % 300];
    Arrays.fill(b, (byte) i);
    return b;
  }

  static Msg request(int i) {
    return Msg.of(Frame.of(Integer.toString(i)), Frame.wrap(body(i)));
  }

  /** Where our socket binds, or python binds ("tcp://" lets it pick a port). */
  private String endpoint(String transport, String name) {
    return transport.equals("tcp") ? "tcp://127.0.0.1:*" : "ipc://" + tmp.resolve(name);
  }

  /** Starts the python peer; when it binds, returns its endpoint(s) in {@code bound[0]}. */
  private PyPeer peer(String role, boolean weBind, String ourEndpoints, String transport, String name, String[] bound) {
    String pyEp = weBind ? ourEndpoints : transport.equals("tcp") ? "tcp://" : "ipc://" + tmp.resolve(name + "-py");
    PyPeer py = PyZmq.start(PEER, role, weBind ? "connect" : "bind", pyEp, Integer.toString(COUNT));
    bound[0] = py.awaitLine("ENDPOINT ", WAIT).substring(9);
    return py;
  }

  private static void finish(PyPeer py) {
    assertEquals("DONE", py.awaitLine("", WAIT), py.stderr());
    assertEquals(0, py.waitFor(WAIT), py.stderr());
  }

  @ParameterizedTest(name = "we-bind={0} {1}")
  @MethodSource("placements")
  void reqGetsEachReplyFromLibzmqRep(boolean weBind, String transport) {
    String[] bound = new String[1];
    try (ZSocket req = ctx.socket(SocketType.REQ)) {
      String ours = weBind ? req.bind(endpoint(transport, "req-" + weBind)) : null;
      try (PyPeer py = peer("REP", weBind, ours, transport, "req", bound)) {
        if (!weBind) req.connect(bound[0]);
        for (int i = 0; i < COUNT; i++) {
          assertTrue(req.send(request(i), WAIT), "request " + i);
          Msg reply = req.recv(WAIT);
          assertNotNull(reply, "reply " + i + " did not arrive");
          assertEquals(3, reply.size(), "the delimiter is stripped");
          assertEquals(Integer.toString(i), reply.frame(0).text());
          assertArrayEquals(body(i), reply.frame(1).toByteArray());
          assertEquals("rep", reply.frame(2).text());
        }
        finish(py);
      }
    }
  }

  @ParameterizedTest(name = "we-bind={0} {1}")
  @MethodSource("placements")
  void repAnswersLibzmqReqThroughItsEnvelope(boolean weBind, String transport) {
    String[] bound = new String[1];
    try (ZSocket rep = ctx.socket(SocketType.REP)) {
      rep.setOption(ZmqOption.LINGER, 10_000);
      String ours = weBind ? rep.bind(endpoint(transport, "rep-" + weBind)) : null;
      try (PyPeer py = peer("REQ", weBind, ours, transport, "rep", bound)) {
        if (!weBind) rep.connect(bound[0]);
        for (int i = 0; i < COUNT; i++) {
          Msg m = rep.recv(WAIT);
          assertNotNull(m, "request " + i + " did not arrive");
          assertEquals(2, m.size(), "the envelope is hidden");
          assertEquals(Integer.toString(i), m.frame(0).text());
          rep.send(Msg.of(m.frame(0), m.frame(1), Frame.of("rep")));
        }
        finish(py);
      }
    }
  }

  @ParameterizedTest(name = "we-bind={0} {1}")
  @MethodSource("placements")
  void routerRepliesToEachOfThreeLibzmqDealers(boolean weBind, String transport) {
    String[] bound = new String[1];
    try (ZSocket router = ctx.socket(SocketType.ROUTER)) {
      router.setOption(ZmqOption.LINGER, 10_000);
      String ours = weBind ? router.bind(endpoint(transport, "router-" + weBind)) : null;
      try (PyPeer py = peer("DEALERS", weBind, ours, transport, "router", bound)) {
        if (!weBind) for (String e : bound[0].split(",")) router.connect(e);
        Map<String, byte[]> idOfDealer = new HashMap<>();
        Map<String, Integer> nextOfDealer = new HashMap<>();
        for (int j = 0; j < PEERS * COUNT; j++) {
          Msg m = router.recv(WAIT);
          assertNotNull(m, "message " + j + " did not arrive");
          assertEquals(4, m.size());
          byte[] id = m.frame(0).toByteArray();
          assertEquals(5, id.length, "a generated id is 5 bytes");
          assertEquals(0, id[0], "a generated id starts with a zero byte");
          String dealer = m.frame(1).text();
          byte[] known = idOfDealer.putIfAbsent(dealer, id);
          if (known != null) assertArrayEquals(known, id, "one id per dealer");
          int expected = nextOfDealer.merge(dealer, 1, Integer::sum) - 1;
          assertEquals(Integer.toString(expected), m.frame(2).text(), "order from " + dealer);
          router.send(Msg.of(m.frame(0), m.frame(1), m.frame(2), m.frame(3), Frame.of("back")));
        }
        assertEquals(PEERS, idOfDealer.size());
        Set<String> distinct = new HashSet<>();
        for (byte[] id : idOfDealer.values()) distinct.add(Arrays.toString(id));
        assertEquals(PEERS, distinct.size(), "each dealer has its own id");
        finish(py);
      }
    }
  }

  @ParameterizedTest(name = "we-bind={0} {1}")
  @MethodSource("placements")
  void libzmqRouterRepliesToEachOfOurThreeDealers(boolean weBind, String transport) {
    String[] bound = new String[1];
    List<ZSocket> dealers = new ArrayList<>();
    try {
      List<String> ours = new ArrayList<>();
      for (int k = 0; k < PEERS; k++) {
        ZSocket d = ctx.socket(SocketType.DEALER);
        d.setOption(ZmqOption.LINGER, 10_000);
        dealers.add(d);
        if (weBind) ours.add(d.bind(endpoint(transport, "dealer-" + k)));
      }
      try (PyPeer py = peer("ROUTER", weBind, String.join(",", ours), transport, "dealers", bound)) {
        if (!weBind) for (ZSocket d : dealers) d.connect(bound[0]);
        for (int i = 0; i < COUNT; i++) {
          for (int k = 0; k < PEERS; k++) {
            dealers.get(k).send(Msg.of(Frame.of("d" + k), Frame.of(Integer.toString(i)), Frame.wrap(body(i))));
          }
        }
        for (int k = 0; k < PEERS; k++) {
          for (int i = 0; i < COUNT; i++) {
            Msg m = dealers.get(k).recv(WAIT);
            assertNotNull(m, "reply " + i + " to dealer " + k + " did not arrive");
            assertEquals(4, m.size());
            assertEquals("d" + k, m.frame(0).text(), "a reply reaches its sender only");
            assertEquals(Integer.toString(i), m.frame(1).text());
            assertArrayEquals(body(i), m.frame(2).toByteArray());
            assertEquals("back", m.frame(3).text());
          }
        }
        String ids = py.awaitLine("IDS ", WAIT);
        for (String id : ids.substring(4).split(" ")) assertTrue(id.startsWith("00") && id.length() == 10, ids);
        finish(py);
      }
    } finally {
      dealers.forEach(ZSocket::close);
    }
  }

  @ParameterizedTest(name = "we-bind={0} {1}")
  @MethodSource("placements")
  void routerToRouterWithExplicitRoutingIds(boolean weBind, String transport) {
    String[] bound = new String[1];
    try (ZSocket router = ctx.socket(SocketType.ROUTER)) {
      router.setOption(ZmqOption.LINGER, 10_000);
      router.setOption(ZmqOption.ROUTING_ID, (weBind ? "our-server" : "our-client").getBytes(StandardCharsets.UTF_8));
      String ours = weBind ? router.bind(endpoint(transport, "rr-" + weBind)) : null;
      try (PyPeer py = peer(weBind ? "RR_CLIENT" : "RR_SERVER", weBind, ours, transport, "rr", bound)) {
        if (weBind) {
          for (int i = 0; i < COUNT; i++) {
            Msg m = router.recv(WAIT);
            assertNotNull(m, "request " + i + " did not arrive");
            assertEquals("py-client", m.frame(0).text(), "the peer's ROUTING_ID names it");
            assertEquals("hello", m.frame(1).text());
            assertEquals(Integer.toString(i), m.frame(2).text());
            router.send(Msg.of(m.frame(0), Frame.of("world"), m.frame(2)));
          }
        } else {
          router.setOption(ZmqOption.ROUTER_MANDATORY, true);
          router.setOption(ZmqOption.CONNECT_ROUTING_ID, "server-alias".getBytes(StandardCharsets.UTF_8));
          router.connect(bound[0]);
          for (int i = 0; i < COUNT; i++) {
            // libzmq: a peer named by CONNECT_ROUTING_ID is routable from the connect on
            router.send(Msg.ofStrings("server-alias", "hello", Integer.toString(i)));
            Msg m = router.recv(WAIT);
            assertNotNull(m, "reply " + i + " did not arrive");
            assertEquals(List.of("server-alias", "world", Integer.toString(i)), texts(m));
          }
        }
        finish(py);
      }
    }
  }

  static List<String> texts(Msg m) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < m.size(); i++) out.add(m.frame(i).text());
    return out;
  }
}
