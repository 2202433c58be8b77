package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A peer that leaves with messages we have not read yet: its pipe stays readable until we have read
 * them, but nothing is balanced onto it any more (libzmq's check_write fails once the peer's
 * pipe_term is processed). Found by the churn harness: every other message vanished into the dead
 * inproc pipe.
 */
class DeparturePipeTest extends RuntimePerClass {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @ParameterizedTest(name = "unread={0}")
  @ValueSource(booleans = {true, false})
  void aDealerStopsBalancingOntoAnInprocPeerThatClosedWithUnreadMessages(boolean unread) {
    ZSocket a = zmq.socket(SocketType.DEALER);
    ZSocket b = zmq.socket(SocketType.DEALER);
    ZSocket d = zmq.socket(SocketType.DEALER);
    try {
      String na = "inproc://departure-a-" + unread + "-" + System.nanoTime();
      String nb = "inproc://departure-b-" + unread + "-" + System.nanoTime();
      a.bind(na);
      b.bind(nb);
      d.connect(na);
      d.connect(nb);
      if (unread) a.send(Msg.ofStrings("left for d"));
      a.setOption(ZmqOption.LINGER, 0);
      assertTrue(a.closeAndWait(WAIT));
      assertDealerBalancesOnlyOntoTheLivePeer(d, b, unread);
    } finally {
      b.close();
      d.close();
    }
  }

  @ParameterizedTest(name = "unread={0}")
  @ValueSource(booleans = {true, false})
  void aBoundDealerStopsBalancingOntoATcpPeerThatLeftWithUnreadMessages(boolean unread) {
    ZSocket d = zmq.socket(SocketType.DEALER);
    ZSocket a = zmq.socket(SocketType.DEALER);
    ZSocket b = zmq.socket(SocketType.DEALER);
    try {
      TestProbe<SocketEvent> events = monitor(d);
      String ep = d.bind("tcp://127.0.0.1:*");
      a.connect(ep);
      MonitorProbes.await(events, EventType.HANDSHAKE_SUCCEEDED, WAIT);
      b.connect(ep);
      MonitorProbes.await(events, EventType.HANDSHAKE_SUCCEEDED, WAIT);
      if (unread) {
        a.send(Msg.ofStrings("left for d"));
        // the message is in d's pipe (not yet read) before a leaves
        awaitQueuedInbound(d, 1);
      }
      a.setOption(ZmqOption.LINGER, 0);
      assertTrue(a.closeAndWait(WAIT));
      MonitorProbes.await(events, EventType.DISCONNECTED, WAIT);
      awaitLiveWriters(d, 1);
      assertDealerBalancesOnlyOntoTheLivePeer(d, b, unread);
    } finally {
      b.close();
      d.close();
    }
  }

  /** d's next ten messages all reach the live peer b, and what the departed peer left (if any) is still read at d. */
  private static void assertDealerBalancesOnlyOntoTheLivePeer(ZSocket d, ZSocket b, boolean unread) {
    for (int i = 0; i < 10; i++) d.send(Msg.ofStrings("m" + i));
    for (int i = 0; i < 10; i++) assertEquals("m" + i, recvText(b), "message " + i + " reached the live peer");
    if (unread) assertEquals("left for d", recvText(d), "what the departed peer left is still read");
  }

  private static String recvText(ZSocket s) {
    Msg m = s.recv(WAIT);
    assertNotNull(m, "nothing arrived at " + s);
    return m.first().text();
  }

  private static void awaitQueuedInbound(ZSocket s, long n) {
    awaitCondition(() -> s.core().pipesSnapshot().stream().mapToLong(e -> e.inboundQueued()).sum() >= n,
        n + " message(s) queued in " + s);
  }

  /** The departed peer's session has closed its side of the pipe (it may still hold unread messages). */
  private static void awaitLiveWriters(ZSocket s, int n) {
    awaitCondition(() -> s.core().pipesSnapshot().stream().filter(e -> !e.peer().writeClosed()).count() == n,
        n + " live pipe(s) in " + s);
  }

  private static void awaitCondition(java.util.function.BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
    }
  }
}
