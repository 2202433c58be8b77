package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;

/**
 * XSUB (RFC 29): subscriptions are messages the user sends ({@code 01}/{@code 00}+topic). They
 * update a counted trie and go upstream to every publisher, flagged {@link Frame#SUBSCRIBE} /
 * {@link Frame#CANCEL} so the encoder can pick the ZMTP 3.1 command form; a cancel goes upstream
 * only when the last reference to the topic goes (a cancel of an unknown topic is dropped), as
 * libzmq 4.3.4 does. Other messages go upstream as data, dropped at a full pipe. A new pipe gets
 * every current subscription, once per topic.
 *
 * <p>Unlike libzmq, subscription messages are never lost to the HWM (libzmq#2258): what does not
 * fit waits in a per-pipe backlog, written in order before anything else on write activation.
 * Meanwhile the pipe counts as full for data, which it loses as at any full pipe, so data never
 * overtakes a subscription. A new peer behind a pipe ({@link #hiccuped}) gets every subscription
 * again, as a new pipe does.
 *
 * <p>XSUB does not filter what it receives (libzmq's options.filter is off); {@link SubPattern}
 * does. Only the first frame of a message can be a subscription; further frames of a
 * subscription message are dropped.
 */
public class XSubPattern extends Pattern {
  private final FairQueue fq = new FairQueue();
  private final Distributor dist = new Distributor();
  private final SubscriptionTrie subscriptions = new SubscriptionTrie();
  private final IdentityHashMap<PatternPipe, ArrayDeque<Frame>> backlog = new IdentityHashMap<>();
  private final ArrayDeque<PatternPipe> pipes = new ArrayDeque<>();

  /** A first frame kept by {@link #hasIn} after filtering. */
  private Frame prefetched;
  private boolean moreRecv;
  private boolean moreSend;
  private boolean dropSend;

  public XSubPattern(PatternOptions options) {
    super(options);
  }

  @Override
  public SocketType type() {
    return SocketType.XSUB;
  }

  /** Whether received messages must match a subscription. */
  protected boolean filters() {
    return false;
  }

  @Override
  public void attach(PatternPipe pipe, boolean subscribeToAll, boolean locallyInitiated) {
    fq.attach(pipe);
    dist.attach(pipe);
    pipes.add(pipe);
    sendAllSubscriptions(pipe);
  }

  /** A new peer behind the pipe: it gets every current subscription, as a newly attached one does. */
  @Override
  public void hiccuped(PatternPipe pipe) {
    if (pipes.contains(pipe)) {
      sendAllSubscriptions(pipe);
    }
  }

  private void sendAllSubscriptions(PatternPipe pipe) {
    subscriptions.apply((prefix, length) -> {
      byte[] sub = new byte[length + 1];
      sub[0] = 1;
      System.arraycopy(prefix, 0, sub, 1, length);
      writeSubscription(pipe, Frame.wrap(sub, Frame.SUBSCRIBE));
    });
    pipe.flush();
  }

  private void writeSubscription(PatternPipe pipe, Frame subscription) {
    ArrayDeque<Frame> waiting = backlog.get(pipe);
    if (waiting != null) {
      waiting.add(subscription);
    } else if (!pipe.write(subscription)) {
      waiting = new ArrayDeque<>();
      waiting.add(subscription);
      backlog.put(pipe, waiting);
      dist.suspend(pipe); // data must not overtake the waiting subscriptions
    }
  }

  @Override
  public void pipeTerminated(PatternPipe pipe) {
    fq.pipeTerminated(pipe);
    dist.pipeTerminated(pipe);
    backlog.remove(pipe);
    pipes.remove(pipe);
  }

  @Override
  public void readActivated(PatternPipe pipe) {
    fq.activated(pipe);
  }

  @Override
  public void writeActivated(PatternPipe pipe) {
    ArrayDeque<Frame> waiting = backlog.get(pipe);
    if (waiting != null) {
      while (!waiting.isEmpty()) {
        if (!pipe.write(waiting.peek())) {
          // Full again; the pipe has recorded that we wait, and will activate us once more.
          pipe.flush();
          return;
        }
        waiting.poll();
      }
      backlog.remove(pipe);
      pipe.flush();
    }
    dist.activated(pipe);
  }

  @Override
  public int send(Frame frame) {
    boolean first = !moreSend;
    moreSend = frame.hasMore();
    if (!first) {
      if (!dropSend) {
        dist.sendToAll(frame);
      }
      dropSend &= moreSend;
      return OK;
    }
    boolean subscribe = frame.isSubscribe() || (frame.size() > 0 && frame.byteAt(0) == 1);
    boolean cancel = !subscribe && (frame.isCancel() || (frame.size() > 0 && frame.byteAt(0) == 0));
    if (!subscribe && !cancel) {
      dropSend = false;
      dist.sendToAll(frame);
      return OK;
    }
    dropSend = moreSend;
    byte[] data = frame.array();
    int offset = frame.offset() + 1;
    int length = frame.size() - 1;
    if (subscribe) {
      // Duplicates go upstream too: XPUB filters them, and a forwarding device needs them for VERBOSE.
      subscriptions.add(data, offset, length);
      sendSubscription(frame.withFlags(Frame.SUBSCRIBE));
    } else if (subscriptions.rm(data, offset, length)) {
      sendSubscription(frame.withFlags(Frame.CANCEL));
    }
    return OK;
  }

  private void sendSubscription(Frame subscription) {
    for (PatternPipe pipe : pipes) {
      writeSubscription(pipe, subscription);
      pipe.flush();
    }
  }

  @Override
  public Frame recv() {
    if (prefetched != null) {
      Frame frame = prefetched;
      prefetched = null;
      moreRecv = frame.hasMore();
      return frame;
    }
    while (true) {
      Frame frame = fq.recv();
      if (frame == null) {
        return failRecv(Errno.EAGAIN);
      }
      if (moreRecv || !filters() || matches(frame)) {
        moreRecv = frame.hasMore();
        return frame;
      }
      skipRest(frame);
    }
  }

  @Override
  public boolean hasIn() {
    if (moreRecv || prefetched != null) {
      return true;
    }
    while (true) {
      Frame frame = fq.recv();
      if (frame == null) {
        return false;
      }
      if (!filters() || matches(frame)) {
        prefetched = frame;
        return true;
      }
      skipRest(frame);
    }
  }

  private void skipRest(Frame frame) {
    while (frame != null && frame.hasMore()) {
      frame = fq.recv();
    }
  }

  private boolean matches(Frame frame) {
    return subscriptions.check(frame.array(), frame.offset(), frame.size()) ^ options.invertMatching;
  }

  @Override
  public boolean hasOut() {
    return true;
  }
}
