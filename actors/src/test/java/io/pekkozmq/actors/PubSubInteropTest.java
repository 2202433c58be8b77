package io.pekkozmq.actors;

import static io.pekkozmq.actors.PubSubReceiving.hex;
import static io.pekkozmq.actors.PubSubReceiving.text;
import static io.pekkozmq.actors.PubSubReceiving.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyScripts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The publish-subscribe family against real libzmq (pyzmq, ZMTP 3.1: subscriptions as SUBSCRIBE and
 * CANCEL commands), our side binding and connecting, over tcp and ipc: publisher-side filtering in
 * both directions, and subscriptions arriving as {@code 01}/{@code 00}+topic at an XPUB on either
 * side.
 */
class PubSubInteropTest extends ContextPerClass {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int ROUNDS = 100;

  /**
   * argv: bind|connect, endpoint, role. Roles: SUB (subscribes A and C, reports what it gets), XPUB
   * (reports the subscription messages our SUB sends, the first on its own, then publishes), SUB_CANCEL (subscribes A and
   * B, cancels A when told, reports data), PUB (publishes every topic once told to).
   */
  private static final String PEER = """
      import sys, select, zmq
      """ + PyScripts.BIND_OR_CONNECT + """
      mode, ep, role = sys.argv[1], sys.argv[2], sys.argv[3]
      ctx = zmq.Context()
      s = ctx.socket({"SUB": zmq.SUB, "SUB_CANCEL": zmq.SUB, "XPUB": zmq.XPUB, "PUB": zmq.PUB}[role])
      s.setsockopt(zmq.LINGER, 5000)
      s.setsockopt(zmq.RCVTIMEO, 20000)
      if role == "SUB":
          s.setsockopt(zmq.SUBSCRIBE, b"A")
          s.setsockopt(zmq.SUBSCRIBE, b"C")
      if role == "SUB_CANCEL":
          s.setsockopt(zmq.SUBSCRIBE, b"A")
          s.setsockopt(zmq.SUBSCRIBE, b"B")
      bind_or_connect(s, mode, ep)

      def collect(end):
          got = []
          while True:
              m = s.recv_multipart()
              t = m[0].decode()
              if t.endswith("-ready") or t.endswith("-seen"):
                  continue
              got.append(t + ("/" + m[1].decode() if len(m) > 1 else ""))
              if t == end:
                  return got

      if role == "SUB":
          s.recv()
          print("JOINED")
          print("GOT " + ",".join(collect("C-end")))
      elif role == "SUB_CANCEL":
          m = s.recv()
          assert m == b"B-seen", m
          s.setsockopt(zmq.UNSUBSCRIBE, b"A")
          print("CANCELLED")
          print("GOT " + ",".join(collect("B-end")))
      elif role == "XPUB":
          subs = [s.recv().hex()]
          print("FIRST")
          subs += [s.recv().hex() for _ in range(2)]
          print("SUBS " + ",".join(subs))
          s.send(b"A-data")
          s.send(b"B-data")
          s.send(b"B-end")
          print("SENT")
      elif role == "PUB":
          while True:
              s.send(b"C-ready")
              r, _, _ = select.select([sys.stdin], [], [], 0.01)
              if r:
                  sys.stdin.readline()
                  break
          for i in range(int(sys.argv[4])):
              for t in "ABCD":
                  s.send_multipart([("%s%d" % (t, i)).encode(), b"p"])
          s.send(b"C-end")
          print("SENT")
      s.close()
      ctx.term()
      """;

  private LibzmqPeers libzmq;

  @BeforeAll
  void start() throws Exception {
    libzmq = LibzmqPeers.create("pzmq-pubsub", WAIT);
  }

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    for (boolean weBind : List.of(true, false)) {
      for (String transport : List.of("tcp", "ipc")) {
        cases.add(Arguments.of(weBind, transport));
      }
    }
    return cases.stream();
  }

  /** Starts the python peer in {@code role} joined to {@code ours}; returns the peer. */
  private PyPeer startPeer(ZSocket ours, String role, boolean weBind, String transport, String... more) {
    List<String> args = new ArrayList<>(List.of(role));
    args.addAll(List.of(more));
    return libzmq.join(PEER, ours, weBind, libzmq.endpoint(transport, role + "-" + weBind), args.toArray(new String[0]));
  }

  private static String expectedFiltered(String keep, String end) {
    List<String> want = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      for (char t : keep.toCharArray()) want.add(t + Integer.toString(i) + "/p");
    }
    want.add(end);
    return "GOT " + String.join(",", want);
  }

  @ParameterizedTest(name = "we-bind={0} {1}")
  @MethodSource("matrix")
  void libzmqSubscriberReceivesOnlyWhatItSubscribedTo(boolean weBind, String transport) throws Exception {
    try (ZSocket pub = ctx.socket(SocketType.PUB);
        PyPeer py = startPeer(pub, "SUB", weBind, transport)) {
      // C is its last subscription: once a C marker gets through, our PUB knows A and C
      AtomicBoolean joined = new AtomicBoolean();
      CompletableFuture<Void> markers = CompletableFuture.runAsync(() -> {
        while (!joined.get()) {
          pub.send("C-ready");
          pause(5); // the marker's pace, not a synchronisation
        }
      });
      py.awaitLine("JOINED", WAIT);
      joined.set(true);
      markers.join();
      for (int i = 0; i < ROUNDS; i++) {
        for (String t : List.of("A", "B", "C", "D")) pub.send(Msg.ofStrings(t + i, "p"));
      }
      pub.send("C-end");
      assertEquals(expectedFiltered("AC", "C-end"), py.awaitLine("GOT ", WAIT), py.stderr());
      assertEquals(0, py.waitFor(WAIT), py.stderr());
    }
  }

  @ParameterizedTest(name = "we-bind={0} {1}")
  @MethodSource("matrix")
  void ourSubscriptionsReachALibzmqXpubAsSubscriptionMessages(boolean weBind, String transport) {
    try (ZSocket sub = ctx.socket(SocketType.SUB)) {
      sub.setOption(ZmqOption.LINGER, 0); // when python has gone, the subscriptions re-sent for it wait for nobody
      sub.subscribe("A"); // before the connection exists: sent when it does
      try (PyPeer py = startPeer(sub, "XPUB", weBind, transport)) {
        py.awaitLine("FIRST", WAIT); // so that B and the cancel of A follow the connection
        sub.subscribe("B");
        sub.unsubscribe("A");
        assertEquals("SUBS 0141,0142,0041", py.awaitLine("SUBS ", WAIT), py.stderr());
        py.awaitLine("SENT", WAIT);
        assertEquals("B-data", text(sub.recv(WAIT))); // libzmq's XPUB applied the cancel of A
        assertEquals("B-end", text(sub.recv(WAIT)));
        assertEquals(0, py.waitFor(WAIT), py.stderr());
      }
    }
  }

  @ParameterizedTest(name = "we-bind={0} {1}")
  @MethodSource("matrix")
  void ourXpubSeesALibzmqSubscribersSubscriptionsAndCancels(boolean weBind, String transport) {
    try (ZSocket xpub = ctx.socket(SocketType.XPUB);
        PyPeer py = startPeer(xpub, "SUB_CANCEL", weBind, transport)) {
      assertEquals("0141", hex(xpub.recv(WAIT)));
      assertEquals("0142", hex(xpub.recv(WAIT)));
      xpub.send("B-seen");
      py.awaitLine("CANCELLED", WAIT);
      assertEquals("0041", hex(xpub.recv(WAIT)));
      for (String t : List.of("A-x", "B-x", "B-end")) xpub.send(t);
      assertEquals("GOT B-x,B-end", py.awaitLine("GOT ", WAIT), py.stderr());
      assertEquals(0, py.waitFor(WAIT), py.stderr());
    }
  }

  @ParameterizedTest(name = "we-bind={0} {1}")
  @MethodSource("matrix")
  void libzmqPublisherSendsOurSubscriberOnlyItsTopics(boolean weBind, String transport) {
    try (ZSocket sub = ctx.socket(SocketType.SUB)) {
      sub.setOption(ZmqOption.LINGER, 0); // when python has gone, the subscriptions re-sent for it wait for nobody
      sub.subscribe("A");
      sub.subscribe("C");
      try (PyPeer py = startPeer(sub, "PUB", weBind, transport, Integer.toString(ROUNDS))) {
        Msg m;
        do {
          m = sub.recv(WAIT);
          assertNotNull(m, "no marker from libzmq's PUB; " + py.stderr());
        } while (!m.first().text().equals("C-ready"));
        py.writeLine("GO");
        List<String> got = until(() -> withPart(sub.recv(WAIT)), "C-ready", "C-end");
        assertEquals(expectedFiltered("AC", "C-end"), "GOT " + String.join(",", got));
        py.awaitLine("SENT", WAIT);
        assertEquals(0, py.waitFor(WAIT), py.stderr());
      }
    }
  }

  /** "topic" or "topic/part" for a two-frame message; null for none. */
  private static String withPart(Msg m) {
    return m == null ? null : m.first().text() + (m.size() > 1 ? "/" + m.frame(1).text() : "");
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
