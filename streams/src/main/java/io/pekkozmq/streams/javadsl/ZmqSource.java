package io.pekkozmq.streams.javadsl;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.streams.ZmqControl;
import io.pekkozmq.streams.ZmqSettings;
import io.pekkozmq.streams.impl.SourceStage;
import io.pekkozmq.streams.impl.StageTypes;
import java.util.Collections;
import java.util.Set;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A ZeroMQ socket as a {@code Source} of messages: PULL, SUB, XSUB, DEALER, ROUTER (each message
 * starts with the sender's routing id), PAIR, XPUB (subscription messages), STREAM.
 *
 * <p>Demand is the only thing that takes messages off the socket. Without it the socket's inbound
 * pipes fill to RCVHWM, its engines stop reading, and TCP holds the senders back, so a stalled
 * stream holds at most RCVHWM per peer plus {@link ZmqSettings#receiveBatch()} messages.
 *
 * <p>Each materialization opens its own socket (so it fits under {@code RestartSource.withBackoff})
 * and closes it when the stream completes, fails or is cancelled.
 */
public final class ZmqSource {
  private ZmqSource() {}

  /** The socket types this stage takes. */
  public static Set<SocketType> socketTypes() {
    return Collections.unmodifiableSet(StageTypes.SOURCE);
  }

  /** @throws IllegalArgumentException when the settings' socket type cannot receive on its own */
  public static Source<Msg, ZmqControl> create(ZmqSettings settings) {
    StageTypes.check("ZmqSource", settings, StageTypes.SOURCE);
    return Source.fromGraph(new SourceStage(settings)).addAttributes(StageTypes.attributes(settings));
  }
}
