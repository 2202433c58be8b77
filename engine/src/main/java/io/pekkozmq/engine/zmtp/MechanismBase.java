package io.pekkozmq.engine.zmtp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What every mechanism shares, as libzmq's {@code mechanism_base_t} and {@code zap_client_t}: the
 * status, the failure, the peer's ERROR command, metadata checks and the ZAP exchange.
 */
abstract class MechanismBase implements Mechanism {
  static final byte[] HELLO = cmd("HELLO");
  static final byte[] WELCOME = cmd("WELCOME");
  static final byte[] INITIATE = cmd("INITIATE");
  static final byte[] READY = cmd("READY");
  static final byte[] ERROR = cmd("ERROR");
  /**
   * The ERROR name as libzmq 4.3.4's PLAIN writes and reads it: plain_common.hpp spells the prefix
   * {@code "\x05ERROR"}, and C's hex escape takes every hex digit that follows, so {@code \x05E} is
   * the one byte 0x5E and the prefix on the wire is {@code 5E 52 52 4F 52} ("^RROR"), reason length
   * and reason after it. We send RFC 23's form and accept this one too, so a libzmq PLAIN server's
   * refusal reads as the ERROR it is (HANDSHAKE_FAILED_AUTH with its status) and not as an unknown
   * command.
   */
  static final byte[] LIBZMQ_PLAIN_ERROR = {0x5E, 'R', 'R', 'O', 'R'};

  final ZmtpOptions options;
  final ZapClient zap;
  Status status = Status.HANDSHAKING;
  private ProtocolError error;
  private String errorDetail;
  private boolean errorFromPeer;
  private String reasonForPeer;
  private int zapFailureStatus;
  private int failureErrno;
  Map<String, byte[]> peerProperties = Map.of();

  MechanismBase(ZmtpOptions options) {
    this.options = options;
    this.zap = new ZapClient(options);
  }

  static byte[] cmd(String name) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[1 + n.length];
    b[0] = (byte) n.length;
    System.arraycopy(n, 0, b, 1, n.length);
    return b;
  }

  static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
    return len >= prefix.length && java.util.Arrays.equals(b, off, off + prefix.length, prefix, 0, prefix.length);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] r = new byte[a.length + b.length];
    System.arraycopy(a, 0, r, 0, a.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  /** An ERROR command body with a reason of up to 255 bytes. */
  static byte[] errorCommand(String reason) {
    byte[] r = reason.getBytes(StandardCharsets.UTF_8);
    int rl = Math.min(255, r.length);
    byte[] body = new byte[ERROR.length + 1 + rl];
    System.arraycopy(ERROR, 0, body, 0, ERROR.length);
    body[ERROR.length] = (byte) rl;
    System.arraycopy(r, 0, body, ERROR.length + 1, rl);
    return body;
  }

  /** libzmq's {@code check_basic_command_structure}: a name length byte and that many bytes after it. */
  boolean basicStructure(byte[] b, int off, int len) {
    if (len <= 1 || len <= (b[off] & 0xff)) {
      fail(ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED, "command of " + len + " bytes is shorter than its name", null);
      return false;
    }
    return true;
  }

  final void fail(ProtocolError e, String detail, String reason) {
    if (status == Status.ERROR) {
      return;
    }
    status = Status.ERROR;
    error = e;
    errorDetail = detail;
    reasonForPeer = reason;
    zap.cancel();
  }

  /** libzmq's {@code event_handshake_failed_no_detail(EFAULT)}: ZAP required, no handler bound. */
  final void failNoHandler() {
    fail(ProtocolError.ZAP_UNSPECIFIED, "ZAP is required but no handler is bound at inproc://zeromq.zap.01", null);
    failureErrno = ZapClient.EFAULT;
  }

  /** The handler refused: 300 silently, 400/500 with an ERROR command carrying the status code. */
  final byte[] refusedByZap() {
    int code = zap.status();
    zapFailureStatus = code;
    fail(ProtocolError.ZAP_UNSPECIFIED, "ZAP handler refused the peer: " + code
        + (zap.statusText().isEmpty() ? "" : " " + zap.statusText()), null);
    return code == 300 ? null : errorCommand(Integer.toString(code));
  }

  /**
   * The peer's ERROR command, as libzmq's {@code process_error}: a malformed one is
   * ZMTP_MALFORMED_COMMAND_ERROR; a reason that is a ZAP status code (300, 400, 500) is reported as
   * such ({@code handle_error_reason}).
   */
  final void peerError(byte[] b, int off, int len) {
    int name = startsWith(b, off, len, ERROR) ? ERROR.length : LIBZMQ_PLAIN_ERROR.length;
    int fixed = name + 1;
    if (len < fixed || (b[off + name] & 0xff) > len - fixed) {
      fail(ProtocolError.ZMTP_MALFORMED_COMMAND_ERROR, "malformed ERROR command from peer", null);
      return;
    }
    int rl = b[off + name] & 0xff;
    String reason = new String(b, off + fixed, rl, StandardCharsets.UTF_8);
    if (rl == 3 && b[off + fixed + 1] == '0' && b[off + fixed + 2] == '0' && b[off + fixed] >= '3' && b[off + fixed] <= '5') {
      zapFailureStatus = (b[off + fixed] - '0') * 100;
    }
    fail(ProtocolError.ZMTP_UNSPECIFIED, "peer sent ERROR: " + reason, null);
    errorFromPeer = true;
  }

  /**
   * Parses a property list and checks the peer's Socket-Type; null after failing with
   * {@code malformed} (a bad list) or ZMTP_INVALID_METADATA (an incompatible type, with an ERROR
   * to the peer as RFC 37 asks).
   */
  final Map<String, byte[]> peerMetadata(byte[] b, int off, int len, ProtocolError malformed) {
    Map<String, byte[]> props = ZmtpMetadata.parse(b, off, len);
    if (props == null) {
      fail(malformed, "malformed metadata in the peer's " + (malformed == ProtocolError.ZMTP_MALFORMED_COMMAND_READY ? "READY" : "command"), null);
      return null;
    }
    String bad = ZmtpMetadata.checkPeerSocketType(options.socketType(), props);
    if (bad != null) {
      fail(ProtocolError.ZMTP_INVALID_METADATA, bad, "Invalid socket type");
      return null;
    }
    return props;
  }

  @Override
  public Status status() {
    return status;
  }

  @Override
  public ProtocolError error() {
    return error;
  }

  @Override
  public String errorDetail() {
    return errorDetail;
  }

  @Override
  public boolean errorFromPeer() {
    return errorFromPeer;
  }

  @Override
  public String errorReasonForPeer() {
    return reasonForPeer;
  }

  @Override
  public Map<String, byte[]> peerProperties() {
    return peerProperties;
  }

  @Override
  public Map<String, byte[]> zapProperties() {
    return zap.properties();
  }

  @Override
  public List<byte[]> takeZapRequest() {
    return zap.take();
  }

  @Override
  public int zapFailureStatus() {
    return zapFailureStatus;
  }

  @Override
  public int failureErrno() {
    return failureErrno;
  }
}
