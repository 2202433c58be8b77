package io.pekkozmq.monitor;

import io.pekkozmq.engine.event.EventType;
import java.time.Duration;
import java.util.List;

/**
 * The operations an event scenario performs on named sockets, so one scenario runs against
 * libzmq ({@link LibzmqDriver}) and against pekko-zmq ({@link OurDriver}). Options and socket
 * types use libzmq's names.
 */
interface EventDriver {
  /** One v1 monitor event: libzmq's number, its value, and the endpoint v1 reports. */
  record Ev(int type, long value, String endpoint) {
    String name() {
      EventType t = EventType.of(type);
      return t == null ? Integer.toString(type) : t.name();
    }

    @Override
    public String toString() {
      return name() + " " + value + " " + (endpoint.isEmpty() ? "-" : endpoint);
    }
  }

  void socket(String name, String type);

  void option(String name, String option, long value);

  /** Monitors every v1 event of {@code name}. */
  void monitor(String name);

  /** Binds; returns the resolved endpoint. */
  String bind(String name, String endpoint);

  /** Binds where it must fail; returns the errno. */
  int bindFailing(String name, String endpoint);

  void connect(String name, String endpoint);

  void send(String name, String text);

  String recv(String name, Duration timeout);

  /** Closes with LINGER 0. */
  void close(String name);

  /**
   * Up to {@code max} events of {@code name}, within {@code timeout}; stops early after an event
   * numbered {@code stopAt} (0: never).
   */
  List<Ev> events(String name, int max, Duration timeout, int stopAt);
}
