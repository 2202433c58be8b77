package io.pekkozmq.monitor;

import io.pekkozmq.engine.event.EventType;
import java.util.List;

/**
 * One event as read from a libzmq-format monitor socket ({@link MonitorEventReader}).
 *
 * @param event libzmq's event number (also for numbers this library does not know)
 * @param values the values: one in v1, as many as the message says in v2
 * @param localEndpoint v2's local endpoint ("" in v1, which does not carry it)
 * @param remoteEndpoint v2's remote endpoint ("" in v1)
 * @param endpoint v1's only endpoint (the local one for bound endpoints, else the remote one);
 *     in v2 the remote endpoint, or the local one if there is no remote
 * @param version the event version the message was read as
 */
public record MonitorEvent(long event, List<Long> values, String localEndpoint, String remoteEndpoint,
    String endpoint, int version) {

  public MonitorEvent {
    values = List.copyOf(values);
  }

  /** The event's type, or null for a number this library does not know. */
  public EventType type() {
    return EventType.of(event);
  }

  /** The first value (v1's only value), or 0. */
  public long value() {
    return values.isEmpty() ? 0 : values.get(0);
  }
}
