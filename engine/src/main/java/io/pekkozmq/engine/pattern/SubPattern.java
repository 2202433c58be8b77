package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;

/**
 * SUB (RFC 29): an XSUB whose subscriptions come from {@link #subscribe}/{@link #unsubscribe}
 * (ZMQ_SUBSCRIBE/ZMQ_UNSUBSCRIBE) instead of sent messages, and which drops received messages
 * matching no subscription (or, with INVERT_MATCHING, matching one). Sending is not supported.
 */
public final class SubPattern extends XSubPattern {
  public SubPattern(PatternOptions options) {
    super(options);
  }

  @Override
  public SocketType type() {
    return SocketType.SUB;
  }

  @Override
  protected boolean filters() {
    return true;
  }

  @Override
  public int subscribe(byte[] topic) {
    return super.send(Frame.wrap(prefixed((byte) 1, topic), Frame.SUBSCRIBE));
  }

  @Override
  public int unsubscribe(byte[] topic) {
    return super.send(Frame.wrap(prefixed((byte) 0, topic), Frame.CANCEL));
  }

  private static byte[] prefixed(byte head, byte[] topic) {
    byte[] data = new byte[topic.length + 1];
    data[0] = head;
    System.arraycopy(topic, 0, data, 1, topic.length);
    return data;
  }

  @Override
  public int send(Frame frame) {
    return fail(Errno.ENOTSUP);
  }

  @Override
  public boolean hasOut() {
    return false;
  }
}
