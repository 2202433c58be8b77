package io.pekkozmq.engine.pattern;

import static io.pekkozmq.engine.pattern.PatternDriver.*;
import static org.junit.jupiter.api.Assertions.*;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ROUTER (RFC 28) and STREAM, in the spirit of libzmq's test_spec_router, test_router_* and test_stream*. */
class RouterTest {

  @Test
  void routerPrefixesPeerRoutingIdAndFairQueuesAcrossThreePipes() {
    RouterPattern router = new RouterPattern(options(), 0);
    FakePipe a = new FakePipe("a").withRoutingId("A").deliver("a1", "x").deliver("a2");
    FakePipe b = new FakePipe("b").withRoutingId("B").deliver("b1");
    FakePipe c = new FakePipe("c").withRoutingId("C").deliver("c1");
    router.attach(a, false, false);
    router.attach(b, false, false);
    router.attach(c, false, false);
    assertEquals(List.of("A", "a1", "x"), recvTexts(router));
    assertEquals(List.of("B", "b1"), recvTexts(router));
    assertEquals(List.of("C", "c1"), recvTexts(router));
    assertEquals(List.of("A", "a2"), recvTexts(router));
    assertNull(recv(router));
  }

  @Test
  void routerRoutesByFirstFrameAndStripsIt() {
    RouterPattern router = new RouterPattern(options(), 0);
    FakePipe a = new FakePipe("a").withRoutingId("A");
    FakePipe b = new FakePipe("b").withRoutingId("B");
    router.attach(a, false, false);
    router.attach(b, false, false);
    sendOk(router, "B", "", "to b");
    sendOk(router, "A", "to a");
    assertEquals(List.of(List.of("to a")), a.sentTexts());
    assertEquals(List.of(List.of("", "to b")), b.sentTexts());
  }

  @Test
  void generatedRoutingIdIsZeroByteAndBigEndianCounter() {
    RouterPattern router = new RouterPattern(options(), 0x01020304);
    FakePipe anon1 = new FakePipe("1").deliver("hello");
    FakePipe anon2 = new FakePipe("2");
    router.attach(anon1, false, false);
    router.attach(anon2, false, false);
    assertArrayEquals(new byte[] {0, 1, 2, 3, 4}, anon1.routingId());
    assertArrayEquals(new byte[] {0, 1, 2, 3, 5}, anon2.routingId());
    Msg m = recv(router);
    assertArrayEquals(new byte[] {0, 1, 2, 3, 4}, m.frame(0).toByteArray());
    assertEquals(Pattern.OK, router.send(Frame.wrap(new byte[] {0, 1, 2, 3, 5}, Frame.MORE)));
    assertEquals(Pattern.OK, router.send(Frame.of("reply")));
    assertEquals(List.of(List.of("reply")), anon2.sentTexts());
  }

  @Test
  void routerDropsUnknownIdSilentlyUnlessMandatory() {
    PatternOptions o = options();
    RouterPattern router = new RouterPattern(o, 0);
    FakePipe a = new FakePipe("a").withRoutingId("A");
    router.attach(a, false, false);
    sendOk(router, "nobody", "lost");
    sendOk(router, "A", "found");
    assertEquals(List.of(List.of("found")), a.sentTexts());
    o.routerMandatory = true;
    assertEquals(Errno.EHOSTUNREACH, send(router, "nobody", "lost"));
    // the failed id frame leaves the socket ready for a new message
    sendOk(router, "A", "again");
    assertEquals(2, a.sent().size());
  }

  @Test
  void mandatoryRouterReportsFullPeerWithEagainOtherwiseDrops() {
    PatternOptions o = options();
    RouterPattern router = new RouterPattern(o, 0);
    FakePipe a = new FakePipe("a", 1).withRoutingId("A");
    router.attach(a, false, false);
    sendOk(router, "A", "1");
    sendOk(router, "A", "dropped");
    assertEquals(1, a.sent().size());
    o.routerMandatory = true;
    assertFalse(router.hasOut());
    assertEquals(Errno.EAGAIN, send(router, "A", "2"));
    a.take();
    router.writeActivated(a);
    assertTrue(router.hasOut());
    sendOk(router, "A", "3");
    assertEquals(List.of(List.of("3")), a.sentTexts());
  }

  @Test
  void duplicateRoutingIdIsIgnoredWithoutHandover() {
    RouterPattern router = new RouterPattern(options(), 0);
    FakePipe first = new FakePipe("first").withRoutingId("X");
    FakePipe second = new FakePipe("second").withRoutingId("X").deliver("from second");
    router.attach(first, false, false);
    router.attach(second, false, false);
    assertNull(recv(router));
    sendOk(router, "X", "hi");
    assertEquals(1, first.sent().size());
    assertEquals(0, second.sent().size());
    router.pipeTerminated(second);
    sendOk(router, "X", "still first");
    assertEquals(2, first.sent().size());
  }

  @Test
  void handoverGivesRoutingIdToNewPeerAndClosesOldOne() {
    PatternOptions o = options();
    o.routerHandover = true;
    RouterPattern router = new RouterPattern(o, 7);
    FakePipe old = new FakePipe("old").withRoutingId("X");
    FakePipe fresh = new FakePipe("new").withRoutingId("X");
    router.attach(old, false, false);
    router.attach(fresh, false, false);
    assertTrue(old.terminated);
    assertArrayEquals(new byte[] {0, 0, 0, 0, 7}, old.routingId());
    sendOk(router, "X", "hi");
    assertEquals(List.of(List.of("hi")), fresh.sentTexts());
    assertEquals(0, old.sent().size());
  }

  @Test
  void handoverWhileReadingFromOldPipeClosesItAfterTheMessage() {
    PatternOptions o = options();
    o.routerHandover = true;
    RouterPattern router = new RouterPattern(o, 7);
    FakePipe old = new FakePipe("old").withRoutingId("X").deliver("p1", "p2");
    router.attach(old, false, false);
    assertEquals("X", router.recv().text());
    assertEquals("p1", router.recv().text());
    router.attach(new FakePipe("new").withRoutingId("X"), false, false);
    assertFalse(old.terminated);
    assertEquals("p2", router.recv().text());
    assertTrue(old.terminated);
  }

  @Test
  void connectRoutingIdNamesNextLocallyInitiatedPipeOnce() {
    PatternOptions o = options();
    o.connectRoutingId = "peer-1".getBytes();
    RouterPattern router = new RouterPattern(o, 0);
    FakePipe accepted = new FakePipe("accepted").withRoutingId("ACC");
    FakePipe connected = new FakePipe("connected").withRoutingId("THEIRS");
    FakePipe connected2 = new FakePipe("connected2");
    router.attach(accepted, false, false);
    router.attach(connected, false, true);
    router.attach(connected2, false, true);
    assertEquals("ACC", new String(accepted.routingId()));
    assertEquals("peer-1", new String(connected.routingId()));
    assertEquals(5, connected2.routingId().length);
    assertNull(o.connectRoutingId);
    sendOk(router, "peer-1", "hi");
    assertEquals(1, connected.sent().size());
  }

  @Test
  void routerProbesNewPeersWhenProbeRouterIsSet() {
    PatternOptions o = options();
    o.probeRouter = true;
    RouterPattern router = new RouterPattern(o, 0);
    FakePipe a = new FakePipe("a").withRoutingId("A");
    router.attach(a, false, true);
    assertEquals(List.of(List.of("")), a.sentTexts());
  }

  @Test
  void routerNotifyDeliversIdAndEmptyFrameOnConnectAndDisconnect() {
    PatternOptions o = options();
    o.routerNotify = PatternOptions.NOTIFY_CONNECT | PatternOptions.NOTIFY_DISCONNECT;
    RouterPattern router = new RouterPattern(o, 0);
    FakePipe a = new FakePipe("a").withRoutingId("A").deliver("data");
    router.attach(a, false, false);
    assertTrue(router.hasIn());
    assertEquals(List.of("A", ""), recvTexts(router));
    assertEquals(List.of("A", "data"), recvTexts(router));
    router.pipeTerminated(a);
    assertEquals(List.of("A", ""), recvTexts(router));
    assertNull(recv(router));
  }

  @Test
  void routerWithoutNotifyDeliversNothingOnConnect() {
    RouterPattern router = new RouterPattern(options(), 0);
    router.attach(new FakePipe("a").withRoutingId("A"), false, false);
    assertFalse(router.hasIn());
  }

  @Test
  void routerHasInPrefetchesWithoutLosingTheMessage() {
    RouterPattern router = new RouterPattern(options(), 0);
    router.attach(new FakePipe("a").withRoutingId("A").deliver("m", "n"), false, false);
    assertTrue(router.hasIn());
    assertTrue(router.hasIn());
    assertEquals(List.of("A", "m", "n"), recvTexts(router));
    assertFalse(router.hasIn());
  }

  @Test
  void streamPrefixesIdAndForgetsAPeerItClosesWithAnEmptyFrame() {
    StreamPattern stream = new StreamPattern(options(), 0x0a0b0c0d);
    // the connection puts the connect notification (an empty message) in the pipe before any data
    FakePipe tcp = new FakePipe("tcp").withRoutingId("ignored").deliver("").deliver("GET /");
    stream.attach(tcp, false, false);
    byte[] id = {0, 0x0a, 0x0b, 0x0c, 0x0d};
    assertArrayEquals(id, tcp.routingId());
    Msg connect = recv(stream);
    assertArrayEquals(id, connect.frame(0).toByteArray());
    assertEquals(0, connect.frame(1).size());
    Msg data = recv(stream);
    assertEquals("GET /", data.frame(1).text());
    assertEquals(Pattern.OK, stream.send(Frame.wrap(id, Frame.MORE)));
    assertEquals(Pattern.OK, stream.send(Frame.of("200 OK")));
    assertEquals(List.of(List.of("200 OK")), tcp.sentTexts());
    assertEquals(Pattern.OK, stream.send(Frame.wrap(id, Frame.MORE)));
    assertEquals(Pattern.OK, stream.send(Frame.EMPTY));
    assertTrue(tcp.terminated);
    tcp.deliver("late");
    assertNull(recv(stream), "a peer we closed is not read any more, and gives no notification");
    assertEquals(Pattern.FAILED, stream.send(Frame.wrap(id, Frame.MORE)));
    assertEquals(Errno.EHOSTUNREACH, stream.lastError());
    stream.pipeTerminated(tcp); // the runtime's later report changes nothing
    assertNull(recv(stream));
  }

  @Test
  void streamRejectsUnknownIdWithEhostunreach() {
    StreamPattern stream = new StreamPattern(options(), 0);
    assertEquals(Pattern.FAILED, stream.send(Frame.of("nobody").withMore(true)));
    assertEquals(Errno.EHOSTUNREACH, stream.lastError());
  }
}
