package io.pekkozmq.samples.seeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/** The two seed programs: they run, and show the event order libzmq shows. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedProgramsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private ZContext ctx;

  @BeforeAll
  void start() {
    ctx = new ZContext();
  }

  @AfterAll
  void stop() {
    ctx.close();
  }

  // ---- seed 000 ---------------------------------------------------------------------------------

  /** Seed 000's program on real libzmq (event version 1: pyzmq's libzmq has no draft API). */
  private static final String SEED_000_ON_LIBZMQ = """
      import struct, zmq
      ctx = zmq.Context()
      client = ctx.socket(zmq.DEALER); server = ctx.socket(zmq.DEALER)
      try:
          client.monitor("tcp://127.0.0.1:9999", 0)
          print("ACCEPTED-TCP")
      except zmq.ZMQError as e:
          print("REFUSED %d" % e.errno)
      client.monitor("inproc://monitor-client", zmq.EVENT_ALL)
      server.monitor("inproc://monitor-server", zmq.EVENT_ALL)
      cm = ctx.socket(zmq.PAIR); cm.connect("inproc://monitor-client")
      sm = ctx.socket(zmq.PAIR); sm.connect("inproc://monitor-server")
      port = server.bind_to_random_port("tcp://127.0.0.1")
      client.connect("tcp://127.0.0.1:%d" % port)
      c = b"12345678ABCDEFGH12345678abcdefgh"
      client.send_multipart([c, c]); server.send_multipart(server.recv_multipart()); client.recv_multipart()
      client.close(0); server.close(0)
      names = {getattr(zmq, n): n[6:] for n in dir(zmq)
               if n.startswith("EVENT_") and not n.startswith("EVENT_ALL")}
      def events(m):
          out = []
          while True:
              ev, _ = struct.unpack("<HI", m.recv_multipart()[0])
              out.append(names[ev])
              if ev == zmq.EVENT_MONITOR_STOPPED: return out
      print("CLIENT " + " ".join(events(cm)))
      print("SERVER " + " ".join(events(sm)))
      cm.close(0); sm.close(0); ctx.term()
      """;

  /** What may differ between two runs of seed 000, on either library: the optional events. */
  private static List<String> canonical(List<String> names) {
    List<String> out = new ArrayList<>(names);
    if (!out.isEmpty() && out.get(0).equals("CONNECT_DELAYED")) out.remove(0);
    out.remove("DISCONNECTED");
    return out;
  }

  @Test
  void seed000ShowsTheEventOrderLibzmqShows() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    MonitorBounce.Result ours = MonitorBounce.run(ctx, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String printed = buf.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("monitor on tcp:// refused: EPROTONOSUPPORT"), printed);
    assertTrue(printed.contains("event order as libzmq 4.3 gives it: ok"), printed);
    assertEquals(EventType.MONITOR_STOPPED, ours.client().get(ours.client().size() - 1));

    PyZmq.requireLibzmq();
    try (PyPeer py = PyZmq.start(SEED_000_ON_LIBZMQ)) {
      assertEquals("REFUSED 93", py.readLine(WAIT), "libzmq refuses a tcp:// monitor with EPROTONOSUPPORT too");
      List<String> client = Arrays.asList(py.awaitLine("CLIENT ", WAIT).substring(7).split(" "));
      List<String> server = Arrays.asList(py.awaitLine("SERVER ", WAIT).substring(7).split(" "));
      System.out.println("seed 000 on libzmq: client " + client + ", server " + server + "\n  ours: " + ours);
      assertEquals(canonical(client), canonical(ours.client().stream().map(Enum::name).toList()), "client");
      assertEquals(canonical(server), canonical(ours.server().stream().map(Enum::name).toList()), "server");
    }
  }

  @Test
  void seed000sOrderCheckRejectsAnOrderLibzmqWouldNotGive() {
    assertThrows(IllegalStateException.class, () -> MonitorBounce.checkServer(List.of(EventType.LISTENING,
        EventType.ACCEPTED, EventType.CLOSED, EventType.HANDSHAKE_SUCCEEDED, EventType.MONITOR_STOPPED)));
    assertThrows(IllegalStateException.class, () -> MonitorBounce.checkClient(List.of(EventType.CONNECTED,
        EventType.HANDSHAKE_SUCCEEDED, EventType.DISCONNECTED, EventType.MONITOR_STOPPED)));
    MonitorBounce.checkServer(List.of(EventType.LISTENING, EventType.ACCEPTED, EventType.HANDSHAKE_SUCCEEDED,
        EventType.DISCONNECTED, EventType.CLOSED, EventType.MONITOR_STOPPED));
  }

  @Test
  void pzmqMonitorBounceExitsZero() {
    assertEquals(0, new CommandLine(new MonitorBounceCommand()).execute());
  }

  // ---- seed 001 ---------------------------------------------------------------------------------

  @Test
  void seed001SpreadsTheMessagesOverFourConsumersAndQuitsEachOfThem() throws Exception {
    int n = 12;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ProducerConsumers.Result r = ProducerConsumers.run(ctx, n, Duration.ofMillis(20),
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    String printed = buf.toString(StandardCharsets.UTF_8);
    System.out.print(printed);

    List<String> data = r.sent().stream().filter(m -> m.startsWith("Data-")).toList();
    assertEquals(n, data.size());
    List<String> delivered = new ArrayList<>();
    assertEquals(ProducerConsumers.CONSUMERS, r.received().size());
    for (Map.Entry<Integer, List<String>> e : r.received().entrySet()) {
      List<String> got = e.getValue();
      assertEquals("Quit", got.get(got.size() - 1), "consumer " + e.getKey() + " left on Quit: " + got);
      List<String> mine = got.subList(0, got.size() - 1);
      assertTrue(mine.size() >= 1, "PUSH balances over all four; consumer " + e.getKey() + " got none: " + r.received());
      assertEquals(mine.stream().sorted().toList(), mine, "each consumer gets its share in order");
      delivered.addAll(mine);
    }
    assertEquals(data, delivered.stream().sorted().toList(), "every message reached exactly one consumer");

    // the monitor drove it: four ACCEPTED before the first send, four DISCONNECTED, then the end
    List<EventType> ev = r.producerEvents();
    assertEquals(ProducerConsumers.CONSUMERS, ev.stream().filter(t -> t == EventType.ACCEPTED).count(), ev.toString());
    assertEquals(ProducerConsumers.CONSUMERS, ev.stream().filter(t -> t == EventType.DISCONNECTED).count(), ev.toString());
    assertEquals(EventType.MONITOR_STOPPED, ev.get(ev.size() - 1));
    int lastAccepted = printed.lastIndexOf("Producer accepted");
    assertTrue(lastAccepted >= 0 && lastAccepted < printed.indexOf("Producer 0 send: Data-000-000"), printed);
    assertTrue(printed.indexOf("Producer 0 stop") > printed.lastIndexOf("Consumer"), "the producer stops last");
  }

  @Test
  void pzmqProducerConsumersExitsZeroAndRefusesANegativeCount() {
    assertEquals(0, new CommandLine(new ProducerConsumersCommand()).execute("--messages", "4", "--interval", "10"));
    assertEquals(2, new CommandLine(new ProducerConsumersCommand()).execute("--messages", "-1"));
  }
}
