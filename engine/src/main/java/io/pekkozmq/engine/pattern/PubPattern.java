package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;

/**
 * PUB (RFC 29): an XPUB that keeps subscriptions to itself. Sending never blocks: a subscriber at
 * its HWM loses whole messages. Receiving is not supported.
 */
public final class PubPattern extends XPubPattern {
  public PubPattern(PatternOptions options) {
    super(options);
  }

  @Override
  public SocketType type() {
    return SocketType.PUB;
  }

  @Override
  protected boolean reports() {
    return false;
  }

  @Override
  public Frame recv() {
    return failRecv(Errno.ENOTSUP);
  }

  @Override
  public boolean hasIn() {
    return false;
  }
}
