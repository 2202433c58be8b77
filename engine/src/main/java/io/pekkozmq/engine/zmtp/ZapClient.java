package io.pekkozmq.engine.zmtp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One connection's ZAP (RFC 27) exchange, as libzmq 4.3.4's {@code zap_client_t}: the request
 * frames (empty delimiter, "1.0", request id "1", domain, address, identity, mechanism,
 * credentials) and the checks on the 7-frame reply, with libzmq's ZAP_* codes.
 *
 * <p>The identity frame is our own socket's routing id ({@code options.routing_id}), as libzmq
 * sends it (zap_client.cpp, "Routing id frame"), not the peer's.
 */
final class ZapClient {
  /** libzmq's errno for "ZAP required and no handler": HANDSHAKE_FAILED_NO_DETAIL carries it. */
  static final int EFAULT = 14;
  private static final byte[] VERSION = "1.0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REQUEST_ID = "1".getBytes(StandardCharsets.US_ASCII);
  private static final int REPLY_FRAMES = 7;

  private final ZmtpOptions options;
  private List<byte[]> request;
  private boolean waiting;
  private int status;
  private String statusText = "";
  private Map<String, byte[]> properties = Map.of();
  private ProtocolError error;
  private String errorDetail;

  ZapClient(ZmtpOptions options) {
    this.options = options;
  }

  /** ZAP_DOMAIN is set (libzmq's {@code mechanism_base_t::zap_required}). */
  boolean required() {
    return !options.security().zapDomain().isEmpty();
  }

  boolean enforceDomain() {
    return options.security().zapEnforceDomain();
  }

  /** A handler is bound at inproc://zeromq.zap.01 (libzmq's {@code session_base_t::zap_connect}). */
  boolean handlerPresent() {
    return options.zapHandlerPresent().getAsBoolean();
  }

  void send(String mechanism, byte[]... credentials) {
    List<byte[]> f = new ArrayList<>(7 + credentials.length);
    f.add(new byte[0]);
    f.add(VERSION.clone());
    f.add(REQUEST_ID.clone());
    f.add(options.security().zapDomain().getBytes(StandardCharsets.UTF_8));
    f.add(options.peerAddress().getBytes(StandardCharsets.UTF_8));
    f.add(options.routingId());
    f.add(mechanism.getBytes(StandardCharsets.US_ASCII));
    for (byte[] c : credentials) {
      f.add(c.clone());
    }
    request = Collections.unmodifiableList(f);
    waiting = true;
  }

  List<byte[]> take() {
    List<byte[]> r = request;
    request = null;
    return r;
  }

  boolean waiting() {
    return waiting;
  }

  /** Drops an untaken request (the handshake failed meanwhile). */
  void cancel() {
    request = null;
    waiting = false;
  }

  /**
   * Checks the reply as libzmq's {@code receive_and_process_zap_reply}; false with {@link #error()}
   * set if it is malformed. Otherwise {@link #status()} is 200, 300, 400 or 500.
   */
  boolean receive(List<byte[]> frames) {
    waiting = false;
    request = null;
    if (frames == null || frames.size() != REPLY_FRAMES || frames.stream().anyMatch(java.util.Objects::isNull)) {
      return fail(ProtocolError.ZAP_MALFORMED_REPLY,
          "ZAP reply has " + (frames == null ? 0 : frames.size()) + " frames, 7 expected");
    }
    if (frames.get(0).length > 0) {
      return fail(ProtocolError.ZAP_UNSPECIFIED, "ZAP reply does not start with an empty delimiter frame");
    }
    if (!Arrays.equals(frames.get(1), VERSION)) {
      return fail(ProtocolError.ZAP_BAD_VERSION, "ZAP reply version is '" + text(frames.get(1)) + "', not 1.0");
    }
    if (!Arrays.equals(frames.get(2), REQUEST_ID)) {
      return fail(ProtocolError.ZAP_BAD_REQUEST_ID, "ZAP reply request id is '" + text(frames.get(2)) + "', not 1");
    }
    byte[] sc = frames.get(3);
    if (sc.length != 3 || sc[0] < '2' || sc[0] > '5' || sc[1] != '0' || sc[2] != '0') {
      return fail(ProtocolError.ZAP_INVALID_STATUS_CODE, "ZAP reply status '" + text(sc) + "' is not 200, 300, 400 or 500");
    }
    Map<String, byte[]> md = ZmtpMetadata.parse(frames.get(6), 0, frames.get(6).length);
    if (md == null) {
      return fail(ProtocolError.ZAP_INVALID_METADATA, "ZAP reply metadata is malformed");
    }
    status = (sc[0] - '0') * 100;
    statusText = text(frames.get(4));
    Map<String, byte[]> props = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    props.putAll(md);
    props.put("User-Id", frames.get(5).clone());
    properties = Collections.unmodifiableMap(props);
    return true;
  }

  private boolean fail(ProtocolError e, String detail) {
    error = e;
    errorDetail = detail;
    return false;
  }

  int status() {
    return status;
  }

  String statusText() {
    return statusText;
  }

  /** User-Id and the reply's metadata, once a 200 reply came. */
  Map<String, byte[]> properties() {
    return properties;
  }

  ProtocolError error() {
    return error;
  }

  String errorDetail() {
    return errorDetail;
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
