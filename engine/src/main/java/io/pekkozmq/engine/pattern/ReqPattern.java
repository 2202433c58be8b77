package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import java.security.SecureRandom;

/**
 * REQ (RFC 28): a DEALER that alternates request and reply. Each request goes out as
 * [request-id (REQ_CORRELATE only), empty delimiter, body...] and only a reply from the pipe the
 * request went to, carrying the delimiter (and the id), is delivered, without them; anything
 * else is dropped silently. Sending twice or receiving before sending fails with EFSM, unless
 * REQ_RELAXED lets a new request abandon the pending one.
 *
 * <p>The request id is 4 bytes in libzmq's native (x86: little-endian) order, starting from a
 * random value and incremented per request, so peers only ever echo it back.
 */
public final class ReqPattern extends DealerPattern {
  private boolean receivingReply;
  private boolean messageBegins = true;
  private PatternPipe replyPipe;
  private int requestId;

  public ReqPattern(PatternOptions options) {
    this(options, new SecureRandom().nextInt());
  }

  /** With a known first request id (the first request carries {@code requestIdBefore + 1}). */
  ReqPattern(PatternOptions options, int requestIdBefore) {
    super(options);
    this.requestId = requestIdBefore;
  }

  @Override
  public SocketType type() {
    return SocketType.REQ;
  }

  @Override
  public void pipeTerminated(PatternPipe pipe) {
    if (pipe == replyPipe) {
      replyPipe = null;
    }
    super.pipeTerminated(pipe);
  }

  @Override
  public int send(Frame frame) {
    if (receivingReply) {
      if (!options.reqRelaxed) {
        return fail(Errno.EFSM);
      }
      receivingReply = false;
      messageBegins = true;
    }
    if (messageBegins) {
      replyPipe = null;
      if (options.reqCorrelate) {
        requestId++;
        if (!lb.send(Frame.wrap(requestIdBytes(requestId), Frame.MORE))) {
          return fail(Errno.EAGAIN);
        }
        replyPipe = lb.lastPipe();
      }
      if (!lb.send(Frame.EMPTY.withMore(true))) {
        return fail(Errno.EAGAIN);
      }
      replyPipe = lb.lastPipe();
      messageBegins = false;
      // Replies that arrived before this request (late answers to an abandoned one) must not be
      // taken as its reply, whichever peer they came from.
      while (fq.recv() != null) {
        // discard
      }
    }
    boolean more = frame.hasMore();
    if (!lb.send(frame)) {
      return fail(Errno.EAGAIN);
    }
    if (!more) {
      receivingReply = true;
      messageBegins = true;
    }
    return OK;
  }

  @Override
  public Frame recv() {
    if (!receivingReply) {
      return failRecv(Errno.EFSM);
    }
    while (messageBegins) {
      if (options.reqCorrelate) {
        Frame id = recvReplyPipe();
        if (id == null) {
          return failRecv(Errno.EAGAIN);
        }
        if (!id.hasMore() || !id.contentEquals(requestIdBytes(requestId))) {
          skipRest(id);
          continue;
        }
      }
      Frame delimiter = recvReplyPipe();
      if (delimiter == null) {
        return failRecv(Errno.EAGAIN);
      }
      if (!delimiter.hasMore() || delimiter.size() != 0) {
        skipRest(delimiter);
        continue;
      }
      messageBegins = false;
    }
    Frame frame = recvReplyPipe();
    if (frame == null) {
      return failRecv(Errno.EAGAIN);
    }
    if (!frame.hasMore()) {
      receivingReply = false;
      messageBegins = true;
    }
    return frame;
  }

  @Override
  public boolean hasIn() {
    return receivingReply && super.hasIn();
  }

  @Override
  public boolean hasOut() {
    if (receivingReply && !options.reqRelaxed) {
      return false;
    }
    return super.hasOut();
  }

  private void skipRest(Frame frame) {
    while (frame != null && frame.hasMore()) {
      frame = recvReplyPipe();
    }
  }

  /** Next frame from the pipe the request went to; frames from other pipes are discarded. */
  private Frame recvReplyPipe() {
    while (true) {
      Frame frame = fq.recv();
      if (frame == null) {
        return null;
      }
      if (replyPipe == null || fq.lastPipe() == replyPipe) {
        return frame;
      }
    }
  }

  static byte[] requestIdBytes(int id) {
    return new byte[] {(byte) id, (byte) (id >>> 8), (byte) (id >>> 16), (byte) (id >>> 24)};
  }
}
