package io.pekkozmq.monitor;

import static org.junit.jupiter.api.Assertions.fail;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** The scenario operations on pekko-zmq sockets; monitors are typed subscribers feeding a queue. */
final class OurDriver implements EventDriver {
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final ZContext ctx;
  private final Map<String, ZSocket> sockets = new HashMap<>();
  private final Map<String, LinkedBlockingQueue<SocketEvent>> monitors = new HashMap<>();

  OurDriver(ZContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void socket(String name, String type) {
    ZSocket s = ctx.socket(SocketType.valueOf(type));
    s.setOption(ZmqOption.LINGER, 0);
    sockets.put(name, s);
  }

  @Override
  public void option(String name, String option, long value) {
    ZmqOption o = ZmqOption.valueOf(option);
    sockets.get(name).setOption(o, o.valueType() == Long.class ? (Object) value : (Object) (int) value);
  }

  @Override
  public void monitor(String name) {
    LinkedBlockingQueue<SocketEvent> q = new LinkedBlockingQueue<>();
    var ref = ctx.system().systemActorOf(Behaviors.receive(SocketEvent.class)
        .onMessage(SocketEvent.class, e -> {
          q.add(e);
          return Behaviors.same();
        }).build(), "driver-events-" + NAMES.incrementAndGet(), Props.empty());
    monitors.put(name, q);
    sockets.get(name).monitor(ref, EventType.ALL_V1);
  }

  @Override
  public String bind(String name, String endpoint) {
    return sockets.get(name).bind(endpoint);
  }

  @Override
  public int bindFailing(String name, String endpoint) {
    try {
      sockets.get(name).bind(endpoint);
    } catch (ZmqException e) {
      return e.errno().code();
    }
    fail("bind to " + endpoint + " succeeded");
    return 0;
  }

  @Override
  public void connect(String name, String endpoint) {
    sockets.get(name).connect(endpoint);
  }

  @Override
  public void send(String name, String text) {
    sockets.get(name).send(text);
  }

  @Override
  public String recv(String name, Duration timeout) {
    Msg m = sockets.get(name).recv(timeout);
    if (m == null) fail("nothing received on " + name + " within " + timeout);
    return m.first().text();
  }

  @Override
  public void close(String name) {
    sockets.remove(name).close();
  }

  @Override
  public List<Ev> events(String name, int max, Duration timeout, int stopAt) {
    LinkedBlockingQueue<SocketEvent> q = monitors.get(name);
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Ev> out = new ArrayList<>();
    while (out.size() < max) {
      SocketEvent e;
      try {
        e = q.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", ie);
      }
      if (e == null) break;
      out.add(new Ev(e.type().value(), e.value(), e.endpoint()));
      if (e.type().value() == stopAt) break;
    }
    return out;
  }
}
