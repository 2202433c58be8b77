package io.pekkozmq.streams.javadsl;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.streams.ZmqControl;
import io.pekkozmq.streams.ZmqSettings;
import io.pekkozmq.streams.impl.ExchangeStage;
import io.pekkozmq.streams.impl.FlowStage;
import io.pekkozmq.streams.impl.StageTypes;
import java.util.EnumSet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RunnableGraph;

/** ZeroMQ sockets that both send and receive, as Flows. */
public final class ZmqFlow {
  private ZmqFlow() {}

  /**
   * A socket as a Flow of messages to send into messages received. REQ gives {@link #request}; DEALER,
   * ROUTER, PAIR, XPUB, XSUB and STREAM send and receive independently: each incoming element is sent
   * (back-pressured as {@link ZmqSink}), each received message is emitted on demand (as
   * {@link ZmqSource}). Upstream completion ends only the sending: the flow completes when
   * downstream cancels (e.g. after {@code take(n)} replies) or on {@link ZmqControl#drainAndShutdown()}.
   *
   * @throws IllegalArgumentException for REP (use {@link #repServer}) and the one-way types
   */
  public static Flow<Msg, Msg, ZmqControl> create(ZmqSettings settings) {
    if (settings.socketType() == SocketType.REQ) return request(settings);
    StageTypes.check("ZmqFlow", settings, StageTypes.BIDI);
    return Flow.fromGraph(new FlowStage(settings)).addAttributes(StageTypes.attributes(settings));
  }

  /**
   * REQ as a Flow of requests into replies, one exchange at a time: the next request is taken only
   * after the reply to the previous one has been emitted. Completes after the last reply once
   * upstream completes.
   */
  public static Flow<Msg, Msg, ZmqControl> request(ZmqSettings settings) {
    StageTypes.check("ZmqFlow.request", settings, EnumSet.of(SocketType.REQ));
    return Flow.fromGraph(new ExchangeStage(settings, true)).addAttributes(StageTypes.attributes(settings));
  }

  /**
   * A REP server: each request goes through {@code handler}, whose output is the reply. REP answers
   * one request at a time, so the handler must emit exactly one reply per request, in order. The
   * server runs until the handler completes or cancels, or {@link ZmqControl#drainAndShutdown()}.
   */
  public static RunnableGraph<ZmqControl> repServer(ZmqSettings settings, Flow<Msg, Msg, ?> handler) {
    StageTypes.check("ZmqFlow.repServer", settings, EnumSet.of(SocketType.REP));
    Flow<Msg, Msg, ZmqControl> rep =
        Flow.fromGraph(new ExchangeStage(settings, false)).addAttributes(StageTypes.attributes(settings));
    return rep.joinMat(handler, Keep.left());
  }
}
