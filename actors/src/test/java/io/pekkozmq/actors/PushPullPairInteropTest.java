package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.SocketType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PUSH/PULL and PAIR against every peer ({@link InteropPeers}): the {@link InteropStream} (mixed
 * multipart, up to 1 MiB frames) in both directions, our side binding and connecting, over every
 * transport the peer meets us on; and 100,000 messages each way over tcp.
 */
class PushPullPairInteropTest extends InteropPeers {
  /** peer, pattern, we-send, we-bind, transport, count. */
  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    placements().forEach(p -> {
      Object[] at = p.get();
      for (String pattern : List.of("PUSH_PULL", "PAIR")) {
        for (boolean weSend : List.of(true, false)) cases.add(Arguments.of(at[0], pattern, weSend, at[1], at[2], 5_000));
      }
    });
    for (String peer : List.of("libzmq", "jeromq")) {
      cases.add(Arguments.of(peer, "PUSH_PULL", true, false, "tcp", 100_000));
      cases.add(Arguments.of(peer, "PUSH_PULL", false, true, "tcp", 100_000));
      cases.add(Arguments.of(peer, "PUSH_PULL", true, true, "tcp", 100_000));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} we-send={2} we-bind={3} {4} x{5}")
  @MethodSource("matrix")
  void mixedMultipartStreamArrivesCompleteAndInOrder(String peerName, String pattern, boolean weSend, boolean weBind,
      String transport, int count) throws Exception {
    PeerDriver peer = peer(peerName);
    boolean pair = pattern.equals("PAIR");
    SocketType ours = pair ? SocketType.PAIR : weSend ? SocketType.PUSH : SocketType.PULL;
    String theirs = pair ? "PAIR" : weSend ? "PULL" : "PUSH";
    try (ZSocket socket = ctx.socket(ours)) {
      socket.setOption(ZmqOption.LINGER, 10_000);
      peer.socket("peer", theirs, Map.of("LINGER", 10_000));
      place(peer, "peer", List.of(socket), weBind, transport);
      CompletableFuture<String> theirSide = peer.stream("peer", !weSend, count);
      if (weSend) {
        for (int i = 0; i < count; i++) {
          int n = i;
          assertTrue(socket.send(InteropStream.message(i), WAIT), () -> "send " + n + " timed out; the peer: " + theirSide.getNow("still receiving"));
        }
      } else {
        for (int i = 0; i < count; i++) {
          String bad = InteropStream.mismatch(i, socket.recv(WAIT));
          assertNull(bad, bad);
        }
      }
      assertEquals("OK " + count + " " + InteropStream.totalBytes(count),
          theirSide.get(WAIT.multipliedBy(4).toMillis(), TimeUnit.MILLISECONDS));
      if (!weSend) assertNull(socket.tryRecv(), "nothing beyond the stream");
    }
  }
}
