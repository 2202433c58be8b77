package io.pekkozmq.actors.churn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A set of sequence numbers kept as disjoint runs [from, to]. Not thread-safe: the ledger guards it. */
final class SeqSet {
  private final TreeMap<Long, Long> runs = new TreeMap<>();
  private long size;

  /** Adds [from, to]; returns how many of them were there already. */
  long add(long from, long to) {
    long already = count(from, to);
    long a = from;
    long b = to;
    Map.Entry<Long, Long> before = runs.floorEntry(from);
    if (before != null && before.getValue() >= from - 1) {
      a = before.getKey();
      b = Math.max(b, before.getValue());
      size -= before.getValue() - before.getKey() + 1;
      runs.remove(before.getKey());
    }
    Map.Entry<Long, Long> next;
    while ((next = runs.ceilingEntry(a)) != null && next.getKey() <= b + 1) {
      b = Math.max(b, next.getValue());
      size -= next.getValue() - next.getKey() + 1;
      runs.remove(next.getKey());
    }
    runs.put(a, b);
    size += b - a + 1;
    return already;
  }

  SeqSet copy() {
    SeqSet c = new SeqSet();
    c.runs.putAll(runs);
    c.size = size;
    return c;
  }

  /** A new set: this one without the members of {@code other}. */
  SeqSet minus(SeqSet other) {
    SeqSet out = copy();
    for (long[] r : other.runs()) out.remove(r[0], r[1]);
    return out;
  }

  private void remove(long from, long to) {
    Map.Entry<Long, Long> e = runs.floorEntry(from);
    Long key = e != null && e.getValue() >= from ? e.getKey() : runs.ceilingKey(from);
    while (key != null && key <= to) {
      long end = runs.remove(key);
      size -= end - key + 1;
      if (key < from) {
        runs.put(key, from - 1);
        size += from - key;
      }
      if (end > to) {
        runs.put(to + 1, end);
        size += end - to;
      }
      key = runs.higherKey(key);
    }
  }

  boolean contains(long seq) {
    Map.Entry<Long, Long> e = runs.floorEntry(seq);
    return e != null && e.getValue() >= seq;
  }

  /** How many of [from, to] are in the set. */
  long count(long from, long to) {
    if (to < from) return 0;
    long n = 0;
    Map.Entry<Long, Long> e = runs.floorEntry(from);
    Long key = e != null && e.getValue() >= from ? e.getKey() : runs.ceilingKey(from);
    while (key != null && key <= to) {
      long end = runs.get(key);
      n += Math.min(end, to) - Math.max(key, from) + 1;
      key = runs.higherKey(key);
    }
    return n;
  }

  boolean containsAll(long from, long to) {
    return count(from, to) == to - from + 1;
  }

  long size() {
    return size;
  }

  boolean isEmpty() {
    return runs.isEmpty();
  }

  /** The smallest member, or -1. */
  long first() {
    return runs.isEmpty() ? -1 : runs.firstKey();
  }

  /** The largest member, or -1. */
  long last() {
    return runs.isEmpty() ? -1 : runs.lastEntry().getValue();
  }

  /** The runs, in order, as {from, to} pairs. */
  List<long[]> runs() {
    List<long[]> out = new ArrayList<>();
    runs.forEach((a, b) -> out.add(new long[] {a, b}));
    return out;
  }

  /** The members of [from, to] missing from this set, in order. */
  List<Long> missing(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      Map.Entry<Long, Long> e = runs.floorEntry(s);
      if (e != null && e.getValue() >= s) {
        s = e.getValue();
      } else {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("{");
    int shown = 0;
    for (Map.Entry<Long, Long> e : runs.entrySet()) {
      if (shown++ == 12) {
        b.append(", ... ").append(runs.size() - 12).append(" more runs");
        break;
      }
      if (shown > 1) b.append(", ");
      b.append(e.getKey());
      if (!e.getValue().equals(e.getKey())) b.append("..").append(e.getValue());
    }
    return b.append("}").toString();
  }
}
