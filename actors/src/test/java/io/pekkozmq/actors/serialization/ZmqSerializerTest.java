package io.pekkozmq.actors.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.pekkozmq.actors.Socket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every type bound to {@link ZmqSerializer} survives both of Pekko's paths: the array one
 * ({@code SerializationExtension}, frames sliced from the array) and the buffer one Artery takes
 * (written into and read from a reused direct buffer, frames copied out once), with Java
 * serialization disabled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZmqSerializerTest {
  private ActorTestKit kit;
  private Serialization serialization;
  private ZmqSerializer serializer;
  private ActorRef<Socket.Reply> replies;
  private ActorRef<Socket.Command> socket;
  private ActorRef<Socket.Delivery> subscriber;
  private ActorRef<SocketEvent> events;

  @BeforeAll
  void start() throws NotSerializableException {
    kit = ActorTestKit.create("ZmqSerializerTest", ConfigFactory.parseString("pekko.actor.allow-java-serialization = off")
        .withFallback(ConfigFactory.load()));
    serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    replies = kit.<Socket.Reply>createTestProbe().ref();
    socket = kit.<Socket.Command>createTestProbe().ref();
    subscriber = kit.<Socket.Delivery>createTestProbe().ref();
    events = kit.<SocketEvent>createTestProbe().ref();
    serializer = (ZmqSerializer) serialization.serializerFor(Msg.class);
  }

  @AfterAll
  void stop() {
    kit.shutdownTestKit();
  }

  // ---- messages and frames ------------------------------------------------------------------

  @Test
  void messagesKeepEveryFrameItsFlagsAndItsProperties() {
    Map<String, byte[]> props = new LinkedHashMap<>();
    props.put(Msg.ROUTING_ID, new byte[] {0, 1, 2});
    props.put(Msg.PEER_ADDRESS, "127.0.0.1".getBytes());
    props.put("X-Empty", new byte[0]);
    Msg withProps = Msg.ofTrusted(new Frame[] {Frame.wrap(new byte[] {9}, Frame.MORE), Frame.of("body")}, Map.copyOf(props));
    List<Msg> cases = List.of(
        Msg.of(Frame.EMPTY),
        Msg.ofStrings("one"),
        Msg.of(Frame.EMPTY, Frame.EMPTY, Frame.EMPTY),
        Msg.ofBytes(new byte[] {0, 0, 0x41, (byte) 0xff}, new byte[0], random(1000)),
        Msg.ofBytes(random(1 << 20)),
        Msg.ofBytes(random(1 << 20), random(1 << 20), new byte[0]),
        Msg.ofBytes(new byte[] {0, 'i', 'd'}, new byte[0], "routed".getBytes()), // ROUTER envelope
        Msg.of(Frame.wrap(new byte[] {1, 't', 'o', 'p'}, Frame.SUBSCRIBE)),
        Msg.of(Frame.wrap(new byte[] {0, 't'}, Frame.CANCEL)),
        Msg.of(Frame.wrap("PING".getBytes(), Frame.COMMAND)),
        Msg.of(Frame.slice("xxsliceyy".getBytes(), 2, 5, 0), Frame.slice(new byte[10], 10, 0, 0)),
        Msg.ofStrings("to a SERVER's peer").withRoutingId(0x80000001), // a uint32 above Integer.MAX_VALUE
        Msg.ofStrings("to a RADIO's group").withGroup("weather/Zürich"),
        Msg.ofStrings("").withGroup(""), // libzmq's empty group
        Msg.ofStrings("both").withRoutingId(7).withGroup("g"),
        withProps);
    for (Msg m : cases) {
      for (Object back : roundTrips(m)) assertSameMsg(m, (Msg) back);
    }
  }

  @Test
  void framesKeepTheirBytesAndFlags() {
    for (Frame f : List.of(Frame.EMPTY, Frame.of("x"), Frame.wrap(random(1 << 20), Frame.MORE),
        Frame.slice("abcdef".getBytes(), 1, 3, Frame.COMMAND | Frame.MORE))) {
      for (Object back : roundTrips(f)) {
        Frame g = (Frame) back;
        assertTrue(g.contentEquals(f), "bytes of " + f);
        assertEquals(f.flags(), g.flags(), "flags of " + f);
      }
    }
  }

  @Test
  void aDeliverySendsEachConnectionsPropertiesOnceAndSharesThemAgain() {
    Map<String, byte[]> a = Map.of(Msg.ROUTING_ID, "a".getBytes(), Msg.SOCKET_TYPE, "DEALER".getBytes());
    Map<String, byte[]> b = Map.of(Msg.ROUTING_ID, "b".getBytes());
    List<Msg> msgs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Map<String, byte[]> p = i % 3 == 0 ? a : i % 3 == 1 ? b : Map.of();
      msgs.add(Msg.ofTrusted(new Frame[] {Frame.of("m-" + i)}, p));
    }
    Socket.Delivery d = new Socket.Delivery(msgs, socket);
    byte[] once = serializer.toBinary(d);
    assertTrue(once.length < 300 * 30, "properties travel once per connection, not per message: " + once.length + " bytes");
    for (Object back : roundTrips(d)) {
      Socket.Delivery e = (Socket.Delivery) back;
      assertEquals(socket, e.socket());
      assertEquals(300, e.messages().size());
      for (int i = 0; i < 300; i++) assertSameMsg(msgs.get(i), e.messages().get(i));
      assertSame(e.messages().get(0).properties(), e.messages().get(3).properties(), "one map per connection");
      assertSame(e.messages().get(1).properties(), e.messages().get(298).properties());
      assertTrue(e.messages().get(2).properties().isEmpty());
    }
    Socket.Delivery empty = new Socket.Delivery(List.of(), socket);
    for (Object back : roundTrips(empty)) assertEquals(empty, back);
  }

  // ---- the socket's protocol ----------------------------------------------------------------

  @Test
  void sendsKeepTheirMessageAndTheirReplyTo() {
    Msg m = Msg.ofBytes(new byte[] {0, 0, 1}, new byte[0], random(1 << 20));
    for (Socket.Send s : List.of(new Socket.Send(m, replies), new Socket.Send(m, null), new Socket.Send(Msg.of(Frame.EMPTY), null))) {
      for (Object back : roundTrips(s)) {
        Socket.Send t = (Socket.Send) back;
        assertEquals(s.replyTo(), t.replyTo());
        assertSameMsg(s.msg(), t.msg());
      }
    }
  }

  @Test
  void commandsAndRepliesSurviveEqual() {
    List<Object> cases = List.of(
        new Socket.StartReceiving(subscriber, 16),
        new Socket.Request(0),
        new Socket.Request(Integer.MAX_VALUE),
        new Socket.Bind("tcp://127.0.0.1:*", replies),
        new Socket.Bind("ipc:///tmp/é-ünïcode", null),
        new Socket.Connect("tcp://127.0.0.1:5555", replies),
        new Socket.Unbind("inproc://x", replies),
        new Socket.Disconnect("tcp://127.0.0.1:5555", null),
        new Socket.SetOption(ZmqOption.SNDHWM, 10, replies),
        new Socket.SetOption(ZmqOption.AFFINITY, 3L, replies),
        new Socket.SetOption(ZmqOption.IMMEDIATE, true, replies),
        new Socket.SetOption(ZmqOption.ZAP_DOMAIN, "global", null),
        new Socket.SetOption(ZmqOption.XPUB_WELCOME_MSG, null, replies),
        new Socket.GetOption(ZmqOption.LAST_ENDPOINT, replies),
        new Socket.Monitor(events, EventType.ALL_V2, 100),
        new Socket.Monitor(events, EventType.CONNECTED.value()),
        new Socket.MonitorRequest(events, 7),
        new Socket.Unmonitor(events),
        new Socket.RequestPipesStats(replies),
        new Socket.Close(replies),
        new Socket.Close(null),
        new Socket.Done(),
        new Socket.Bound("tcp://127.0.0.1:40001"),
        new Socket.OptionValue(1000),
        new Socket.OptionValue(-1L),
        new Socket.OptionValue(false),
        new Socket.OptionValue("PUSH"),
        new Socket.OptionValue(null),
        SocketEvent.of(EventType.CONNECTED, 42, "tcp://127.0.0.1:1", "tcp://127.0.0.1:2", "push-1"),
        new SocketEvent(EventType.PIPES_STATS, List.of(3L, 4L), "", "inproc://a", 1234567890123L, "router-9", true, 17),
        new SocketEvent(EventType.MONITOR_STOPPED, List.of(), "", "", 1L, "sub-2", false, 0));
    for (Object o : cases) {
      assertSame(serializer, serialization.findSerializerFor(o), "bound: " + o);
      for (Object back : roundTrips(o)) assertEquals(o, back);
    }
  }

  @Test
  void optionValuesOfBytesKeepTheirBytes() {
    byte[] id = {0, 1, 2, (byte) 0xfe};
    for (Object back : roundTrips(new Socket.SetOption(ZmqOption.ROUTING_ID, id, replies))) {
      Socket.SetOption s = (Socket.SetOption) back;
      assertEquals(ZmqOption.ROUTING_ID, s.option());
      assertArrayEquals(id, (byte[]) s.value());
      assertEquals(replies, s.replyTo());
    }
    for (Object back : roundTrips(new Socket.OptionValue(new byte[0]))) {
      assertArrayEquals(new byte[0], (byte[]) ((Socket.OptionValue) back).value());
    }
  }

  @Test
  void failuresKeepTheirErrnoAndMessage() {
    Socket.Failed f = new Socket.Failed(new ZmqException(Errno.EADDRINUSE, "tcp://127.0.0.1:5555 is taken"));
    for (Object back : roundTrips(f)) {
      ZmqException e = ((Socket.Failed) back).error();
      assertEquals(Errno.EADDRINUSE, e.errno());
      assertEquals(f.error().getMessage(), e.getMessage(), "the errno suffix appears once");
    }
  }

  // ---- what is refused ----------------------------------------------------------------------

  @Test
  void javaSerializationIsOff() {
    record Unbound(String s) implements Serializable {}
    assertTrue(serialization.serialize(new Unbound("x")).isFailure(), "java serialization must be disabled here");
    assertThrows(IllegalArgumentException.class,
        () -> serializer.toBinary(new Socket.OptionValue(new java.util.Date())), "an option value of no known type");
  }

  @Test
  void malformedPayloadsFailNamingTheProblem() throws Exception {
    byte[] good = serializer.toBinary(Msg.ofStrings("a", "bc"));
    for (int cut = 0; cut < good.length; cut++) {
      byte[] truncated = Arrays.copyOf(good, cut);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> serializer.fromBinary(truncated, ZmqSerializer.MSG), "cut at " + cut);
      assertTrue(e.getMessage().startsWith("malformed pekko-zmq payload"), e.getMessage());
    }
    // counts and lengths beyond what the payload holds are refused before anything is allocated
    ByteBuffer huge = ByteBuffer.allocate(1 + 4 * 6);
    // no tables, one message: table -1, routing id 0, no group, then a frame count it cannot hold
    huge.put(ZmqSerializer.FORMAT).putInt(0).putInt(1).putInt(-1).putInt(0).putInt(-1).putInt(Integer.MAX_VALUE).flip();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> serializer.fromBinary(huge.array(), ZmqSerializer.MSG));
    assertTrue(e.getMessage().contains("frame count"), e.getMessage());
    byte[] future = good.clone();
    future[0] = 9;
    e = assertThrows(IllegalArgumentException.class, () -> serializer.fromBinary(future, ZmqSerializer.MSG));
    assertTrue(e.getMessage().contains("unknown format 9"), e.getMessage());
    ByteBuffer longGroup = ByteBuffer.allocate(1 + 4 * 5 + 300);
    longGroup.put(ZmqSerializer.FORMAT).putInt(0).putInt(1).putInt(-1).putInt(0).putInt(300).put(new byte[300]).flip();
    e = assertThrows(IllegalArgumentException.class, () -> serializer.fromBinary(longGroup.array(), ZmqSerializer.MSG));
    assertTrue(e.getMessage().contains("at most 255 bytes"), e.getMessage());
    assertThrows(NotSerializableException.class, () -> serializer.fromBinary(good, "no-such-manifest"));
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** {@code o} back through the array path and through Artery's buffer path. */
  private List<Object> roundTrips(Object o) {
    Serializer s = serialization.findSerializerFor(o);
    assertSame(serializer, s, "bound to the pekko-zmq serializer: " + o.getClass().getName());
    String manifest = Serializers.manifestFor(s, o);
    byte[] bytes = serialization.serialize(o).get();
    Object viaArray = serialization.deserialize(bytes, s.identifier(), manifest).get();

    ByteBuffer reused = ByteBuffer.allocateDirect(bytes.length + 64);
    reused.put(new byte[17]); // Artery's envelope header comes first
    int start = reused.position();
    serializer.toBinary(o, reused);
    assertEquals(bytes.length, reused.position() - start, "both paths write the same layout");
    reused.flip().position(start);
    Object viaBuffer;
    try {
      viaBuffer = serializer.fromBinary(reused, manifest);
    } catch (NotSerializableException e) {
      throw new AssertionError(e);
    }
    assertFalse(reused.hasRemaining(), "the whole payload is read");
    reused.clear();
    while (reused.hasRemaining()) reused.put((byte) 0x5a); // the buffer is reused: nothing may point into it
    return List.of(viaArray, viaBuffer);
  }

  private static void assertSameMsg(Msg expected, Msg actual) {
    assertEquals(expected.size(), actual.size(), "frames of " + expected);
    for (int i = 0; i < expected.size(); i++) {
      assertTrue(expected.frame(i).contentEquals(actual.frame(i)), "bytes of frame " + i + " of " + expected);
      assertEquals(expected.frame(i).flags(), actual.frame(i).flags(), "flags of frame " + i + " of " + expected);
    }
    assertEquals(expected.properties().keySet(), actual.properties().keySet());
    for (Map.Entry<String, byte[]> e : expected.properties().entrySet()) {
      assertArrayEquals(e.getValue(), actual.properties().get(e.getKey()), e.getKey());
    }
    assertNull(actual.property("No-Such-Property"));
    assertEquals(expected.routingId(), actual.routingId(), "routing id of " + expected);
    assertEquals(expected.group(), actual.group(), "group of " + expected);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

}
