package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Frame;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.IdentityHashMap;

/**
 * Routing id to outbound pipe, for ROUTER, REP and STREAM (libzmq's routing_socket_base_t), and
 * the generator of ids for peers that bring none. Single-threaded.
 *
 * <p>Generated ids are libzmq's 5-byte form: a zero byte (peers may not choose ids starting with
 * zero, so these cannot collide) and a 32-bit big-endian counter that starts at a random value.
 */
final class RoutingTable {
  /** One routable peer; {@code active} is false after its pipe was found full, until write-activated. */
  static final class OutPipe {
    final PatternPipe pipe;
    final ByteBuffer key;
    boolean active = true;

    OutPipe(PatternPipe pipe, ByteBuffer key) {
      this.pipe = pipe;
      this.key = key;
    }
  }

  // ByteBuffer has content equality, so a frame can be looked up by wrapping it, without a copy.
  private final HashMap<ByteBuffer, OutPipe> byId = new HashMap<>();
  private final IdentityHashMap<PatternPipe, OutPipe> byPipe = new IdentityHashMap<>();
  private int nextIntegralId;

  RoutingTable(int firstIntegralId) {
    this.nextIntegralId = firstIntegralId;
  }

  byte[] nextIntegralId() {
    int n = nextIntegralId++;
    return new byte[] {0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
  }

  void add(byte[] id, PatternPipe pipe) {
    OutPipe out = new OutPipe(pipe, ByteBuffer.wrap(id.clone()));
    byId.put(out.key, out);
    byPipe.put(pipe, out);
  }

  OutPipe lookup(Frame id) {
    return byId.get(ByteBuffer.wrap(id.array(), id.offset(), id.size()));
  }

  OutPipe lookup(byte[] id) {
    return byId.get(ByteBuffer.wrap(id));
  }

  OutPipe of(PatternPipe pipe) {
    return byPipe.get(pipe);
  }

  void erase(PatternPipe pipe) {
    OutPipe out = byPipe.remove(pipe);
    if (out != null) {
      byId.remove(out.key);
    }
  }

  Iterable<OutPipe> all() {
    return byPipe.values();
  }
}
