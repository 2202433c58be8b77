package io.pekkozmq.streams;

import io.pekkozmq.engine.event.SocketEvent;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The materialized value of every ZeroMQ stage: a handle on the stage's socket while the stream runs.
 * Safe to use from any thread.
 */
public interface ZmqControl {
  /**
   * Completes with the socket's last endpoint once every bind and connect of the settings has been
   * done, e.g. {@code tcp://127.0.0.1:40123} for a bind to {@code tcp://127.0.0.1:*}. Fails with the
   * socket's error (address in use, bad endpoint, bad option) — the stage fails with it too. A connect
   * counts as done when it has started: ZeroMQ connects, and reconnects, in the background; watch
   * {@link #events} for HANDSHAKE_SUCCEEDED to know a peer is there.
   */
  CompletionStage<String> ready();

  /** The socket's last endpoint, or "" before the first bind or connect. */
  String lastEndpoint();

  /**
   * The socket's monitor events matching {@code mask} ({@code EventType} bits, e.g.
   * {@code EventType.ALL}). The stage subscribes one monitor before it binds or connects and keeps
   * the latest {@link ZmqSettings#eventBuffer()} events, which a new subscriber gets first, so one
   * that attaches after materialization still sees LISTENING or CONNECT_DELAYED. Completes after
   * MONITOR_STOPPED, once the socket has closed; a subscriber that falls more than the buffer behind
   * misses the events beyond it, so it never holds the socket back.
   */
  Source<SocketEvent, NotUsed> events(long mask);

  /**
   * Ends the stage gracefully: it stops taking messages from its upstream and from the socket, sends
   * what it already holds and emits what it already received, completes its stream and closes the
   * socket, whose queued outbound messages are then delivered as LINGER allows. A request-reply
   * stage first finishes the exchange under way. Completes as {@link #whenClosed()} does.
   */
  CompletionStage<Done> drainAndShutdown();

  /**
   * Completes once the stage has stopped and its socket has closed (after LINGER): normally when the
   * stage completed or was cancelled, with the error when the stage failed.
   */
  CompletionStage<Done> whenClosed();
}
