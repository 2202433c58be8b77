package io.pekkozmq.engine.pattern;

import static io.pekkozmq.engine.pattern.PatternDriver.*;
import static org.junit.jupiter.api.Assertions.*;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PUB/SUB/XPUB/XSUB (RFC 29), in the spirit of libzmq's test_pubsub, test_xpub_* and test_hwm_pubsub. */
class PubSubTest {
  private static Frame sub(String topic) {
    return Frame.wrap(("\u0001" + topic).getBytes(StandardCharsets.ISO_8859_1), Frame.SUBSCRIBE);
  }

  private static Frame cancel(String topic) {
    return Frame.wrap(("\u0000" + topic).getBytes(StandardCharsets.ISO_8859_1), Frame.CANCEL);
  }

  private static Frame legacy(int head, String topic) {
    return Frame.wrap(((char) head + topic).getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Received subscription notifications as "+topic" / "-topic". */
  private static List<String> notifications(Pattern xpub) {
    List<String> out = new ArrayList<>();
    Frame f;
    while ((f = xpub.recv()) != null) {
      assertEquals(0, f.flags(), "notifications are plain data frames");
      String t = new String(f.toByteArray(), 1, f.size() - 1, StandardCharsets.ISO_8859_1);
      out.add((f.byteAt(0) == 1 ? "+" : "-") + t);
    }
    return out;
  }

  private static FakePipe subscriber(String name, int hwm, Frame... subs) {
    FakePipe p = new FakePipe(name, hwm);
    for (Frame s : subs) {
      p.deliver(Msg.of(s));
    }
    return p;
  }

  @Test
  void pubSendsToMatchingSubscribersOnly() {
    Pattern pub = Patterns.create(SocketType.PUB, options());
    FakePipe a = subscriber("a", 0, sub("news"));
    FakePipe b = subscriber("b", 0, sub("sport"), sub(""));
    FakePipe c = subscriber("c", 0);
    pub.attach(a, false, false);
    pub.attach(b, false, false);
    pub.attach(c, false, false);
    sendOk(pub, "news.today", "body");
    sendOk(pub, "weather");
    assertEquals(List.of(List.of("news.today", "body")), a.sentTexts());
    assertEquals(List.of(List.of("news.today", "body"), List.of("weather")), b.sentTexts());
    assertEquals(List.of(), c.sentTexts());
    assertNull(pub.recv());
    assertEquals(Errno.ENOTSUP, pub.lastError());
  }

  @Test
  void pubDropsWholeMessagesAtHighWaterMarkAndDeliversExactlySndHwm() {
    Pattern pub = Patterns.create(SocketType.PUB, options());
    FakePipe slow = subscriber("slow", 3, sub(""));
    FakePipe fast = subscriber("fast", 0, sub(""));
    pub.attach(slow, false, false);
    pub.attach(fast, false, false);
    for (int i = 0; i < 10; i++) {
      assertTrue(pub.hasOut());
      sendOk(pub, "m" + i, "tail" + i);
    }
    assertEquals(List.of(List.of("m0", "tail0"), List.of("m1", "tail1"), List.of("m2", "tail2")), slow.sentTexts());
    assertEquals(10, fast.sent().size());
    assertFalse(slow.hasStaged(), "no half message left behind");
    // once the subscriber catches up and the pipe is activated, delivery resumes with whole messages
    slow.take();
    pub.writeActivated(slow);
    sendOk(pub, "m10", "tail10");
    assertEquals(List.of("m10", "tail10"), slow.sentTexts().get(2));
  }

  @Test
  void pipeAttachedMidMessageGetsOnlyTheNextMessage() {
    Pattern pub = Patterns.create(SocketType.PUB, options());
    FakePipe a = new FakePipe("a");
    pub.attach(a, true, false);
    assertEquals(Pattern.OK, pub.send(Frame.of("first").withMore(true)));
    FakePipe late = new FakePipe("late");
    pub.attach(late, true, false);
    assertEquals(Pattern.OK, pub.send(Frame.of("end")));
    sendOk(pub, "second");
    assertEquals(List.of(List.of("first", "end"), List.of("second")), a.sentTexts());
    assertEquals(List.of(List.of("second")), late.sentTexts());
  }

  @Test
  void xpubNodropFailsWithEagainInsteadOfDropping() {
    PatternOptions o = options();
    o.xpubNodrop = true;
    Pattern xpub = Patterns.create(SocketType.XPUB, o);
    FakePipe a = subscriber("a", 2, sub("t"));
    FakePipe other = subscriber("other", 1, sub("u"));
    xpub.attach(a, false, false);
    xpub.attach(other, false, false);
    sendOk(xpub, "t1");
    sendOk(xpub, "u1");
    sendOk(xpub, "t2");
    assertEquals(Errno.EAGAIN, send(xpub, "t3"));
    // a full non-matching peer does not block others
    sendOk(xpub, "x");
    a.take();
    xpub.writeActivated(a);
    sendOk(xpub, "t3");
    assertEquals(List.of(List.of("t2"), List.of("t3")), a.sentTexts());
  }

  @Test
  void xpubReportsFirstSubscriptionAndLastCancelOnly() {
    Pattern xpub = Patterns.create(SocketType.XPUB, options());
    FakePipe a = subscriber("a", 0, sub("A"), sub("A"), legacy(1, "B"));
    FakePipe b = subscriber("b", 0, sub("A"));
    xpub.attach(a, false, false);
    xpub.attach(b, false, false);
    assertEquals(List.of("+A", "+B"), notifications(xpub));
    a.deliver(Msg.of(cancel("A")));
    a.wake(xpub);
    assertEquals(List.of(), notifications(xpub));
    b.deliver(Msg.of(legacy(0, "A")));
    b.wake(xpub);
    assertEquals(List.of("-A"), notifications(xpub));
    // libzmq also reports a cancel of a topic the pipe never had (its TODO: rm_result not_found)
    b.deliver(Msg.of(cancel("never")));
    b.wake(xpub);
    assertEquals(List.of("-never"), notifications(xpub));
    xpub.pipeTerminated(a);
    assertEquals(List.of("-B"), notifications(xpub));
  }

  @Test
  void xpubVerboseReportsEverySubscriptionButNotEveryCancel() {
    PatternOptions o = options();
    o.xpubVerbose = true;
    Pattern xpub = Patterns.create(SocketType.XPUB, o);
    FakePipe a = subscriber("a", 0, sub("A"), sub("A"));
    FakePipe b = subscriber("b", 0, sub("A"));
    xpub.attach(a, false, false);
    xpub.attach(b, false, false);
    assertEquals(List.of("+A", "+A", "+A"), notifications(xpub));
    a.deliver(Msg.of(cancel("A")));
    a.wake(xpub);
    assertEquals(List.of(), notifications(xpub));
    xpub.pipeTerminated(b);
    assertEquals(List.of("-A"), notifications(xpub));
  }

  @Test
  void xpubVerboserReportsEveryCancelAndEveryTopicOfADepartingPipe() {
    PatternOptions o = options();
    o.xpubVerboser = true;
    Pattern xpub = Patterns.create(SocketType.XPUB, o);
    FakePipe a = subscriber("a", 0, sub("A"), sub("B"));
    FakePipe b = subscriber("b", 0, sub("A"));
    xpub.attach(a, false, false);
    xpub.attach(b, false, false);
    assertEquals(List.of("+A", "+B", "+A"), notifications(xpub));
    b.deliver(Msg.of(cancel("A")));
    b.wake(xpub);
    assertEquals(List.of("-A"), notifications(xpub));
    b.deliver(Msg.of(sub("A")));
    b.wake(xpub);
    notifications(xpub);
    xpub.pipeTerminated(a);
    assertEquals(List.of("-A", "-B"), notifications(xpub));
  }

  @Test
  void xpubManualReportsAllAndAppliesOnlyWhatTheUserSubscribesOnBehalf() {
    PatternOptions o = options();
    o.xpubManual = true;
    Pattern xpub = Patterns.create(SocketType.XPUB, o);
    FakePipe a = subscriber("a", 0, sub("A"));
    FakePipe b = subscriber("b", 0, sub("A"));
    xpub.attach(a, false, false);
    xpub.attach(b, false, false);
    sendOk(xpub, "A1");
    assertEquals(List.of(), a.sentTexts(), "nothing applied before the user decides");
    Frame n = xpub.recv();
    assertEquals("\u0001A", n.text());
    assertEquals(Pattern.OK, xpub.subscribe("A".getBytes()));
    assertEquals("\u0001A", xpub.recv().text());
    assertEquals(Pattern.OK, xpub.subscribe("other".getBytes()));
    sendOk(xpub, "A2");
    sendOk(xpub, "other");
    assertEquals(List.of(List.of("A2")), a.sentTexts());
    assertEquals(List.of(List.of("other")), b.sentTexts());
    xpub.pipeTerminated(a);
    assertEquals(List.of("-A"), notifications(xpub));
  }

  @Test
  void subscribeOnNonManualXpubIsInvalid() {
    Pattern xpub = Patterns.create(SocketType.XPUB, options());
    assertEquals(Pattern.FAILED, xpub.subscribe("x".getBytes()));
    assertEquals(Errno.EINVAL, xpub.lastError());
  }

  @Test
  void xpubManualLastValueSendsNextMessageOnlyToLastSubscriber() {
    PatternOptions o = options();
    o.xpubManualLastValue = true;
    Pattern xpub = Patterns.create(SocketType.XPUB, o);
    FakePipe a = subscriber("a", 0, sub("A"));
    xpub.attach(a, false, false);
    xpub.recv();
    xpub.subscribe("A".getBytes());
    FakePipe b = subscriber("b", 0, sub("A"));
    xpub.attach(b, false, false);
    xpub.recv();
    xpub.subscribe("A".getBytes());
    sendOk(xpub, "A-snapshot");
    sendOk(xpub, "A-update");
    assertEquals(List.of(List.of("A-update")), a.sentTexts());
    assertEquals(List.of(List.of("A-snapshot"), List.of("A-update")), b.sentTexts());
  }

  @Test
  void xpubSendsWelcomeMessageOnAttach() {
    PatternOptions o = options();
    o.xpubWelcomeMsg = "WELCOME".getBytes();
    Pattern xpub = Patterns.create(SocketType.XPUB, o);
    FakePipe a = new FakePipe("a");
    xpub.attach(a, false, false);
    assertEquals(List.of(List.of("WELCOME")), a.sentTexts());
  }

  @Test
  void invertMatchingSendsToNonMatchingSubscribers() {
    PatternOptions o = options();
    o.invertMatching = true;
    Pattern pub = Patterns.create(SocketType.PUB, o);
    FakePipe a = subscriber("a", 0, sub("A"));
    FakePipe b = subscriber("b", 0, sub("B"));
    pub.attach(a, false, false);
    pub.attach(b, false, false);
    sendOk(pub, "A-msg");
    sendOk(pub, "C-msg");
    assertEquals(List.of(List.of("C-msg")), a.sentTexts());
    assertEquals(List.of(List.of("A-msg"), List.of("C-msg")), b.sentTexts());
  }

  @Test
  void xpubPassesUpstreamUserMessagesWithTheirFrames() {
    Pattern xpub = Patterns.create(SocketType.XPUB, options());
    FakePipe a = new FakePipe("a").deliver("hello", "\u0001not a subscription");
    xpub.attach(a, false, false);
    assertEquals(List.of("hello", "\u0001not a subscription"), recvTexts(xpub));
  }

  @Test
  void subSubscriptionsGoToEveryPipeFlagged() {
    Pattern sub = Patterns.create(SocketType.SUB, options());
    FakePipe a = new FakePipe("a"), b = new FakePipe("b");
    sub.attach(a, false, true);
    sub.attach(b, false, true);
    assertEquals(Pattern.OK, sub.subscribe("A".getBytes()));
    assertEquals(Pattern.OK, sub.unsubscribe("A".getBytes()));
    for (FakePipe p : List.of(a, b)) {
      List<Msg> sent = p.sent();
      assertEquals(2, sent.size());
      assertEquals(Frame.wrap(new byte[] {1, 'A'}, Frame.SUBSCRIBE), sent.get(0).frame(0));
      assertEquals(Frame.wrap(new byte[] {0, 'A'}, Frame.CANCEL), sent.get(1).frame(0));
    }
    assertEquals(Errno.ENOTSUP, send(sub, "x"));
    assertFalse(sub.hasOut());
  }

  @Test
  void subSendsCancelOnlyForLastReferenceAndNeverForUnknownTopic() {
    Pattern sub = Patterns.create(SocketType.SUB, options());
    FakePipe a = new FakePipe("a");
    sub.attach(a, false, true);
    sub.subscribe("A".getBytes());
    sub.subscribe("A".getBytes());
    sub.unsubscribe("A".getBytes());
    sub.unsubscribe("never".getBytes());
    assertEquals(2, a.sent().size());
    sub.unsubscribe("A".getBytes());
    assertEquals(3, a.sent().size());
    assertEquals(Frame.CANCEL, a.sent().get(2).frame(0).flags());
  }

  @Test
  void subResendsAllSubscriptionsToNewPipeEvenBeyondHighWaterMark() {
    Pattern sub = Patterns.create(SocketType.SUB, options());
    int n = 2500;
    for (int i = 0; i < n; i++) {
      sub.subscribe(String.format("%010d.u", i).getBytes());
    }
    FakePipe late = new FakePipe("late", 1000);
    sub.attach(late, false, true);
    assertEquals(1000, late.sent().size());
    List<String> got = new ArrayList<>();
    while (late.sent().size() > 0 || late.writerWaiting) {
      Msg m = late.take();
      if (m == null) {
        late.writerWaiting = false;
        sub.writeActivated(late);
        continue;
      }
      got.add(m.frame(0).text().substring(1));
      if (late.writerWaiting && late.sent().isEmpty()) {
        late.writerWaiting = false;
        sub.writeActivated(late);
      }
    }
    assertEquals(n, got.size());
    assertEquals("0000000000.u", got.get(0));
    assertEquals(String.format("%010d.u", n - 1), got.get(n - 1));
  }

  @Test
  void hiccupedPipeGetsEverySubscriptionAgainOnlyOnSubAndXsub() {
    for (SocketType type : List.of(SocketType.SUB, SocketType.XSUB)) {
      Pattern sub = Patterns.create(type, options());
      FakePipe a = new FakePipe("a", 0);
      FakePipe b = new FakePipe("b", 0);
      sub.attach(a, false, true);
      sub.attach(b, false, true);
      for (String t : List.of("x", "y", "y")) {
        if (type == SocketType.SUB) {
          sub.subscribe(t.getBytes());
        } else {
          sub.send(Frame.wrap(("\u0001" + t).getBytes()));
        }
      }
      while (a.take() != null) {
        // what the first connection was sent
      }
      int bBefore = b.sent().size();
      sub.hiccuped(a); // a new peer behind pipe a
      List<String> again = new ArrayList<>();
      for (Msg m = a.take(); m != null; m = a.take()) {
        assertEquals(Frame.SUBSCRIBE, m.frame(0).flags());
        again.add(m.frame(0).text());
      }
      assertEquals(List.of("\u0001x", "\u0001y"), again, type + ": once per topic");
      assertEquals(bBefore, b.sent().size(), "other pipes hear nothing");
    }
    Pattern pub = Patterns.create(SocketType.PUB, options());
    FakePipe p = new FakePipe("p", 0);
    pub.attach(p, false, true);
    pub.hiccuped(p);
    assertEquals(0, p.sent().size());
  }

  @Test
  void subSubscriptionsWaitBehindTheBacklogInOrder() {
    Pattern sub = Patterns.create(SocketType.SUB, options());
    FakePipe a = new FakePipe("a", 1);
    sub.attach(a, false, true);
    sub.subscribe("1".getBytes());
    sub.subscribe("2".getBytes());
    sub.unsubscribe("2".getBytes());
    assertEquals(List.of(List.of("\u00011")), a.sentTexts());
    a.take();
    sub.writeActivated(a);
    a.take();
    sub.writeActivated(a);
    assertEquals(List.of(List.of("\u00002")), a.sentTexts());
  }

  @Test
  void xsubDataNeverOvertakesBackloggedSubscriptions() {
    Pattern xsub = Patterns.create(SocketType.XSUB, options());
    FakePipe a = new FakePipe("a", 1);
    FakePipe b = new FakePipe("b", 0);
    xsub.attach(a, false, true);
    xsub.attach(b, false, true);
    assertEquals(Pattern.OK, xsub.send(Frame.wrap("\u0001x".getBytes())));
    assertEquals(Pattern.OK, xsub.send(Frame.wrap("\u0001y".getBytes()))); // a is full: y waits
    a.take(); // room again, but the activation has not come yet
    assertEquals(Pattern.OK, xsub.send(Frame.wrap("data".getBytes())));
    assertEquals(List.of(), a.sentTexts(), "data must not pass the waiting subscription");
    assertEquals(List.of(List.of("\u0001x"), List.of("\u0001y"), List.of("data")), b.sentTexts());
    a.writerWaiting = false;
    xsub.writeActivated(a);
    assertEquals(List.of(List.of("\u0001y")), a.sentTexts());
    a.take();
    assertEquals(Pattern.OK, xsub.send(Frame.wrap("more".getBytes())));
    assertEquals(List.of(List.of("more")), a.sentTexts());
  }

  @Test
  void subFiltersLocallyAndDropsWholeNonMatchingMessages() {
    Pattern sub = Patterns.create(SocketType.SUB, options());
    FakePipe a = new FakePipe("a").deliver("other", "x").deliver("news", "1");
    FakePipe b = new FakePipe("b").deliver("news.b", "2", "3");
    sub.attach(a, false, true);
    sub.attach(b, false, true);
    sub.subscribe("news".getBytes());
    assertTrue(sub.hasIn());
    // a's dropped message counted as a's turn, so b comes next
    assertEquals(List.of("news.b", "2", "3"), recvTexts(sub));
    assertEquals(List.of("news", "1"), recvTexts(sub));
    assertNull(recv(sub));
  }

  @Test
  void subWithInvertMatchingKeepsOnlyNonMatching() {
    PatternOptions o = options();
    o.invertMatching = true;
    Pattern sub = Patterns.create(SocketType.SUB, o);
    FakePipe a = new FakePipe("a").deliver("news").deliver("other");
    sub.attach(a, false, true);
    sub.subscribe("news".getBytes());
    assertEquals(List.of("other"), recvTexts(sub));
    assertNull(recv(sub));
  }

  @Test
  void xsubForwardsSubscriptionsAndDataUpstreamAndDoesNotFilter() {
    Pattern xsub = Patterns.create(SocketType.XSUB, options());
    FakePipe a = new FakePipe("a").deliver("unsubscribed topic");
    xsub.attach(a, false, true);
    assertEquals(Pattern.OK, xsub.send(legacy(1, "T")));
    sendOk(xsub, "upstream", "data");
    assertEquals(Pattern.OK, xsub.send(legacy(0, "T")));
    List<Msg> sent = a.sent();
    assertEquals(Frame.wrap(new byte[] {1, 'T'}, Frame.SUBSCRIBE), sent.get(0).frame(0));
    assertEquals(List.of("upstream", "data"), sent.get(1).texts());
    assertEquals(Frame.wrap(new byte[] {0, 'T'}, Frame.CANCEL), sent.get(2).frame(0));
    assertEquals(List.of("unsubscribed topic"), recvTexts(xsub));
  }

  @Test
  void xsubResendsEachTopicOnceToNewPipe() {
    Pattern xsub = Patterns.create(SocketType.XSUB, options());
    xsub.send(legacy(1, "A"));
    xsub.send(legacy(1, "A"));
    xsub.send(legacy(1, "B"));
    FakePipe a = new FakePipe("a");
    xsub.attach(a, false, true);
    assertEquals(List.of(List.of("\u0001A"), List.of("\u0001B")), a.sentTexts());
  }
}
