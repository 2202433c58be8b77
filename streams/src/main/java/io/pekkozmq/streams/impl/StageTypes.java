package io.pekkozmq.streams.impl;

import io.pekkozmq.engine.SocketType;
import io.pekkozmq.streams.ZmqSettings;
import java.util.EnumSet;
import java.util.Set;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;

/** Internal. Which socket types each stage takes, and the checks every factory makes. */
public final class StageTypes {
  public static final Set<SocketType> SOURCE = EnumSet.of(SocketType.PULL, SocketType.SUB, SocketType.XSUB,
      SocketType.DEALER, SocketType.ROUTER, SocketType.PAIR, SocketType.XPUB, SocketType.STREAM,
      SocketType.DISH);
  public static final Set<SocketType> SINK = EnumSet.of(SocketType.PUSH, SocketType.PUB, SocketType.XPUB,
      SocketType.XSUB, SocketType.DEALER, SocketType.ROUTER, SocketType.PAIR, SocketType.STREAM,
      SocketType.RADIO);
  public static final Set<SocketType> BIDI = EnumSet.of(SocketType.DEALER, SocketType.ROUTER, SocketType.PAIR,
      SocketType.XPUB, SocketType.XSUB, SocketType.STREAM);

  static {
    // draft (RFC 41, 49, 51, 52): single-frame; SERVER and PEER carry Msg.routingId both ways
    SOURCE.addAll(EnumSet.of(SocketType.CLIENT, SocketType.SERVER, SocketType.GATHER, SocketType.PEER,
        SocketType.CHANNEL));
    SINK.addAll(EnumSet.of(SocketType.CLIENT, SocketType.SERVER, SocketType.SCATTER, SocketType.PEER,
        SocketType.CHANNEL));
    BIDI.addAll(EnumSet.of(SocketType.CLIENT, SocketType.SERVER, SocketType.PEER, SocketType.CHANNEL));
  }

  private StageTypes() {}

  /**
   * Throws IllegalArgumentException naming the stage and the type when {@code settings} cannot make
   * this stage; {@code hint} says what to use instead.
   */
  public static void check(String stage, ZmqSettings settings, Set<SocketType> allowed) {
    SocketType t = settings.socketType();
    if (t == null) {
      throw new IllegalArgumentException(stage + " needs a socket type: settings.withSocketType(...), one of " + allowed);
    }
    if (!allowed.contains(t)) {
      String hint = switch (t) {
        case REQ -> "; a REQ socket must alternate requests and replies: use ZmqFlow.request";
        case REP -> "; a REP socket must answer each request: use ZmqFlow.repServer";
        case PUSH, PUB, RADIO -> "; a " + t + " socket only sends: use ZmqSink";
        case PULL, SUB, DISH -> "; a " + t + " socket only receives: use ZmqSource";
        case SCATTER -> "; a SCATTER socket only sends: use ZmqSink";
        case GATHER -> "; a GATHER socket only receives: use ZmqSource";
        default -> "";
      };
      throw new IllegalArgumentException(stage + " cannot use a " + t + " socket (it takes " + allowed + ")" + hint);
    }
    if (!settings.subscriptions().isEmpty() && !t.takesSubscriptions() && !t.joinsGroups()) {
      throw new IllegalArgumentException(stage + ": subscriptions apply to SUB, XSUB and XPUB sockets (and are"
          + " a DISH's groups), not " + t);
    }
  }

  /** The dispatcher attribute the settings ask for, if any. */
  public static Attributes attributes(ZmqSettings settings) {
    return settings.dispatcher().isEmpty() ? Attributes.none() : ActorAttributes.dispatcher(settings.dispatcher());
  }
}
