package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Close and context termination: LINGER honoured, and never a hang. */
class TerminationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void contextCloseWithUndeliverableMessagesFinishesWithinMaxTermination() {
    var config = ConfigFactory.parseString("pekko-zmq.max-termination = 1s").withFallback(ConfigFactory.load());
    long start = System.nanoTime();
    ZContext ctx = new ZContext(config);
    ZSocket push = ctx.socket(SocketType.PUSH);
    push.connect("tcp://127.0.0.1:" + PushPullTest.freePort()); // nobody there; LINGER -1 by default
    for (int i = 0; i < 500; i++) push.send(Msg.ofStrings("stuck-" + i));
    ctx.close();
    long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertTrue(ms < 8000, "context close took " + ms + " ms");
  }

  @Test
  void lingerDeliversQueuedMessagesAfterTheSenderClosed() {
    try (ZContext ctx = new ZContext()) {
      int port = PushPullTest.freePort();
      ZSocket push = ctx.socket(SocketType.PUSH);
      push.setOption(ZmqOption.LINGER, 5000);
      push.connect("tcp://127.0.0.1:" + port);
      for (int i = 0; i < 100; i++) push.send(Msg.ofStrings("late-" + i));
      push.close(); // returns at once; the session keeps trying for LINGER ms
      ZSocket pull = ctx.socket(SocketType.PULL);
      pull.bind("tcp://127.0.0.1:" + port);
      for (int i = 0; i < 100; i++) assertEquals("late-" + i, pull.recvString(WAIT));
    }
  }

  @Test
  void lingerZeroDropsQueuedMessagesAtClose() {
    try (ZContext ctx = new ZContext()) {
      int port = PushPullTest.freePort();
      ZSocket push = ctx.socket(SocketType.PUSH);
      push.setOption(ZmqOption.LINGER, 0);
      push.connect("tcp://127.0.0.1:" + port);
      for (int i = 0; i < 10; i++) push.send(Msg.ofStrings("dropped-" + i));
      assertTrue(push.closeAndWait(WAIT), "linger 0 stops at once");
      ZSocket pull = ctx.socket(SocketType.PULL);
      pull.bind("tcp://127.0.0.1:" + port);
      assertNull(pull.recv(Duration.ofMillis(300)));
    }
  }

  @Test
  void tcpOverIpv6Loopback() {
    try (ZContext ctx = new ZContext(); ZSocket pull = ctx.socket(SocketType.PULL); ZSocket push = ctx.socket(SocketType.PUSH)) {
      String ep = pull.bind("tcp://[::1]:*");
      assertTrue(ep.startsWith("tcp://[::1]:"), ep);
      push.connect(ep);
      push.send("over v6");
      assertEquals("over v6", pull.recvString(WAIT));
    }
  }

  @Test
  void ipcWildcardBindsAFreshPath() {
    try (ZContext ctx = new ZContext(); ZSocket pull = ctx.socket(SocketType.PULL); ZSocket push = ctx.socket(SocketType.PUSH)) {
      String ep = pull.bind("ipc://*");
      assertTrue(ep.startsWith("ipc:///") && !ep.endsWith("*"), ep);
      push.connect(ep);
      push.send("via ipc://*");
      assertEquals("via ipc://*", pull.recvString(WAIT));
    }
  }
}
