package io.pekkozmq.streams.javadsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.streams.ZmqControl;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;

/** The draft types as stages: SERVER's routing id travels on the message both ways. */
class ZmqDraftStagesTest extends StagesPerClass {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static <T> T await(CompletionStage<T> f) {
    try {
      return f.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("no result within " + WAIT + ": " + e, e);
    }
  }

  @Test
  void serverFlowRepliesByRoutingIdToClientFlows() {
    // the handler answers each request to the routing id it came with
    Flow<Msg, Msg, ?> echo = Flow.<Msg>create()
        .map(m -> Msg.ofStrings("re:" + m.first().text()).withRoutingId(m.routingId()));
    ZmqControl server = ZmqFlow.create(base.withSocketType(SocketType.SERVER).withBind("tcp://127.0.0.1:*"))
        .join(echo).run(system);
    String ep = await(server.ready());
    int n = 500;
    CompletionStage<List<Msg>> a = Source.range(0, n - 1).map(i -> Msg.ofStrings("a" + i))
        .via(ZmqFlow.create(base.withSocketType(SocketType.CLIENT).withConnect(ep))).take(n)
        .runWith(Sink.seq(), system);
    CompletionStage<List<Msg>> b = Source.range(0, n - 1).map(i -> Msg.ofStrings("b" + i))
        .via(ZmqFlow.create(base.withSocketType(SocketType.CLIENT).withConnect(ep))).take(n)
        .runWith(Sink.seq(), system);
    List<Msg> gotA = await(a), gotB = await(b);
    for (int i = 0; i < n; i++) {
      assertEquals("re:a" + i, gotA.get(i).first().text(), "each reply goes back to its own client");
      assertEquals("re:b" + i, gotB.get(i).first().text());
    }
    await(server.drainAndShutdown());
  }

  @Test
  void serverSourceCarriesAStableRoutingIdPerClient() {
    Pair<ZmqControl, CompletionStage<List<Msg>>> in = ZmqSource
        .create(base.withSocketType(SocketType.SERVER).withBind("tcp://127.0.0.1:*")).take(4)
        .toMat(Sink.seq(), Keep.both()).run(system);
    String ep = await(in.first().ready());
    try (ZSocket c1 = zmq.socket(SocketType.CLIENT); ZSocket c2 = zmq.socket(SocketType.CLIENT)) {
      c1.setOption(ZmqOption.LINGER, 0);
      c2.setOption(ZmqOption.LINGER, 0);
      c1.connect(ep);
      c2.connect(ep);
      c1.send("1a");
      c2.send("2a");
      c1.send("1b");
      c2.send("2b");
      List<Msg> got = await(in.second());
      Set<Integer> ids = new HashSet<>();
      int id1 = 0;
      for (Msg m : got) {
        assertNotEquals(0, m.routingId(), "a SERVER source's messages carry their routing id: " + m);
        ids.add(m.routingId());
        if (m.first().text().startsWith("1")) {
          if (id1 == 0) id1 = m.routingId();
          assertEquals(id1, m.routingId());
        }
      }
      assertEquals(2, ids.size(), "two clients, two routing ids");
    }
  }

  @Test
  void scatterSinkFeedsAGatherSource() {
    Pair<ZmqControl, CompletionStage<List<Msg>>> in = ZmqSource
        .create(base.withSocketType(SocketType.GATHER).withBind("tcp://127.0.0.1:*")).take(100)
        .toMat(Sink.seq(), Keep.both()).run(system);
    String ep = await(in.first().ready());
    Source.range(0, 99).map(i -> Msg.ofStrings("g" + i))
        .runWith(ZmqSink.create(base.withSocketType(SocketType.SCATTER).withConnect(ep)), system);
    List<Msg> got = await(in.second());
    for (int i = 0; i < 100; i++) assertEquals("g" + i, got.get(i).first().text());
  }
}
