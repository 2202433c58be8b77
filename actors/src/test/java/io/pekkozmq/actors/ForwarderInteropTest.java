package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.SocketType;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyScripts;
import io.pekkozmq.testkit.PyZmq;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 5's forwarder: our XSUB↔XPUB proxy between libzmq publishers and libzmq subscribers.
 * Subscriptions travel upstream through the proxy (SUB → XPUB → XSUB → PUB, where libzmq filters),
 * data downstream; each subscriber gets only its prefix, from both publishers. Our side binding
 * and connecting, over tcp and ipc, and the one-liner {@link Proxy#forwarder}.
 */
class ForwarderInteropTest extends RuntimePerClass {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int WANT = 200;

  /** argv: mode, endpoint, name. Publishes A-, B- and C- messages until a stdin line (at most 60 s). */
  private static final String PUBLISHER = """
      import sys, zmq, time, select
      """ + PyScripts.BIND_OR_CONNECT + """
      s = zmq.Context().socket(zmq.PUB)
      bind_or_connect(s, sys.argv[1], sys.argv[2])
      name = sys.argv[3]
      n = 0
      deadline = time.time() + 60
      while time.time() < deadline:
          for t in ("A", "B", "C"):
              s.send_string("%s-%s-%d" % (t, name, n))
          n += 1
          if select.select([sys.stdin], [], [], 0.001)[0]:
              break
      print("SENT %d" % n, flush=True)
      s.close(linger=0)
      """;

  /** argv: mode, endpoint, prefix, want. Prints OK once it has want messages from both publishers. */
  private static final String SUBSCRIBER = """
      import sys, zmq
      """ + PyScripts.BIND_OR_CONNECT + """
      s = zmq.Context().socket(zmq.SUB)
      s.setsockopt(zmq.RCVTIMEO, 30000)
      prefix, want = sys.argv[3], int(sys.argv[4])
      s.setsockopt_string(zmq.SUBSCRIBE, prefix)
      bind_or_connect(s, sys.argv[1], sys.argv[2])
      got, pubs = 0, set()
      while got < want or len(pubs) < 2:
          try:
              m = s.recv_string()
          except zmq.Again:
              print("TIMEOUT after %d from %s" % (got, sorted(pubs)), flush=True)
              sys.exit(1)
          if not m.startswith(prefix):
              print("BAD " + m, flush=True)
              sys.exit(1)
          pubs.add(m.split("-")[1])
          got += 1
      print("OK " + ",".join(sorted(pubs)), flush=True)
      s.close(linger=0)
      """;

  private LibzmqPeers peers;

  @BeforeAll
  void peers() throws IOException {
    peers = LibzmqPeers.create("pzmq-forwarder", WAIT);
  }

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    for (String transport : List.of("tcp", "ipc")) {
      for (boolean weBind : List.of(true, false)) cases.add(Arguments.of(transport, weBind));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} we-bind={1}")
  @MethodSource("matrix")
  void libzmqSubscribersGetTheirPrefixFromEveryLibzmqPublisherThroughOurForwarder(String transport, boolean weBind) {
    try (ZSocket xsub = zmq.socket(SocketType.XSUB); ZSocket xpub = zmq.socket(SocketType.XPUB)) {
      xsub.setOption(ZmqOption.LINGER, 0);
      xpub.setOption(ZmqOption.LINGER, 0);
      ActorRef<Proxy.Command> proxy = Proxy.start(zmq, xsub, xpub, null);
      List<PyPeer> running = new ArrayList<>();
      try {
        String tag = transport + weBind;
        PyPeer subA = peers.join(SUBSCRIBER, xpub, weBind, peers.endpoint(transport, "subA" + tag), "A", "" + WANT);
        running.add(subA);
        PyPeer subB = peers.join(SUBSCRIBER, xpub, weBind, peers.endpoint(transport, "subB" + tag), "B", "" + WANT);
        running.add(subB);
        List<PyPeer> pubs = new ArrayList<>();
        for (String name : List.of("p1", "p2")) {
          PyPeer pub = peers.join(PUBLISHER, xsub, weBind, peers.endpoint(transport, name + tag), name);
          running.add(pub);
          pubs.add(pub);
        }
        assertEquals("OK p1,p2", subA.awaitLine("", WAIT), subA.stderr());
        assertEquals("OK p1,p2", subB.awaitLine("", WAIT), subB.stderr());
        for (PyPeer pub : pubs) {
          pub.writeLine("stop");
          assertTrue(pub.awaitLine("SENT", WAIT).startsWith("SENT "), pub.stderr());
        }
      } finally {
        running.forEach(PyPeer::close);
        proxy.tell(new Proxy.Terminate());
      }
    }
  }

  @Test
  void theForwarderOneLinerServesLibzmqPeers() {
    String front = "ipc://" + peers.path("front");
    String back = "ipc://" + peers.path("back");
    ActorRef<Proxy.Command> proxy = Proxy.forwarder(zmq, front, back);
    try (PyPeer sub = PyZmq.start(SUBSCRIBER, "connect", back, "C", "" + WANT);
        PyPeer p1 = PyZmq.start(PUBLISHER, "connect", front, "p1");
        PyPeer p2 = PyZmq.start(PUBLISHER, "connect", front, "p2")) {
      for (PyPeer peer : List.of(sub, p1, p2)) PyScripts.endpointOf(peer, WAIT);
      assertEquals("OK p1,p2", sub.awaitLine("", WAIT), sub.stderr());
      p1.writeLine("stop");
      p2.writeLine("stop");
      assertTrue(p1.awaitLine("SENT", WAIT).startsWith("SENT "), p1.stderr());
    } finally {
      proxy.tell(new Proxy.Terminate());
    }
  }
}
