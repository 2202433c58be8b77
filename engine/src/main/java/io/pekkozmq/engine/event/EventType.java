package io.pekkozmq.engine.event;

/** libzmq's socket monitor events, with libzmq's numeric values (ZMQ_EVENT_*). */
public enum EventType {
  CONNECTED(0x0001),
  CONNECT_DELAYED(0x0002),
  CONNECT_RETRIED(0x0004),
  LISTENING(0x0008),
  BIND_FAILED(0x0010),
  ACCEPTED(0x0020),
  ACCEPT_FAILED(0x0040),
  CLOSED(0x0080),
  CLOSE_FAILED(0x0100),
  DISCONNECTED(0x0200),
  MONITOR_STOPPED(0x0400),
  HANDSHAKE_FAILED_NO_DETAIL(0x0800),
  HANDSHAKE_SUCCEEDED(0x1000),
  HANDSHAKE_FAILED_PROTOCOL(0x2000),
  HANDSHAKE_FAILED_AUTH(0x4000),
  /** Event version 2 only. */
  PIPES_STATS(0x10000);

  /** ZMQ_EVENT_ALL_V1: every event of version 1. */
  public static final long ALL_V1 = 0xFFFF;
  /** ZMQ_EVENT_ALL_V2: version 1 plus PIPES_STATS. */
  public static final long ALL_V2 = ALL_V1 | PIPES_STATS.value;
  /** ZMQ_EVENT_ALL. */
  public static final long ALL = ALL_V1;

  private final int value;

  EventType(int value) {
    this.value = value;
  }

  /** libzmq's numeric value (also the bit in an event mask). */
  public int value() {
    return value;
  }

  public boolean in(long mask) {
    return (mask & value) != 0;
  }

  /** The type with this numeric value, or null. */
  public static EventType of(long value) {
    for (EventType t : values()) {
      if (t.value == value) return t;
    }
    return null;
  }
}
