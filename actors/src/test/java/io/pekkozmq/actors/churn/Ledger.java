package io.pekkozmq.actors.churn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What every sender sent and every receiver got, recorded by both sides (our sockets directly, the
 * libzmq peers through their report lines), and the rules broken on arrival: a torn message, a
 * duplicate, a reordering within one (stream, receiver). A stream is an origin (a sender's
 * incarnation), or {@code origin@server} for the echoes a server sent back to it. Thread-safe; the
 * waits are on its monitor, woken by every record.
 */
final class Ledger {
  private final boolean fanOut;
  private final Map<String, SeqSet> sent = new HashMap<>();
  /** stream -> receiver (in order of first arrival) -> what it got. */
  private final Map<String, Map<String, SeqSet>> received = new HashMap<>();
  private final Map<String, SeqSet> anywhere = new HashMap<>();
  private final List<String> violations = new ArrayList<>();

  /**
   * @param fanOut whether one message may reach several receivers (PUB/SUB); otherwise a message
   *     arriving at two receivers is a duplicate
   */
  Ledger(boolean fanOut) {
    this.fanOut = fanOut;
  }

  synchronized void sent(String origin, long from, long to) {
    sent.computeIfAbsent(origin, k -> new SeqSet()).add(from, to);
    notifyAll();
  }

  synchronized void received(String receiver, String stream, long from, long to) {
    SeqSet mine = received.computeIfAbsent(stream, k -> new LinkedHashMap<>()).computeIfAbsent(receiver, k -> new SeqSet());
    long inMine = mine.count(from, to);
    if (inMine > 0) {
      violations.add("duplicate: " + receiver + " got " + stream + " #" + from + ".." + to + " again (had " + mine + ")");
    } else if (from <= mine.last()) {
      violations.add("reordered: " + receiver + " got " + stream + " #" + from + ".." + to + " after #" + mine.last());
    }
    if (!fanOut) {
      SeqSet any = anywhere.computeIfAbsent(stream, k -> new SeqSet());
      if (any.count(from, to) > inMine) {
        violations.add("duplicate: " + stream + " #" + from + ".." + to + " reached " + receiver + " and another receiver");
      }
      any.add(from, to);
    }
    mine.add(from, to);
    notifyAll();
  }

  synchronized void violation(String what) {
    violations.add(what);
    notifyAll();
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  /** The highest sequence number {@code origin} has sent, or -1. */
  synchronized long lastSent(String origin) {
    SeqSet s = sent.get(origin);
    return s == null ? -1 : s.last();
  }

  synchronized SeqSet sentBy(String origin) {
    SeqSet s = sent.get(origin);
    return s == null ? new SeqSet() : s.copy();
  }

  synchronized SeqSet receivedBy(String stream, String receiver) {
    Map<String, SeqSet> m = received.get(stream);
    SeqSet s = m == null ? null : m.get(receiver);
    return s == null ? new SeqSet() : s.copy();
  }

  /** How many of [from, to] of {@code stream} {@code receiver} got. */
  synchronized long count(String stream, String receiver, long from, long to) {
    Map<String, SeqSet> m = received.get(stream);
    SeqSet s = m == null ? null : m.get(receiver);
    return s == null ? 0 : s.count(from, to);
  }

  /** How many of [from, to] of {@code stream} any receiver got (each counted once). */
  synchronized long countAnywhere(String stream, long from, long to) {
    if (!fanOut) {
      SeqSet s = anywhere.get(stream);
      return s == null ? 0 : s.count(from, to);
    }
    return receivedAnywhere(stream).count(from, to);
  }

  /** What any receiver got of {@code stream}. */
  synchronized SeqSet receivedAnywhere(String stream) {
    SeqSet all = new SeqSet();
    Map<String, SeqSet> m = received.get(stream);
    if (m != null) m.values().forEach(s -> s.runs().forEach(r -> all.add(r[0], r[1])));
    return all;
  }

  /** The receivers of {@code stream}, in order of their first message. */
  synchronized List<String> receiversOf(String stream) {
    Map<String, SeqSet> m = received.get(stream);
    return m == null ? List.of() : List.copyOf(m.keySet());
  }

  synchronized List<String> streams() {
    return List.copyOf(received.keySet());
  }

  /** Waits until {@code condition} (evaluated under this ledger's lock) holds; false on timeout. */
  synchronized boolean await(BooleanSupplier condition, Duration timeout) {
    return GuardedWait.await(this, condition, timeout);
  }
}
