package io.pekkozmq.actors;

import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * libzmq as a {@link PeerDriver}: one python process (pyzmq, see {@link PyZmq}) runs a command loop,
 * one line in and one line out per call, frames in hex; its sockets live in that process until
 * {@link #closeSockets}. ipc endpoints are paths in a temporary directory of the driver.
 */
final class LibzmqPeerDriver implements PeerDriver {
  /** One command a line: op name args...; answers OK [value], MSG frames, NONE, or ERR what. */
  private static final String SERVER = """
      import sys, threading, zmq
      """ + InteropStream.PYTHON + """
      ctx = zmq.Context()
      socks = {}
      def stream(s, send, count, ms):
          total = 0
          try:
              for i in range(count):
                  if send:
                      m = expected(i)
                      s.send_multipart(m)
                  else:
                      if not s.poll(ms):
                          print("DONE TIMEOUT after %d messages" % i, flush=True)
                          return
                      m = s.recv_multipart()
                      if m != expected(i):
                          print("DONE BAD message %d: %d frames, first %r" % (i, len(m), m[0][:20]), flush=True)
                          return
                  total += sum(len(p) for p in m)
              print("DONE OK %d %d" % (count, total), flush=True)
          except Exception as e:
              print("DONE ERR %r after %d bytes" % (e, total), flush=True)
      def frames(arg):
          return [bytes.fromhex(f[1:]) for f in arg.split(",")]
      def value(v):
          return bytes.fromhex(v[2:]) if v.startswith("b:") else int(v[2:])
      for line in sys.stdin:
          op, *args = line.split()
          try:
              if op == "socket":
                  s = ctx.socket(getattr(zmq, args[1]))
                  s.setsockopt(zmq.LINGER, 0)
                  s.setsockopt(zmq.SNDTIMEO, int(args[2]))
                  for o in args[3:]:
                      k, v = o.split("=", 1)
                      s.setsockopt(getattr(zmq, k), value(v))
                  socks[args[0]] = s
                  out = "OK"
              elif op == "bind":
                  s, ep = socks[args[0]], args[1]
                  if ep == "tcp":
                      ep = "tcp://127.0.0.1:%d" % s.bind_to_random_port("tcp://127.0.0.1")
                  else:
                      s.bind(ep)
                  out = "OK " + ep
              elif op == "connect":
                  for ep in args[1:]:
                      socks[args[0]].connect(ep)
                  out = "OK"
              elif op == "option":
                  socks[args[0]].setsockopt(getattr(zmq, args[1]), value(args[2]))
                  out = "OK"
              elif op == "send":
                  try:
                      socks[args[0]].send_multipart(frames(args[1]))
                      out = "OK"
                  except zmq.Again:
                      out = "NONE"
              elif op == "recv":
                  s, ms = socks[args[0]], int(args[1])
                  if ms == 0 and not s.poll(0):
                      out = "NONE"
                  elif ms > 0 and not s.poll(ms):
                      out = "NONE"
                  else:
                      out = "MSG " + ",".join("x" + f.hex() for f in s.recv_multipart())
              elif op == "stream":
                  s = socks[args[0]]
                  threading.Thread(target=stream, args=(s, args[1] == "send", int(args[2]), int(args[3])), daemon=True).start()
                  out = "OK"
              elif op == "close":
                  for s in socks.values():
                      s.close()
                  socks.clear()
                  out = "OK"
              else:
                  out = "ERR unknown op " + op
          except Exception as e:
              out = "ERR %s: %r" % (op, e)
          print(out, flush=True)
      ctx.destroy(linger=0)
      """;

  private final Duration wait;
  private final Path dir;
  private final PyPeer py;
  private int ipcPaths;

  private LibzmqPeerDriver(Duration wait, Path dir, PyPeer py) {
    this.wait = wait;
    this.dir = dir;
    this.py = py;
  }

  /** Requires libzmq ({@link PyZmq#requireLibzmq}: fails under CI=true when it is missing). */
  static LibzmqPeerDriver start(Duration wait) throws IOException {
    PyZmq.requireLibzmq();
    return new LibzmqPeerDriver(wait, Files.createTempDirectory("pzmq-peer"), PyZmq.start(SERVER));
  }

  @Override
  public String name() {
    return "libzmq";
  }

  @Override
  public boolean supports(String transport) {
    return transport.equals("tcp") || transport.equals("ipc");
  }

  @Override
  public void socket(String name, String type, Map<String, Object> options) {
    StringBuilder cmd = new StringBuilder("socket " + name + " " + type + " " + wait.toMillis());
    for (Map.Entry<String, Object> o : options.entrySet()) cmd.append(' ').append(o.getKey()).append('=').append(value(o.getValue()));
    call(cmd.toString());
  }

  @Override
  public String bind(String name, String transport) {
    String ep = transport.equals("tcp") ? "tcp" : "ipc://" + dir.resolve("peer-" + ++ipcPaths);
    return call("bind " + name + " " + ep).substring(3);
  }

  @Override
  public void connect(String name, List<ZSocket> ours, List<String> endpoints) {
    call("connect " + name + " " + String.join(" ", endpoints));
  }

  @Override
  public void option(String name, String option, byte[] value) {
    call("option " + name + " " + option + " " + value(value));
  }

  @Override
  public boolean send(String name, List<byte[]> frames) {
    StringBuilder cmd = new StringBuilder("send " + name + " ");
    for (int k = 0; k < frames.size(); k++) cmd.append(k == 0 ? "x" : ",x").append(HexFormat.of().formatHex(frames.get(k)));
    return call(cmd.toString()).equals("OK");
  }

  @Override
  public List<byte[]> recv(String name, Duration timeout) {
    String answer = call("recv " + name + " " + timeout.toMillis());
    if (answer.equals("NONE")) return null;
    List<byte[]> frames = new ArrayList<>();
    for (String f : answer.substring(4).split(",")) frames.add(HexFormat.of().parseHex(f.substring(1)));
    return frames;
  }

  @Override
  public CompletableFuture<String> stream(String name, boolean send, int count) {
    call("stream " + name + " " + (send ? "send" : "recv") + " " + count + " " + wait.toMillis());
    // nothing else is asked of the peer until the stream is done, so its next line is the verdict
    return CompletableFuture.supplyAsync(() -> py.awaitLine("DONE ", wait.multipliedBy(4)).substring(5));
  }

  @Override
  public void closeSockets() {
    call("close");
  }

  @Override
  public void close() {
    py.close();
  }

  private static String value(Object v) {
    if (v instanceof byte[] b) return "b:" + HexFormat.of().formatHex(b);
    if (v instanceof Boolean b) return "i:" + (b ? 1 : 0);
    return "i:" + v;
  }

  /** One command and its answer; an ERR, or no answer within the wait and a margin, fails the test. */
  private String call(String cmd) {
    py.writeLine(cmd);
    String answer = py.readLine(wait.plusSeconds(10));
    if (answer.startsWith("ERR")) throw new AssertionError("libzmq peer: " + answer + "\n" + py.stderr());
    return answer;
  }
}
