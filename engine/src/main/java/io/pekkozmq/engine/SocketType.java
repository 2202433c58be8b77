package io.pekkozmq.engine;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * ZeroMQ socket types with their ZMTP {@code Socket-Type} names and the RFC 23/37 table of which
 * types may talk to each other.
 */
public enum SocketType {
  PAIR, PUB, SUB, REQ, REP, DEALER, ROUTER, PULL, PUSH, XPUB, XSUB, STREAM;

  /** The name sent in the READY command's Socket-Type property. */
  public String wireName() {
    return name();
  }

  public byte[] wireNameBytes() {
    return name().getBytes(StandardCharsets.US_ASCII);
  }

  /** Parses a type name, case-insensitively; throws naming the bad value. */
  public static SocketType parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown socket type '" + name + "' (expected one of PAIR, PUB, SUB, REQ,"
          + " REP, DEALER, ROUTER, PULL, PUSH, XPUB, XSUB, STREAM)");
    }
  }

  /** The type named by a peer's Socket-Type property, or null if unknown. */
  public static SocketType fromWire(byte[] b, int off, int len) {
    String s = new String(b, off, len, StandardCharsets.US_ASCII);
    for (SocketType t : values()) {
      if (t != STREAM && t.name().equals(s)) return t;
    }
    return null;
  }

  /** Whether a socket of this type accepts a peer of type {@code peer} (libzmq's check_socket_type). */
  public boolean isCompatible(SocketType peer) {
    return switch (this) {
      case PAIR -> peer == PAIR;
      case PUB, XPUB -> peer == SUB || peer == XSUB;
      case SUB, XSUB -> peer == PUB || peer == XPUB;
      case REQ -> peer == REP || peer == ROUTER;
      case REP -> peer == REQ || peer == DEALER;
      case DEALER -> peer == REP || peer == DEALER || peer == ROUTER;
      case ROUTER -> peer == REQ || peer == DEALER || peer == ROUTER;
      case PULL -> peer == PUSH;
      case PUSH -> peer == PULL;
      case STREAM -> false;
    };
  }
}
