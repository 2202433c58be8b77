package io.pekkozmq.actors;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.zeromq.ZMQ;

/**
 * JeroMQ 0.6.0 (ZMTP 3.0) as a {@link PeerDriver}, in this JVM; its sockets are used by the test
 * thread only. A socket that connects goes through {@link JeromqConnect}, which replaces one that
 * never starts its handshake (a JeroMQ fault), so each socket's type and options are kept to make
 * its replacement the same.
 */
final class JeromqPeerDriver implements PeerDriver {
  /** A socket's type and every option set on it, in order (SUBSCRIBE may come more than once). */
  private record Spec(String type, List<Map.Entry<String, Object>> options) {}

  private final Duration wait;
  private final ZContext ours;
  private final org.zeromq.ZContext jeromq = new org.zeromq.ZContext();
  private final Map<String, Spec> specs = new LinkedHashMap<>();
  private final Map<String, ZMQ.Socket> sockets = new LinkedHashMap<>();

  /** {@code ours} is the context of our sockets, whose events {@link JeromqConnect} watches. */
  JeromqPeerDriver(ZContext ours, Duration wait) {
    this.ours = ours;
    this.wait = wait;
  }

  @Override
  public String name() {
    return "jeromq";
  }

  @Override
  public boolean supports(String transport) {
    return transport.equals("tcp");
  }

  @Override
  public void socket(String name, String type, Map<String, Object> options) {
    Spec spec = new Spec(type, new ArrayList<>(options.entrySet()));
    specs.put(name, spec);
    sockets.put(name, open(spec));
  }

  private ZMQ.Socket open(Spec spec) {
    ZMQ.Socket s = jeromq.createSocket(org.zeromq.SocketType.valueOf(spec.type()));
    s.setLinger(0);
    s.setSendTimeOut((int) wait.toMillis());
    for (Map.Entry<String, Object> o : spec.options()) set(s, o.getKey(), o.getValue());
    return s;
  }

  private static void set(ZMQ.Socket s, String option, Object v) {
    switch (option) {
      case "LINGER" -> s.setLinger((Integer) v);
      case "ROUTING_ID" -> s.setIdentity((byte[]) v);
      case "CONNECT_ROUTING_ID" -> s.setConnectRid((byte[]) v);
      case "ROUTER_MANDATORY" -> s.setRouterMandatory((Boolean) v);
      case "SUBSCRIBE" -> s.subscribe((byte[]) v);
      case "UNSUBSCRIBE" -> s.unsubscribe((byte[]) v);
      default -> throw new IllegalArgumentException("the JeroMQ driver does not know option " + option);
    }
  }

  @Override
  public String bind(String name, String transport) {
    if (!supports(transport)) throw new IllegalArgumentException("JeroMQ cannot meet us over " + transport);
    return "tcp://127.0.0.1:" + sockets.get(name).bindToRandomPort("tcp://127.0.0.1");
  }

  @Override
  public void connect(String name, List<ZSocket> ours, List<String> endpoints) {
    ZMQ.Socket first = sockets.remove(name);
    Spec spec = specs.get(name);
    boolean[] firstUsed = {false};
    ZMQ.Socket connected;
    try {
      connected = JeromqConnect.connect(this.ours, jeromq, ours, endpoints, () -> {
        if (firstUsed[0]) return open(spec);
        firstUsed[0] = true;
        return first;
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while connecting JeroMQ to " + endpoints, e);
    }
    sockets.put(name, connected);
  }

  @Override
  public void option(String name, String option, byte[] value) {
    specs.get(name).options().add(Map.entry(option, value)); // a replacement (see connect) gets it too
    set(sockets.get(name), option, value);
  }

  @Override
  public boolean send(String name, List<byte[]> frames) {
    return JeromqPeers.send(sockets.get(name), frames);
  }

  @Override
  public List<byte[]> recv(String name, Duration timeout) {
    ZMQ.Socket s = sockets.get(name);
    if (timeout.isZero()) {
      byte[] b = s.recv(ZMQ.DONTWAIT);
      if (b == null) return null;
      List<byte[]> parts = new ArrayList<>(List.of(b));
      while (s.hasReceiveMore()) parts.add(s.recv());
      return parts;
    }
    s.setReceiveTimeOut((int) timeout.toMillis());
    return JeromqPeers.recv(s);
  }

  @Override
  public CompletableFuture<String> stream(String name, boolean send, int count) {
    ZMQ.Socket s = sockets.get(name);
    s.setReceiveTimeOut((int) wait.toMillis());
    return CompletableFuture.supplyAsync(() -> {
      long total = 0;
      for (int i = 0; i < count; i++) {
        List<byte[]> m;
        if (send) {
          m = List.of(InteropStream.parts(i));
          if (!JeromqPeers.send(s, m)) return "TIMEOUT sending message " + i;
        } else {
          m = JeromqPeers.recv(s);
          if (m == null) return "TIMEOUT after " + i + " messages";
          String bad = InteropStream.mismatch(i, Msg.of(m.stream().map(Frame::wrap).toArray(Frame[]::new)));
          if (bad != null) return "BAD " + bad;
        }
        for (byte[] p : m) total += p.length;
      }
      return "OK " + count + " " + total;
    });
  }

  @Override
  public void closeSockets() {
    sockets.values().forEach(jeromq::destroySocket);
    sockets.clear();
    specs.clear();
  }

  @Override
  public void close() {
    closeSockets();
    jeromq.close();
  }
}
