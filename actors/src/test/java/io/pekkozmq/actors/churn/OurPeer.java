package io.pekkozmq.actors.churn;

import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import java.time.Duration;

/**
 * A peer that is one of our own sockets, in the context under test, for inproc (where libzmq
 * cannot join: inproc only links sockets of one context). A thread receives, checks and records
 * what arrives, as {@link LibzmqPeer}'s python does.
 */
final class OurPeer implements Peer {
  private static final Duration POLL = Duration.ofMillis(20);

  private final ZSocket socket;
  private final Role role;
  private final boolean binds;
  private final String name;
  private final String endpoint;
  private final Ledger ledger;
  private final Thread receiver;
  private volatile boolean running = true;
  private long seq;

  private OurPeer(ZSocket socket, Role role, boolean binds, String name, String endpoint, Ledger ledger) {
    this.socket = socket;
    this.role = role;
    this.binds = binds;
    this.name = name;
    this.endpoint = endpoint;
    this.ledger = ledger;
    this.receiver = role == Role.PUSH ? null : new Thread(this::receive, "churn-peer-" + name);
    if (receiver != null) {
      receiver.setDaemon(true);
      receiver.start();
    }
  }

  static OurPeer start(ZeroMQ zmq, Role role, boolean binds, String endpoint, String name, Ledger ledger) {
    ZSocket s = zmq.socket(SocketType.valueOf(role.name()));
    if (role == Role.SUB) s.subscribe("");
    if (binds) {
      s.bind(endpoint);
    } else {
      s.connect(endpoint);
    }
    return new OurPeer(s, role, binds, name, endpoint, ledger);
  }

  private void receive() {
    while (running) {
      Msg m;
      try {
        m = socket.recv(POLL);
      } catch (ZmqException closed) {
        return;
      }
      if (m == null) continue;
      Msg body = role == Role.ROUTER ? m.dropFirst(1) : m;
      ChurnMessage.Parsed p = ChurnMessage.parse(body);
      if (p.error() != null) {
        ledger.violation(name + " " + p.error());
      } else {
        ledger.received(name, p.stream(), p.seq(), p.seq());
      }
      if (role == Role.REP) {
        try {
          if (!socket.send(ChurnMessage.echo(body, name), Duration.ofMillis(200))) {
            ledger.violation(name + " could not reply within 200 ms");
          }
        } catch (ZmqException closed) {
          return;
        }
      }
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Role role() {
    return role;
  }

  @Override
  public boolean binds() {
    return binds;
  }

  @Override
  public String endpoint() {
    return endpoint;
  }

  @Override
  public synchronized boolean send(int n) {
    if (!running) return false;
    try {
      for (int i = 0; i < n; i++) {
        if (!socket.send(ChurnMessage.of(name, seq), Duration.ofMillis(200))) break;
        ledger.sent(name, seq, seq);
        seq++;
      }
      return true;
    } catch (ZmqException closed) {
      return false;
    }
  }

  @Override
  public void leave() {
    stopReceiving();
    // default LINGER -1: what it queued is delivered; an inproc socket stops once its pipes are closed
    if (!socket.closeAndWait(Duration.ofSeconds(10))) throw new AssertionError(name + " did not close within 10 s");
  }

  @Override
  public void kill() {
    stopReceiving();
    socket.setOption(ZmqOption.LINGER, 0);
    if (!socket.closeAndWait(Duration.ofSeconds(10))) throw new AssertionError(name + " did not close within 10 s");
  }

  @Override
  public void reconnect() {
    if (!binds) socket.connect(endpoint);
  }

  private void stopReceiving() {
    running = false;
    if (receiver == null) return;
    try {
      receiver.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    try {
      kill();
    } catch (RuntimeException alreadyClosed) {
      // cleanup only
    }
  }
}
