package io.pekkozmq.streams.javadsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.streams.ZmqControl;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.junit.jupiter.api.Test;

/** RADIO/DISH through the stages: the group is a message property both ways. */
class ZmqRadioDishStagesTest extends StagesPerClass {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static <T> T await(CompletionStage<T> f) throws Exception {
    return f.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A DISH source joined to "TV" (withGroups) over udp: only TV's messages, each with its group. */
  @Test
  void dishSourceJoinsItsGroupsAndKeepsTheGroupOnEachMessage() throws Exception {
    Pair<ZmqControl, TestSubscriber.Probe<Msg>> run = ZmqSource.create(base.withSocketType(SocketType.DISH)
            .withBind("udp://127.0.0.1:*").withGroups("TV"))
        .toMat(TestSink.create(system), Keep.both()).run(system);
    String ep = await(run.first().ready());
    TestSubscriber.Probe<Msg> probe = run.second();
    probe.request(10);
    try (ZSocket radio = zmq.socket(SocketType.RADIO)) {
      radio.connect(ep);
      radio.send(Msg.ofStrings("Godfather").withGroup("Movies"));
      radio.send(Msg.ofStrings("Friends").withGroup("TV"));
      Msg m = probe.expectNext(WAIT);
      assertEquals("TV", m.group());
      assertEquals("Friends", m.first().text());
    }
    probe.cancel();
    await(run.first().whenClosed());
  }

  /** A RADIO sink sends each element to its group; a DISH facade joined to one group gets only it. */
  @Test
  void radioSinkSendsEachMessageToItsGroup() throws Exception {
    try (ZSocket dish = zmq.socket(SocketType.DISH)) {
      dish.join("TV");
      String ep = dish.bind("udp://127.0.0.1:*");
      // like PUB, a RADIO drops what it sends before it has a peer: start once the connect is done
      Pair<TestPublisher.Probe<Msg>, ZmqControl> run = TestSource.<Msg>create(system)
          .toMat(ZmqSink.create(base.withSocketType(SocketType.RADIO).withConnect(ep)), Keep.both()).run(system);
      await(run.second().ready());
      for (int i = 0; i < 100; i++) run.first().sendNext(Msg.ofStrings("m" + i).withGroup(i % 2 == 0 ? "TV" : "Movies"));
      run.first().sendComplete();
      await(run.second().whenClosed());
      for (int i = 0; i < 100; i += 2) { // loopback udp under no load: every datagram arrives
        Msg m = dish.recv(WAIT);
        assertNotNull(m, "datagram " + i + " lost");
        assertEquals("TV", m.group());
        assertEquals("m" + i, m.first().text());
      }
    }
  }
}
