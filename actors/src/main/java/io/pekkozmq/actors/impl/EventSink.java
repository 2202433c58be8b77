package io.pekkozmq.actors.impl;

import io.pekkozmq.engine.event.EventType;

/**
 * Where listeners, connecters, sessions and engines report monitor events (the socket's sink).
 * A sink is either for bound endpoints or for connected ones (libzmq's endpoint type), so the
 * emitters need not say which.
 */
@FunctionalInterface
public interface EventSink {
  void emit(EventType type, long value, String localEndpoint, String remoteEndpoint);

  /** An event with several values (PIPES_STATS); v1 monitors see only the first. */
  default void emit(EventType type, long[] values, String localEndpoint, String remoteEndpoint) {
    emit(type, values.length == 0 ? 0 : values[0], localEndpoint, remoteEndpoint);
  }

  EventSink NONE = (t, v, l, r) -> {};
}
