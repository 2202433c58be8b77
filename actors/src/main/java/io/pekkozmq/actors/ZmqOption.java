package io.pekkozmq.actors;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.ZmqException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Socket options, named as libzmq names them (without {@code ZMQ_}); {@link #parse} accepts
 * libzmq's name in any case. Each option is defined once, here, as Netty's {@code ChannelOption}
 * is: its value type, its {@link Scope}, its default's key in reference.conf's
 * {@code pekko-zmq.socket} block (if it has one) and its {@link #validate check}.
 */
public enum ZmqOption {
  SNDHWM(Integer.class, Scope.CONNECTION, "sndhwm", ZmqOption::nonNegative),
  RCVHWM(Integer.class, Scope.CONNECTION, "rcvhwm", ZmqOption::nonNegative),
  LINGER(Integer.class, Scope.SOCKET, "linger", ZmqOption::atLeastMinusOne),
  RECONNECT_IVL(Integer.class, Scope.CONNECTION, "reconnect-ivl", ZmqOption::atLeastMinusOne),
  RECONNECT_IVL_MAX(Integer.class, Scope.CONNECTION, "reconnect-ivl-max", ZmqOption::nonNegative),
  /** Bit set: 1 stop on connection refused, 2 on handshake failure, 4 after a disconnect. */
  RECONNECT_STOP(Integer.class, Scope.CONNECTION, "reconnect-stop", ZmqOption::nonNegative),
  CONNECT_TIMEOUT(Integer.class, Scope.CONNECTION, "connect-timeout", ZmqOption::nonNegative),
  HANDSHAKE_IVL(Integer.class, Scope.CONNECTION, "handshake-ivl", ZmqOption::nonNegative),
  IMMEDIATE(Boolean.class, Scope.CONNECTION, "immediate", ZmqOption::bool),
  /** None by default: a peer ROUTER then names us itself. */
  ROUTING_ID(byte[].class, Scope.CONNECTION, null, ZmqOption::routingId),
  /** Names the next connect only (ROUTER and STREAM); the socket consumes it. None by default. */
  CONNECT_ROUTING_ID(byte[].class, Scope.SOCKET, null, ZmqOption::routingId),
  MAXMSGSIZE(Long.class, Scope.CONNECTION, "maxmsgsize", (o, v) -> Math.max(-1, longValue(o, v))),
  SNDTIMEO(Integer.class, Scope.SOCKET, "sndtimeo", ZmqOption::atLeastMinusOne),
  RCVTIMEO(Integer.class, Scope.SOCKET, "rcvtimeo", ZmqOption::atLeastMinusOne),
  TCP_KEEPALIVE(Integer.class, Scope.CONNECTION, "tcp-keepalive", ZmqOption::atLeastMinusOne),
  TCP_KEEPALIVE_IDLE(Integer.class, Scope.CONNECTION, "tcp-keepalive-idle", ZmqOption::atLeastMinusOne),
  TCP_KEEPALIVE_CNT(Integer.class, Scope.CONNECTION, "tcp-keepalive-cnt", ZmqOption::atLeastMinusOne),
  TCP_KEEPALIVE_INTVL(Integer.class, Scope.CONNECTION, "tcp-keepalive-intvl", ZmqOption::atLeastMinusOne),
  /** Which I/O threads the socket's connections may use (bit set; 0 = any). */
  AFFINITY(Long.class, Scope.SOCKET, "affinity", ZmqOption::longValue),
  IPV6(Boolean.class, Scope.CONNECTION, "ipv6", ZmqOption::bool),
  HEARTBEAT_IVL(Integer.class, Scope.CONNECTION, "heartbeat-ivl", ZmqOption::nonNegative),
  HEARTBEAT_TTL(Integer.class, Scope.CONNECTION, "heartbeat-ttl", ZmqOption::heartbeatTtl),
  HEARTBEAT_TIMEOUT(Integer.class, Scope.CONNECTION, "heartbeat-timeout", ZmqOption::nonNegative),
  /** Up to 16 bytes sent in each PING and echoed by the peer's PONG. */
  HEARTBEAT_CONTEXT(byte[].class, Scope.CONNECTION, "heartbeat-context", ZmqOption::heartbeatContext),
  CONFLATE(Boolean.class, Scope.CONNECTION, "conflate", ZmqOption::bool),
  /** SUB/XSUB (and XPUB with XPUB_MANUAL): add a subscription prefix. Write-only. */
  SUBSCRIBE(byte[].class, Scope.PATTERN, null, ZmqOption::patternBytes),
  /** Write-only. */
  UNSUBSCRIBE(byte[].class, Scope.PATTERN, null, ZmqOption::patternBytes),
  ROUTER_MANDATORY(Boolean.class, Scope.PATTERN, null, ZmqOption::patternBool),
  ROUTER_HANDOVER(Boolean.class, Scope.PATTERN, null, ZmqOption::patternBool),
  /** 1 notify on connect, 2 on disconnect, 3 both (libzmq's draft ZMQ_ROUTER_NOTIFY). */
  ROUTER_NOTIFY(Integer.class, Scope.PATTERN, null, ZmqOption::patternInt),
  PROBE_ROUTER(Boolean.class, Scope.PATTERN, null, ZmqOption::patternBool),
  REQ_CORRELATE(Boolean.class, Scope.PATTERN, null, ZmqOption::patternBool),
  REQ_RELAXED(Boolean.class, Scope.PATTERN, null, ZmqOption::patternBool),
  XPUB_VERBOSE(Boolean.class, Scope.PATTERN, null, ZmqOption::patternBool),
  XPUB_VERBOSER(Boolean.class, Scope.PATTERN, null, ZmqOption::patternBool),
  XPUB_MANUAL(Boolean.class, Scope.PATTERN, null, ZmqOption::patternBool),
  XPUB_MANUAL_LAST_VALUE(Boolean.class, Scope.PATTERN, null, ZmqOption::patternBool),
  XPUB_NODROP(Boolean.class, Scope.PATTERN, null, ZmqOption::patternBool),
  /** Null or empty for none. */
  XPUB_WELCOME_MSG(byte[].class, Scope.PATTERN, null, (o, v) -> v == null ? null : patternBytes(o, v)),
  INVERT_MATCHING(Boolean.class, Scope.PATTERN, null, ZmqOption::patternBool),
  /** The pattern holds it for getsockopt; the socket also copies it to connections made later. */
  STREAM_NOTIFY(Boolean.class, Scope.PATTERN, null, ZmqOption::patternBool),
  // ---- security (RFC 24/26/27); as in libzmq, the last of these set chooses the mechanism --------
  /** Be the PLAIN server (true) or drop back to NULL (false). */
  PLAIN_SERVER(Boolean.class, Scope.CONNECTION, null, ZmqOption::bool),
  /** A PLAIN client's user name (1 to 255 bytes); setting it makes the socket a PLAIN client. */
  PLAIN_USERNAME(byte[].class, Scope.CONNECTION, null, ZmqOption::plainCredential),
  /** A PLAIN client's password (0 to 255 bytes); setting it makes the socket a PLAIN client. */
  PLAIN_PASSWORD(byte[].class, Scope.CONNECTION, null, ZmqOption::plainCredential),
  /** Be the CURVE server (true) or drop back to NULL (false). Needs CURVE_SECRETKEY. */
  CURVE_SERVER(Boolean.class, Scope.CONNECTION, null, ZmqOption::bool),
  /** Our long-term public key: 40 characters of Z85 or 32 bytes. */
  CURVE_PUBLICKEY(byte[].class, Scope.CONNECTION, null, ZmqOption::curveKey),
  /** Our long-term secret key: 40 characters of Z85 or 32 bytes. */
  CURVE_SECRETKEY(byte[].class, Scope.CONNECTION, null, ZmqOption::curveKey),
  /** The server's public key a CURVE client expects; setting it makes the socket a CURVE client. */
  CURVE_SERVERKEY(byte[].class, Scope.CONNECTION, null, ZmqOption::curveKey),
  /** The ZAP domain sent to the handler; "" by default. */
  ZAP_DOMAIN(String.class, Scope.CONNECTION, null, ZmqOption::zapDomain),
  /** Refuse NULL peers when no ZAP handler answers for a set ZAP_DOMAIN (libzmq's ZMQ_ZAP_ENFORCE_DOMAIN). */
  ZAP_ENFORCE_DOMAIN(Boolean.class, Scope.CONNECTION, null, ZmqOption::bool),
  // ---- wss:// (libzmq's draft WSS options); read when a wss connection starts -----------------
  /** The server's certificate chain, PEM ({@code -----BEGIN CERTIFICATE-----}...), for wss binds. */
  WSS_CERT_PEM(String.class, Scope.CONNECTION, null, ZmqOption::pem),
  /** The server's private key, PEM (PKCS#8 {@code BEGIN PRIVATE KEY}, or {@code BEGIN RSA/EC PRIVATE KEY}). */
  WSS_KEY_PEM(String.class, Scope.CONNECTION, null, ZmqOption::pem),
  /** Certificates a wss client trusts, PEM; empty: only the JDK's trust store when WSS_TRUST_SYSTEM. */
  WSS_TRUST_PEM(String.class, Scope.CONNECTION, null, ZmqOption::pem),
  /** The name a wss client checks the server's certificate against (and sends as SNI); empty: the endpoint's host. */
  WSS_HOSTNAME(String.class, Scope.CONNECTION, null, ZmqOption::text),
  /** A wss client also trusts the JDK's default trust store. */
  WSS_TRUST_SYSTEM(Boolean.class, Scope.CONNECTION, null, ZmqOption::bool),
  /** NULL, PLAIN or CURVE: what the security options chose. */
  MECHANISM(String.class, Scope.READ_ONLY, null, ZmqOption::readOnlyValue),
  LAST_ENDPOINT(String.class, Scope.READ_ONLY, null, ZmqOption::readOnlyValue),
  TYPE(String.class, Scope.READ_ONLY, null, ZmqOption::readOnlyValue);

  /** Who reads an option, and so where the socket keeps it. */
  public enum Scope {
    /** Copied into each session and engine when it starts (at connect, or at accept after bind), as libzmq's sessions copy options. */
    CONNECTION,
    /** Read by the socket itself (SNDTIMEO, LINGER, AFFINITY...). */
    SOCKET,
    /** Read by the socket's pattern (its messaging pattern: ROUTER_MANDATORY, XPUB_VERBOSE, SUBSCRIBE...). */
    PATTERN,
    /** Answered by the socket, never set (LAST_ENDPOINT, TYPE). */
    READ_ONLY
  }

  /** The user's value to the stored one, or ZmqException(EINVAL) naming the option and the value. */
  @FunctionalInterface
  private interface Check {
    Object apply(ZmqOption option, Object value);
  }

  private final Class<?> type;
  private final Scope scope;
  private final String configKey;
  private final Check check;

  ZmqOption(Class<?> type, Scope scope, String configKey, Check check) {
    this.type = type;
    this.scope = scope;
    this.configKey = configKey;
    this.check = check;
  }

  public Class<?> valueType() {
    return type;
  }

  public Scope scope() {
    return scope;
  }

  /**
   * The key of this option's default in reference.conf's {@code pekko-zmq.socket} block (e.g.
   * {@code reconnect-ivl}), or empty for options without one: the pattern options (their defaults
   * are libzmq's, kept by the pattern), ROUTING_ID and CONNECT_ROUTING_ID (none unless set), and
   * the read-only ones.
   */
  public Optional<String> configKey() {
    return Optional.ofNullable(configKey);
  }

  /** Read-only options reject set. */
  public boolean readOnly() {
    return scope == Scope.READ_ONLY;
  }

  /** Options the socket's pattern reads (as opposed to its connections or the socket itself). */
  public boolean isPatternOption() {
    return scope == Scope.PATTERN;
  }

  /**
   * The value the socket stores for {@code value} (Integer, Long, Boolean, byte[] or String as
   * {@link #valueType} says; numbers and booleans may also come as strings for connection and
   * socket options; byte[] options take a String as its UTF-8 bytes, and store a copy). Throws
   * ZmqException(EINVAL) naming the option and what is wrong with the value.
   */
  public Object validate(Object value) {
    if (readOnly()) throw invalid("option " + this + " is read-only");
    // a pattern option's check says what a null lacks (XPUB_WELCOME_MSG takes it as "none")
    if (value == null && scope != Scope.PATTERN) throw invalid("option " + this + " needs a value");
    return check.apply(this, value);
  }

  public static ZmqOption parse(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    if (n.startsWith("ZMQ_")) n = n.substring(4);
    try {
      return valueOf(n);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown socket option '" + name + "'");
    }
  }

  // ---- checks: connection and socket options --------------------------------------------------

  private static Object nonNegative(ZmqOption o, Object v) {
    return atLeast(o, v, 0);
  }

  private static Object atLeastMinusOne(ZmqOption o, Object v) {
    return atLeast(o, v, -1);
  }

  private static int atLeast(ZmqOption o, Object v, int min) {
    long n = longValue(o, v);
    if (n < min || n > Integer.MAX_VALUE) {
      throw invalid("option " + o + " must be an integer >= " + min + ", got " + v);
    }
    return (int) n;
  }

  private static long longValue(ZmqOption o, Object v) {
    if (v instanceof Number n) return n.longValue();
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw invalid("option " + o + " needs a number, got '" + s + "'");
      }
    }
    throw invalid("option " + o + " needs a number, got " + v.getClass().getSimpleName());
  }

  private static boolean bool(ZmqOption o, Object v) {
    if (v instanceof Boolean b) return b;
    if (v instanceof Number n) return n.intValue() != 0;
    if (v instanceof String s) return s.equals("1") || s.equalsIgnoreCase("true");
    throw invalid("option " + o + " needs a boolean, got " + v);
  }

  private static byte[] routingId(ZmqOption o, Object v) {
    byte[] b = bytesOrNull(v);
    if (b == null) throw invalid("option " + o + " needs bytes or a string");
    if (b.length == 0 || b.length > 255) {
      throw invalid("option " + o + " must be 1 to 255 bytes, got " + b.length);
    }
    if (b[0] == 0 && o == ROUTING_ID) {
      throw invalid("option " + o + " may not start with a zero byte (reserved by libzmq)");
    }
    return b;
  }

  private static int heartbeatTtl(ZmqOption o, Object v) {
    int ttl = atLeast(o, v, 0);
    if (ttl > 6553599) throw invalid("HEARTBEAT_TTL " + ttl + " ms exceeds 6553599");
    return ttl / 100 * 100; // libzmq keeps whole deciseconds, the unit the PING carries
  }

  private static byte[] heartbeatContext(ZmqOption o, Object v) {
    byte[] b = bytesOrNull(v);
    if (b == null) throw invalid("option " + o + " needs bytes or a string");
    if (b.length > 16) throw invalid("option " + o + " is at most 16 bytes, got " + b.length);
    return b;
  }

  private static byte[] plainCredential(ZmqOption o, Object v) {
    byte[] b = bytesOrNull(v);
    if (b == null) throw invalid("option " + o + " needs bytes or a string");
    if (b.length > 255 || (o == PLAIN_USERNAME && b.length == 0)) {
      throw invalid("option " + o + " must be " + (o == PLAIN_USERNAME ? "1" : "0") + " to 255 bytes, got " + b.length);
    }
    return b;
  }

  /** 40 characters of Z85 (as a String or its bytes) or 32 raw bytes; stored as the 32 raw bytes. */
  private static byte[] curveKey(ZmqOption o, Object v) {
    Object key = v instanceof byte[] b && b.length == 40 ? new String(b, StandardCharsets.US_ASCII) : v;
    try {
      return io.pekkozmq.engine.security.CurveKeys.parseKey(o.name(), key);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private static String text(ZmqOption o, Object v) {
    if (v instanceof String s) return s;
    if (v instanceof byte[] b) return new String(b, StandardCharsets.UTF_8);
    throw invalid("option " + o + " needs a string, got " + v.getClass().getSimpleName());
  }

  /** PEM text; it is parsed when a wss connection needs it, so a bad one fails that bind or connect. */
  private static String pem(ZmqOption o, Object v) {
    String s = text(o, v);
    if (!s.isEmpty() && !s.contains("-----BEGIN ")) {
      throw invalid("option " + o + " needs PEM text (-----BEGIN ...-----), got " + s.length() + " characters without it");
    }
    return s;
  }

  /** libzmq keeps at most 255 bytes (the ZAP request's domain frame). */
  private static String zapDomain(ZmqOption o, Object v) {
    String s = text(o, v);
    int n = s.getBytes(StandardCharsets.UTF_8).length;
    if (n > 255) throw invalid("option " + o + " is at most 255 bytes, got " + n);
    return s;
  }

  private static Object readOnlyValue(ZmqOption o, Object v) {
    throw invalid("option " + o + " is read-only");
  }

  // ---- checks: pattern options (strict types: no strings for numbers or booleans) -------------

  private static boolean patternBool(ZmqOption o, Object v) {
    if (v instanceof Boolean b) return b;
    if (v instanceof Number n) return n.intValue() != 0;
    throw invalid("option " + o + " needs a boolean, got " + v);
  }

  private static int patternInt(ZmqOption o, Object v) {
    if (v instanceof Number n) return n.intValue();
    throw invalid("option " + o + " got a value of the wrong type: " + v);
  }

  private static byte[] patternBytes(ZmqOption o, Object v) {
    byte[] b = bytesOrNull(v);
    if (b == null) throw invalid("option " + o + " needs bytes or a string, got " + v);
    return b;
  }

  private static byte[] bytesOrNull(Object v) {
    if (v instanceof byte[] b) return b.clone();
    if (v instanceof String s) return s.getBytes(StandardCharsets.UTF_8);
    return null;
  }

  private static ZmqException invalid(String message) {
    return new ZmqException(Errno.EINVAL, message);
  }
}
