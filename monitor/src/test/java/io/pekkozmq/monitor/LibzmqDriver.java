package io.pekkozmq.monitor;

import static org.junit.jupiter.api.Assertions.fail;

import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Real libzmq sockets in one python process, driven line by line: create, set options, bind,
 * connect, send, receive, close, and read the events of a socket monitored through
 * {@code zmq_socket_monitor} (event version 1, the only one pyzmq's non-draft libzmq has). Every
 * command answers one line (or event lines then END); errors answer {@code ERR errno text}.
 */
final class LibzmqDriver implements EventDriver, AutoCloseable {
  private static final Duration ANSWER = Duration.ofSeconds(30);

  private static final String SCRIPT = """
      import sys, struct, time, zmq
      ctx = zmq.Context()
      socks, mons = {}, {}
      def out(line):
          sys.stdout.write(line + "\\n"); sys.stdout.flush()
      for line in sys.stdin:
          a = line.split()
          if not a: continue
          cmd = a[0]
          try:
              if cmd == "socket":
                  s = ctx.socket(getattr(zmq, a[2])); s.setsockopt(zmq.LINGER, 0); socks[a[1]] = s; out("OK")
              elif cmd == "opt":
                  socks[a[1]].setsockopt(getattr(zmq, a[2]), int(a[3])); out("OK")
              elif cmd == "optstr":
                  socks[a[1]].setsockopt(getattr(zmq, a[2]), a[3].encode()); out("OK")
              elif cmd == "monitor":
                  name = "inproc://mon-" + a[1]
                  socks[a[1]].monitor(name, int(a[2]) if len(a) > 2 else zmq.EVENT_ALL)
                  m = ctx.socket(zmq.PAIR); m.setsockopt(zmq.LINGER, 0); m.connect(name); mons[a[1]] = m; out("OK")
              elif cmd == "bind":
                  s = socks[a[1]]; s.bind(a[2]); out("OK " + s.getsockopt(zmq.LAST_ENDPOINT).decode())
              elif cmd == "connect":
                  socks[a[1]].connect(a[2]); out("OK")
              elif cmd == "send":
                  socks[a[1]].send(a[2].encode()); out("OK")
              elif cmd == "recv":
                  s = socks[a[1]]
                  if s.poll(int(a[2])): out("OK " + s.recv().decode())
                  else: out("ERR 11 nothing received")
              elif cmd == "close":
                  socks.pop(a[1]).close(int(a[2]) if len(a) > 2 else 0); out("OK")
              elif cmd == "events" or cmd == "rawevents":
                  m, n, until = mons[a[1]], int(a[2]), time.time() + int(a[3]) / 1000.0
                  stop = a[4] if len(a) > 4 else None
                  got = 0
                  while got < n:
                      left = int((until - time.time()) * 1000)
                      if left <= 0 or not m.poll(left): break
                      f = m.recv_multipart()
                      got += 1
                      ev, val = struct.unpack("<HI", f[0])
                      if cmd == "rawevents":
                          out("RAW " + " ".join(x.hex() if x else "-" for x in f))
                      else:
                          out("EV %d %d %s" % (ev, val, f[1].decode() if f[1] else "-"))
                      if stop is not None and ev == int(stop): break
                  out("END")
              elif cmd == "unmonitor":
                  mons.pop(a[1]).close(0); out("OK")
              else:
                  out("ERR 22 unknown command " + cmd)
          except zmq.ZMQError as e:
              out("ERR %d %s" % (e.errno, e))
      for m in mons.values(): m.close(0)
      for s in socks.values(): s.close(0)
      ctx.term()
      """;

  private final PyPeer py;

  LibzmqDriver() {
    PyZmq.requireLibzmq();
    py = PyZmq.start(SCRIPT);
  }

  /** Sends one command and returns its answer (the text after OK); fails the test on ERR. */
  String call(String command) {
    py.writeLine(command);
    String line = py.readLine(ANSWER);
    if (line.startsWith("ERR")) fail("libzmq refused '" + command + "': " + line);
    if (!line.startsWith("OK")) fail("unexpected answer to '" + command + "': " + line);
    return line.length() > 3 ? line.substring(3) : "";
  }

  /** Sends one command expected to fail; returns the errno. */
  int callFailing(String command) {
    py.writeLine(command);
    String line = py.readLine(ANSWER);
    if (!line.startsWith("ERR ")) fail("libzmq accepted '" + command + "': " + line);
    return Integer.parseInt(line.split(" ")[1]);
  }

  @Override
  public void socket(String name, String type) {
    call("socket " + name + " " + type);
  }

  @Override
  public void option(String name, String option, long value) {
    call("opt " + name + " " + option + " " + value);
  }

  void stringOption(String name, String option, String value) {
    call("optstr " + name + " " + option + " " + value);
  }

  @Override
  public void monitor(String name) {
    call("monitor " + name);
  }

  @Override
  public String bind(String name, String endpoint) {
    return call("bind " + name + " " + endpoint);
  }

  @Override
  public int bindFailing(String name, String endpoint) {
    return callFailing("bind " + name + " " + endpoint);
  }

  @Override
  public void connect(String name, String endpoint) {
    call("connect " + name + " " + endpoint);
  }

  @Override
  public void send(String name, String text) {
    call("send " + name + " " + text);
  }

  @Override
  public String recv(String name, Duration timeout) {
    return call("recv " + name + " " + timeout.toMillis());
  }

  @Override
  public void close(String name) {
    call("close " + name);
  }

  @Override
  public List<Ev> events(String name, int max, Duration timeout, int stopAt) {
    py.writeLine("events " + name + " " + max + " " + timeout.toMillis() + (stopAt > 0 ? " " + stopAt : ""));
    List<Ev> evs = new ArrayList<>();
    while (true) {
      String line = py.readLine(timeout.plus(ANSWER));
      if (line.equals("END")) return evs;
      if (!line.startsWith("EV ")) fail("unexpected line while reading events: " + line);
      String[] p = line.split(" ", 4);
      evs.add(new Ev(Integer.parseInt(p[1]), Long.parseLong(p[2]), p[3].equals("-") ? "" : p[3]));
    }
  }

  /** The frames of up to {@code max} monitor messages, as libzmq wrote them. */
  List<List<byte[]>> rawEvents(String name, int max, Duration timeout) {
    py.writeLine("rawevents " + name + " " + max + " " + timeout.toMillis());
    List<List<byte[]>> msgs = new ArrayList<>();
    while (true) {
      String line = py.readLine(timeout.plus(ANSWER));
      if (line.equals("END")) return msgs;
      if (!line.startsWith("RAW ")) fail("unexpected line while reading events: " + line);
      List<byte[]> frames = new ArrayList<>();
      for (String hex : line.substring(4).split(" ")) frames.add(hex.equals("-") ? new byte[0] : HexFormat.of().parseHex(hex));
      msgs.add(frames);
    }
  }

  @Override
  public void close() {
    py.close();
  }
}
