package io.pekkozmq.samples.seeds;

import io.pekkozmq.actors.Socket;
import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.monitor.MonitorEvent;
import io.pekkozmq.monitor.MonitorEventReader;
import io.pekkozmq.monitor.ZMonitor;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Seed 000's program (zmq_socket_monitor_versioned's reference example) with actors: a DEALER
 * client and a DEALER server over tcp, each watched by a libzmq-format v2 monitor socket; a bounce;
 * both closed with zero linger; then the events each monitor reported, checked against the order
 * libzmq 4.3 gives and printed.
 *
 * <p>The actors: the sockets themselves; a bouncer that receives on the server through the typed
 * API and sends every message back; and one collector per monitor, which reads its PAIR socket
 * through the typed API and decodes each message as seed 000's {@code get_monitor_event} does.
 */
public final class MonitorBounce {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CONTENT = "12345678ABCDEFGH12345678abcdefgh";
  private static final AtomicInteger NAMES = new AtomicInteger();

  /** The event names each monitor saw, in order. */
  public record Result(List<EventType> client, List<EventType> server) {}

  private MonitorBounce() {}

  public static Result run(ZContext ctx, PrintStream out) throws Exception {
    ZSocket client = ctx.socket(SocketType.DEALER);
    ZSocket server = ctx.socket(SocketType.DEALER);

    // socket monitoring only works over inproc://
    try {
      ZMonitor.monitor(client, "tcp://127.0.0.1:9999", 0, 2, SocketType.PAIR);
      throw new IllegalStateException("a tcp:// monitor endpoint was accepted");
    } catch (ZmqException e) {
      if (e.errno() != Errno.EPROTONOSUPPORT) throw e;
      say(out, "monitor on tcp:// refused: " + e.errno() + " (" + e.errno().text() + ")");
    }

    // monitor all events on client and server sockets, event version 2
    String tag = "-" + NAMES.incrementAndGet();
    ZMonitor.monitor(client, "inproc://monitor-client" + tag, EventType.ALL_V1, 2, SocketType.PAIR);
    ZMonitor.monitor(server, "inproc://monitor-server" + tag, EventType.ALL_V1, 2, SocketType.PAIR);

    // two sockets collecting monitor events, connected to the inproc endpoints
    CompletableFuture<List<MonitorEvent>> clientEvents = collect(ctx, "inproc://monitor-client" + tag, "client");
    CompletableFuture<List<MonitorEvent>> serverEvents = collect(ctx, "inproc://monitor-server" + tag, "server");

    // a basic ping test
    String ep = server.bind("tcp://127.0.0.1:*");
    say(out, "server bound to " + ep);
    ctx.system().systemActorOf(bouncer(server.actor()), "seed-bouncer" + tag, Props.empty());
    client.connect(ep);
    client.send(Msg.ofStrings(CONTENT, CONTENT));
    Msg back = client.recv(WAIT);
    if (back == null || back.size() != 2 || !back.frame(1).text().equals(CONTENT)) {
      throw new IllegalStateException("the bounce did not come back: " + back);
    }
    say(out, "bounce: 2 frames of " + CONTENT.length() + " bytes there and back");

    // close client and server
    closeZeroLinger(client);
    closeZeroLinger(server);

    // now the events from both sockets
    List<EventType> c = types(clientEvents.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    List<EventType> s = types(serverEvents.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    say(out, "client events: " + c);
    say(out, "server events: " + s);
    checkClient(c);
    checkServer(s);
    say(out, "event order as libzmq 4.3 gives it: ok");
    return new Result(c, s);
  }

  /**
   * Client: CONNECT_DELAYED (if the connect did not complete at once), CONNECTED,
   * HANDSHAKE_SUCCEEDED, MONITOR_STOPPED.
   */
  static void checkClient(List<EventType> events) {
    List<EventType> e = new ArrayList<>(events);
    if (!e.isEmpty() && e.get(0) == EventType.CONNECT_DELAYED) e.remove(0);
    expect(List.of(EventType.CONNECTED, EventType.HANDSHAKE_SUCCEEDED, EventType.MONITOR_STOPPED), e, "client", events);
  }

  /**
   * Server: LISTENING, ACCEPTED, HANDSHAKE_SUCCEEDED, then CLOSED (the listener), then
   * MONITOR_STOPPED. The server may first see the client's connection go (DISCONNECTED) when the
   * client's close reaches it before its own: libzmq's test_monitor allows the same.
   */
  static void checkServer(List<EventType> events) {
    List<EventType> e = new ArrayList<>(events);
    e.remove(EventType.DISCONNECTED);
    expect(List.of(EventType.LISTENING, EventType.ACCEPTED, EventType.HANDSHAKE_SUCCEEDED, EventType.CLOSED,
        EventType.MONITOR_STOPPED), e, "server", events);
  }

  private static void expect(List<EventType> expected, List<EventType> actual, String who, List<EventType> all) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException(who + " events " + all + " are not in libzmq's order " + expected);
    }
  }

  private static List<EventType> types(List<MonitorEvent> events) {
    return events.stream().map(MonitorEvent::type).toList();
  }

  /**
   * libzmq's close hands the socket to its reaper, which has taken the connections down long
   * before the next line's close reaches the peer; our close is a message to the socket actor, so
   * wait for it, or the client might first see the server's close as a lost connection.
   */
  private static void closeZeroLinger(ZSocket s) {
    s.setOption(ZmqOption.LINGER, 0);
    if (!s.closeAndWait(WAIT)) throw new IllegalStateException(s.type() + " socket did not close within " + WAIT);
  }

  private static void say(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  // ---- the actors -------------------------------------------------------------------------------

  /** Receives on the server through the typed API and sends each message back. */
  private static Behavior<Socket.Delivery> bouncer(ActorRef<Socket.Command> server) {
    return Behaviors.setup(ctx -> {
      server.tell(new Socket.StartReceiving(ctx.getSelf(), 1));
      return Behaviors.receiveMessage(d -> {
        for (Msg m : d.messages()) server.tell(new Socket.Send(m, null));
        server.tell(new Socket.Request(d.messages().size()));
        return Behaviors.same();
      });
    });
  }

  /**
   * A PAIR connected to a monitor endpoint, read by an actor; completes with the events up to
   * MONITOR_STOPPED, decoded as seed 000's get_monitor_event does.
   */
  private static CompletableFuture<List<MonitorEvent>> collect(ZContext ctx, String endpoint, String name) {
    ZSocket pair = ctx.socket(SocketType.PAIR);
    pair.connect(endpoint);
    CompletableFuture<List<MonitorEvent>> done = new CompletableFuture<>();
    ctx.system().systemActorOf(Behaviors.<Socket.Delivery>setup(c -> {
      List<MonitorEvent> seen = new ArrayList<>();
      pair.actor().tell(new Socket.StartReceiving(c.getSelf(), 16));
      return Behaviors.receiveMessage(d -> {
        for (Msg m : d.messages()) {
          MonitorEvent e = MonitorEventReader.decode(m, 2);
          seen.add(e);
          if (e.type() == EventType.MONITOR_STOPPED) {
            pair.close();
            done.complete(seen);
            return Behaviors.stopped();
          }
        }
        pair.actor().tell(new Socket.Request(d.messages().size()));
        return Behaviors.same();
      });
    }), "seed-monitor-" + name + "-" + NAMES.incrementAndGet(), Props.empty());
    return done;
  }
}
