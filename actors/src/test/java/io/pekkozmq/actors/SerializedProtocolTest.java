package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.io.Serializable;
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
 * The socket's typed protocol with {@code serialize-messages = on} and Java serialization off:
 * every message between actors (ours and the test's) is serialized and deserialized on the way,
 * as if it crossed nodes, so a message Pekko cannot serialize is dropped and its reply never
 * comes. The runtime's own internal messages are marked as never needing it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SerializedProtocolTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private ActorTestKit kit;
  private ZeroMQ zmq;

  @BeforeAll
  void start() {
    kit = ActorTestKit.create("SerializedProtocolTest", ConfigFactory.parseString("""
        pekko.actor.serialize-messages = on
        pekko.actor.allow-java-serialization = off
        """).withFallback(ConfigFactory.load()));
    zmq = ZeroMQ.get(kit.system());
  }

  @AfterAll
  void stop() {
    zmq.terminate();
    kit.shutdownTestKit();
  }

  private record NotBound(String text) implements Serializable {}

  @Test
  void aMessageWithoutASerializerIsDroppedHere() {
    // the check is live: without it the test below could not fail
    TestProbe<Object> probe = kit.createTestProbe();
    probe.ref().tell(new NotBound("java serialization is off"));
    probe.expectNoMessage(Duration.ofMillis(300));
    probe.ref().tell(new Socket.Done());
    probe.expectMessage(WAIT, new Socket.Done());
  }

  @Test
  void theTypedProtocolWorksWhenEveryMessageIsSerialized() {
    TestProbe<Socket.Reply> replies = kit.createTestProbe();
    TestProbe<SocketEvent> events = kit.createTestProbe();
    TestProbe<Socket.Delivery> deliveries = kit.createTestProbe();

    ActorRef<Socket.Command> pull = zmq.socketActor(SocketType.PULL);
    pull.tell(new Socket.Monitor(events.ref(), EventType.ALL_V2, 100));
    pull.tell(new Socket.Bind("tcp://127.0.0.1:*", replies.ref()));
    String endpoint = replies.expectMessageClass(Socket.Bound.class, WAIT).endpoint();
    SocketEvent listening = events.expectMessageClass(SocketEvent.class, WAIT);
    assertEquals(EventType.LISTENING, listening.type());
    assertEquals(endpoint, listening.localEndpoint());

    pull.tell(new Socket.Bind("bogus://nowhere", replies.ref()));
    assertEquals(Errno.EPROTONOSUPPORT, replies.expectMessageClass(Socket.Failed.class, WAIT).error().errno());

    ActorRef<Socket.Command> push = zmq.socketActor(SocketType.PUSH);
    push.tell(new Socket.SetOption(ZmqOption.SNDHWM, 5, replies.ref()));
    replies.expectMessage(WAIT, new Socket.Done());
    push.tell(new Socket.GetOption(ZmqOption.SNDHWM, replies.ref()));
    replies.expectMessage(WAIT, new Socket.OptionValue(5));
    push.tell(new Socket.SetOption(ZmqOption.ROUTING_ID, new byte[] {1, 2}, replies.ref()));
    replies.expectMessage(WAIT, new Socket.Done());
    push.tell(new Socket.Connect(endpoint, replies.ref()));
    replies.expectMessage(WAIT, new Socket.Done());

    List<Msg> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) sent.add(Msg.ofStrings("m-" + i));
    sent.add(Msg.of(Frame.of("multi"), Frame.EMPTY, Frame.wrap(new byte[100_000])));
    for (Msg m : sent) push.tell(new Socket.Send(m, replies.ref()));
    for (int i = 0; i < sent.size(); i++) replies.expectMessage(WAIT, new Socket.Done());

    // the demand protocol: 3, then the rest
    pull.tell(new Socket.StartReceiving(deliveries.ref(), 3));
    List<Msg> got = receive(deliveries, 3);
    deliveries.expectNoMessage(Duration.ofMillis(200));
    pull.tell(new Socket.Request(sent.size() - 3));
    got.addAll(receive(deliveries, sent.size() - 3));
    assertEquals(sent, got, "in order, frames intact");
    assertEquals("PUSH", got.get(0).property(Msg.SOCKET_TYPE), "the connection's properties came along");

    pull.tell(new Socket.RequestPipesStats(replies.ref()));
    replies.expectMessage(WAIT, new Socket.Done());
    assertTrue(fish(events, EventType.PIPES_STATS).values().size() == 2, "outbound and inbound counts");

    // the blocking facade asks through temporary actors, serialized the same way
    ZSocket facade = zmq.socket(SocketType.PUSH);
    facade.connect(endpoint);
    facade.send(Msg.ofStrings("from the facade"));
    pull.tell(new Socket.Request(1));
    assertEquals(List.of(Msg.ofStrings("from the facade")), receive(deliveries, 1));
    facade.close();

    pull.tell(new Socket.Unmonitor(events.ref()));
    fish(events, EventType.MONITOR_STOPPED);
    push.tell(new Socket.Close(replies.ref()));
    replies.expectMessage(WAIT, new Socket.Done());
    pull.tell(new Socket.Close(replies.ref()));
    replies.expectMessage(WAIT, new Socket.Done());
  }

  private static List<Msg> receive(TestProbe<Socket.Delivery> probe, int n) {
    List<Msg> got = new ArrayList<>();
    while (got.size() < n) got.addAll(probe.expectMessageClass(Socket.Delivery.class, WAIT).messages());
    assertEquals(n, got.size(), "never more than the demand");
    return got;
  }

  private static SocketEvent fish(TestProbe<SocketEvent> events, EventType type) {
    for (int i = 0; i < 100; i++) {
      SocketEvent e = events.expectMessageClass(SocketEvent.class, WAIT);
      if (e.type() == type) return e;
    }
    throw new AssertionError("no " + type + " among 100 events");
  }
}
