package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zeromq.ZMQ;

/**
 * RADIO/DISH against JeroMQ 0.6.0 over tcp, both ways, our side binding and connecting: JOIN and
 * LEAVE commands and the group frame + body, as JeroMQ's Radio/Dish sessions (and libzmq 4.3's)
 * put them on the wire. (Debian's libzmq 4.3.4 is built without the draft API, so pyzmq has no
 * RADIO/DISH to test against.)
 */
class JeromqRadioDishTest extends JeromqPerClass {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static zmq.Msg jeromqMsg(String group, String body) {
    zmq.Msg m = new zmq.Msg(body.getBytes(StandardCharsets.UTF_8));
    assertTrue(m.setGroup(group));
    return m;
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void ourRadioToJeromqDish(boolean weBind) {
    try (ZSocket radio = ctx.socket(SocketType.RADIO)) {
      ZMQ.Socket dish = join(radio, weBind, () -> {
        ZMQ.Socket s = jeromq.createSocket(org.zeromq.SocketType.DISH);
        s.setReceiveTimeOut(20);
        assertTrue(s.join("TV"));
        return s;
      });
      try {
        long deadline = System.nanoTime() + WAIT.toNanos();
        zmq.Msg got = null;
        while (got == null && System.nanoTime() < deadline) { // the JOIN travels asynchronously
          radio.send(Msg.ofStrings("marker").withGroup("TV"));
          got = dish.recvMsg(0);
        }
        assertNotNull(got, "JeroMQ's JOIN never reached our RADIO");
        while (dish.recvMsg(0) != null) {
          // further markers
        }
        radio.send(Msg.ofStrings("Godfather").withGroup("Movies"));
        radio.send(Msg.ofStrings("Friends").withGroup("TV"));
        dish.setReceiveTimeOut((int) WAIT.toMillis());
        zmq.Msg m = dish.recvMsg(0);
        assertNotNull(m);
        assertEquals("TV", m.getGroup());
        assertEquals("Friends", new String(m.data(), StandardCharsets.UTF_8));
        dish.setReceiveTimeOut(100);
        assertNull(dish.recvMsg(0));
      } finally {
        dish.close();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void jeromqRadioToOurDish(boolean weBind) {
    try (ZSocket dish = ctx.socket(SocketType.DISH)) {
      dish.join("TV");
      dish.join("0123456789ABCDEFGH"); // a long group, as libzmq's test_long_group
      ZMQ.Socket radio = join(dish, weBind, () -> jeromq.createSocket(org.zeromq.SocketType.RADIO));
      try {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Msg got = null;
        while (got == null && System.nanoTime() < deadline) {
          assertTrue(radio.sendMsg(jeromqMsg("TV", "marker"), 0));
          got = dish.recv(Duration.ofMillis(20));
        }
        assertNotNull(got, "our JOIN never reached JeroMQ's RADIO");
        while (dish.recv(Duration.ofMillis(50)) != null) {
          // further markers
        }
        assertTrue(radio.sendMsg(jeromqMsg("Movies", "Godfather"), 0));
        assertTrue(radio.sendMsg(jeromqMsg("0123456789ABCDEFGH", "long"), 0));
        assertTrue(radio.sendMsg(jeromqMsg("TV", "Friends"), 0));
        Msg m = dish.recv(WAIT);
        assertNotNull(m);
        assertEquals("0123456789ABCDEFGH", m.group());
        assertEquals("long", m.first().text());
        m = dish.recv(WAIT);
        assertNotNull(m);
        assertEquals("TV", m.group());
        assertEquals("Friends", m.first().text());
        dish.leave("TV"); // dropped by our DISH at once, and by JeroMQ's RADIO once the LEAVE arrives
        assertTrue(radio.sendMsg(jeromqMsg("TV", "after leave"), 0));
        assertNull(dish.recv(Duration.ofMillis(100)));
      } finally {
        radio.close();
      }
    }
  }
}
