package io.pekkozmq.streams.javadsl;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.streams.ZmqControl;
import io.pekkozmq.streams.ZmqSettings;
import io.pekkozmq.streams.impl.SinkStage;
import io.pekkozmq.streams.impl.StageTypes;
import java.util.Collections;
import java.util.Set;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * A ZeroMQ socket as a {@code Sink} of messages: PUSH, PUB, XPUB, XSUB (subscription messages and
 * data), DEALER, ROUTER (the first frame names the peer), PAIR, STREAM.
 *
 * <p>The sink asks for the next message only once the last one is in the socket's pipes, so it
 * back-pressures exactly when ZeroMQ would block a sender: PUSH and DEALER with every peer at SNDHWM
 * (or no peer yet), PAIR with its peer at SNDHWM. PUB and XPUB drop at HWM instead, and ROUTER drops
 * messages for unknown or full peers unless ROUTER_MANDATORY is set (then the stage fails with
 * EHOSTUNREACH), as libzmq does; those never hold the stream back.
 *
 * <p>When upstream completes, the socket closes and its queued messages are delivered as LINGER
 * allows; {@link ZmqControl#whenClosed()} completes after that.
 */
public final class ZmqSink {
  private ZmqSink() {}

  /** The socket types this stage takes. */
  public static Set<SocketType> socketTypes() {
    return Collections.unmodifiableSet(StageTypes.SINK);
  }

  /** @throws IllegalArgumentException when the settings' socket type cannot send on its own */
  public static Sink<Msg, ZmqControl> create(ZmqSettings settings) {
    StageTypes.check("ZmqSink", settings, StageTypes.SINK);
    return Sink.fromGraph(new SinkStage(settings)).addAttributes(StageTypes.attributes(settings));
  }
}
