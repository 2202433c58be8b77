package io.pekkozmq.engine.event;

import java.util.List;

/**
 * One monitor event, as libzmq's v2 monitor reports it: the event, its values (v1 carries only
 * the first), the socket's local endpoint and the peer's remote endpoint ("" when not known),
 * which side of a connection it concerns, when it happened, and which socket emitted it.
 *
 * <p>Values per event follow libzmq: CONNECTED/ACCEPTED/DISCONNECTED/CLOSED/LISTENING carry a
 * stable connection (or listener) id where libzmq has the fd; CONNECT_DELAYED the errno of the
 * pending connect (EINPROGRESS); CONNECT_RETRIED the next interval in ms;
 * BIND_FAILED/ACCEPT_FAILED/CLOSE_FAILED/HANDSHAKE_FAILED_NO_DETAIL an errno;
 * HANDSHAKE_FAILED_PROTOCOL a ZMQ_PROTOCOL_ERROR_* code; HANDSHAKE_FAILED_AUTH the ZAP status;
 * PIPES_STATS two values (outbound and inbound queued messages).
 *
 * @param bindSide whether the event concerns a bound endpoint (listener, accepted connection):
 *     libzmq's endpoint type, which decides the endpoint a v1 monitor reports ({@link #endpoint()})
 * @param dropped how many events this subscriber lost just before this one because it did not
 *     keep up (always 0 for libzmq-format monitor sockets, which carry no such field)
 */
public record SocketEvent(
    EventType type,
    List<Long> values,
    String localEndpoint,
    String remoteEndpoint,
    long timestampMillis,
    String socketId,
    boolean bindSide,
    long dropped) {

  public SocketEvent {
    values = List.copyOf(values);
    localEndpoint = localEndpoint == null ? "" : localEndpoint;
    remoteEndpoint = remoteEndpoint == null ? "" : remoteEndpoint;
  }

  /** A connect-side (or endpoint-less) event with one value, stamped now. */
  public static SocketEvent of(EventType type, long value, String local, String remote, String socketId) {
    return new SocketEvent(type, List.of(value), local, remote, System.currentTimeMillis(), socketId, false, 0);
  }

  /** An event stamped now. */
  public static SocketEvent of(EventType type, List<Long> values, String local, String remote, boolean bindSide,
      String socketId) {
    return new SocketEvent(type, values, local, remote, System.currentTimeMillis(), socketId, bindSide, 0);
  }

  /** This event, reporting {@code n} events lost before it. */
  public SocketEvent withDropped(long n) {
    return n == dropped ? this
        : new SocketEvent(type, values, localEndpoint, remoteEndpoint, timestampMillis, socketId, bindSide, n);
  }

  /** The first value (v1's only value), or 0. */
  public long value() {
    return values.isEmpty() ? 0 : values.get(0);
  }

  /**
   * The endpoint a v1 monitor reports (libzmq's endpoint_uri_pair_t::identifier): the local one
   * for bound endpoints, the remote one otherwise (empty for MONITOR_STOPPED).
   */
  public String endpoint() {
    return bindSide ? localEndpoint : remoteEndpoint;
  }

  /** {@code NAME value local remote}, with "-" for an empty endpoint (the pzmq --events format). */
  public String toLine() {
    return type.name() + " " + value() + " " + (localEndpoint.isEmpty() ? "-" : localEndpoint)
        + " " + (remoteEndpoint.isEmpty() ? "-" : remoteEndpoint);
  }
}
