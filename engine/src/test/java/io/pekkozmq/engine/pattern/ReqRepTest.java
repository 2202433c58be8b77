package io.pekkozmq.engine.pattern;

import static io.pekkozmq.engine.pattern.PatternDriver.*;
import static org.junit.jupiter.api.Assertions.*;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** REQ, REP and DEALER (RFC 28), in the spirit of libzmq's test_spec_req/rep/dealer and test_req_*. */
class ReqRepTest {

  @Test
  void reqRoundRobinsRequestsWithEmptyDelimiter() {
    Pattern req = Patterns.create(SocketType.REQ, options());
    FakePipe[] peers = {new FakePipe("a"), new FakePipe("b"), new FakePipe("c")};
    for (FakePipe p : peers) {
      req.attach(p, false, true);
    }
    for (int i = 0; i < 6; i++) {
      FakePipe target = peers[i % 3];
      sendOk(req, "req" + i);
      assertEquals(List.of("", "req" + i), target.sentTexts().get(target.sent().size() - 1));
      target.deliver("", "rep" + i);
      target.wake(req);
      assertEquals(List.of("rep" + i), recvTexts(req));
    }
    for (FakePipe p : peers) {
      assertEquals(2, p.sent().size());
    }
  }

  @Test
  void reqRefusesSecondSendAndEarlyReceiveWithEfsm() {
    Pattern req = Patterns.create(SocketType.REQ, options());
    FakePipe rep = new FakePipe("rep");
    req.attach(rep, false, true);
    assertNull(req.recv());
    assertEquals(Errno.EFSM, req.lastError());
    sendOk(req, "one");
    assertFalse(req.hasOut());
    assertEquals(Errno.EFSM, send(req, "two"));
    assertEquals(1, rep.sent().size());
  }

  @Test
  void reqDropsReplyFromOtherPipeAndReplyWithoutDelimiter() {
    Pattern req = Patterns.create(SocketType.REQ, options());
    FakePipe a = new FakePipe("a"), b = new FakePipe("b");
    req.attach(a, false, true);
    req.attach(b, false, true);
    sendOk(req, "q");
    assertEquals(1, a.sent().size());
    b.deliver("", "from b");
    a.deliver("no delimiter");
    a.deliver("", "good");
    a.wake(req);
    b.wake(req);
    assertEquals(List.of("good"), recvTexts(req));
    assertFalse(b.hasInbound());
  }

  @Test
  void reqDiscardsRepliesThatArrivedBeforeTheRequest() {
    Pattern req = Patterns.create(SocketType.REQ, options());
    FakePipe a = new FakePipe("a");
    req.attach(a, false, true);
    a.deliver("", "stale");
    sendOk(req, "q");
    assertNull(recv(req));
    assertEquals(Errno.EAGAIN, req.lastError());
  }

  @Test
  void relaxedReqMaySendAgainAndIgnoresTheOldReply() {
    PatternOptions o = options();
    o.reqRelaxed = true;
    o.reqCorrelate = true;
    ReqPattern req = new ReqPattern(o, 41);
    FakePipe a = new FakePipe("a"), b = new FakePipe("b");
    req.attach(a, false, true);
    req.attach(b, false, true);
    sendOk(req, "first");
    sendOk(req, "second");
    Msg toA = a.take(), toB = b.take();
    assertArrayEquals(ReqPattern.requestIdBytes(42), toA.frame(0).toByteArray());
    assertArrayEquals(ReqPattern.requestIdBytes(43), toB.frame(0).toByteArray());
    assertEquals("", toB.frame(1).text());
    assertEquals("second", toB.frame(2).text());
    // a's late answer to the abandoned request, then b's answer
    a.deliver(Msg.of(Frame.wrap(ReqPattern.requestIdBytes(42)), Frame.EMPTY, Frame.of("old")));
    b.deliver(Msg.of(Frame.wrap(ReqPattern.requestIdBytes(43)), Frame.EMPTY, Frame.of("new")));
    a.wake(req);
    b.wake(req);
    assertEquals(List.of("new"), recvTexts(req));
  }

  @Test
  void correlatedReqDropsReplyWithWrongIdOrWithoutDelimiter() {
    PatternOptions o = options();
    o.reqCorrelate = true;
    ReqPattern req = new ReqPattern(o, 0x7fffffff);
    FakePipe a = new FakePipe("a");
    req.attach(a, false, true);
    sendOk(req, "q");
    byte[] id = a.take().frame(0).toByteArray();
    assertArrayEquals(new byte[] {0, 0, 0, (byte) 0x80}, id, "id incremented, little-endian as libzmq on x86");
    a.deliver(Msg.of(Frame.wrap(new byte[] {1, 2, 3, 4}), Frame.EMPTY, Frame.of("wrong id")));
    a.deliver(Msg.of(Frame.wrap(id), Frame.of("no delimiter")));
    a.deliver(Msg.of(Frame.of("short")));
    a.deliver(Msg.of(Frame.wrap(id), Frame.EMPTY, Frame.of("right"), Frame.of("2")));
    a.wake(req);
    assertEquals(List.of("right", "2"), recvTexts(req));
  }

  @Test
  void reqAndDealerSendProbeWhenProbeRouterIsSet() {
    PatternOptions o = options();
    o.probeRouter = true;
    FakePipe p1 = new FakePipe("1"), p2 = new FakePipe("2"), p3 = new FakePipe("3");
    Patterns.create(SocketType.REQ, o).attach(p1, false, true);
    Patterns.create(SocketType.DEALER, o).attach(p2, false, true);
    Patterns.create(SocketType.PUSH, o).attach(p3, false, true);
    assertEquals(List.of(List.of("")), p1.sentTexts());
    assertEquals(List.of(List.of("")), p2.sentTexts());
    assertEquals(List.of(), p3.sentTexts());
  }

  @Test
  void repStripsEnvelopeAndPutsItBackOnReply() {
    Pattern rep = Patterns.create(SocketType.REP, options());
    FakePipe a = new FakePipe("a"), b = new FakePipe("b");
    rep.attach(a, false, false);
    rep.attach(b, false, false);
    a.deliver("hop2", "hop1", "", "body-a", "more");
    b.deliver("", "body-b");
    assertEquals(List.of("body-a", "more"), recvTexts(rep));
    sendOk(rep, "reply-a");
    assertEquals(List.of(List.of("hop2", "hop1", "", "reply-a")), a.sentTexts());
    assertEquals(List.of("body-b"), recvTexts(rep));
    sendOk(rep, "reply-b", "2");
    assertEquals(List.of(List.of("", "reply-b", "2")), b.sentTexts());
  }

  @Test
  void repRefusesWrongOrderWithEfsm() {
    Pattern rep = Patterns.create(SocketType.REP, options());
    FakePipe a = new FakePipe("a").deliver("", "q1").deliver("", "q2");
    rep.attach(a, false, false);
    assertEquals(Errno.EFSM, send(rep, "reply before request"));
    assertEquals(List.of("q1"), recvTexts(rep));
    assertFalse(rep.hasIn());
    assertNull(rep.recv());
    assertEquals(Errno.EFSM, rep.lastError());
    sendOk(rep, "r1");
    assertEquals(List.of("q2"), recvTexts(rep));
  }

  @Test
  void repDiscardsRequestWithoutDelimiter() {
    Pattern rep = Patterns.create(SocketType.REP, options());
    FakePipe a = new FakePipe("a").deliver("label", "no delimiter").deliver("", "ok");
    rep.attach(a, false, false);
    assertEquals(List.of("ok"), recvTexts(rep));
    sendOk(rep, "r");
    assertEquals(List.of(List.of("", "r")), a.sentTexts());
  }

  @Test
  void dealerFairQueuesAndRoundRobinsWithoutEnvelope() {
    Pattern dealer = Patterns.create(SocketType.DEALER, options());
    FakePipe a = new FakePipe("a").deliver("a1").deliver("a2");
    FakePipe b = new FakePipe("b").deliver("b1");
    FakePipe c = new FakePipe("c").deliver("c1");
    dealer.attach(a, false, true);
    dealer.attach(b, false, true);
    dealer.attach(c, false, true);
    assertEquals(List.of("a1"), recvTexts(dealer));
    assertEquals(List.of("b1"), recvTexts(dealer));
    assertEquals(List.of("c1"), recvTexts(dealer));
    assertEquals(List.of("a2"), recvTexts(dealer));
    sendOk(dealer, "x", "y");
    sendOk(dealer, "z");
    assertEquals(List.of(List.of("x", "y")), a.sentTexts());
    assertEquals(List.of(List.of("z")), b.sentTexts());
  }
}
