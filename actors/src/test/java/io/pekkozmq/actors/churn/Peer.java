package io.pekkozmq.actors.churn;

/**
 * One peer of a socket under test, for one incarnation: a libzmq process ({@link LibzmqPeer}, tcp
 * and ipc) or one of our own sockets in this context ({@link OurPeer}, inproc). What it receives
 * goes to the ledger under its name; what it sends goes out under its name as origin.
 */
interface Peer extends AutoCloseable {
  /**
   * The socket types a peer plays. PULL, SUB and ROUTER only receive; REP echoes each request
   * back; PUSH sends; DEALER sends requests and receives the echoes.
   */
  enum Role { PULL, PUSH, SUB, DEALER, REP, ROUTER }

  String name();

  Role role();

  boolean binds();

  /** Where it is bound, or the endpoint it connects to. */
  String endpoint();

  /**
   * PUSH and DEALER: sends up to {@code n} messages, each waiting at most 200 ms for room, and
   * records in the ledger what went; false if the peer is gone.
   */
  boolean send(int n);

  /**
   * Leaves gracefully: a sender lingers (up to 5 s) so what it queued is delivered, a receiver
   * reports what it got and closes at once.
   */
  void leave();

  /** Ends abruptly: SIGKILL for a process, LINGER 0 for one of our sockets. */
  void kill();

  /** Inproc only: our side rebound the endpoint it connects to; libzmq does not reconnect inproc. */
  void reconnect();

  /** Ends it however it is, for cleanup; never fails. */
  @Override
  void close();
}
