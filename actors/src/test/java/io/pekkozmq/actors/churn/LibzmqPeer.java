package io.pekkozmq.actors.churn;

import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A libzmq peer: one python process with one socket. It checks every message it receives
 * ({@link ChurnMessage#PYTHON}) and reports, after each batch it drains, the sequence numbers it
 * got per stream as runs ({@code R stream a-b c-d}) and anything torn ({@code E what}); a sender
 * reports what it sent ({@code S origin a b}). A pump thread turns these lines into ledger records
 * as they come, so what a killed peer had printed is kept.
 */
final class LibzmqPeer implements Peer {
  /** argv: role (a Peer.Role), bind|connect, endpoint (tcp "...:*" binds a free port), name. */
  static final String SCRIPT = "import os, sys, zlib, zmq\n" + ChurnMessage.PYTHON + """
      role, mode, ep, name = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
      ctx = zmq.Context()
      s = ctx.socket(getattr(zmq, role))
      s.setsockopt(zmq.LINGER, 0)
      s.setsockopt(zmq.SNDTIMEO, 200)
      if role == "SUB":
          s.setsockopt(zmq.SUBSCRIBE, b"")
      if mode == "bind":
          if ep.endswith(":*"):
              ep = "tcp://127.0.0.1:%d" % s.bind_to_random_port("tcp://127.0.0.1")
          else:
              s.bind(ep)
      else:
          s.connect(ep)
      out = sys.stdout
      out.write("ENDPOINT %s\\n" % ep)
      out.flush()
      origin = name.encode()
      via = b"@" + origin
      runs = {}
      seq = 0
      def note(key, q):
          r = runs.get(key)
          if r is None:
              runs[key] = [[q, q]]
          elif r[-1][1] + 1 == q:
              r[-1][1] = q
          else:
              r.append([q, q])
      def report():
          for key, r in runs.items():
              out.write("R %s %s\\n" % (key, " ".join("%d-%d" % (a, b) for a, b in r)))
          runs.clear()
          out.flush()
      def take(parts):
          body = parts[1:] if role == "ROUTER" else parts
          m, err = parse(body)
          if err:
              out.write("E %s %s\\n" % (name, err))
          else:
              note(m[0] + ("@" + m[2] if m[2] else ""), m[1])
          if role == "REP":
              try:
                  s.send_multipart(body + [via])
              except zmq.Again:
                  out.write("E %s could not reply within 200 ms\\n" % name)
      def drain():
          n = 0
          while n < 1000:
              try:
                  parts = s.recv_multipart(zmq.NOBLOCK)
              except zmq.Again:
                  break
              take(parts)
              n += 1
          report()
      def send(n):
          global seq
          first = seq
          for _ in range(n):
              try:
                  s.send_multipart(message(origin, seq))
              except zmq.Again:
                  break
              seq += 1
              if role == "DEALER" and seq % 16 == 0:
                  drain()
          if seq > first:
              out.write("S %s %d %d\\n" % (name, first, seq - 1))
          out.write("OK\\n")
          out.flush()
      poller = zmq.Poller()
      poller.register(s, zmq.POLLIN)
      poller.register(0, zmq.POLLIN)
      buf = b""
      while True:
          ready = dict(poller.poll(1000))
          if ready.get(s):
              drain()
          if ready.get(0):
              chunk = os.read(0, 65536)
              if not chunk:
                  break
              buf += chunk
              while b"\\n" in buf:
                  line, buf = buf.split(b"\\n", 1)
                  cmd = line.split()
                  if cmd[0] == b"SEND":
                      send(int(cmd[1]))
                  elif cmd[0] == b"LEAVE":
                      if role != "PUSH":
                          drain()
                      # a sender lingers so that what it queued is delivered (zmq_close + zmq_ctx_term)
                      s.close(5000 if role in ("PUSH", "DEALER") else 0)
                      ctx.term()
                      out.write("BYE\\n")
                      out.flush()
                      sys.exit(0)
      s.close(0)
      ctx.term()
      """;

  private static final Duration COMMAND_WAIT = Duration.ofSeconds(30);

  private final PyPeer py;
  private final Role role;
  private final boolean binds;
  private final String name;
  private final Ledger ledger;
  private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final Thread pump;
  private volatile String endpoint;

  private LibzmqPeer(PyPeer py, Role role, boolean binds, String name, Ledger ledger) {
    this.py = py;
    this.role = role;
    this.binds = binds;
    this.name = name;
    this.ledger = ledger;
    this.pump = new Thread(this::pump, "churn-pump-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts the process and waits until its socket is bound or connecting. */
  static LibzmqPeer start(Role role, boolean binds, String endpoint, String name, Ledger ledger, Duration wait) {
    PyPeer py = PyZmq.start(SCRIPT, role.name(), binds ? "bind" : "connect", endpoint, name);
    LibzmqPeer p = new LibzmqPeer(py, role, binds, name, ledger);
    String line = p.reply("ENDPOINT ", wait);
    if (line == null) {
      p.close();
      throw new AssertionError("libzmq peer " + name + " did not start within " + wait + "; stderr:\n" + py.stderr());
    }
    p.endpoint = line.substring("ENDPOINT ".length());
    return p;
  }

  private void pump() {
    while (!py.ended()) {
      String line = py.pollLine(Duration.ofMillis(200));
      if (line == null) continue;
      if (line.startsWith("R ")) {
        String[] f = line.split(" ");
        for (int i = 2; i < f.length; i++) {
          int dash = f[i].indexOf('-');
          ledger.received(name, f[1], Long.parseLong(f[i].substring(0, dash)), Long.parseLong(f[i].substring(dash + 1)));
        }
      } else if (line.startsWith("S ")) {
        String[] f = line.split(" ");
        ledger.sent(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]));
      } else if (line.startsWith("E ")) {
        ledger.violation(line.substring(2));
      } else {
        replies.add(line);
      }
    }
  }

  /** The next reply line starting with {@code prefix}; null if the process ended first or on timeout. */
  private String reply(String prefix, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      String line;
      try {
        line = replies.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      if (line == null) {
        if (!pump.isAlive()) return null;
      } else if (line.startsWith(prefix)) {
        return line;
      }
    }
    return null;
  }

  private boolean command(String line) {
    if (!pump.isAlive() || !py.isAlive()) return false;
    try {
      py.writeLine(line);
      return true;
    } catch (AssertionError gone) {
      return false; // killed meanwhile
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
    return command("SEND " + n) && reply("OK", COMMAND_WAIT) != null;
  }

  @Override
  public synchronized void leave() {
    if (!command("LEAVE") || reply("BYE", COMMAND_WAIT) == null) {
      throw new AssertionError("libzmq peer " + name + " did not leave; stderr:\n" + py.stderr());
    }
    py.waitFor(COMMAND_WAIT);
    awaitPump();
  }

  @Override
  public void kill() {
    py.kill();
    awaitPump();
  }

  @Override
  public void reconnect() {
    // libzmq reconnects tcp and ipc by itself
  }

  /** Everything it printed is in the ledger once the pump has seen stdout close. */
  private void awaitPump() {
    try {
      pump.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    py.close();
    awaitPump();
  }

  String stderr() {
    return py.stderr();
  }
}
