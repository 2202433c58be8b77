package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.impl.io.IoThread;
import io.pekkozmq.engine.SocketType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/**
 * libzmq's ctx_t stops its I/O threads once every socket is gone: here terminate sends each I/O
 * thread Stop after the sockets have stopped, the loops end, and the actor system still shuts
 * down cleanly afterwards.
 */
class IoThreadStopTest {
  @Test
  void terminateStopsTheIoThreadsAfterTheSocketsAndTheSystemStillShutsDown() throws Exception {
    ActorTestKit kit = ActorTestKit.create();
    try {
      ZeroMQ zmq = ZeroMQ.get(kit.system());
      ZSocket pull = zmq.socket(SocketType.PULL);
      String ep = pull.bind("tcp://127.0.0.1:*");
      ZSocket push = zmq.socket(SocketType.PUSH);
      push.connect(ep);
      push.send("hello");
      assertEquals("hello", pull.recvString(Duration.ofSeconds(5)));
      IoThread io = zmq.chooseIoThread(0);
      assertTrue(io.loop().load() > 0, "the listener and the engines are on the I/O thread");
      assertTrue(zmq.terminate(), "both sockets stopped with nothing left behind");
      assertTrue(io.loop().awaitTermination(5, TimeUnit.SECONDS), "the I/O thread stopped after its objects");
      assertEquals(0, io.loop().load());
    } finally {
      kit.shutdownTestKit(); // throws if the system cannot stop (an actor stranded on a dead loop)
    }
  }
}
