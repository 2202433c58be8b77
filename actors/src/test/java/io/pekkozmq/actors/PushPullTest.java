package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PUSH/PULL and PAIR through the blocking facade over every transport, and libzmq's HWM counts. */
class PushPullTest extends ContextPerClass {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private Path tmp;

  @BeforeAll
  void start() throws Exception {
    tmp = Files.createTempDirectory("pzmq-test");
  }

  private String endpoint(String transport, String name) {
    return switch (transport) {
      case "tcp" -> "tcp://127.0.0.1:*";
      case "ipc" -> "ipc://" + tmp.resolve(name);
      default -> "inproc://" + name;
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc", "inproc"})
  void pushDeliversMultipartMessagesInOrder(String transport) {
    try (ZSocket pull = ctx.socket(SocketType.PULL); ZSocket push = ctx.socket(SocketType.PUSH)) {
      String ep = pull.bind(endpoint(transport, "pp-" + transport));
      push.connect(ep);
      for (int i = 0; i < 1000; i++) {
        push.send(Msg.ofStrings("part-a-" + i, "", "part-c-" + i));
      }
      for (int i = 0; i < 1000; i++) {
        Msg m = pull.recv(WAIT);
        assertNotNull(m, "message " + i + " did not arrive over " + transport);
        assertEquals(3, m.size());
        assertEquals("part-a-" + i, m.frame(0).text());
        assertEquals("", m.frame(1).text());
        assertEquals("part-c-" + i, m.frame(2).text());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "ipc", "inproc"})
  void messagesSentBeforeTheBindArriveInOrderAfterIt(String transport) {
    String ep = transport.equals("tcp") ? "tcp://127.0.0.1:" + freePort() : endpoint(transport, "late-" + transport);
    try (ZSocket push = ctx.socket(SocketType.PUSH)) {
      push.connect(ep);
      for (int i = 0; i < 10; i++) push.send("early-" + i);
      try (ZSocket pull = ctx.socket(SocketType.PULL)) {
        pull.bind(ep);
        for (int i = 0; i < 10; i++) assertEquals("early-" + i, pull.recvString(WAIT));
      }
    }
  }

  @Test
  void inprocPushQueuesExactlyTheSumOfBothHighWaterMarks() {
    try (ZSocket pull = ctx.socket(SocketType.PULL); ZSocket push = ctx.socket(SocketType.PUSH)) {
      pull.bind("inproc://hwm-default");
      push.connect("inproc://hwm-default");
      int sent = 0;
      while (push.trySend(Msg.ofStrings("x"))) sent++;
      assertEquals(2000, sent, "default SNDHWM 1000 + RCVHWM 1000");
    }
    try (ZSocket pull = ctx.socket(SocketType.PULL); ZSocket push = ctx.socket(SocketType.PUSH)) {
      pull.setOption(ZmqOption.RCVHWM, 1);
      push.setOption(ZmqOption.SNDHWM, 1);
      pull.bind("inproc://hwm-one");
      push.connect("inproc://hwm-one");
      int sent = 0;
      while (push.trySend(Msg.ofStrings("x"))) sent++;
      assertEquals(2, sent);
      assertNotNull(pull.recv(WAIT));
      assertTrue(push.send(Msg.ofStrings("y"), WAIT), "room after one receive");
    }
  }

  @Test
  void pushWithoutPeersTimesOut() {
    try (ZSocket push = ctx.socket(SocketType.PUSH)) {
      push.bind("tcp://127.0.0.1:*");
      assertFalse(push.send(Msg.ofStrings("nobody"), Duration.ofMillis(100)));
    }
  }

  @Test
  void pairTalksBothWays() {
    try (ZSocket a = ctx.socket(SocketType.PAIR); ZSocket b = ctx.socket(SocketType.PAIR)) {
      b.connect(a.bind("tcp://127.0.0.1:*"));
      a.send("ping");
      assertEquals("ping", b.recvString(WAIT));
      b.send("pong");
      assertEquals("pong", a.recvString(WAIT));
    }
  }

  @Test
  void interruptEndsABlockedReceiveAndTheSocketStillWorks() throws Exception {
    try (ZSocket pull = ctx.socket(SocketType.PULL); ZSocket push = ctx.socket(SocketType.PUSH)) {
      pull.bind("inproc://interrupt");
      push.connect("inproc://interrupt");
      Thread current = Thread.currentThread();
      var errors = new java.util.concurrent.atomic.AtomicReference<Throwable>();
      Thread t = new Thread(() -> {
        try {
          pull.recv(Duration.ofSeconds(30));
        } catch (Throwable e) {
          errors.set(e);
        }
      });
      t.start();
      while (t.getState() != Thread.State.TIMED_WAITING) Thread.onSpinWait();
      t.interrupt();
      t.join(WAIT.toMillis());
      assertFalse(t.isAlive());
      assertTrue(errors.get() instanceof ZmqException z && z.errno() == Errno.EINTR, String.valueOf(errors.get()));
      push.send("after");
      assertEquals("after", pull.recvString(WAIT));
      assertFalse(current.isInterrupted());
    }
  }

  @Test
  void badEndpointsNameTheProblem() {
    try (ZSocket s = ctx.socket(SocketType.PUSH)) {
      ZmqException e1 = assertThrows(ZmqException.class, () -> s.bind("foo://bar"));
      assertTrue(e1.getMessage().contains("foo"), e1.getMessage());
      ZmqException e2 = assertThrows(ZmqException.class, () -> s.connect("tcp://127.0.0.1"));
      assertTrue(e2.getMessage().contains("port"), e2.getMessage());
      String ep = s.bind("tcp://127.0.0.1:*");
      try (ZSocket other = ctx.socket(SocketType.PULL)) {
        ZmqException e3 = assertThrows(ZmqException.class, () -> other.bind(ep));
        assertEquals(Errno.EADDRINUSE, e3.errno());
        assertTrue(e3.getMessage().contains(ep), e3.getMessage());
      }
    }
  }

  @Test
  void largeFramesSurviveTheTrip() {
    try (ZSocket pull = ctx.socket(SocketType.PULL); ZSocket push = ctx.socket(SocketType.PUSH)) {
      push.connect(pull.bind("tcp://127.0.0.1:*"));
      byte[] big = new byte[1 << 20];
      for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
      push.send(Msg.of(Frame.wrap(big), Frame.EMPTY));
      Msg m = pull.recv(WAIT);
      assertNotNull(m);
      assertTrue(m.frame(0).contentEquals(big));
      assertEquals(0, m.frame(1).size());
      assertNull(pull.tryRecv());
    }
  }

  static int freePort() {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new RuntimeException(e);
    }
  }
}
