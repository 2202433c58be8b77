package io.pekkozmq.engine.pattern;

import static io.pekkozmq.engine.pattern.PatternDriver.*;
import static org.junit.jupiter.api.Assertions.*;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.SocketType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PUSH/PULL (RFC 30) and PAIR (RFC 31), in the spirit of libzmq's test_spec_pushpull and test_pair_*. */
class PipelineTest {

  @Test
  void pushRoundRobinsWholeMessagesOverThreePipes() {
    Pattern push = Patterns.create(SocketType.PUSH, options());
    FakePipe a = new FakePipe("a"), b = new FakePipe("b"), c = new FakePipe("c");
    push.attach(a, false, true);
    push.attach(b, false, true);
    push.attach(c, false, true);
    for (int i = 0; i < 6; i++) {
      sendOk(push, "m" + i, "part2");
    }
    assertEquals(List.of(List.of("m0", "part2"), List.of("m3", "part2")), a.sentTexts());
    assertEquals(List.of(List.of("m1", "part2"), List.of("m4", "part2")), b.sentTexts());
    assertEquals(List.of(List.of("m2", "part2"), List.of("m5", "part2")), c.sentTexts());
  }

  @Test
  void pushSkipsFullPipeUntilItIsWriteActivated() {
    Pattern push = Patterns.create(SocketType.PUSH, options());
    FakePipe a = new FakePipe("a", 1), b = new FakePipe("b", 10);
    push.attach(a, false, true);
    push.attach(b, false, true);
    sendOk(push, "1");
    sendOk(push, "2");
    sendOk(push, "3");
    sendOk(push, "4");
    assertEquals(List.of(List.of("1")), a.sentTexts());
    assertEquals(List.of(List.of("2"), List.of("3"), List.of("4")), b.sentTexts());
    assertTrue(a.writerWaiting);
    a.take();
    push.writeActivated(a);
    sendOk(push, "5");
    sendOk(push, "6");
    // a rejoins after b, the pipe the cursor is on, as in libzmq's lb_t
    assertEquals(List.of("5"), b.sentTexts().get(3));
    assertEquals(List.of(List.of("6")), a.sentTexts());
  }

  @Test
  void pushBlocksAtSendHighWaterMark() {
    Pattern push = Patterns.create(SocketType.PUSH, options());
    FakePipe a = new FakePipe("a", 2);
    push.attach(a, false, true);
    sendOk(push, "1");
    sendOk(push, "2");
    assertFalse(push.hasOut());
    assertEquals(Errno.EAGAIN, send(push, "3"));
    assertEquals(2, a.sent().size());
  }

  @Test
  void pushWithoutPeersFailsWithEagainAndCannotReceive() {
    Pattern push = Patterns.create(SocketType.PUSH, options());
    assertEquals(Errno.EAGAIN, send(push, "x"));
    assertNull(push.recv());
    assertEquals(Errno.ENOTSUP, push.lastError());
  }

  @Test
  void pushDropsRestOfMessageWhosePipeWentAway() {
    Pattern push = Patterns.create(SocketType.PUSH, options());
    FakePipe a = new FakePipe("a"), b = new FakePipe("b");
    push.attach(a, false, true);
    push.attach(b, false, true);
    assertEquals(Pattern.OK, push.send(io.pekkozmq.engine.Frame.of("half").withMore(true)));
    push.pipeTerminated(a);
    assertEquals(Pattern.OK, push.send(io.pekkozmq.engine.Frame.of("tail")));
    sendOk(push, "next");
    assertEquals(List.of(List.of("next")), b.sentTexts());
  }

  @Test
  void pullFairQueuesWholeMessagesAcrossThreePipes() {
    Pattern pull = Patterns.create(SocketType.PULL, options());
    FakePipe a = new FakePipe("a").deliver("a1", "x").deliver("a2", "x");
    FakePipe b = new FakePipe("b").deliver("b1", "x").deliver("b2", "x");
    FakePipe c = new FakePipe("c").deliver("c1", "x");
    pull.attach(a, false, false);
    pull.attach(b, false, false);
    pull.attach(c, false, false);
    assertEquals(List.of("a1", "x"), recvTexts(pull));
    assertEquals(List.of("b1", "x"), recvTexts(pull));
    assertEquals(List.of("c1", "x"), recvTexts(pull));
    assertEquals(List.of("a2", "x"), recvTexts(pull));
    assertEquals(List.of("b2", "x"), recvTexts(pull));
    assertNull(recv(pull));
    assertEquals(Errno.EAGAIN, pull.lastError());
    assertTrue(c.readerSleeping);
    c.deliver("c2");
    c.wake(pull);
    assertTrue(pull.hasIn());
    assertEquals(List.of("c2"), recvTexts(pull));
  }

  @Test
  void pullCannotSend() {
    Pattern pull = Patterns.create(SocketType.PULL, options());
    assertEquals(Errno.ENOTSUP, send(pull, "x"));
  }

  @Test
  void pairTalksToFirstPeerAndClosesSecond() {
    Pattern pair = Patterns.create(SocketType.PAIR, options());
    FakePipe a = new FakePipe("a").deliver("hi", "there");
    FakePipe b = new FakePipe("b");
    pair.attach(a, false, true);
    pair.attach(b, false, true);
    assertTrue(b.terminated);
    assertFalse(a.terminated);
    assertEquals(List.of("hi", "there"), recvTexts(pair));
    sendOk(pair, "back", "2");
    assertEquals(List.of(List.of("back", "2")), a.sentTexts());
    pair.pipeTerminated(a);
    assertEquals(Errno.EAGAIN, send(pair, "lost"));
  }
}
