package io.pekkozmq.engine.pattern;

import java.util.ArrayList;
import java.util.IdentityHashMap;

/**
 * libzmq's array_t for pipes, touched by the socket's one data-plane thread only. The load
 * balancer, fair queue and distributor keep their active/eligible/matching partitions as
 * prefixes of this array and move pipes between them by swapping, so swap and index lookup must
 * be O(1); erase swaps the pipe with the last one, which is why pipe order changes on removal.
 */
final class PipeArray {
  private final ArrayList<PatternPipe> items = new ArrayList<>();
  private final IdentityHashMap<PatternPipe, Integer> index = new IdentityHashMap<>();

  int size() {
    return items.size();
  }

  PatternPipe get(int i) {
    return items.get(i);
  }

  /** Position of the pipe, or -1 if it is not here. */
  int indexOf(PatternPipe pipe) {
    Integer i = index.get(pipe);
    return i == null ? -1 : i;
  }

  boolean contains(PatternPipe pipe) {
    return index.containsKey(pipe);
  }

  void add(PatternPipe pipe) {
    index.put(pipe, items.size());
    items.add(pipe);
  }

  void swap(int i, int j) {
    if (i == j) {
      return;
    }
    PatternPipe a = items.get(i);
    PatternPipe b = items.get(j);
    items.set(i, b);
    items.set(j, a);
    index.put(b, i);
    index.put(a, j);
  }

  void erase(PatternPipe pipe) {
    int i = indexOf(pipe);
    if (i < 0) {
      return;
    }
    swap(i, items.size() - 1);
    items.remove(items.size() - 1);
    index.remove(pipe);
  }
}
