package io.pekkozmq.engine.zmtp;

import io.pekkozmq.engine.Frame;
import java.util.List;
import java.util.Map;

/**
 * A ZMTP security mechanism (RFC 23 section "Security"): it runs the handshake that follows the
 * greeting and may transform data frames afterwards. One instance per connection, used by one
 * thread only.
 *
 * <p>Commands are exchanged as bodies: {@code name-length name data}, without the frame header,
 * which the connection adds and strips.
 */
public interface Mechanism {

  enum Status { HANDSHAKING, READY, ERROR }

  /** Creates a mechanism for one connection. */
  @FunctionalInterface
  interface Factory {
    Mechanism create(ZmtpOptions options);
  }

  /** The mechanism name in the greeting, e.g. {@code NULL}: ASCII, at most 20 bytes. */
  String name();

  /**
   * The greeting's as-server bit: true only for a PLAIN or CURVE server (RFC 23; NULL is always
   * false).
   */
  default boolean asServer() {
    return false;
  }

  /** The next handshake command body to send, or null if there is nothing to send now. */
  byte[] nextHandshakeCommand();

  /**
   * Handles one command body received during the handshake. Failures are reported through
   * {@link #status()} becoming {@link Status#ERROR}, never by throwing.
   */
  void processHandshakeCommand(byte[] body, int offset, int length);

  Status status();

  /** Why the handshake failed; null unless {@link Status#ERROR}. */
  ProtocolError error();

  /** A readable reason for the failure (or the peer's ERROR reason text). */
  String errorDetail();

  /** True when the failure came from an ERROR command the peer sent. */
  boolean errorFromPeer();

  /** The reason to send in an ERROR command on failure, or null to just close. */
  String errorReasonForPeer();

  /** The peer's metadata properties once READY; names compare case-insensitively. */
  Map<String, byte[]> peerProperties();

  /**
   * What ZAP added once READY: {@code User-Id} and the reply's metadata (libzmq's zap properties,
   * which take precedence over the peer's own); empty when ZAP was not used.
   */
  default Map<String, byte[]> zapProperties() {
    return Map.of();
  }

  /**
   * The ZAP request (RFC 27) the handshake now waits on, as frames starting with the empty
   * delimiter; null if none. Each request is returned once.
   */
  default List<byte[]> takeZapRequest() {
    return null;
  }

  /** The ZAP handler's reply frames (starting with the empty delimiter). */
  default void zapReply(List<byte[]> frames) {}

  /**
   * The ZAP status (300, 400, 500) that refused the peer, or that the peer's ERROR command carried
   * (libzmq reports both as HANDSHAKE_FAILED_AUTH); 0 otherwise.
   */
  default int zapFailureStatus() {
    return 0;
  }

  /**
   * Non-zero when the failure is one libzmq reports as HANDSHAKE_FAILED_NO_DETAIL with this errno
   * rather than with a protocol code: EFAULT (14) when ZAP is required and no handler is bound.
   */
  default int failureErrno() {
    return 0;
  }

  /**
   * True if every frame after the handshake must pass through {@link #encode} / {@link #decode}:
   * CURVE wraps data frames and commands alike (PING, PONG, SUBSCRIBE, CANCEL) in MESSAGE boxes, as
   * libzmq 4.3 does. NULL and PLAIN return false so the framer's hot path skips the calls.
   */
  default boolean wrapsFrames() {
    return false;
  }

  /**
   * Turns an outgoing frame (flags {@link Frame#MORE} and/or {@link Frame#COMMAND} only; a command
   * is its body {@code name-length name data}) into the frame that goes on the wire.
   */
  default Frame encode(Frame frame) {
    return frame;
  }

  /**
   * Turns a received wire frame back into the frame it carries (with {@link Frame#MORE} and
   * {@link Frame#COMMAND} as sent); returns null, with {@link #error()} set, if it cannot. May
   * decrypt in place in the frame's array, which the connection owns at that point.
   */
  default Frame decode(Frame frame) {
    return frame;
  }
}
