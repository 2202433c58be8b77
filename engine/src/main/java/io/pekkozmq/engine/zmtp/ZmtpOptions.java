package io.pekkozmq.engine.zmtp;

import io.pekkozmq.engine.SocketType;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import io.pekkozmq.engine.security.SecurityOptions;

/**
 * What one {@link ZmtpConnection} needs to know about its own side.
 *
 * @param socketType sent as {@code Socket-Type}; the peer's type is checked against it
 * @param routingId sent as {@code Identity} by REQ, DEALER and ROUTER (as libzmq does); null = empty
 * @param mechanism creates the security mechanism; {@link NullMechanism#FACTORY} by default
 * @param maxMsgSize largest frame accepted from the peer in bytes, -1 = unlimited
 * @param metadata application properties ({@code X-*}) added to READY, in insertion order
 * @param copyThreshold received frames up to this size are copied out of the read buffer rather
 *     than sliced, so a read buffer holding only small frames can be reused
 * @param security NULL, PLAIN or CURVE settings; {@link SecurityOptions#NULL} by default. Setting it
 *     through the builder also sets {@link #mechanism}; the greeting's as-server bit is the
 *     mechanism's ({@link Mechanism#asServer()}: 1 only for a PLAIN or CURVE server)
 * @param peerAddress the peer's address as the ZAP request's {@code address} frame and the
 *     {@code Peer-Address} property carry it (IP text for tcp, "" for ipc), "" if unknown
 * @param zapHandlerPresent asked when a mechanism needs ZAP: is a handler bound at
 *     {@code inproc://zeromq.zap.01} now? (libzmq's {@code session_base_t::zap_connect})
 * @param zws ZWS 2.0 (ZeroMQ over WebSocket) framing and its side; null for ZMTP's own framing
 */
public record ZmtpOptions(
    SocketType socketType,
    byte[] routingId,
    Mechanism.Factory mechanism,
    long maxMsgSize,
    Map<String, byte[]> metadata,
    int copyThreshold,
    SecurityOptions security,
    String peerAddress,
    BooleanSupplier zapHandlerPresent,
    ZwsOptions zws) {

  /** Default for {@link #copyThreshold}: a copy of up to 64 bytes costs less than pinning a 64 KiB read buffer. */
  public static final int DEFAULT_COPY_THRESHOLD = 64;

  public ZmtpOptions {
    Objects.requireNonNull(socketType, "socketType");
    Objects.requireNonNull(mechanism, "mechanism");
    security = security == null ? SecurityOptions.NULL : security;
    peerAddress = peerAddress == null ? "" : peerAddress;
    zapHandlerPresent = zapHandlerPresent == null ? () -> false : zapHandlerPresent;
    routingId = routingId == null ? new byte[0] : routingId.clone();
    if (routingId.length > 255) {
      throw new IllegalArgumentException("routing id is " + routingId.length + " bytes, at most 255 allowed");
    }
    if (copyThreshold < 0) {
      throw new IllegalArgumentException("copyThreshold must be >= 0, was " + copyThreshold);
    }
    Map<String, byte[]> md = new LinkedHashMap<>();
    if (metadata != null) {
      for (Map.Entry<String, byte[]> e : metadata.entrySet()) {
        String name = e.getKey();
        if (!name.regionMatches(true, 0, "X-", 0, 2) || name.length() < 3) {
          throw new IllegalArgumentException("application metadata '" + name + "' must be named X-<something>");
        }
        if (name.getBytes(StandardCharsets.US_ASCII).length > 255) {
          throw new IllegalArgumentException("metadata name '" + name + "' is longer than 255 bytes");
        }
        md.put(name, e.getValue() == null ? new byte[0] : e.getValue().clone());
      }
    }
    metadata = Collections.unmodifiableMap(md);
  }

  public static Builder builder(SocketType socketType) {
    return new Builder(socketType);
  }

  /** A defensive copy of the routing id. */
  @Override
  public byte[] routingId() {
    return routingId.clone();
  }

  byte[] routingIdUnsafe() {
    return routingId;
  }

  public static final class Builder {
    private final SocketType socketType;
    private byte[] routingId;
    private Mechanism.Factory mechanism = NullMechanism.FACTORY;
    private long maxMsgSize = -1;
    private final Map<String, byte[]> metadata = new LinkedHashMap<>();
    private int copyThreshold = DEFAULT_COPY_THRESHOLD;
    private SecurityOptions security = SecurityOptions.NULL;
    private String peerAddress = "";
    private BooleanSupplier zapHandlerPresent = () -> false;
    private ZwsOptions zws;

    private Builder(SocketType socketType) {
      this.socketType = socketType;
    }

    public Builder routingId(byte[] id) {
      this.routingId = id;
      return this;
    }

    public Builder mechanism(Mechanism.Factory factory) {
      this.mechanism = factory;
      return this;
    }

    public Builder maxMsgSize(long bytes) {
      this.maxMsgSize = bytes;
      return this;
    }

    public Builder metadata(String name, byte[] value) {
      metadata.put(name, value);
      return this;
    }

    public Builder metadata(String name, String value) {
      return metadata(name, value.getBytes(StandardCharsets.UTF_8));
    }

    public Builder copyThreshold(int bytes) {
      this.copyThreshold = bytes;
      return this;
    }

    /**
     * Sets the security settings and the mechanism they create.
     *
     * @throws IllegalArgumentException if they lack a key the mechanism needs (see
     *     {@link SecurityOptions#mechanismFactory()})
     */
    public Builder security(SecurityOptions security) {
      this.security = Objects.requireNonNull(security, "security");
      this.mechanism = security.mechanismFactory();
      return this;
    }

    public Builder peerAddress(String address) {
      this.peerAddress = address;
      return this;
    }

    public Builder zapHandlerPresent(BooleanSupplier present) {
      this.zapHandlerPresent = present;
      return this;
    }

    /** ZWS 2.0 framing (RFC 45) on this side; null (the default) keeps ZMTP's own. */
    public Builder zws(ZwsOptions zws) {
      this.zws = zws;
      return this;
    }

    public ZmtpOptions build() {
      return new ZmtpOptions(socketType, routingId, mechanism, maxMsgSize, metadata, copyThreshold,
          security, peerAddress, zapHandlerPresent, zws);
    }
  }
}
