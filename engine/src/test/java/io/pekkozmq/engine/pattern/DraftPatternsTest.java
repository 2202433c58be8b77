package io.pekkozmq.engine.pattern;

import static io.pekkozmq.engine.pattern.PatternDriver.*;
import static org.junit.jupiter.api.Assertions.*;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The draft types CLIENT/SERVER (RFC 41), SCATTER/GATHER, PEER (RFC 51) and CHANNEL (RFC 52), in
 * the spirit of libzmq's test_client_server, test_scatter_gather, test_peer and test_channel.
 */
class DraftPatternsTest {

  private static Frame more(String s) {
    return Frame.of(s).withMore(true);
  }

  @Test
  void compatibilityTableIsLibzmqs() {
    assertTrue(SocketType.CLIENT.isCompatible(SocketType.SERVER));
    assertTrue(SocketType.SERVER.isCompatible(SocketType.CLIENT));
    assertTrue(SocketType.SCATTER.isCompatible(SocketType.GATHER));
    assertTrue(SocketType.GATHER.isCompatible(SocketType.SCATTER));
    assertTrue(SocketType.PEER.isCompatible(SocketType.PEER));
    assertTrue(SocketType.CHANNEL.isCompatible(SocketType.CHANNEL));
    for (SocketType t : SocketType.values()) {
      assertEquals(t == SocketType.SERVER, SocketType.CLIENT.isCompatible(t), "CLIENT with " + t);
      assertEquals(t == SocketType.CLIENT, SocketType.SERVER.isCompatible(t), "SERVER with " + t);
      assertEquals(t == SocketType.GATHER, SocketType.SCATTER.isCompatible(t), "SCATTER with " + t);
      assertEquals(t == SocketType.SCATTER, SocketType.GATHER.isCompatible(t), "GATHER with " + t);
      assertEquals(t == SocketType.PEER, SocketType.PEER.isCompatible(t), "PEER with " + t);
      assertEquals(t == SocketType.CHANNEL, SocketType.CHANNEL.isCompatible(t), "CHANNEL with " + t);
      // and no classic type accepts a draft one (DEALER takes no CLIENT, PAIR no CHANNEL...)
      if (t.ordinal() <= SocketType.STREAM.ordinal()) {
        for (SocketType d : List.of(SocketType.CLIENT, SocketType.SERVER, SocketType.SCATTER, SocketType.GATHER,
            SocketType.PEER, SocketType.CHANNEL)) {
          assertFalse(t.isCompatible(d), t + " with " + d);
        }
      }
    }
  }

  @Test
  void wireNamesAreTheTypeNamesAndParse() {
    for (String n : List.of("CLIENT", "SERVER", "SCATTER", "GATHER", "PEER", "CHANNEL")) {
      SocketType t = SocketType.parse(n.toLowerCase());
      assertEquals(n, t.wireName());
      byte[] b = t.wireNameBytes();
      assertEquals(t, SocketType.fromWire(b, 0, b.length));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SocketType.parse("SERVANT"));
    assertTrue(e.getMessage().contains("SERVER") && e.getMessage().contains("SERVANT"), e.getMessage());
  }

  // ---- CLIENT ----

  @Test
  void clientRoundRobinsOutAndFairQueuesIn() {
    Pattern client = Patterns.create(SocketType.CLIENT, options());
    FakePipe a = new FakePipe("a"), b = new FakePipe("b");
    client.attach(a, false, true);
    client.attach(b, false, true);
    for (int i = 0; i < 4; i++) sendOk(client, "m" + i);
    assertEquals(List.of(List.of("m0"), List.of("m2")), a.sentTexts());
    assertEquals(List.of(List.of("m1"), List.of("m3")), b.sentTexts());
    a.deliver("a1").deliver("a2");
    b.deliver("b1");
    assertEquals(List.of("a1"), recvTexts(client));
    assertEquals(List.of("b1"), recvTexts(client));
    assertEquals(List.of("a2"), recvTexts(client));
    assertNull(recv(client));
    assertEquals(Errno.EAGAIN, client.lastError());
  }

  @Test
  void clientRefusesMultipartSendWithEinvalAndSendsNothing() {
    Pattern client = Patterns.create(SocketType.CLIENT, options());
    FakePipe a = new FakePipe("a");
    client.attach(a, false, true);
    assertEquals(Pattern.FAILED, client.send(more("head")));
    assertEquals(Errno.EINVAL, client.lastError());
    assertFalse(a.hasStaged());
    sendOk(client, "single");
    assertEquals(List.of(List.of("single")), a.sentTexts());
  }

  @Test
  void clientDropsMultipartMessagesWhole() {
    Pattern client = Patterns.create(SocketType.CLIENT, options());
    FakePipe a = new FakePipe("a");
    client.attach(a, false, true);
    a.deliver("x", "y", "z").deliver("one").deliver("p", "q").deliver("two");
    assertEquals(List.of("one"), recvTexts(client));
    assertEquals(List.of("two"), recvTexts(client));
    assertNull(recv(client));
  }

  @Test
  void clientWithoutPeersIsEagain() {
    Pattern client = Patterns.create(SocketType.CLIENT, options());
    assertFalse(client.hasOut());
    assertEquals(Errno.EAGAIN, send(client, "x"));
  }

  // ---- SERVER ----

  @Test
  void serverStampsEachPeersMessagesWithItsRoutingIdAndRepliesByIt() {
    ServerPattern server = new ServerPattern(options(), 100);
    FakePipe a = new FakePipe("a"), b = new FakePipe("b");
    server.attach(a, false, false);
    server.attach(b, false, false);
    a.deliver("from a").deliver("again a");
    b.deliver("from b");
    assertEquals("from a", server.recv().text());
    int idA = server.receivedRoutingId();
    assertEquals("from b", server.recv().text());
    int idB = server.receivedRoutingId();
    assertEquals("again a", server.recv().text());
    assertEquals(idA, server.receivedRoutingId(), "stable per connection");
    assertEquals(100, idA);
    assertEquals(101, idB);
    server.routeTo(idB);
    assertEquals(Pattern.OK, server.send(Frame.of("to b")));
    server.routeTo(idA);
    assertEquals(Pattern.OK, server.send(Frame.of("to a")));
    assertEquals(List.of(List.of("to a")), a.sentTexts());
    assertEquals(List.of(List.of("to b")), b.sentTexts());
  }

  @Test
  void serverUnknownRoutingIdIsEhostunreach() {
    ServerPattern server = new ServerPattern(options(), 7);
    FakePipe a = new FakePipe("a");
    server.attach(a, false, false);
    server.routeTo(8);
    assertEquals(Pattern.FAILED, server.send(Frame.of("x")));
    assertEquals(Errno.EHOSTUNREACH, server.lastError());
    // a send without a routing id names no peer either
    assertEquals(Pattern.FAILED, server.send(Frame.of("x")));
    assertEquals(Errno.EHOSTUNREACH, server.lastError());
    // a peer that left is unreachable too
    server.pipeTerminated(a);
    server.routeTo(7);
    assertEquals(Pattern.FAILED, server.send(Frame.of("x")));
    assertEquals(Errno.EHOSTUNREACH, server.lastError());
    assertTrue(server.hasOut(), "SERVER is always writable, as libzmq's");
  }

  @Test
  void serverMultipartSendIsEinvalAndMultipartInputIsDropped() {
    ServerPattern server = new ServerPattern(options(), 1);
    FakePipe a = new FakePipe("a");
    server.attach(a, false, false);
    server.routeTo(1);
    assertEquals(Pattern.FAILED, server.send(more("x")));
    assertEquals(Errno.EINVAL, server.lastError());
    a.deliver("m", "n").deliver("ok");
    assertEquals("ok", server.recv().text());
    assertEquals(1, server.receivedRoutingId());
    assertNull(server.recv());
    assertEquals(0, server.receivedRoutingId());
  }

  @Test
  void serverFullPeerIsEagainUntilWriteActivated() {
    ServerPattern server = new ServerPattern(options(), 1);
    FakePipe a = new FakePipe("a", 1);
    server.attach(a, false, false);
    server.routeTo(1);
    assertEquals(Pattern.OK, server.send(Frame.of("1")));
    server.routeTo(1);
    assertEquals(Pattern.FAILED, server.send(Frame.of("2")));
    assertEquals(Errno.EAGAIN, server.lastError());
    assertTrue(a.writerWaiting);
    a.take();
    server.writeActivated(a);
    server.routeTo(1);
    assertEquals(Pattern.OK, server.send(Frame.of("3")));
    assertEquals(List.of(List.of("3")), a.sentTexts());
  }

  @Test
  void serverRoutingIdsCountUpFromTheStartAndSkipZero() {
    ServerPattern server = new ServerPattern(options(), -2); // 0xFFFFFFFE
    FakePipe a = new FakePipe("a"), b = new FakePipe("b"), c = new FakePipe("c");
    server.attach(a, false, false);
    server.attach(b, false, false);
    server.attach(c, false, false);
    assertEquals(0xFFFFFFFE, server.routingIdOf(a));
    assertEquals(0xFFFFFFFF, server.routingIdOf(b));
    assertEquals(1, server.routingIdOf(c), "0 is never a routing id");
    assertEquals(1, server.lastAttachedRoutingId());
  }

  @Test
  void serverStartsAtARandomRoutingId() {
    Set<Integer> firsts = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      ServerPattern s = new ServerPattern(options());
      FakePipe p = new FakePipe("p");
      s.attach(p, false, false);
      assertNotEquals(0, s.routingIdOf(p));
      firsts.add(s.routingIdOf(p));
    }
    assertTrue(firsts.size() > 1, "eight servers all started at " + firsts);
  }

  @Test
  void serverManyPeersEachRoutable() {
    ServerPattern server = new ServerPattern(options(), 1_000);
    List<FakePipe> pipes = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      FakePipe p = new FakePipe("p" + i);
      pipes.add(p);
      server.attach(p, false, false);
    }
    for (int i = 0; i < 200; i += 2) server.pipeTerminated(pipes.get(i));
    for (int i = 1; i < 200; i += 2) {
      server.routeTo(1_000 + i);
      assertEquals(Pattern.OK, server.send(Frame.of("to" + i)));
      assertEquals(List.of(List.of("to" + i)), pipes.get(i).sentTexts());
    }
    server.routeTo(1_000);
    assertEquals(Pattern.FAILED, server.send(Frame.of("gone")));
  }

  // ---- PEER ----

  @Test
  void peerIsAServerThatAnswersTheIdOfItsLastPipe() {
    Pattern peer = Patterns.create(SocketType.PEER, options());
    assertEquals(SocketType.PEER, peer.type());
    ServerPattern p = (ServerPattern) peer;
    FakePipe a = new FakePipe("a");
    peer.attach(a, false, true);
    int id = p.lastAttachedRoutingId();
    assertNotEquals(0, id);
    peer.routeTo(id);
    assertEquals(Pattern.OK, peer.send(Frame.of("hello")), "the new pipe is usable at once");
    assertEquals(List.of(List.of("hello")), a.sentTexts());
    a.deliver("back");
    assertEquals("back", peer.recv().text());
    assertEquals(id, peer.receivedRoutingId());
  }

  // ---- SCATTER / GATHER ----

  @Test
  void scatterRoundRobinsSingleFramesAndCannotReceive() {
    Pattern scatter = Patterns.create(SocketType.SCATTER, options());
    FakePipe a = new FakePipe("a"), b = new FakePipe("b");
    scatter.attach(a, false, true);
    scatter.attach(b, false, true);
    for (int i = 0; i < 4; i++) sendOk(scatter, "m" + i);
    assertEquals(List.of(List.of("m0"), List.of("m2")), a.sentTexts());
    assertEquals(List.of(List.of("m1"), List.of("m3")), b.sentTexts());
    assertEquals(Pattern.FAILED, scatter.send(more("x")));
    assertEquals(Errno.EINVAL, scatter.lastError());
    assertNull(scatter.recv());
    assertEquals(Errno.ENOTSUP, scatter.lastError());
    assertFalse(scatter.hasIn());
  }

  @Test
  void gatherFairQueuesDropsMultipartAndCannotSend() {
    Pattern gather = Patterns.create(SocketType.GATHER, options());
    FakePipe a = new FakePipe("a"), b = new FakePipe("b");
    gather.attach(a, false, false);
    gather.attach(b, false, false);
    a.deliver("a1").deliver("bad", "multi").deliver("a2");
    b.deliver("b1");
    assertEquals(List.of("a1"), recvTexts(gather));
    assertEquals(List.of("b1"), recvTexts(gather));
    assertEquals(List.of("a2"), recvTexts(gather));
    assertNull(recv(gather));
    assertEquals(Errno.ENOTSUP, send(gather, "x"));
    assertFalse(gather.hasOut());
  }

  // ---- CHANNEL ----

  @Test
  void channelKeepsOnePeerAndSingleFrames() {
    Pattern channel = Patterns.create(SocketType.CHANNEL, options());
    FakePipe a = new FakePipe("a"), b = new FakePipe("b");
    assertFalse(channel.hasOut());
    assertEquals(Errno.EAGAIN, send(channel, "nobody"));
    channel.attach(a, false, true);
    channel.attach(b, false, true);
    assertTrue(b.terminated, "a second peer is refused, as PAIR's");
    sendOk(channel, "ping");
    assertEquals(List.of(List.of("ping")), a.sentTexts());
    assertEquals(Pattern.FAILED, channel.send(more("x")));
    assertEquals(Errno.EINVAL, channel.lastError());
    a.deliver("m", "n").deliver("pong");
    assertEquals(List.of("pong"), recvTexts(channel));
    assertNull(recv(channel));
    channel.pipeTerminated(a);
    assertFalse(channel.hasIn());
    assertEquals(Errno.EAGAIN, send(channel, "after"));
  }

  // ---- the routing id table ----

  @Test
  void intMapAgreesWithHashMap() {
    IntMap<Integer> map = new IntMap<>();
    HashMap<Integer, Integer> ref = new HashMap<>();
    Random r = new Random(18);
    for (int i = 0; i < 20_000; i++) {
      int k = r.nextInt(300) - 150;
      if (k == 0) continue;
      if (r.nextBoolean()) {
        map.put(k, i);
        ref.put(k, i);
      } else {
        map.remove(k);
        ref.remove(k);
      }
      assertEquals(ref.size(), map.size());
    }
    for (int k = -150; k < 150; k++) assertEquals(ref.get(k), map.get(k), "key " + k);
    assertNull(map.get(0));
  }

  @Test
  void msgRoutingIdIsAPropertyOutsideEquality() {
    Msg m = Msg.ofStrings("x");
    assertEquals(0, m.routingId());
    Msg routed = m.withRoutingId(0xCAFEBABE);
    assertEquals(0xCAFEBABE, routed.routingId());
    assertEquals(m, routed);
    assertThrows(IllegalArgumentException.class, () -> m.withRoutingId(0));
  }
}
