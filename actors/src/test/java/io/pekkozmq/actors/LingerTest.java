package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * LINGER means delivered: what a socket queued before its close reaches the peer, whatever state
 * the connection was in at the close (mid-handshake, lost and reconnecting), and closeAndWait and
 * terminate say whether LINGER had to cut anything off.
 */
class LingerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void aConnectSideDeliversWhatItQueuedWhileItsEngineWasMidHandshake() throws Exception {
    try (ZContext ctx = new ZContext(); ServerSocket server = MockZmtpPeer.listen(WAIT)) {
      ZSocket push = ctx.socket(SocketType.PUSH);
      push.connect(MockZmtpPeer.endpointOf(server));
      try (MockZmtpPeer peer = MockZmtpPeer.accept(server, WAIT)) {
        // connected, but the peer has not even sent its greeting: the handshake is under way
        for (int i = 0; i < 10; i++) push.send(Msg.ofStrings("queued-" + i));
        push.close();
        awaitClosing(push);
        peer.handshake("PULL", 1);
        for (int i = 0; i < 10; i++) assertEquals("queued-" + i, peer.readData().text(), "message " + i);
      }
      assertTrue(push.closeAndWait(WAIT), "everything queued was delivered");
    }
  }

  @Test
  void aConnectSideReconnectsAfterAFailedHandshakeToDeliverWhatItQueued() throws Exception {
    try (ZContext ctx = new ZContext()) {
      ZSocket push = ctx.socket(SocketType.PUSH);
      push.setOption(ZmqOption.RECONNECT_IVL, 20);
      int port;
      try (ServerSocket server = MockZmtpPeer.listen(WAIT)) {
        port = server.getLocalPort();
        push.connect("tcp://127.0.0.1:" + port);
        for (int i = 0; i < 10; i++) push.send(Msg.ofStrings("queued-" + i));
        MockZmtpPeer first = MockZmtpPeer.accept(server, WAIT);
        push.close();
        awaitClosing(push);
        first.close(); // the connection dies before its handshake, while the socket is closing
      }
      ZSocket pull = ctx.socket(SocketType.PULL);
      pull.bind("tcp://127.0.0.1:" + port);
      for (int i = 0; i < 10; i++) assertEquals("queued-" + i, pull.recvString(WAIT), "message " + i);
      assertTrue(push.closeAndWait(WAIT), "everything queued was delivered");
    }
  }

  @Test
  void closeAndWaitIsTrueWhenEveryQueuedMessageWasDelivered() {
    try (ZContext ctx = new ZContext()) {
      ZSocket pull = ctx.socket(SocketType.PULL);
      pull.setOption(ZmqOption.RCVHWM, 10);
      String ep = pull.bind("tcp://127.0.0.1:*");
      ZSocket push = ctx.socket(SocketType.PUSH);
      push.connect(ep);
      for (int i = 0; i < 2000; i++) push.send(Msg.ofStrings("m" + i, "x".repeat(i % 700)));
      Thread reader = new Thread(() -> {
        for (int i = 0; i < 2000; i++) assertEquals("m" + i, pull.recv(WAIT).first().text());
      });
      reader.start();
      assertTrue(push.closeAndWait(WAIT), "LINGER -1 waited until all 2000 were out");
      assertTrue(join(reader), "the reader got all 2000 in order");
    }
  }

  @Test
  void closeAndWaitIsFalseWhenLingerCutsMessagesOff() {
    try (ZContext ctx = new ZContext()) {
      ZSocket push = ctx.socket(SocketType.PUSH);
      push.setOption(ZmqOption.LINGER, 200);
      push.connect("tcp://127.0.0.1:" + PushPullTest.freePort()); // nobody will ever listen there
      for (int i = 0; i < 3; i++) push.send(Msg.ofStrings("stuck-" + i));
      long start = System.nanoTime();
      assertFalse(push.closeAndWait(WAIT), "three messages were left behind");
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(ms < 3000, "closing took " + ms + " ms for a LINGER of 200 ms");
    }
  }

  @Test
  void terminateSaysWhetherLingerWasHonouredWithinMaxTermination() {
    var config = ConfigFactory.parseString("pekko-zmq.max-termination = 500ms").withFallback(ConfigFactory.load());
    ZContext stuck = new ZContext(config);
    try {
      ZSocket push = stuck.socket(SocketType.PUSH);
      push.connect("tcp://127.0.0.1:" + PushPullTest.freePort());
      push.send(Msg.ofStrings("never delivered"));
      assertFalse(stuck.zeroMQ().terminate(), "LINGER -1 cut off by max-termination");
    } finally {
      stuck.close();
    }
    ZContext fine = new ZContext(config);
    try {
      ZSocket pull = fine.socket(SocketType.PULL);
      ZSocket push = fine.socket(SocketType.PUSH);
      push.connect(pull.bind("tcp://127.0.0.1:*"));
      push.send(Msg.ofStrings("delivered"));
      assertEquals("delivered", pull.recvString(WAIT));
      assertTrue(fine.zeroMQ().terminate(), "nothing was left queued");
    } finally {
      fine.close();
    }
  }

  /** The socket actor has begun its close (its data plane refuses sends from here on). */
  private static void awaitClosing(ZSocket s) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!s.core().isClosed()) {
      assertTrue(System.nanoTime() < deadline, s + " did not start closing");
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  private static boolean join(Thread t) {
    try {
      t.join(WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !t.isAlive();
  }
}
