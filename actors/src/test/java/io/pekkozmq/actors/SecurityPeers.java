package io.pekkozmq.actors;

import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyScripts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A libzmq DEALER with security options (pyzmq), for the security interop tests: it echoes every
 * message back, prints the first message's properties and its monitor's events, and can run
 * pyzmq's {@code ThreadAuthenticator} in its context.
 */
final class SecurityPeers {
  private SecurityPeers() {}

  /**
   * argv: mode ("bind"/"connect"), endpoint ({@link LibzmqPeers#join} gives both), then a JSON
   * object: opts (option name to int or string),
   * count (messages to echo), auth (null, or allow/deny address lists, plain {user: password},
   * curve "*" or a certificate directory), until (a monitor event name to wait for), timeout_ms.
   * Prints "ENDPOINT ep", "PROPS user-id|peer-address" for the first message, "EVENT name value" for
   * every monitor event, and "ECHOED n" at the end.
   */
  static final String PEER = PyScripts.BIND_OR_CONNECT + """
      import sys, json, time, zmq
      from zmq.utils.monitor import recv_monitor_message
      mode, ep, cfg = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
      ctx = zmq.Context()
      auth = None
      a = cfg.get("auth")
      if a is not None:
          from zmq.auth.thread import ThreadAuthenticator
          auth = ThreadAuthenticator(ctx)
          auth.start()
          if a.get("allow"):
              auth.allow(*a["allow"])
          if a.get("deny"):
              auth.deny(*a["deny"])
          if a.get("plain") is not None:
              auth.configure_plain(domain="*", passwords=a["plain"])
          if a.get("curve") is not None:
              auth.configure_curve(domain="*", location=zmq.auth.CURVE_ALLOW_ANY if a["curve"] == "*" else a["curve"])
      s = ctx.socket(zmq.DEALER)
      s.setsockopt(zmq.LINGER, 5000)
      for name, value in cfg.get("opts", {}).items():
          s.setsockopt(getattr(zmq, name), value.encode() if isinstance(value, str) else value)
      mon = s.get_monitor_socket()
      bind_or_connect(s, mode, ep)
      names = {getattr(zmq, n): n[6:] for n in dir(zmq) if n.startswith("EVENT_") and n not in ("EVENT_ALL",)}
      poller = zmq.Poller()
      poller.register(s, zmq.POLLIN)
      poller.register(mon, zmq.POLLIN)
      count, until = cfg.get("count", 0), cfg.get("until")
      deadline = time.time() + cfg.get("timeout_ms", 20000) / 1000.0
      echoed, seen = 0, set()
      while time.time() < deadline and (echoed < count or (until is not None and until not in seen)):
          ready = dict(poller.poll(100))
          if mon in ready:
              e = recv_monitor_message(mon)
              name = names.get(e["event"], str(e["event"]))
              seen.add(name)
              print("EVENT %s %d" % (name, e["value"]), flush=True)
          if s in ready:
              m = s.recv_multipart(copy=False)
              if echoed == 0:
                  def prop(p):
                      try:
                          return m[0].get(p)
                      except Exception:
                          return "-"
                  print("PROPS %s|%s" % (prop("User-Id"), prop("Peer-Address")), flush=True)
              s.send_multipart([f.bytes for f in m])
              echoed += 1
      print("ECHOED %d" % echoed, flush=True)
      s.close(linger=5000)
      mon.close()
      if auth is not None:
          auth.stop()
      ctx.term()
      """;

  /** The JSON for {@link #PEER}: built as ordered maps and lists of strings, numbers and maps. */
  static String json(Object o) {
    if (o == null) return "null";
    if (o instanceof String s) {
      StringBuilder b = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        if (c == '"' || c == '\\') b.append('\\').append(c);
        else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
        else b.append(c);
      }
      return b.append('"').toString();
    }
    if (o instanceof Number || o instanceof Boolean) return o.toString();
    if (o instanceof Map<?, ?> m) {
      List<String> parts = new ArrayList<>();
      m.forEach((k, v) -> parts.add(json(k.toString()) + ":" + json(v)));
      return "{" + String.join(",", parts) + "}";
    }
    if (o instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      l.forEach(v -> parts.add(json(v)));
      return "[" + String.join(",", parts) + "]";
    }
    throw new IllegalArgumentException("no JSON for " + o.getClass());
  }

  /** An ordered map from alternating keys and values. */
  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  /** Waits for the peer's line starting with {@code prefix} and returns the rest. */
  static String await(PyPeer py, String prefix, Duration wait) {
    return py.awaitLine(prefix, wait).substring(prefix.length());
  }
}
