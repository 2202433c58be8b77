package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/** The poller over several facade sockets, and the typed actor API with demand. */
class PollerAndTypedApiTest extends RuntimePerClass {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void pollerReportsWhichSocketBecameReadable() {
    try (ZSocket pullA = zmq.socket(SocketType.PULL); ZSocket pullB = zmq.socket(SocketType.PULL);
        ZSocket push = zmq.socket(SocketType.PUSH); ZPoller poller = new ZPoller()) {
      pullA.bind("inproc://poll-a");
      pullB.bind("inproc://poll-b");
      push.connect("inproc://poll-b");
      int a = poller.register(pullA, ZPoller.POLLIN);
      int b = poller.register(pullB, ZPoller.POLLIN);
      assertEquals(0, poller.poll(50), "nothing to read yet");
      Thread sender = new Thread(() -> push.send("to-b"));
      sender.start();
      assertEquals(1, poller.poll(WAIT.toMillis()));
      assertFalse(poller.readable(a));
      assertTrue(poller.readable(b));
      assertEquals("to-b", pullB.recvString(WAIT));
    }
  }

  @Test
  void pollerReportsWritableOnceAPeerIsThere() {
    try (ZSocket push = zmq.socket(SocketType.PUSH); ZPoller poller = new ZPoller()) {
      String ep = push.bind("tcp://127.0.0.1:*");
      int i = poller.register(push, ZPoller.POLLOUT);
      assertEquals(0, poller.poll(50), "PUSH without peers is not writable");
      try (ZSocket pull = zmq.socket(SocketType.PULL)) {
        pull.connect(ep);
        assertEquals(1, poller.poll(WAIT.toMillis()));
        assertTrue(poller.writable(i));
      }
    }
  }

  @Test
  void typedSubscriberGetsNoMoreThanItsDemandAndAsksForMore() {
    ActorRef<Socket.Command> pull = zmq.socketActor(SocketType.PULL);
    TestProbe<Socket.Reply> replies = testKit.createTestProbe();
    pull.tell(new Socket.Bind("inproc://typed-demand", replies.getRef()));
    assertInstanceOf(Socket.Bound.class, replies.receiveMessage(WAIT));
    ActorRef<Socket.Command> push = zmq.socketActor(SocketType.PUSH);
    push.tell(new Socket.Connect("inproc://typed-demand", replies.getRef()));
    assertInstanceOf(Socket.Done.class, replies.receiveMessage(WAIT));
    for (int i = 0; i < 10; i++) push.tell(new Socket.Send(Msg.ofStrings("m" + i), replies.getRef()));
    for (int i = 0; i < 10; i++) assertInstanceOf(Socket.Done.class, replies.receiveMessage(WAIT));

    TestProbe<Socket.Delivery> consumer = testKit.createTestProbe();
    pull.tell(new Socket.StartReceiving(consumer.getRef(), 3));
    List<String> got = new ArrayList<>();
    while (got.size() < 3) consumer.receiveMessage(WAIT).messages().forEach(m -> got.add(m.first().text()));
    assertEquals(List.of("m0", "m1", "m2"), got);
    consumer.expectNoMessage(Duration.ofMillis(100));
    pull.tell(new Socket.Request(7));
    while (got.size() < 10) consumer.receiveMessage(WAIT).messages().forEach(m -> got.add(m.first().text()));
    assertEquals("m9", got.get(9));
    pull.tell(new Socket.Close(replies.getRef()));
    push.tell(new Socket.Close(replies.getRef()));
  }

  /**
   * A typed subscriber that stops (a node leaving the cluster, say) takes no more messages with it:
   * what arrives afterwards stays queued for the next subscriber instead of going to dead letters.
   */
  @Test
  void aStoppedSubscriberIsDeliveredNoMore() {
    try (ZSocket pull = zmq.socket(SocketType.PULL); ZSocket push = zmq.socket(SocketType.PUSH)) {
      pull.bind("inproc://typed-gone");
      push.connect("inproc://typed-gone");
      TestProbe<Socket.Delivery> first = testKit.createTestProbe();
      pull.actor().tell(new Socket.StartReceiving(first.getRef(), 1000));
      push.send(Msg.ofStrings("to the first"));
      assertEquals("to the first", first.receiveMessage(WAIT).messages().get(0).first().text());
      TestProbe<Object> watcher = testKit.createTestProbe();
      first.stop();
      watcher.expectTerminated(first.getRef(), WAIT);
      // the socket's death notice was sent with the watcher's; a round trip after it orders them
      assertEquals("PULL", pull.getOption(ZmqOption.TYPE));
      for (int i = 0; i < 5; i++) push.send(Msg.ofStrings("kept " + i));
      TestProbe<Socket.Delivery> second = testKit.createTestProbe();
      pull.actor().tell(new Socket.StartReceiving(second.getRef(), 1000));
      List<String> got = new ArrayList<>();
      while (got.size() < 5) second.receiveMessage(WAIT).messages().forEach(m -> got.add(m.first().text()));
      assertEquals(List.of("kept 0", "kept 1", "kept 2", "kept 3", "kept 4"), got);
    }
  }

  @Test
  void monitorSubscriberSeesAcceptedAndHandshakeThenStoppedOnClose() {
    TestProbe<SocketEvent> events = testKit.createTestProbe();
    ZSocket pull = zmq.socket(SocketType.PULL);
    pull.monitor(events.getRef(), EventType.ALL_V1);
    String ep = pull.bind("tcp://127.0.0.1:*");
    assertEquals(EventType.LISTENING, events.receiveMessage(WAIT).type());
    try (ZSocket push = zmq.socket(SocketType.PUSH)) {
      push.connect(ep);
      assertEquals(EventType.ACCEPTED, events.receiveMessage(WAIT).type());
      assertEquals(EventType.HANDSHAKE_SUCCEEDED, events.receiveMessage(WAIT).type());
    }
    SocketEvent e = events.receiveMessage(WAIT);
    assertEquals(EventType.DISCONNECTED, e.type(), "the peer's close is a disconnect of that connection: " + e);
    pull.close();
    assertEquals(EventType.CLOSED, events.receiveMessage(WAIT).type());
    assertEquals(EventType.MONITOR_STOPPED, events.receiveMessage(WAIT).type());
    events.expectNoMessage(Duration.ofMillis(100));
  }
}
