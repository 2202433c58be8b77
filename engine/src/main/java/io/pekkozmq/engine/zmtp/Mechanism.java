package io.pekkozmq.engine.zmtp;

import io.pekkozmq.engine.Frame;
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
   * True if data frames must pass through {@link #encode} / {@link #decode} (CURVE wraps them in
   * MESSAGE commands). NULL returns false so the framer's hot path skips the calls.
   */
  default boolean wrapsFrames() {
    return false;
  }

  /** Turns an outgoing data frame into what goes on the wire (e.g. a MESSAGE command). */
  default Frame encode(Frame frame) {
    return frame;
  }

  /**
   * Turns a received frame (data, or a command the mechanism owns such as MESSAGE) back into a data
   * frame; returns null and sets {@link #status()} to ERROR if it cannot.
   */
  default Frame decode(Frame frame) {
    return frame;
  }
}
