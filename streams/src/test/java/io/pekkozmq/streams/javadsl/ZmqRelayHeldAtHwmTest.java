package io.pekkozmq.streams.javadsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.streams.ZmqControl;
import io.pekkozmq.streams.ZmqSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shape of {@code pzmq relay} with no consumer, in one JVM and with tiny HWMs so that every
 * pipe on the path flips between full and empty all the time: a PUSH floods a ZmqSource (PULL) that
 * feeds a ZmqSink (PUSH) nobody is connected to, until the sender is held; then a consumer connects
 * and everything must arrive, in order. A wake-up lost anywhere on the way (the sender's pipe, the
 * relay's inbound pipe and engine, the source's read watch, the sink's write watch, the relay's
 * outbound pipe and engine) leaves messages behind for good, which the bounded receive reports
 * with the index it stopped at.
 *
 * <p>What it caught: {@code take(n)} completes the sink's upstream right after the last message,
 * and when that message found the socket at SNDHWM the sink held it while Pekko, seeing all the
 * sink's ports closed, stopped the stage and the message was lost. The tests after it pin that
 * down for the sink and the flow, without depending on a race.
 */
class ZmqRelayHeldAtHwmTest extends StagesPerClass {
  /** A lost wake-up never recovers; a healthy relay moves each message in well under this. */
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final int SIZE = 8 * 1024;

  /** One frame of SIZE bytes that starts with its index, as the CLI test's libzmq sender sends. */
  private static Msg msg(int i) {
    byte[] body = new byte[SIZE];
    ByteBuffer.wrap(body).putInt(i);
    return Msg.of(Frame.wrap(body));
  }

  private static int indexOf(Msg m) {
    return ByteBuffer.wrap(m.first().array(), m.first().offset(), m.first().size()).getInt();
  }

  @ParameterizedTest(name = "{0}, HWM {1}, {2} rounds")
  @CsvSource({"tcp, 1, 3", "tcp, 2, 3", "tcp, 5, 3", "inproc, 1, 3", "inproc, 2, 3"})
  void aRelayHeldAtHighWaterMarkDeliversEverythingOnceAConsumerConnects(String transport, int hwm, int rounds)
      throws Exception {
    for (int round = 0; round < rounds; round++) {
      relayRound(transport, hwm, 3_000, transport + "-" + hwm + "-" + round);
    }
  }

  private void relayRound(String transport, int hwm, int total, String name) throws Exception {
    String fromEp = transport.equals("tcp") ? "tcp://127.0.0.1:*" : "inproc://from-" + name;
    String toEp = transport.equals("tcp") ? "tcp://127.0.0.1:*" : "inproc://to-" + name;
    ZmqSettings relaySettings = base.withHwm(hwm);
    Pair<ZmqControl, ZmqControl> relay = ZmqSource.create(relaySettings.withSocketType(SocketType.PULL).withBind(fromEp))
        .take(total)
        .toMat(ZmqSink.create(relaySettings.withSocketType(SocketType.PUSH).withBind(toEp)), Keep.both())
        .run(system);
    String from = await(relay.first().ready());
    String to = await(relay.second().ready());
    try (ZSocket sender = zmq.socket(SocketType.PUSH); ZSocket consumer = zmq.socket(SocketType.PULL)) {
      sender.setOption(ZmqOption.SNDHWM, hwm);
      sender.connect(from);
      // no consumer: the relay's PUSH has no pipe, so the sink stops asking, the source stops
      // reading and the sender is held (after the pipes' HWMs and, over tcp, the kernel's buffers)
      int held = 0;
      while (held < total && sender.send(msg(held), Duration.ofMillis(100))) held++;
      assertTrue(held < total, name + ": the sender must be held before the consumer comes, sent all " + total);
      int first = held;
      consumer.setOption(ZmqOption.RCVHWM, hwm);
      consumer.connect(to);
      CompletableFuture<Integer> rest = CompletableFuture.supplyAsync(() -> {
        for (int i = first; i < total; i++) {
          if (!sender.send(msg(i), WAIT)) return i; // held for good: a wake-up was lost on the way
        }
        return total;
      });
      for (int i = 0; i < total; i++) {
        Msg m = consumer.recv(WAIT);
        if (m == null) {
          throw new AssertionError(name + ": nothing for " + WAIT + " after " + i + " of " + total
              + " messages (sender held at " + first + ", has sent " + (rest.isDone() ? rest.get() : "not all") + ")");
        }
        assertEquals(1, m.size(), name);
        assertEquals(SIZE, m.first().size(), name);
        assertEquals(i, indexOf(m), name + ": out of order");
      }
      assertEquals(total, rest.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), name + ": the sender was held for good");
      await(relay.second().whenClosed()); // take(total) completed the stream; the sink delivered and closed
      await(relay.first().whenClosed());
    }
  }

  // ---- a stage that holds a message for lack of room ----------------------------------------

  /**
   * A sink (PUSH, SNDHWM 1) connects to a port nobody listens on yet: its pipe takes message 0 and
   * the sink holds message 1 for lack of room, when its upstream ends (completes, or is cut by
   * drainAndShutdown). A peer binds only after the sink's first connection attempt was refused, so
   * the next one is a reconnect interval away and cannot take message 0 before the sink holds
   * message 1. Both messages must arrive, and then the sink closes.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"complete", "drainAndShutdown"})
  void aSinkStillDeliversTheMessageItHoldsForLackOfRoomAfterItsUpstreamEnds(String how) {
    String ep = "tcp://127.0.0.1:" + freePort();
    CountDownLatch handedOver = new CountDownLatch(2);
    Source<Msg, NotUsed> upstream = Source.from(List.of(msg(0), msg(1)));
    if (how.equals("drainAndShutdown")) upstream = upstream.concat(Source.never());
    ZmqControl sink = upstream.map(m -> {
          handedOver.countDown();
          return m;
        })
        .runWith(ZmqSink.create(base.withSocketType(SocketType.PUSH).withConnect(ep).withSndHwm(1)), system);
    awaitLatch(handedOver);
    awaitEvent(sink, EventType.CONNECT_RETRIED);
    if (how.equals("drainAndShutdown")) sink.drainAndShutdown();
    assertDelivered(SocketType.PULL, ep, 2, how);
    await(sink.whenClosed());
  }

  /** The same for a flow (DEALER) told to drain and shut down: what it holds still goes out. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"DEALER", "PAIR"})
  void aFlowStillDeliversTheMessageItHoldsForLackOfRoomWhenDrained(SocketType type) {
    String ep = "tcp://127.0.0.1:" + freePort();
    CountDownLatch handedOver = new CountDownLatch(2);
    ZmqControl flow = Source.from(List.of(msg(0), msg(1))).concat(Source.never())
        .map(m -> {
          handedOver.countDown();
          return m;
        })
        .viaMat(ZmqFlow.create(base.withSocketType(type).withConnect(ep).withSndHwm(1)), Keep.right())
        .to(Sink.ignore())
        .run(system);
    awaitLatch(handedOver);
    awaitEvent(flow, EventType.CONNECT_RETRIED);
    flow.drainAndShutdown();
    assertDelivered(type, ep, 2, type.toString()); // DEALER and PAIR talk to their own kind
    await(flow.whenClosed());
  }

  /** Binds a {@code peerType} socket at {@code ep} and checks that messages 0..n-1 arrive, in order. */
  private void assertDelivered(SocketType peerType, String ep, int n, String what) {
    try (ZSocket peer = zmq.socket(peerType)) {
      peer.bind(ep);
      for (int i = 0; i < n; i++) {
        Msg m = peer.recv(WAIT);
        assertNotNull(m, "message " + i + " of " + n + " never arrived (" + what + ")");
        assertEquals(i, indexOf(m), what);
      }
    }
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      assertTrue(latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "upstream did not hand its messages over");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void awaitEvent(ZmqControl control, EventType type) {
    await(control.events(type.value()).runWith(Sink.head(), system));
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static <T> T await(CompletionStage<T> f) {
    try {
      return f.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + WAIT);
    }
  }
}
