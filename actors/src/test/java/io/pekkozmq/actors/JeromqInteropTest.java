package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.zeromq.ZMQ;

/**
 * PUSH/PULL and PAIR against JeroMQ in the same JVM over tcp (JeroMQ's ipc is not Unix domain
 * sockets), in both directions, with our side binding and connecting.
 */
class JeromqInteropTest extends JeromqPerClass {
  private static final Duration WAIT = Duration.ofSeconds(30);

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    for (String pattern : List.of("PUSH_PULL", "PAIR")) {
      for (boolean weSend : List.of(true, false)) {
        for (boolean weBind : List.of(true, false)) {
          cases.add(Arguments.of(pattern, weSend, weBind, 5_000));
        }
      }
    }
    cases.add(Arguments.of("PUSH_PULL", true, true, 100_000));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} we-send={1} we-bind={2} x{3}")
  @MethodSource("matrix")
  void mixedMultipartStreamArrivesCompleteAndInOrder(String pattern, boolean weSend, boolean weBind, int count)
      throws Exception {
    boolean pair = pattern.equals("PAIR");
    SocketType ours = pair ? SocketType.PAIR : weSend ? SocketType.PUSH : SocketType.PULL;
    org.zeromq.SocketType theirs = pair ? org.zeromq.SocketType.PAIR
        : weSend ? org.zeromq.SocketType.PULL : org.zeromq.SocketType.PUSH;
    try (ZSocket socket = ctx.socket(ours)) {
      socket.setOption(ZmqOption.LINGER, 10_000);
      ZMQ.Socket peer = join(socket, weBind, () -> openJeromq(theirs));
      try {
        // the JeroMQ socket is used by this one thread only
        CompletableFuture<String> theirSide = CompletableFuture.supplyAsync(
            () -> weSend ? receiveAll(peer, count) : sendAll(peer, count));
        if (weSend) {
          for (int i = 0; i < count; i++) socket.send(InteropStream.message(i));
        } else {
          for (int i = 0; i < count; i++) {
            String bad = InteropStream.mismatch(i, socket.recv(WAIT));
            assertNull(bad, bad);
          }
        }
        assertEquals("OK " + count, theirSide.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        if (!weSend) assertNull(socket.tryRecv(), "nothing beyond the stream");
      } finally {
        jeromq.destroySocket(peer);
      }
    }
  }

  private ZMQ.Socket openJeromq(org.zeromq.SocketType type) {
    ZMQ.Socket peer = jeromq.createSocket(type);
    peer.setLinger(10_000);
    peer.setReceiveTimeOut((int) WAIT.toMillis());
    peer.setSendTimeOut((int) WAIT.toMillis());
    return peer;
  }

  private static String receiveAll(ZMQ.Socket peer, int count) {
    for (int i = 0; i < count; i++) {
      List<Frame> frames = new ArrayList<>();
      do {
        byte[] b = peer.recv();
        if (b == null) return "timed out after " + i + " messages";
        frames.add(Frame.wrap(b));
      } while (peer.hasReceiveMore());
      String bad = InteropStream.mismatch(i, Msg.of(frames));
      if (bad != null) return bad;
    }
    return "OK " + count;
  }

  private static String sendAll(ZMQ.Socket peer, int count) {
    for (int i = 0; i < count; i++) {
      byte[][] parts = InteropStream.parts(i);
      for (int k = 0; k < parts.length; k++) {
        boolean sent = k < parts.length - 1 ? peer.sendMore(parts[k]) : peer.send(parts[k]);
        if (!sent) return "send timed out at message " + i;
      }
    }
    return "OK " + count;
  }
}
