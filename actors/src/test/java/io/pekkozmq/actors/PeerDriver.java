package io.pekkozmq.actors;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Another ZeroMQ implementation, driven socket by socket from the test thread, so that one interop
 * scenario is written once and runs against every peer: libzmq ({@link LibzmqPeerDriver}, pyzmq
 * through {@code /usr/bin/python3}) and JeroMQ ({@link JeromqPeerDriver}, in this JVM). The model is
 * the monitor module's {@code EventDriver}. Socket types and options use libzmq's names; frames are
 * byte arrays.
 *
 * <p>Like libzmq's, a peer's socket attaches new connections (and sends its subscriptions on them)
 * only inside a call on it, so a scenario that waits for a peer to act keeps calling it (a short
 * {@link #recv}) rather than waiting on our side alone.
 */
interface PeerDriver extends AutoCloseable {
  /** "libzmq" or "jeromq", for test names. */
  String name();

  /**
   * Whether this peer reaches our sockets over {@code transport} ("tcp", "ipc"). JeroMQ 0.6.0's ipc
   * is tcp on loopback under another name, not Unix domain sockets, so it cannot meet ours.
   */
  boolean supports(String transport);

  /**
   * A new socket {@code name} of {@code type} ("REQ", "ROUTER", ...) with {@code options} by
   * libzmq's names (Integer or Boolean values, or byte[] for ROUTING_ID, CONNECT_ROUTING_ID and
   * SUBSCRIBE), set before it binds or connects. Unless given, LINGER is 0 and sends time out after
   * the driver's wait.
   */
  void socket(String name, String type, Map<String, Object> options);

  /** Binds {@code name} on {@code transport} (tcp: a free port of 127.0.0.1) and returns the endpoint. */
  String bind(String name, String transport);

  /**
   * Connects {@code name} to {@code endpoints}, where {@code ours} (one per endpoint) are bound, and
   * returns once the peer has connected: a peer that may silently fail to start a handshake (JeroMQ)
   * is replaced until every connection has completed one, so the scenario starts connected.
   */
  void connect(String name, List<ZSocket> ours, List<String> endpoints);

  /** SUBSCRIBE or UNSUBSCRIBE after the socket is placed. */
  void option(String name, String option, byte[] value);

  /** Sends one whole message; false if it timed out. */
  boolean send(String name, List<byte[]> frames);

  /** The next whole message, or null when none arrived within {@code timeout} (zero: look once). */
  List<byte[]> recv(String name, Duration timeout);

  /**
   * Moves the {@link InteropStream} on {@code name} in the background: sends messages
   * {@code 0..count-1}, or receives and checks them, each wait bounded by the driver's. Completes
   * with {@code "OK <count> <payload bytes>"} or what went wrong. Nothing else may be asked of the
   * driver until it completes.
   */
  CompletableFuture<String> stream(String name, boolean send, int count);

  /** Closes every socket this driver made (LINGER as set). */
  void closeSockets();

  @Override
  void close();
}
