package io.pekkozmq.engine.pattern;

import java.util.Set;

/**
 * One byte-step of a subscription trie, shared by {@link SubscriptionTrie} (counted) and
 * {@link PipeSubscriptionTrie} (per pipe). Children sit in a dense array covering the byte range
 * {@code [min, min + next.length)}, as in libzmq, so a long chain costs one small array per byte.
 *
 * <p>Nothing here recurses: topics are peer-controlled and may be as long as a frame, so any walk
 * proportional to topic length must use the heap, not the stack (CVE-2021-20236).
 */
final class TrieNode {
  /** Times this exact prefix was subscribed (SubscriptionTrie). */
  int refcnt;
  /** Pipes subscribed to this exact prefix (PipeSubscriptionTrie); null when none. */
  Set<PatternPipe> pipes;

  private int min;
  private TrieNode[] next;
  private int liveChildren;

  TrieNode child(int c) {
    if (next == null) {
      return null;
    }
    int i = c - min;
    return i >= 0 && i < next.length ? next[i] : null;
  }

  TrieNode childOrCreate(int c) {
    if (next == null) {
      next = new TrieNode[1];
      min = c;
    } else if (c < min) {
      TrieNode[] grown = new TrieNode[next.length + (min - c)];
      System.arraycopy(next, 0, grown, min - c, next.length);
      next = grown;
      min = c;
    } else if (c >= min + next.length) {
      TrieNode[] grown = new TrieNode[c - min + 1];
      System.arraycopy(next, 0, grown, 0, next.length);
      next = grown;
    }
    TrieNode n = next[c - min];
    if (n == null) {
      n = new TrieNode();
      next[c - min] = n;
      liveChildren++;
    }
    return n;
  }

  /** Drops a child. The array is never compacted while it has children, so walk cursors stay valid. */
  void removeChild(int c) {
    next[c - min] = null;
    if (--liveChildren == 0) {
      next = null;
    }
  }

  int slots() {
    return next == null ? 0 : next.length;
  }

  TrieNode slot(int i) {
    return next[i];
  }

  int slotKey(int i) {
    return min + i;
  }

  /** Holds nothing and leads nowhere: its parent may drop it. */
  boolean isRedundant() {
    return refcnt == 0 && pipes == null && liveChildren == 0;
  }

  /** Called for each node of a walk with the prefix leading to it; the buffer is reused. */
  @FunctionalInterface
  interface Visitor {
    void visit(TrieNode node, byte[] prefix, int length);
  }

  /**
   * Visits every node depth-first in byte order, then drops nodes the visitor left redundant.
   * Iterative with heap-allocated stacks, whatever the depth.
   */
  static void walk(TrieNode root, Visitor visitor) {
    TrieNode[] nodes = new TrieNode[16];
    int[] cursor = new int[16];
    byte[] prefix = new byte[16];
    int depth = 0;
    nodes[0] = root;
    visitor.visit(root, prefix, 0);
    while (depth >= 0) {
      TrieNode node = nodes[depth];
      int i = cursor[depth];
      while (i < node.slots() && node.slot(i) == null) {
        i++;
      }
      if (i < node.slots()) {
        cursor[depth] = i + 1;
        TrieNode child = node.slot(i);
        depth++;
        if (depth == nodes.length) {
          nodes = java.util.Arrays.copyOf(nodes, depth * 2);
          cursor = java.util.Arrays.copyOf(cursor, depth * 2);
          prefix = java.util.Arrays.copyOf(prefix, depth * 2);
        }
        nodes[depth] = child;
        cursor[depth] = 0;
        prefix[depth - 1] = (byte) node.slotKey(i);
        visitor.visit(child, prefix, depth);
      } else {
        if (depth > 0 && node.isRedundant()) {
          nodes[depth - 1].removeChild(prefix[depth - 1] & 0xff);
        }
        nodes[depth] = null;
        depth--;
      }
    }
  }

  /** The node for exactly this prefix, or null. */
  static TrieNode find(TrieNode root, byte[] data, int offset, int length) {
    TrieNode node = root;
    for (int i = 0; i < length && node != null; i++) {
      node = node.child(data[offset + i] & 0xff);
    }
    return node;
  }

  /** The node for this prefix, creating the path. */
  static TrieNode findOrCreate(TrieNode root, byte[] data, int offset, int length) {
    TrieNode node = root;
    for (int i = 0; i < length; i++) {
      node = node.childOrCreate(data[offset + i] & 0xff);
    }
    return node;
  }

  /** Drops the now-redundant tail of the path to this prefix, bottom-up. */
  static void prune(TrieNode root, byte[] data, int offset, int length) {
    TrieNode[] path = new TrieNode[length + 1];
    path[0] = root;
    for (int i = 0; i < length; i++) {
      path[i + 1] = path[i].child(data[offset + i] & 0xff);
      if (path[i + 1] == null) {
        return;
      }
    }
    for (int d = length; d > 0 && path[d].isRedundant(); d--) {
      path[d - 1].removeChild(data[offset + d - 1] & 0xff);
    }
  }
}
