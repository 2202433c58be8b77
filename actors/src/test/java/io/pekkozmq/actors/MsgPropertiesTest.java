package io.pekkozmq.actors;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A received message's connection properties, as zmq_msg_gets answers them. */
class MsgPropertiesTest {
  private static final Map<String, byte[]> PROPS = Map.of(
      "Socket-Type", bytes("DEALER"), "Identity", bytes("bob"), "User-Id", bytes("admin"),
      "Peer-Address", bytes("127.0.0.1"));

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void propertiesByNameWithoutRegardToCaseAndRoutingIdAsIdentity() {
    Msg m = Msg.ofTrusted(new Frame[] {Frame.of("x")}, PROPS);
    assertEquals("admin", m.property(Msg.USER_ID));
    assertEquals("127.0.0.1", m.property("peer-address"));
    assertEquals("DEALER", m.property("SOCKET-TYPE"));
    assertEquals("bob", m.property(Msg.ROUTING_ID), "libzmq answers Routing-Id and Identity alike");
    assertEquals("bob", m.property("Identity"));
    assertNull(m.property("X-Missing"));
  }

  @Test
  void theMapIsSharedNotCopiedAndSurvivesReshaping() {
    Msg m = Msg.ofTrusted(new Frame[] {Frame.of("a").withMore(true), Frame.of("b")}, PROPS);
    assertSame(PROPS, m.properties());
    assertSame(PROPS, m.dropFirst(1).properties());
    assertSame(PROPS, m.prepend(Frame.EMPTY).properties());
    assertEquals(Msg.ofStrings("a", "b"), m, "properties take no part in equality");
  }

  @Test
  void builtMessagesHaveNone() {
    assertNull(Msg.ofStrings("a").property(Msg.USER_ID));
    assertEquals(Map.of(), Msg.ofStrings("a").properties());
    byte[] v = Msg.ofTrusted(new Frame[] {Frame.of("x")}, PROPS).propertyBytes("User-Id");
    v[0] = 'X';
    assertEquals("admin", Msg.ofTrusted(new Frame[] {Frame.of("x")}, PROPS).property("User-Id"), "bytes come as a copy");
  }
}
