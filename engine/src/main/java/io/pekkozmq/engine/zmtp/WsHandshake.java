package io.pekkozmq.engine.zmtp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The HTTP/1.1 upgrade that opens a ZWS 2.0 connection (RFC 6455 section 4, RFC 45), as libzmq's
 * ws_engine does it, single-threaded: owned by one {@link ZmtpConnection}. The client sends
 * {@link #request()}; the server reads it, picks the first protocol of the client's
 * {@code Sec-WebSocket-Protocol} list it speaks ({@code ZWS2.0/<mechanism>}, or the bare
 * {@code ZWS2.0} with NULL) and answers 101 with the SHA-1 accept key. The client checks the
 * status, the upgrade headers, the accept key (libzmq leaves that a TODO) and that the protocol is
 * one it offered. Bytes after the blank line stay in the input for the frame decoder.
 *
 * <p>Hostile input: the head is at most {@link #MAX_HEAD} bytes and nothing is allocated by an
 * announced size; a refusal says why ({@link #error()}) and, on the server, {@link #response()}
 * is then a 400 reply for the engine to flush before it closes.
 */
final class WsHandshake {
  /** Longest request or response head accepted (libzmq's fixed buffers are smaller still). */
  static final int MAX_HEAD = 8192;
  static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  static final String BARE = "ZWS2.0";

  enum Status { NEED_MORE, DONE, ERROR }

  private final boolean client;
  private final String mechanism;
  private final byte[] head = new byte[MAX_HEAD];
  private int got;
  private String key;
  private String protocol;
  private String error;
  private byte[] response;

  /** @param mechanism our mechanism's name: {@code NULL}, {@code PLAIN} or {@code CURVE} */
  WsHandshake(boolean client, String mechanism) {
    this.client = client;
    this.mechanism = mechanism;
  }

  /** The protocols a client offers, in its order of preference (libzmq's). */
  String offered() {
    return mechanism.equals("NULL") ? BARE + "/NULL," + BARE : BARE + "/" + mechanism;
  }

  /** Whether our side speaks {@code p}: {@code ZWS2.0/<ours>}, or {@code ZWS2.0} under NULL. */
  boolean speaks(String p) {
    return p.equals(BARE + "/" + mechanism) || (mechanism.equals("NULL") && p.equals(BARE));
  }

  /** The client's request; the key is made here, once. */
  byte[] request(String host, String path) {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce); // a nonce against caches, not a secret (RFC 6455 4.1)
    key = Base64.getEncoder().encodeToString(nonce);
    String r = "GET " + path + " HTTP/1.1\r\n"
        + "Host: " + host + "\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + key + "\r\n"
        + "Sec-WebSocket-Protocol: " + offered() + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n";
    return r.getBytes(StandardCharsets.US_ASCII);
  }

  /** The protocol both sides agreed on, once {@link Status#DONE}. */
  String protocol() {
    return protocol;
  }

  String error() {
    return error;
  }

  /** The server's reply once the request is read: 101, or 400 after a refusal; null otherwise. */
  byte[] response() {
    return response;
  }

  /** Reads head bytes up to the blank line, leaving whatever follows it in {@code in}. */
  Status consume(ByteBuffer in) {
    if (error != null) return Status.ERROR;
    while (in.hasRemaining()) {
      if (got == 0 && in.get(in.position()) != (client ? 'H' : 'G')) {
        // the first byte decides: a ZMTP greeting (FF) or anything else that is not HTTP
        return fail(String.format("peer did not start with an HTTP upgrade %s (first byte 0x%02x)",
            client ? "response" : "request", in.get(in.position()) & 0xff));
      }
      if (got == MAX_HEAD) return fail("HTTP upgrade head longer than " + MAX_HEAD + " bytes");
      head[got++] = in.get();
      if (got >= 4 && head[got - 1] == '\n' && head[got - 2] == '\r' && head[got - 3] == '\n' && head[got - 4] == '\r') {
        return client ? readResponse() : readRequest();
      }
    }
    return Status.NEED_MORE;
  }

  private Status readRequest() {
    String[] lines = headLines();
    String[] start = lines[0].split(" ");
    if (start.length != 3 || !start[0].equals("GET") || !start[2].equals("HTTP/1.1")) {
      return fail("not an HTTP/1.1 GET request: '" + printable(lines[0]) + "'");
    }
    boolean upgrade = false;
    boolean connection = false;
    String offeredList = null;
    List<String[]> fields = headerFields(lines);
    if (fields == null) return Status.ERROR;
    for (String[] field : fields) {
      String value = field[1];
      switch (field[0]) {
        case "upgrade" -> upgrade = value.equalsIgnoreCase("websocket");
        case "connection" -> connection = hasToken(value, "upgrade");
        case "sec-websocket-key" -> key = value;
        case "sec-websocket-protocol" -> {
          offeredList = offeredList == null ? value : offeredList + "," + value;
          if (protocol == null) {
            for (String p : value.split(",")) {
              if (speaks(p.trim())) {
                protocol = p.trim();
                break;
              }
            }
          }
        }
        default -> { }
      }
    }
    if (!upgrade || !connection) return fail("request lacks 'Upgrade: websocket' and 'Connection: Upgrade'");
    if (key == null || key.isEmpty()) return fail("request lacks Sec-WebSocket-Key");
    if (offeredList == null) return fail("request offers no Sec-WebSocket-Protocol (ZWS 2.0 needs one)");
    if (protocol == null) {
      return fail("request offers Sec-WebSocket-Protocol '" + printable(offeredList) + "'; we speak "
          + (mechanism.equals("NULL") ? "ZWS2.0/NULL or ZWS2.0" : "ZWS2.0/" + mechanism));
    }
    response = ("HTTP/1.1 101 Switching Protocols\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + accept(key) + "\r\n"
        + "Sec-WebSocket-Protocol: " + protocol + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    return Status.DONE;
  }

  private Status readResponse() {
    String[] lines = headLines();
    String[] start = lines[0].split(" ", 3);
    if (start.length < 2 || !start[0].equals("HTTP/1.1") || !start[1].equals("101")) {
      return fail("server refused the WebSocket upgrade: '" + printable(lines[0]) + "'");
    }
    boolean upgrade = false;
    boolean connection = false;
    String acceptKey = null;
    List<String[]> fields = headerFields(lines);
    if (fields == null) return Status.ERROR;
    for (String[] field : fields) {
      String value = field[1];
      switch (field[0]) {
        case "upgrade" -> upgrade = value.equalsIgnoreCase("websocket");
        case "connection" -> connection = hasToken(value, "upgrade");
        case "sec-websocket-accept" -> acceptKey = value;
        case "sec-websocket-protocol" -> {
          if (protocol != null) return fail("server answered more than one Sec-WebSocket-Protocol");
          protocol = value;
        }
        default -> { }
      }
    }
    if (!upgrade || !connection) return fail("response lacks 'Upgrade: websocket' and 'Connection: Upgrade'");
    if (acceptKey == null || !acceptKey.equals(accept(key))) {
      return fail("server's Sec-WebSocket-Accept '" + printable(String.valueOf(acceptKey)) + "' does not match our key");
    }
    if (protocol == null || !speaks(protocol)) {
      return fail("server chose Sec-WebSocket-Protocol '" + printable(String.valueOf(protocol)) + "'; we offered " + offered());
    }
    return Status.DONE;
  }

  /** The head's lines, without its closing blank line. */
  private String[] headLines() {
    return new String(head, 0, got - 4, StandardCharsets.ISO_8859_1).split("\r\n", -1);
  }

  /**
   * The header lines after the start line as (lower-case name, trimmed value) pairs; null after
   * failing on a malformed line.
   */
  private List<String[]> headerFields(String[] lines) {
    List<String[]> fields = new ArrayList<>(lines.length);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        fail("malformed header line '" + printable(lines[i]) + "'");
        return null;
      }
      fields.add(new String[] {lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim()});
    }
    return fields;
  }

  private Status fail(String why) {
    error = why;
    if (!client) {
      response = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }
    return Status.ERROR;
  }

  private static boolean hasToken(String value, String token) {
    for (String t : value.split(",")) {
      if (t.trim().equalsIgnoreCase(token)) return true;
    }
    return false;
  }

  /** RFC 6455 4.2.2: base64 of the SHA-1 of the key and the protocol's GUID. */
  static String accept(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-1", e);
    }
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 120; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }
}
