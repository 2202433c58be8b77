package io.pekkozmq.engine.pattern;

/**
 * The topics a SUB/XSUB socket subscribed to (libzmq's trie_t): a counted multiset of prefixes.
 * Subscribing "A" twice needs two cancels; cancelling what was never subscribed changes nothing.
 * A message matches if any subscribed prefix is a prefix of it. Single-threaded.
 *
 * <p>All operations are iterative; a 64 KiB topic costs heap, not stack (CVE-2021-20236).
 */
public final class SubscriptionTrie {
  /** Receives one subscribed prefix; the array is reused, so copy what you keep. */
  @FunctionalInterface
  public interface PrefixVisitor {
    void accept(byte[] prefix, int length);
  }

  private final TrieNode root = new TrieNode();
  private int prefixes;

  /** Adds one reference; true if the prefix was not subscribed before. */
  public boolean add(byte[] data, int offset, int length) {
    TrieNode node = TrieNode.findOrCreate(root, data, offset, length);
    if (node.refcnt++ == 0) {
      prefixes++;
      return true;
    }
    return false;
  }

  public boolean add(byte[] topic) {
    return add(topic, 0, topic.length);
  }

  /** Drops one reference; true if that was the last one, so the prefix is no longer subscribed. */
  public boolean rm(byte[] data, int offset, int length) {
    TrieNode node = TrieNode.find(root, data, offset, length);
    if (node == null || node.refcnt == 0) {
      return false;
    }
    if (--node.refcnt > 0) {
      return false;
    }
    prefixes--;
    TrieNode.prune(root, data, offset, length);
    return true;
  }

  public boolean rm(byte[] topic) {
    return rm(topic, 0, topic.length);
  }

  /** Whether some subscribed prefix starts this data. */
  public boolean check(byte[] data, int offset, int length) {
    TrieNode node = root;
    for (int i = 0; ; i++) {
      if (node.refcnt > 0) {
        return true;
      }
      if (i == length) {
        return false;
      }
      node = node.child(data[offset + i] & 0xff);
      if (node == null) {
        return false;
      }
    }
  }

  public boolean check(byte[] data) {
    return check(data, 0, data.length);
  }

  /** Calls the visitor once per subscribed prefix (not once per reference), in byte order. */
  public void apply(PrefixVisitor visitor) {
    TrieNode.walk(root, (node, prefix, length) -> {
      if (node.refcnt > 0) {
        visitor.accept(prefix, length);
      }
    });
  }

  /** Distinct subscribed prefixes (ZMQ_TOPICS_COUNT). */
  public int size() {
    return prefixes;
  }

  public boolean isEmpty() {
    return prefixes == 0;
  }
}
