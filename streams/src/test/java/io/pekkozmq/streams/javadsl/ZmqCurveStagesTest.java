package io.pekkozmq.streams.javadsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pekkozmq.actors.security.ZAuth;
import io.pekkozmq.actors.security.ZAuthenticator;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.engine.security.CurveKeys;
import io.pekkozmq.streams.ZmqControl;
import io.pekkozmq.streams.ZmqSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.Test;

/** A CURVE source and sink: the settings' security options reach the stages' sockets. */
class ZmqCurveStagesTest extends StagesPerClass {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static <T> T await(CompletionStage<T> f) throws Exception {
    return f.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static List<Msg> messages(int n) {
    return IntStream.range(0, n).mapToObj(i -> Msg.of(Frame.of("m" + i), Frame.wrap(new byte[i % 300]))).toList();
  }

  @Test
  void curveSinkDeliversToCurveSourceInOrder() throws Exception {
    CurveKeys server = CurveKeys.generate();
    CurveKeys client = CurveKeys.generate();
    Pair<ZmqControl, CompletionStage<List<Msg>>> source = ZmqSource.create(base.withSocketType(SocketType.PULL)
            .withBind("tcp://127.0.0.1:*").withCurveSecretKey(server.secretZ85()).withCurveServer(true))
        .take(500).toMat(Sink.seq(), Keep.both()).run(system);
    String ep = await(source.first().ready());
    List<Msg> sent = messages(500);
    // raw 32-byte keys on this side, Z85 on the other: both forms reach the socket
    ZmqControl sink = Source.from(sent).toMat(ZmqSink.create(base.withSocketType(SocketType.PUSH).withConnect(ep)
        .withCurvePublicKey(client.publicKey()).withCurveSecretKey(client.secretKey())
        .withCurveServerKey(server.publicKey())), Keep.right()).run(system);
    assertEquals(sent, await(source.second()));
    await(sink.whenClosed());
  }

  @Test
  void aSinkWithAKeyTheAuthenticatorDoesNotKnowDeliversNothing() throws Exception {
    CurveKeys server = CurveKeys.generate();
    CurveKeys allowed = CurveKeys.generate();
    CurveKeys stranger = CurveKeys.generate();
    try (ZAuthenticator auth = ZAuthenticator.start(zmq)) {
      auth.configureCurve(ZAuth.ANY_DOMAIN, allowed.publicZ85());
      Pair<ZmqControl, CompletionStage<List<Msg>>> source = ZmqSource.create(base.withSocketType(SocketType.PULL)
              .withBind("tcp://127.0.0.1:*").withCurveServer(true).withCurveSecretKey(server.secretKey()))
          .take(1).toMat(Sink.seq(), Keep.both()).run(system);
      String ep = await(source.first().ready());

      ZmqSettings client = base.withSocketType(SocketType.PUSH).withConnect(ep).withCurveServerKey(server.publicZ85());
      Pair<ZmqControl, CompletionStage<List<SocketEvent>>> refused = Source.single(Msg.of(Frame.of("forged")))
          .concat(Source.never())
          .toMat(ZmqSink.create(client.withLinger(Duration.ZERO)
                  .withCurvePublicKey(stranger.publicZ85()).withCurveSecretKey(stranger.secretZ85())),
              Keep.right())
          .mapMaterializedValue(c -> Pair.create(c, c.events(EventType.HANDSHAKE_FAILED_AUTH.value())
              .take(1).runWith(Sink.seq(), system)))
          .run(system);
      SocketEvent e = await(refused.second()).get(0);
      assertEquals(400, e.value(), "ZAP status of a refused key: " + e);
      refused.first().drainAndShutdown();

      ZmqControl known = Source.single(Msg.of(Frame.of("genuine")))
          .toMat(ZmqSink.create(client.withCurvePublicKey(allowed.publicKey()).withCurveSecretKey(allowed.secretKey())),
              Keep.right()).run(system);
      List<Msg> got = await(source.second());
      assertEquals(List.of("genuine"), got.stream().map(m -> m.first().text()).collect(Collectors.toList()),
          "only the allowed client's message arrives");
      await(known.whenClosed());
      await(refused.first().whenClosed());
    }
  }
}
