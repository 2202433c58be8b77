package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.SocketType;

/** Creates the pattern for a socket type. */
public final class Patterns {
  private Patterns() {}

  public static Pattern create(SocketType type, PatternOptions options) {
    return switch (type) {
      case PAIR -> new PairPattern(options);
      case PUB -> new PubPattern(options);
      case SUB -> new SubPattern(options);
      case REQ -> new ReqPattern(options);
      case REP -> new RepPattern(options);
      case DEALER -> new DealerPattern(options);
      case ROUTER -> new RouterPattern(options);
      case PULL -> new PullPattern(options);
      case PUSH -> new PushPattern(options);
      case XPUB -> new XPubPattern(options);
      case XSUB -> new XSubPattern(options);
      case STREAM -> new StreamPattern(options);
      // draft (RFC 41, 49, 51, 52)
      case CLIENT -> DealerPattern.client(options);
      case SERVER -> new ServerPattern(options);
      case SCATTER -> PushPattern.scatter(options);
      case GATHER -> PullPattern.gather(options);
      case PEER -> new PeerPattern(options);
      case CHANNEL -> PairPattern.channel(options);
      case RADIO -> new RadioPattern(options);
      case DISH -> new DishPattern(options);
    };
  }
}
