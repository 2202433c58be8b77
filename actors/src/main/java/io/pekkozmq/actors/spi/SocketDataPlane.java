package io.pekkozmq.actors.spi;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.util.List;

/**
 * Internal SPI: one socket's data plane, for the modules built on the runtime (the stream stages, the
 * monitor socket's bridge), exactly the calls they make and no more. Like a facade thread they move
 * whole messages under the socket's lock, without an actor hop per message; unlike it they never
 * block: they try, and on EAGAIN wait for their {@link Watcher}. Obtain one with
 * {@link RuntimeSpi#dataPlane}. Any thread may call any method.
 */
@InternalApi
public interface SocketDataPlane {
  /**
   * Hears that the socket may have become readable or writable (a pipe attached or was activated),
   * at most once per batch an engine moves; it runs on the activating thread, so it only flags and
   * schedules, never waits.
   */
  @FunctionalInterface
  interface Watcher {
    void socketChanged();
  }

  SocketType type();

  /** True once the socket has closed: every send then answers ETERM and nothing more is received. */
  boolean isClosed();

  /** The endpoint of the socket's last bind or connect ("" before any). */
  String lastEndpoint();

  void addWatcher(Watcher watcher);

  /** Removes {@code watcher} (the same instance that was added); unknown ones are ignored. */
  void removeWatcher(Watcher watcher);

  /**
   * Takes up to {@code max} whole messages that are ready now into {@code into}, without waiting;
   * returns how many. A socket whose state allows no receive now (REP owing a reply) has none.
   */
  int drain(List<Msg> into, int max);

  /** Sends {@code msg} without waiting: null when the socket took it, else why not (EAGAIN: no room now). */
  Errno trySend(Msg msg);
}
