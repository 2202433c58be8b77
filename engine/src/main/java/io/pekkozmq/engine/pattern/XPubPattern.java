package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.function.Consumer;

/**
 * XPUB (RFC 29): a PUB whose subscriptions can be read. Messages go to every peer subscribed to a
 * prefix of the first frame (or to every other peer with INVERT_MATCHING); a full peer loses
 * whole messages, or with XPUB_NODROP the send fails with EAGAIN.
 *
 * <p>Incoming subscription messages ({@code 01}/{@code 00}+topic, flagged {@link Frame#SUBSCRIBE}
 * / {@link Frame#CANCEL} or in plain legacy data form) update the per-pipe trie and are reported
 * to the user as plain {@code 01}/{@code 00}+topic frames, filtered as libzmq's xpub does: a
 * subscription only if no pipe had the topic before (every one with VERBOSE/VERBOSER), a cancel
 * unless other pipes still hold the topic (every one with VERBOSER). When a pipe goes, its
 * topics nobody else holds are reported cancelled (all of its topics with VERBOSER).
 *
 * <p>With XPUB_MANUAL every subscription message is reported and nothing is applied: the user
 * applies one with {@link #subscribe}/{@link #unsubscribe}, which act for the pipe that sent the
 * subscription message most recently received by the user. Other incoming messages (XSUB
 * upstream data) are passed to the user with their MORE flags.
 *
 * <p>Only the first frame of a message is examined; a subscription with further frames is
 * applied once and the further frames are dropped. (libzmq 4.3.4 examines each frame on its own,
 * which can tear multipart upstream messages.)
 */
public class XPubPattern extends Pattern {
  private final Distributor dist = new Distributor();
  private final PipeSubscriptionTrie subscriptions = new PipeSubscriptionTrie();
  /** Manual mode: what peers asked for, so their departure can be reported per topic. */
  private final PipeSubscriptionTrie manualSubscriptions = new PipeSubscriptionTrie();
  private final ArrayDeque<Frame> pending = new ArrayDeque<>();
  /** Parallel to {@link #pending}: the pipe each entry came from, or {@link #NO_PIPE}. */
  private final ArrayDeque<Object> pendingPipes = new ArrayDeque<>();
  private static final Object NO_PIPE = new Object();
  private final Consumer<PatternPipe> markMatching = dist::match;
  /** Set only while matching for XPUB_MANUAL_LAST_VALUE. */
  private PatternPipe lastPipeForMatch;
  private final Consumer<PatternPipe> markLastPipeMatching = p -> {
    if (p == this.lastPipeForMatch) {
      dist.match(p);
    }
  };

  private PatternPipe lastPipe;
  private boolean moreSend;
  /** Incoming pipes inside a message (past its first frame), and those whose rest is dropped. */
  private final IdentityHashMap<PatternPipe, Boolean> dropRestOf = new IdentityHashMap<>();
  private final IdentityHashMap<PatternPipe, Boolean> midMessage = new IdentityHashMap<>();

  public XPubPattern(PatternOptions options) {
    super(options);
  }

  @Override
  public SocketType type() {
    return SocketType.XPUB;
  }

  /** PUB reports nothing and passes nothing up. */
  protected boolean reports() {
    return true;
  }

  private boolean manual() {
    return options.xpubManual || options.xpubManualLastValue;
  }

  private boolean verboseSubs() {
    return options.xpubVerbose || options.xpubVerboser;
  }

  private boolean verboseUnsubs() {
    return options.xpubVerboser;
  }

  @Override
  public void attach(PatternPipe pipe, boolean subscribeToAll, boolean locallyInitiated) {
    dist.attach(pipe);
    if (subscribeToAll) {
      subscriptions.add(new byte[0], 0, 0, pipe);
    }
    byte[] welcome = options.xpubWelcomeMsg;
    if (welcome != null && welcome.length > 0) {
      pipe.write(Frame.copyOf(welcome));
      pipe.flush();
    }
    readActivated(pipe);
  }

  @Override
  public void readActivated(PatternPipe pipe) {
    Frame frame;
    while ((frame = pipe.read()) != null) {
      boolean first = midMessage.remove(pipe) == null;
      if (frame.hasMore()) {
        midMessage.put(pipe, Boolean.TRUE);
      }
      if (!first) {
        if (dropRestOf.containsKey(pipe)) {
          if (!frame.hasMore()) {
            dropRestOf.remove(pipe);
          }
        } else {
          passUp(frame, pipe);
        }
        continue;
      }
      boolean subscribe = frame.isSubscribe();
      boolean cancel = frame.isCancel();
      if (!subscribe && !cancel && frame.size() > 0) {
        subscribe = frame.byteAt(0) == 1;
        cancel = frame.byteAt(0) == 0;
      }
      if (!subscribe && !cancel) {
        passUp(frame, pipe);
        continue;
      }
      if (frame.hasMore()) {
        dropRestOf.put(pipe, Boolean.TRUE);
      }
      // Both the flagged and the legacy form carry the 01/00 prefix (see Frame).
      byte[] data = frame.array();
      int offset = frame.offset() + 1;
      int length = frame.size() - 1;
      Frame notification = frame.withFlags(0);
      if (manual()) {
        if (subscribe) {
          manualSubscriptions.add(data, offset, length, pipe);
        } else {
          manualSubscriptions.rm(data, offset, length, pipe);
        }
        report(notification, pipe);
      } else {
        boolean notify;
        if (subscribe) {
          notify = subscriptions.add(data, offset, length, pipe) || verboseSubs();
        } else {
          // As libzmq: a cancel of something the pipe never held is reported too.
          notify = subscriptions.rm(data, offset, length, pipe) != PipeSubscriptionTrie.RmResult.VALUES_REMAIN
              || verboseUnsubs();
        }
        if (notify) {
          report(notification, pipe);
        }
      }
    }
  }

  private void report(Frame notification, PatternPipe pipe) {
    if (reports()) {
      pending.add(notification);
      pendingPipes.add(pipe);
    }
  }

  private void passUp(Frame frame, PatternPipe pipe) {
    if (reports()) {
      pending.add(frame.withFlags(frame.flags() & Frame.MORE));
      pendingPipes.add(NO_PIPE);
    }
  }

  private void reportUnsubscription(byte[] prefix, int length) {
    if (reports()) {
      byte[] cancel = new byte[length + 1];
      System.arraycopy(prefix, 0, cancel, 1, length);
      pending.add(Frame.wrap(cancel));
      pendingPipes.add(NO_PIPE);
      if (manual()) {
        lastPipe = null;
      }
    }
  }

  @Override
  public void writeActivated(PatternPipe pipe) {
    dist.activated(pipe);
  }

  @Override
  public void pipeTerminated(PatternPipe pipe) {
    if (manual()) {
      manualSubscriptions.rm(pipe, this::reportUnsubscription, false);
      // The real trie must forget the pipe too, silently: the manual trie did the reporting.
      subscriptions.rm(pipe, (prefix, length) -> {}, false);
      if (pipe == lastPipe) {
        lastPipe = null;
      }
    } else {
      subscriptions.rm(pipe, this::reportUnsubscription, !verboseUnsubs());
    }
    dist.pipeTerminated(pipe);
    midMessage.remove(pipe);
    dropRestOf.remove(pipe);
  }

  @Override
  public int send(Frame frame) {
    boolean frameMore = frame.hasMore();
    if (!moreSend) {
      // Forget pipes matched by an earlier attempt that failed with EAGAIN.
      dist.unmatch();
      if (manual() && options.xpubManualLastValue && lastPipe != null) {
        lastPipeForMatch = lastPipe;
        subscriptions.match(frame.array(), frame.offset(), frame.size(), markLastPipeMatching);
        lastPipeForMatch = null;
        lastPipe = null;
      } else {
        subscriptions.match(frame.array(), frame.offset(), frame.size(), markMatching);
      }
      if (options.invertMatching) {
        dist.reverseMatch();
      }
    }
    if (options.xpubNodrop && !dist.checkHwm()) {
      return fail(Errno.EAGAIN);
    }
    dist.sendToMatching(frame);
    if (!frameMore) {
      dist.unmatch();
    }
    moreSend = frameMore;
    return OK;
  }

  @Override
  public Frame recv() {
    Frame frame = pending.poll();
    if (frame == null) {
      return failRecv(Errno.EAGAIN);
    }
    Object from = pendingPipes.poll();
    if (manual()) {
      // A pipe that has gone cannot be subscribed on behalf of.
      lastPipe = from instanceof PatternPipe p && dist.hasPipe(p) ? p : null;
    }
    return frame;
  }

  @Override
  public boolean hasIn() {
    return !pending.isEmpty();
  }

  @Override
  public boolean hasOut() {
    return dist.hasOut();
  }

  /** Manual mode: subscribes the pipe of the last received subscription message. */
  @Override
  public int subscribe(byte[] topic) {
    if (!manual()) {
      return fail(Errno.EINVAL);
    }
    if (lastPipe != null) {
      subscriptions.add(topic, 0, topic.length, lastPipe);
    }
    return OK;
  }

  /** Manual mode: unsubscribes the pipe of the last received subscription message. */
  @Override
  public int unsubscribe(byte[] topic) {
    if (!manual()) {
      return fail(Errno.EINVAL);
    }
    if (lastPipe != null) {
      subscriptions.rm(topic, 0, topic.length, lastPipe);
    }
    return OK;
  }
}
