package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pipe's activations reach the socket's data plane from the writer's thread (always for network
 * pipes, when the lock is free for inproc ones); the socket actor hears of them only when it waits
 * itself. Covered: a typed subscriber, typed sends held at HWM, and two inproc sockets activating
 * each other from two threads at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipeActivationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private ZContext ctx;
  private ActorTestKit kit;

  @BeforeAll
  void start() {
    ctx = new ZContext();
    kit = ActorTestKit.create(ctx.system());
  }

  @AfterAll
  void stop() {
    ctx.close();
  }

  private static String endpoint(String transport, String name) {
    return transport.equals("tcp") ? "tcp://127.0.0.1:*" : "inproc://" + name + "-" + System.nanoTime();
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "inproc"})
  void typedSubscriberHearsOfMessagesArrivingAfterItWentIdle(String transport) {
    try (ZSocket pull = ctx.socket(SocketType.PULL); ZSocket push = ctx.socket(SocketType.PUSH)) {
      push.connect(pull.bind(endpoint(transport, "idle")));
      TestProbe<Socket.Delivery> consumer = kit.createTestProbe();
      pull.actor().tell(new Socket.StartReceiving(consumer.ref(), 1_000));
      List<String> got = new ArrayList<>();
      for (int burst = 0; burst < 20; burst++) {
        // each burst finds the pipe drained and its reader asleep: only an activation delivers it
        for (int i = 0; i < 5; i++) push.send("b" + burst + "-" + i);
        while (got.size() < (burst + 1) * 5) consumer.receiveMessage(WAIT).messages().forEach(m -> got.add(m.first().text()));
      }
      assertEquals("b19-4", got.get(99));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp", "inproc"})
  void typedSendsHeldAtHwmGoOutWhenThePeerReads(String transport) {
    ActorRef<Socket.Command> push = ctx.zeroMQ().socketActor(SocketType.PUSH);
    TestProbe<Socket.Reply> replies = kit.createTestProbe();
    try (ZSocket pull = ctx.socket(SocketType.PULL)) {
      pull.setOption(ZmqOption.RCVHWM, 2);
      push.tell(new Socket.SetOption(ZmqOption.SNDHWM, 2, replies.ref()));
      assertInstanceOf(Socket.Done.class, replies.receiveMessage(WAIT));
      push.tell(new Socket.Connect(pull.bind(endpoint(transport, "held")), replies.ref()));
      assertInstanceOf(Socket.Done.class, replies.receiveMessage(WAIT));
      byte[] big = new byte[512 * 1024];
      int count = 200; // far more than the queues (and the kernel's buffers) hold: most wait in the actor
      for (int i = 0; i < count; i++) push.tell(new Socket.Send(Msg.of(Frame.of(Integer.toString(i)), Frame.wrap(big)), replies.ref()));
      for (int i = 0; i < count; i++) assertEquals(Integer.toString(i), pull.recv(WAIT).first().text());
      for (int i = 0; i < count; i++) assertInstanceOf(Socket.Done.class, replies.receiveMessage(WAIT));
    } finally {
      push.tell(new Socket.Close(null));
    }
  }

  @Test
  void twoInprocSocketsSendingToEachOtherAtOnceNeitherDeadlockNorStall() throws Exception {
    try (ZSocket a = ctx.socket(SocketType.PAIR); ZSocket b = ctx.socket(SocketType.PAIR)) {
      for (ZSocket s : List.of(a, b)) {
        s.setOption(ZmqOption.SNDHWM, 5);
        s.setOption(ZmqOption.RCVHWM, 5);
      }
      b.connect(a.bind(endpoint("inproc", "pair")));
      int count = 20_000;
      java.util.concurrent.CompletableFuture<String> fromA = pingPong(a, count);
      java.util.concurrent.CompletableFuture<String> fromB = pingPong(b, count);
      assertEquals("OK", fromA.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
      assertEquals("OK", fromB.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
    }
  }

  /** Sends {@code count} messages while receiving the peer's {@code count}, on two threads. */
  private static java.util.concurrent.CompletableFuture<String> pingPong(ZSocket s, int count) {
    java.util.concurrent.CompletableFuture<String> sent = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      for (int i = 0; i < count; i++) if (!s.send(Msg.ofStrings(Integer.toString(i)), WAIT)) return "send " + i + " stalled";
      return "OK";
    });
    java.util.concurrent.CompletableFuture<String> received = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      for (int i = 0; i < count; i++) {
        Msg m = s.recv(WAIT);
        if (m == null || !m.first().text().equals(Integer.toString(i))) return "receive " + i + " got " + m;
      }
      return "OK";
    });
    return sent.thenCombine(received, (x, y) -> x.equals("OK") ? y : x);
  }
}
