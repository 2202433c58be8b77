package io.pekkozmq.engine.pattern;

import java.util.LinkedHashSet;
import java.util.function.Consumer;

/**
 * Which pipes subscribed to which prefixes, for PUB/XPUB (libzmq's mtrie_t). Per pipe a prefix is
 * a set member, not a count: a peer subscribing "A" twice is subscribed once and one cancel
 * removes it; that, and reporting only first subscriptions and last cancels, is how XPUB filters
 * duplicates. Single-threaded; all walks are iterative (CVE-2021-20236).
 */
public final class PipeSubscriptionTrie {
  /** Outcome of cancelling one pipe's subscription (libzmq's rm_result). */
  public enum RmResult {
    /** The pipe was not subscribed to that prefix. */
    NOT_FOUND,
    /** The pipe was the prefix's last subscriber. */
    LAST_VALUE_REMOVED,
    /** Other pipes still subscribe to the prefix. */
    VALUES_REMAIN
  }

  private final TrieNode root = new TrieNode();

  /** True if no pipe subscribed to this prefix before. */
  public boolean add(byte[] data, int offset, int length, PatternPipe pipe) {
    TrieNode node = TrieNode.findOrCreate(root, data, offset, length);
    boolean first = node.pipes == null;
    if (first) {
      // Insertion order keeps delivery order deterministic, which tests rely on.
      node.pipes = new LinkedHashSet<>();
    }
    node.pipes.add(pipe);
    return first;
  }

  public RmResult rm(byte[] data, int offset, int length, PatternPipe pipe) {
    TrieNode node = TrieNode.find(root, data, offset, length);
    if (node == null || node.pipes == null || !node.pipes.remove(pipe)) {
      return RmResult.NOT_FOUND;
    }
    if (!node.pipes.isEmpty()) {
      return RmResult.VALUES_REMAIN;
    }
    node.pipes = null;
    TrieNode.prune(root, data, offset, length);
    return RmResult.LAST_VALUE_REMOVED;
  }

  /**
   * Removes the pipe from every prefix. The visitor hears each prefix the pipe was subscribed to
   * if {@code onlyWhenLast} is false, else only those no pipe subscribes to any more.
   */
  public void rm(PatternPipe pipe, SubscriptionTrie.PrefixVisitor visitor, boolean onlyWhenLast) {
    TrieNode.walk(root, (node, prefix, length) -> {
      if (node.pipes != null && node.pipes.remove(pipe)) {
        boolean last = node.pipes.isEmpty();
        if (last) {
          node.pipes = null;
        }
        if (!onlyWhenLast || last) {
          visitor.accept(prefix, length);
        }
      }
    });
  }

  /** Calls {@code action} for each pipe subscribed to a prefix of the data (possibly more than once per pipe). */
  public void match(byte[] data, int offset, int length, Consumer<PatternPipe> action) {
    TrieNode node = root;
    for (int i = 0; ; i++) {
      if (node.pipes != null) {
        for (PatternPipe p : node.pipes) {
          action.accept(p);
        }
      }
      if (i == length) {
        return;
      }
      node = node.child(data[offset + i] & 0xff);
      if (node == null) {
        return;
      }
    }
  }

  public boolean isEmpty() {
    return root.isRedundant();
  }
}
