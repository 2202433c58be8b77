package io.pekkozmq.engine.pattern;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tries behind SUB/XSUB and PUB/XPUB, including the deep-topic cases of CVE-2021-20236. */
class SubscriptionTrieTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> prefixes(SubscriptionTrie trie) {
    List<String> out = new ArrayList<>();
    trie.apply((p, n) -> out.add(new String(p, 0, n, StandardCharsets.UTF_8)));
    return out;
  }

  @Test
  void matchesByPrefix() {
    SubscriptionTrie trie = new SubscriptionTrie();
    trie.add(b("ab"));
    assertTrue(trie.check(b("ab")));
    assertTrue(trie.check(b("abc")));
    assertFalse(trie.check(b("a")));
    assertFalse(trie.check(b("b")));
    trie.add(b(""));
    assertTrue(trie.check(b("anything")));
    assertTrue(trie.check(b("")));
  }

  @Test
  void subscribingTwiceNeedsTwoCancels() {
    SubscriptionTrie trie = new SubscriptionTrie();
    assertTrue(trie.add(b("A")));
    assertFalse(trie.add(b("A")));
    assertFalse(trie.rm(b("A")));
    assertTrue(trie.check(b("A")));
    assertTrue(trie.rm(b("A")));
    assertFalse(trie.check(b("A")));
    assertTrue(trie.isEmpty());
  }

  @Test
  void cancelWithoutSubscriptionIsIgnored() {
    SubscriptionTrie trie = new SubscriptionTrie();
    trie.add(b("abc"));
    assertFalse(trie.rm(b("ab")));
    assertFalse(trie.rm(b("abcd")));
    assertFalse(trie.rm(b("x")));
    assertTrue(trie.check(b("abc")));
    assertEquals(1, trie.size());
  }

  @Test
  void applyVisitsEachPrefixOnceInByteOrder() {
    SubscriptionTrie trie = new SubscriptionTrie();
    trie.add(b("b"));
    trie.add(b("ab"));
    trie.add(b("ab"));
    trie.add(b("a"));
    trie.add(b(""));
    assertEquals(List.of("", "a", "ab", "b"), prefixes(trie));
    trie.rm(b("a"));
    assertEquals(List.of("", "ab", "b"), prefixes(trie));
  }

  /** Runs on a thread with a 128 KiB stack, where recursion per topic byte would overflow. */
  private static void onSmallStack(Runnable body) throws InterruptedException {
    Throwable[] failure = {null};
    Thread t = new Thread(null, () -> {
      try {
        body.run();
      } catch (Throwable e) {
        failure[0] = e;
      }
    }, "small-stack", 128 * 1024);
    t.start();
    t.join(60_000);
    assertFalse(t.isAlive(), "trie operation hung");
    if (failure[0] != null) {
      throw new AssertionError("failed on a small stack", failure[0]);
    }
  }

  @Test
  void topicOf64KiBIsHandledWithoutRecursion() throws InterruptedException {
    onSmallStack(SubscriptionTrieTest::longTopic);
  }

  private static void longTopic() {
    byte[] topic = new byte[64 * 1024];
    Arrays.fill(topic, (byte) 'x');
    SubscriptionTrie trie = new SubscriptionTrie();
    assertTrue(trie.add(topic));
    assertTrue(trie.check(topic));
    assertFalse(trie.check(Arrays.copyOf(topic, topic.length - 1)));
    List<Integer> lengths = new ArrayList<>();
    trie.apply((p, n) -> lengths.add(n));
    assertEquals(List.of(topic.length), lengths);
    assertTrue(trie.rm(topic));
    assertTrue(trie.isEmpty());
  }

  @Test
  void deepTrieWithManyNestedPrefixesIsWalkedIteratively() throws InterruptedException {
    onSmallStack(SubscriptionTrieTest::deepTrie);
  }

  private static void deepTrie() {
    // Every prefix of a 20 000-byte topic: a recursive walk would overflow the thread stack.
    byte[] topic = new byte[20_000];
    for (int i = 0; i < topic.length; i++) {
      topic[i] = (byte) (i * 31);
    }
    PipeSubscriptionTrie trie = new PipeSubscriptionTrie();
    FakePipe pipe = new FakePipe("deep");
    for (int n = 0; n <= topic.length; n += 7) {
      trie.add(topic, 0, n, pipe);
    }
    int[] matches = {0};
    trie.match(topic, 0, topic.length, p -> matches[0]++);
    assertEquals(topic.length / 7 + 1, matches[0]);
    int[] removed = {0};
    trie.rm(pipe, (p, n) -> removed[0]++, true);
    assertEquals(topic.length / 7 + 1, removed[0]);
    assertTrue(trie.isEmpty());
  }

  @Test
  void pipeTrieHoldsEachPipeOncePerTopic() {
    PipeSubscriptionTrie trie = new PipeSubscriptionTrie();
    FakePipe p = new FakePipe("p"), q = new FakePipe("q");
    assertTrue(trie.add(b("A"), 0, 1, p));
    assertFalse(trie.add(b("A"), 0, 1, p));
    assertFalse(trie.add(b("A"), 0, 1, q));
    assertEquals(PipeSubscriptionTrie.RmResult.VALUES_REMAIN, trie.rm(b("A"), 0, 1, p));
    assertEquals(PipeSubscriptionTrie.RmResult.NOT_FOUND, trie.rm(b("A"), 0, 1, p));
    assertEquals(PipeSubscriptionTrie.RmResult.LAST_VALUE_REMOVED, trie.rm(b("A"), 0, 1, q));
    assertEquals(PipeSubscriptionTrie.RmResult.NOT_FOUND, trie.rm(b("B"), 0, 1, q));
    assertTrue(trie.isEmpty());
  }

  @Test
  void removingPipeReportsTopicsLeftWithoutSubscribers() {
    PipeSubscriptionTrie trie = new PipeSubscriptionTrie();
    FakePipe p = new FakePipe("p"), q = new FakePipe("q");
    trie.add(b("shared"), 0, 6, p);
    trie.add(b("shared"), 0, 6, q);
    trie.add(b("own"), 0, 3, p);
    List<String> onlyLast = new ArrayList<>();
    trie.rm(p, (pre, n) -> onlyLast.add(new String(pre, 0, n)), true);
    assertEquals(List.of("own"), onlyLast);
    List<String> all = new ArrayList<>();
    trie.add(b("own"), 0, 3, q);
    trie.rm(q, (pre, n) -> all.add(new String(pre, 0, n)), false);
    assertEquals(List.of("own", "shared"), all);
    assertTrue(trie.isEmpty());
  }
}
