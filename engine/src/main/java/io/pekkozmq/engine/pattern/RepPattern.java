package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import java.security.SecureRandom;

/**
 * REP (RFC 28): a ROUTER that hides envelopes. On receive, the routing id and every frame up to
 * and including the empty delimiter are set aside (staged on the reply pipe) and the body is
 * returned; the reply is sent after them. A request without a delimiter is discarded. Receiving
 * while a reply is owed, or replying before a request, fails with EFSM. ROUTER-only options
 * (mandatory, handover, probe, notify, connect routing id) do not apply.
 */
public final class RepPattern extends RouterPattern {
  private boolean sendingReply;
  private boolean requestBegins = true;

  public RepPattern(PatternOptions options) {
    super(options, new SecureRandom().nextInt(), false);
  }

  @Override
  public SocketType type() {
    return SocketType.REP;
  }

  @Override
  public int send(Frame frame) {
    if (!sendingReply) {
      return fail(Errno.EFSM);
    }
    boolean more = frame.hasMore();
    int rc = super.send(frame);
    if (rc != OK) {
      return rc;
    }
    if (!more) {
      sendingReply = false;
    }
    return OK;
  }

  @Override
  public Frame recv() {
    if (sendingReply) {
      return failRecv(Errno.EFSM);
    }
    if (requestBegins) {
      while (true) {
        Frame frame = super.recv();
        if (frame == null) {
          return null;
        }
        if (frame.hasMore()) {
          boolean bottom = frame.size() == 0;
          super.send(frame);
          if (bottom) {
            break;
          }
        } else {
          // Reached the end without a delimiter: not a request; forget its envelope.
          rollback();
        }
      }
      requestBegins = false;
    }
    Frame frame = super.recv();
    if (frame == null) {
      return null;
    }
    if (!frame.hasMore()) {
      sendingReply = true;
      requestBegins = true;
    }
    return frame;
  }

  @Override
  public boolean hasIn() {
    return !sendingReply && super.hasIn();
  }

  @Override
  public boolean hasOut() {
    return sendingReply && super.hasOut();
  }
}
