package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyScripts;
import io.pekkozmq.testkit.PyZmq;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PUSH/PULL and PAIR against real libzmq (pyzmq), in both directions, with our side binding and
 * connecting, over tcp and ipc; and a libzmq peer that restarts mid-stream.
 */
class LibzmqInteropTest extends ContextPerClass {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** argv: bind|connect, endpoint, role (PULL, PUSH, PAIR_RECV, PAIR_SEND), count. */
  private static final String PEER = """
      import sys, zmq
      """ + InteropStream.PYTHON + PyScripts.BIND_OR_CONNECT + """
      mode, ep, role, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
      ctx = zmq.Context()
      s = ctx.socket({"PULL": zmq.PULL, "PUSH": zmq.PUSH}.get(role, zmq.PAIR))
      s.setsockopt(zmq.LINGER, 10000)
      s.setsockopt(zmq.RCVTIMEO, 20000)
      s.setsockopt(zmq.SNDTIMEO, 20000)
      bind_or_connect(s, mode, ep)
      total = 0
      if role in ("PULL", "PAIR_RECV"):
          for i in range(count):
              try:
                  m = s.recv_multipart()
              except zmq.Again:
                  print("TIMEOUT after %d messages" % i)
                  sys.exit(1)
              if m != expected(i):
                  print("BAD message %d: got %d frames, first %r" % (i, len(m), m[0][:20]))
                  sys.exit(1)
              total += sum(len(p) for p in m)
          print("OK %d %d" % (count, total))
      else:
          for i in range(count):
              m = expected(i)
              s.send_multipart(m)
              total += sum(len(p) for p in m)
          print("SENT %d %d" % (count, total))
      s.close()
      ctx.term()
      """;

  private LibzmqPeers libzmq;

  @BeforeAll
  void start() throws Exception {
    libzmq = LibzmqPeers.create("pzmq-libzmq", WAIT);
  }

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    for (String pattern : List.of("PUSH_PULL", "PAIR")) {
      for (boolean weSend : List.of(true, false)) {
        for (boolean weBind : List.of(true, false)) {
          for (String transport : List.of("tcp", "ipc")) {
            cases.add(Arguments.of(pattern, weSend, weBind, transport, 5_000));
          }
        }
      }
    }
    return cases.stream();
  }

  static Stream<Arguments> hundredThousand() {
    return Stream.of(
        Arguments.of("PUSH_PULL", true, false, "tcp", 100_000),
        Arguments.of("PUSH_PULL", false, true, "tcp", 100_000));
  }

  @ParameterizedTest(name = "{0} we-send={1} we-bind={2} {3} x{4}")
  @MethodSource({"matrix", "hundredThousand"})
  void mixedMultipartStreamArrivesCompleteAndInOrder(String pattern, boolean weSend, boolean weBind,
      String transport, int count) {
    SocketType ours = pattern.equals("PAIR") ? SocketType.PAIR : weSend ? SocketType.PUSH : SocketType.PULL;
    String role = pattern.equals("PAIR") ? (weSend ? "PAIR_RECV" : "PAIR_SEND") : (weSend ? "PULL" : "PUSH");
    String ep = libzmq.endpoint(transport, pattern + "-" + weSend + "-" + weBind + "-" + count);
    try (ZSocket socket = ctx.socket(ours)) {
      socket.setOption(ZmqOption.LINGER, 10_000);
      try (PyPeer py = libzmq.join(PEER, socket, weBind, ep, role, Integer.toString(count))) {
        if (weSend) {
          for (int i = 0; i < count; i++) {
            assertTrue(socket.send(InteropStream.message(i), WAIT), () -> "send timed out; python: " + py.stderr() + drain(py));
          }
          assertEquals("OK " + count + " " + InteropStream.totalBytes(count), py.awaitLine("", WAIT), py.stderr());
        } else {
          for (int i = 0; i < count; i++) {
            String bad = InteropStream.mismatch(i, socket.recv(WAIT));
            assertNull(bad, bad);
          }
          assertEquals("SENT " + count + " " + InteropStream.totalBytes(count), py.awaitLine("", WAIT));
          assertNull(socket.tryRecv(), "nothing beyond the stream");
        }
        assertEquals(0, py.waitFor(WAIT), py.stderr());
      }
    }
  }

  /** argv: port, how many to receive before exiting (-1: until "END"), then prints the sequence numbers. */
  private static final String RESTARTING_PULL = """
      import sys, zmq
      port, count = sys.argv[1], int(sys.argv[2])
      ctx = zmq.Context()
      s = ctx.socket(zmq.PULL)
      s.setsockopt(zmq.LINGER, 0)
      s.setsockopt(zmq.RCVTIMEO, 20000)
      s.bind("tcp://127.0.0.1:" + port)
      print("READY")
      seqs = []
      while count < 0 or len(seqs) < count:
          m = s.recv_multipart()
          if m[0] == b"END":
              break
          seqs.append(m[0].decode())
      print("GOT " + ",".join(seqs))
      s.close()
      ctx.term()
      """;

  @Test
  void pushReconnectsToARestartedLibzmqPullAndEverythingSentAfterTheReconnectArrives() {
    int port = PushPullTest.freePort();
    String ep = "tcp://127.0.0.1:" + port;
    TestProbe<SocketEvent> probe = probe(SocketEvent.class);
    try (ZSocket push = ctx.socket(SocketType.PUSH)) {
      push.setOption(ZmqOption.RECONNECT_IVL, 20);
      push.setOption(ZmqOption.RECONNECT_IVL_MAX, 100);
      push.monitor(probe.ref(), EventType.HANDSHAKE_SUCCEEDED.value() | EventType.DISCONNECTED.value());
      int first = 1_000;
      int outage = 200;
      int after = 1_000;
      try (PyPeer py = PyZmq.start(RESTARTING_PULL, Integer.toString(port), Integer.toString(first))) {
        py.awaitLine("READY", WAIT);
        push.connect(ep);
        for (int i = 0; i < first; i++) push.send(Msg.ofStrings(Integer.toString(i), "before"));
        assertEquals(seqLine(0, first), py.awaitLine("GOT ", WAIT));
        assertEquals(0, py.waitFor(WAIT), py.stderr());
      }
      expectEvent(probe, EventType.HANDSHAKE_SUCCEEDED);
      expectEvent(probe, EventType.DISCONNECTED);
      // sent while no libzmq peer exists: libzmq's PUSH keeps these in the connecter's pipe too,
      // but anything already written to the dead TCP connection is gone; they may or may not arrive
      for (int i = first; i < first + outage; i++) push.send(Msg.ofStrings(Integer.toString(i), "outage"));
      try (PyPeer py = PyZmq.start(RESTARTING_PULL, Integer.toString(port), "-1")) {
        py.awaitLine("READY", WAIT);
        expectEvent(probe, EventType.HANDSHAKE_SUCCEEDED);
        for (int i = first + outage; i < first + outage + after; i++) push.send(Msg.ofStrings(Integer.toString(i), "after"));
        push.send("END");
        String got = py.awaitLine("GOT ", WAIT).substring(4);
        List<Integer> seqs = new ArrayList<>();
        for (String s : got.split(",")) if (!s.isEmpty()) seqs.add(Integer.parseInt(s));
        for (int k = 1; k < seqs.size(); k++) assertTrue(seqs.get(k) > seqs.get(k - 1), "reordered at " + k + ": " + got);
        List<Integer> afterReconnect = seqs.stream().filter(s -> s >= first + outage).toList();
        assertEquals(after, afterReconnect.size(), "every message sent after the reconnect arrives: " + got);
        long outageArrived = seqs.stream().filter(s -> s < first + outage).count();
        assertTrue(outageArrived <= outage);
        System.out.println("restart: " + outageArrived + " of " + outage + " messages sent during the outage arrived");
      }
    }
  }

  /** What python printed so far, for failure messages. */
  private static String drain(PyPeer py) {
    try {
      return py.readLine(Duration.ofMillis(100));
    } catch (AssertionError e) {
      return e.getMessage();
    }
  }

  private static void expectEvent(TestProbe<SocketEvent> probe, EventType type) {
    SocketEvent e = probe.receiveMessage(WAIT);
    assertEquals(type, e.type(), e.toLine());
  }

  private static String seqLine(int from, int to) {
    StringBuilder b = new StringBuilder("GOT ");
    for (int i = from; i < to; i++) b.append(i == from ? "" : ",").append(i);
    return b.toString();
  }
}
