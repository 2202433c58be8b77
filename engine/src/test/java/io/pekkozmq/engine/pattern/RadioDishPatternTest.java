package io.pekkozmq.engine.pattern;

import static io.pekkozmq.engine.pattern.PatternDriver.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RADIO/DISH (RFC 48) as plain patterns: libzmq 4.3's radio_t and dish_t, over fake pipes. */
class RadioDishPatternTest {
  private static Frame join(String g) {
    return Groups.command(Groups.JOIN, g.getBytes(StandardCharsets.UTF_8));
  }

  private static Frame leave(String g) {
    return Groups.command(Groups.LEAVE, g.getBytes(StandardCharsets.UTF_8));
  }

  private static int send(Pattern radio, String group, String body) {
    Msg m = Msg.ofStrings(body).withGroup(group);
    int rc = radio.beginSend(m);
    return rc == Pattern.OK ? radio.send(m.first()) : rc;
  }

  private static FakePipe dishPeer(String name, int hwm, String... groups) {
    FakePipe p = new FakePipe(name, hwm);
    for (String g : groups) p.deliver(Msg.of(join(g)));
    return p;
  }

  @Test
  void radioSendsToThePipesThatJoinedTheGroupAndToUdpPipes() {
    Pattern radio = Patterns.create(SocketType.RADIO, options());
    FakePipe tv = dishPeer("tv", 0, "TV");
    FakePipe movies = dishPeer("movies", 0, "Movies");
    FakePipe none = dishPeer("none", 0);
    FakePipe udp = new FakePipe("udp", 0);
    radio.attach(tv, false, false);
    radio.attach(movies, false, false);
    radio.attach(none, false, false);
    radio.attach(udp, true, true);
    assertEquals(Pattern.OK, send(radio, "TV", "Friends"));
    assertEquals(List.of(List.of("TV", "Friends")), tv.sentTexts());
    assertTrue(tv.sent().get(0).first().hasMore(), "the group frame comes first, with MORE");
    assertEquals(List.of(), movies.sentTexts());
    assertEquals(List.of(), none.sentTexts());
    assertEquals(List.of(List.of("TV", "Friends")), udp.sentTexts(), "a udp pipe takes everything");
    assertEquals(Pattern.OK, send(radio, "TVs", "exact match only"));
    assertEquals(1, tv.sentTexts().size());
    // a LEAVE from the pipe, then TV no longer goes there
    tv.deliver(Msg.of(leave("TV")));
    tv.wake(radio);
    assertEquals(Pattern.OK, send(radio, "TV", "after leave"));
    assertEquals(1, tv.sentTexts().size());
    // no group: libzmq's empty group
    assertEquals(Pattern.OK, send(radio, null, "nobody"));
    assertEquals(List.of("", "nobody"), udp.sentTexts().get(udp.sentTexts().size() - 1));
  }

  @Test
  void radioRefusesMultipartAndReceiving() {
    Pattern radio = Patterns.create(SocketType.RADIO, options());
    assertEquals(Pattern.FAILED, radio.beginSend(Msg.ofStrings("a", "b").withGroup("g")));
    assertEquals(Errno.EINVAL, radio.lastError());
    assertNull(radio.recv());
    assertEquals(Errno.ENOTSUP, radio.lastError());
    assertFalse(radio.hasIn());
  }

  @Test
  void radioDropsAtAFullPipeUnlessNoDrop() {
    PatternOptions o = options();
    Pattern radio = Patterns.create(SocketType.RADIO, o);
    FakePipe slow = dishPeer("slow", 1, "g");
    radio.attach(slow, false, false);
    assertEquals(Pattern.OK, send(radio, "g", "1"));
    assertEquals(Pattern.OK, send(radio, "g", "2")); // dropped
    assertEquals(List.of(List.of("g", "1")), slow.sentTexts());
    PatternOptions noDrop = options();
    noDrop.xpubNodrop = true;
    radio = Patterns.create(SocketType.RADIO, noDrop);
    FakePipe full = dishPeer("full", 1, "g");
    radio.attach(full, false, false);
    assertEquals(Pattern.OK, send(radio, "g", "1"));
    assertEquals(Pattern.FAILED, send(radio, "g", "2")); // XPUB_NODROP: EAGAIN, as libzmq's radio_t
    assertEquals(Errno.EAGAIN, radio.lastError());
    assertEquals(1, full.sentTexts().size());
  }

  @Test
  void aTerminatedPipeLeavesEveryGroup() {
    Pattern radio = Patterns.create(SocketType.RADIO, options());
    FakePipe a = dishPeer("a", 0, "TV", "Movies");
    radio.attach(a, false, false);
    radio.pipeTerminated(a);
    FakePipe b = dishPeer("b", 0, "TV");
    radio.attach(b, false, false);
    assertEquals(Pattern.OK, send(radio, "TV", "x"));
    assertEquals(List.of(), a.sentTexts());
    assertEquals(1, b.sentTexts().size());
  }

  @Test
  void dishSendsItsJoinsToEveryPipeAndAgainAfterAHiccup() {
    Pattern dish = Patterns.create(SocketType.DISH, options());
    FakePipe first = new FakePipe("first", 0);
    dish.attach(first, false, true);
    assertEquals(Pattern.OK, dish.join("TV"));
    assertEquals(Pattern.OK, dish.join("Movies"));
    assertEquals(Pattern.OK, dish.leave("Movies"));
    List<Msg> sent = first.sent();
    assertEquals(3, sent.size());
    assertEquals(Groups.JOIN, Groups.kind(sent.get(0).first()));
    assertEquals("TV", Groups.commandGroup(sent.get(0).first(), Groups.JOIN));
    assertEquals(Groups.LEAVE, Groups.kind(sent.get(2).first()));
    FakePipe late = new FakePipe("late", 0);
    dish.attach(late, false, true);
    assertEquals(1, late.sent().size(), "a new pipe gets the groups joined now: TV");
    dish.hiccuped(late);
    assertEquals(2, late.sent().size());
  }

  @Test
  void dishJoinAndLeaveErrors() {
    Pattern dish = Patterns.create(SocketType.DISH, options());
    assertEquals(Pattern.FAILED, dish.leave("TV"));
    assertEquals(Errno.EINVAL, dish.lastError());
    assertEquals(Pattern.OK, dish.join("TV"));
    assertEquals(Pattern.FAILED, dish.join("TV"));
    assertEquals(Errno.EINVAL, dish.lastError());
    assertEquals(Pattern.FAILED, dish.join("x".repeat(256)));
    assertEquals(Pattern.OK, dish.join("x".repeat(255)));
    assertEquals(Pattern.FAILED, dish.send(Frame.of("x")));
    assertEquals(Errno.ENOTSUP, dish.lastError());
    assertEquals(Pattern.FAILED, Patterns.create(SocketType.SUB, options()).join("TV"));
  }

  @Test
  void dishReceivesJoinedGroupsOnlyWithTheirGroup() {
    Pattern dish = Patterns.create(SocketType.DISH, options());
    FakePipe radio = new FakePipe("radio", 0);
    radio.deliver(Msg.ofStrings("Movies", "Godfather"));
    radio.deliver(Msg.ofStrings("TV", "Friends"));
    radio.deliver(Msg.ofStrings("TVs", "no"));
    radio.deliver(Msg.ofStrings("TV", "Seinfeld"));
    dish.attach(radio, false, true);
    dish.join("TV");
    assertTrue(dish.hasIn());
    Frame f = dish.recv();
    assertEquals("Friends", f.text());
    assertFalse(f.hasMore());
    assertEquals("TV", dish.receivedGroup());
    assertEquals("Seinfeld", dish.recv().text());
    assertEquals("TV", dish.receivedGroup());
    assertNull(dish.recv());
    assertEquals(Errno.EAGAIN, dish.lastError());
  }
}
