package io.pekkozmq.actors.impl;

import io.pekkozmq.engine.event.EventType;

/** Where listeners, connecters, sessions and engines report monitor events (the socket's sink). */
@FunctionalInterface
public interface EventSink {
  void emit(EventType type, long value, String localEndpoint, String remoteEndpoint);

  EventSink NONE = (t, v, l, r) -> {};
}
