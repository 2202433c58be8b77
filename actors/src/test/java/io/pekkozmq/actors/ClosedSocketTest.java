package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A closed socket or a terminated context answers every control call at once, as libzmq does
 * (ENOTSOCK, ETERM), naming the socket; before, each call waited out the 10 s command timeout.
 */
class ClosedSocketTest {
  private static final long AT_ONCE_MS = 100;

  private static Map<String, Executable> controlCalls(ZSocket s) {
    return Map.of(
        "bind", () -> s.bind("tcp://127.0.0.1:*"),
        "connect", () -> s.connect("tcp://127.0.0.1:5555"),
        "unbind", () -> s.unbind("tcp://127.0.0.1:5555"),
        "disconnect", () -> s.disconnect("tcp://127.0.0.1:5555"),
        "setOption", () -> s.setOption(ZmqOption.LINGER, 0),
        "getOption", () -> s.getOption(ZmqOption.LINGER),
        "requestPipesStats", s::requestPipesStats);
  }

  @Test
  void everyControlCallOnAClosedSocketFailsAtOnceWithEnotsock() {
    try (ZContext ctx = new ZContext()) {
      ZSocket s = ctx.socket(SocketType.DEALER);
      s.close(); // returns at once; the calls below race the actor's close
      for (var call : controlCalls(s).entrySet()) {
        ZmqException e = timed(call.getKey(), call.getValue());
        assertEquals(Errno.ENOTSOCK, e.errno(), call.getKey() + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(s.toString()), call.getKey() + " names the socket: " + e.getMessage());
      }
    }
  }

  @Test
  void aSocketThatFinishedClosingStillFailsAtOnce() {
    try (ZContext ctx = new ZContext()) {
      ZSocket s = ctx.socket(SocketType.PUB);
      assertTrue(s.closeAndWait(java.time.Duration.ofSeconds(10)));
      for (var call : controlCalls(s).entrySet()) {
        assertEquals(Errno.ENOTSOCK, timed(call.getKey(), call.getValue()).errno(), call.getKey());
      }
    }
  }

  @Test
  void everyCallAfterContextTerminationFailsAtOnceWithEterm() {
    ZContext ctx = new ZContext();
    List<ZSocket> sockets = List.of(ctx.socket(SocketType.PUSH), ctx.socket(SocketType.ROUTER));
    ctx.close();
    for (ZSocket s : sockets) {
      for (var call : controlCalls(s).entrySet()) {
        ZmqException e = timed(call.getKey(), call.getValue());
        assertEquals(Errno.ETERM, e.errno(), call.getKey() + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(s.toString()), call.getKey() + " names the socket: " + e.getMessage());
      }
      assertEquals(Errno.ETERM, timed("send", () -> s.send("x")).errno());
      assertThrows(ZmqException.class, () -> ctx.socket(SocketType.PULL), "no new sockets either");
    }
  }

  private static ZmqException timed(String name, Executable call) {
    long start = System.nanoTime();
    ZmqException e = assertThrows(ZmqException.class, call, name);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(ms < AT_ONCE_MS, name + " took " + ms + " ms to fail: " + e.getMessage());
    return e;
  }
}
