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

/**
 * A network pipe's activations reach the socket's data plane straight from the engine's I/O
 * thread; the socket actor hears of them only when it waits itself. These tests cover the two
 * cases where it does: a typed subscriber, and typed sends held at HWM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkActivationTest {
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

  @Test
  void typedSubscriberHearsOfMessagesArrivingOverTcpAfterItWentIdle() {
    try (ZSocket pull = ctx.socket(SocketType.PULL); ZSocket push = ctx.socket(SocketType.PUSH)) {
      push.connect(pull.bind("tcp://127.0.0.1:*"));
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

  @Test
  void typedSendsHeldAtHwmGoOutWhenATcpPeerReads() {
    ActorRef<Socket.Command> push = ctx.zeroMQ().socketActor(SocketType.PUSH);
    TestProbe<Socket.Reply> replies = kit.createTestProbe();
    try (ZSocket pull = ctx.socket(SocketType.PULL)) {
      pull.setOption(ZmqOption.RCVHWM, 2);
      push.tell(new Socket.SetOption(ZmqOption.SNDHWM, 2, replies.ref()));
      assertInstanceOf(Socket.Done.class, replies.receiveMessage(WAIT));
      push.tell(new Socket.Connect(pull.bind("tcp://127.0.0.1:*"), replies.ref()));
      assertInstanceOf(Socket.Done.class, replies.receiveMessage(WAIT));
      byte[] big = new byte[512 * 1024];
      int count = 200; // far more than the queues and the kernel's buffers hold: most wait in the actor
      for (int i = 0; i < count; i++) push.tell(new Socket.Send(Msg.of(Frame.of(Integer.toString(i)), Frame.wrap(big)), replies.ref()));
      for (int i = 0; i < count; i++) assertEquals(Integer.toString(i), pull.recv(WAIT).first().text());
      for (int i = 0; i < count; i++) assertInstanceOf(Socket.Done.class, replies.receiveMessage(WAIT));
    } finally {
      push.tell(new Socket.Close(null));
    }
  }
}
