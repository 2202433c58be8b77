package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An in-memory {@link PatternPipe} for tests, used from the test thread only. Outbound messages
 * count against the HWM until the test says the peer consumed them; they are visible only after
 * flush, so a pattern that forgets to flush fails its test.
 */
final class FakePipe implements PatternPipe {
  final String name;
  int hwm;
  private final ArrayDeque<Frame> inbound = new ArrayDeque<>();
  private final List<Frame> staged = new ArrayList<>();
  private final ArrayDeque<Msg> unflushed = new ArrayDeque<>();
  private final ArrayDeque<Msg> outbound = new ArrayDeque<>();
  private byte[] routingId = new byte[0];
  boolean readerSleeping;
  boolean writerWaiting;
  boolean terminated;
  int flushes;

  FakePipe(String name, int hwm) {
    this.name = name;
    this.hwm = hwm;
  }

  FakePipe(String name) {
    this(name, 0);
  }

  FakePipe withRoutingId(String id) {
    routingId = id.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /** The peer sends a whole message to the pattern. */
  FakePipe deliver(Msg msg) {
    for (Frame f : msg) {
      inbound.add(f);
    }
    return this;
  }

  FakePipe deliver(String... parts) {
    return deliver(Msg.ofStrings(parts));
  }

  /** What the runtime does after a delivery: wake the pattern if it found this pipe empty. */
  void wake(Pattern pattern) {
    if (readerSleeping && !inbound.isEmpty()) {
      readerSleeping = false;
      pattern.readActivated(this);
    }
  }

  /** Flushed messages the peer has not consumed. */
  List<Msg> sent() {
    return new ArrayList<>(outbound);
  }

  /** The peer consumes one message (null if none). */
  Msg take() {
    return outbound.poll();
  }

  List<List<String>> sentTexts() {
    List<List<String>> out = new ArrayList<>();
    for (Msg m : outbound) {
      out.add(m.texts());
    }
    return out;
  }

  boolean hasInbound() {
    return !inbound.isEmpty();
  }

  @Override
  public boolean checkRead() {
    if (inbound.isEmpty()) {
      readerSleeping = true;
      return false;
    }
    return true;
  }

  @Override
  public Frame read() {
    Frame f = inbound.poll();
    if (f == null) {
      readerSleeping = true;
    }
    return f;
  }

  private boolean full() {
    return hwm > 0 && outbound.size() + unflushed.size() >= hwm;
  }

  @Override
  public boolean checkWrite() {
    if (full()) {
      writerWaiting = true;
      return false;
    }
    return true;
  }

  @Override
  public boolean checkHwm() {
    return !full();
  }

  @Override
  public boolean write(Frame frame) {
    if (staged.isEmpty() && !checkWrite()) {
      return false;
    }
    staged.add(frame);
    if (!frame.hasMore()) {
      unflushed.add(Msg.ofTrusted(staged.toArray(new Frame[0])));
      staged.clear();
    }
    return true;
  }

  @Override
  public void rollback() {
    staged.clear();
  }

  boolean hasStaged() {
    return !staged.isEmpty();
  }

  @Override
  public void flush() {
    flushes++;
    outbound.addAll(unflushed);
    unflushed.clear();
  }

  @Override
  public byte[] routingId() {
    return routingId;
  }

  @Override
  public void setRoutingId(byte[] id) {
    routingId = id.clone();
  }

  @Override
  public Map<String, byte[]> metadata() {
    return Map.of();
  }

  @Override
  public void terminate(boolean delay) {
    terminated = true;
  }

  @Override
  public long outboundQueued() {
    return outbound.size();
  }

  @Override
  public long inboundQueued() {
    return inbound.size();
  }

  @Override
  public String toString() {
    return "FakePipe[" + name + "]";
  }
}
