package io.pekkozmq.engine.event;

import java.util.List;

/**
 * One monitor event, as libzmq's v2 monitor reports it: the event, its values (v1 carries only
 * the first), the socket's local endpoint and the peer's remote endpoint ("" when not known),
 * when it happened, and which socket emitted it.
 *
 * <p>Values per event follow libzmq: CONNECTED/ACCEPTED/DISCONNECTED/CLOSED/LISTENING carry a
 * stable connection (or listener) id where libzmq has the fd; CONNECT_RETRIED the next interval in
 * ms; BIND_FAILED/ACCEPT_FAILED/CLOSE_FAILED an errno; HANDSHAKE_FAILED_PROTOCOL a
 * ZMQ_PROTOCOL_ERROR_* code; HANDSHAKE_FAILED_AUTH the ZAP status; PIPES_STATS two values
 * (outbound and inbound queued messages).
 */
public record SocketEvent(
    EventType type,
    List<Long> values,
    String localEndpoint,
    String remoteEndpoint,
    long timestampMillis,
    String socketId) {

  public SocketEvent {
    values = List.copyOf(values);
    localEndpoint = localEndpoint == null ? "" : localEndpoint;
    remoteEndpoint = remoteEndpoint == null ? "" : remoteEndpoint;
  }

  public static SocketEvent of(EventType type, long value, String local, String remote, String socketId) {
    return new SocketEvent(type, List.of(value), local, remote, System.currentTimeMillis(), socketId);
  }

  /** The first value (v1's only value), or 0. */
  public long value() {
    return values.isEmpty() ? 0 : values.get(0);
  }

  /** The endpoint a v1 monitor reports: the remote one for connection events, else the local one. */
  public String endpoint() {
    return switch (type) {
      case CONNECTED, CONNECT_DELAYED, CONNECT_RETRIED -> remoteEndpoint.isEmpty() ? localEndpoint : remoteEndpoint;
      default -> localEndpoint.isEmpty() ? remoteEndpoint : localEndpoint;
    };
  }

  /** {@code NAME value local remote}, with "-" for an empty endpoint (the pzmq --events format). */
  public String toLine() {
    return type.name() + " " + value() + " " + (localEndpoint.isEmpty() ? "-" : localEndpoint)
        + " " + (remoteEndpoint.isEmpty() ? "-" : remoteEndpoint);
  }
}
