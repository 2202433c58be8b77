package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
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

  /**
   * argv: count. A libzmq ROUTER binds and floods its one peer while counting what that peer
   * sends, and reports once the peer's connection is gone ("GOT n").
   */
  private static final String FLOODING_ROUTER = """
      import sys, zmq
      count = int(sys.argv[1])
      ctx = zmq.Context()
      r = ctx.socket(zmq.ROUTER)
      r.setsockopt(zmq.SNDHWM, 100000)
      mon = r.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_DISCONNECTED)
      port = r.bind_to_random_port("tcp://127.0.0.1")
      print("ENDPOINT tcp://127.0.0.1:%d" % port, flush=True)
      from zmq.utils.monitor import recv_monitor_message
      recv_monitor_message(mon)
      peer = None
      got = 0
      gone = False
      poller = zmq.Poller()
      poller.register(r, zmq.POLLIN)
      poller.register(mon, zmq.POLLIN)
      idle = 0
      while not gone and idle < 100:
          ready = dict(poller.poll(0 if peer else 100))
          if not ready:
              idle += 1
          if r in ready:
              while True:
                  try:
                      frames = r.recv_multipart(zmq.NOBLOCK)
                  except zmq.Again:
                      break
                  peer = frames[0]
                  got += 1
                  idle = 0
          if mon in ready:
              gone = recv_monitor_message(mon)["event"] == zmq.EVENT_DISCONNECTED
          if peer is not None and not gone:
              for _ in range(50):
                  try:
                      r.send_multipart([peer, b"f" * 1024], zmq.NOBLOCK)
                  except zmq.Again:
                      break
      print("GOT %d" % got, flush=True)
      ctx.destroy(0)
      """;

  @Test
  void aDealerClosingWhileItsPeerFloodsItStillDeliversEverythingItQueued() {
    PyZmq.requireLibzmq();
    int count = 5000;
    try (ZContext ctx = new ZContext(); PyPeer router = PyZmq.start(FLOODING_ROUTER, Integer.toString(count))) {
      String ep = router.awaitLine("ENDPOINT ", WAIT).substring("ENDPOINT ".length());
      ZSocket dealer = ctx.socket(SocketType.DEALER);
      dealer.setOption(ZmqOption.RCVHWM, 10); // we never read: the flood backs up into the kernel buffers
      dealer.connect(ep);
      byte[] body = new byte[1024];
      for (int i = 0; i < count; i++) dealer.send(Msg.of(io.pekkozmq.engine.Frame.wrap(body)));
      assertTrue(dealer.closeAndWait(WAIT), "closed with everything delivered");
      assertEquals("GOT " + count, router.awaitLine("GOT ", WAIT));
    }
  }

  /** zmq_disconnect: messages sent but not yet transferred are handled as LINGER says (-1: delivered). */
  @Test
  void aDisconnectLetsWhatWasQueuedForThatEndpointLinger() {
    try (ZContext ctx = new ZContext()) {
      int port = PushPullTest.freePort();
      String ep = "tcp://127.0.0.1:" + port;
      ZSocket push = ctx.socket(SocketType.PUSH);
      push.setOption(ZmqOption.RECONNECT_IVL, 20);
      push.connect(ep);
      for (int i = 0; i < 5; i++) push.send(Msg.ofStrings("queued-" + i));
      push.disconnect(ep);
      ZSocket pull = ctx.socket(SocketType.PULL);
      pull.bind(ep);
      for (int i = 0; i < 5; i++) assertEquals("queued-" + i, pull.recvString(WAIT), "message " + i);
      assertTrue(push.closeAndWait(WAIT));
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

  /** The verdict stays with the socket: asked again after it has stopped, closeAndWait still says false. */
  @Test
  void closeAndWaitAfterTheSocketStoppedKeepsTheVerdict() throws Exception {
    try (ZContext ctx = new ZContext()) {
      ZSocket push = ctx.socket(SocketType.PUSH);
      push.setOption(ZmqOption.LINGER, 100);
      push.connect("tcp://127.0.0.1:" + PushPullTest.freePort()); // nobody will ever listen there
      push.send(Msg.ofStrings("stuck"));
      push.close();
      push.whenClosed().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertFalse(push.closeAndWait(WAIT), "the message was left behind, however late the question");
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
