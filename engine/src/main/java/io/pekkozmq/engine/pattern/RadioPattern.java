package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * RADIO (RFC 48), libzmq 4.3's radio_t: each message goes to the pipes whose peer joined its
 * group (exact match; a DISH that joined twice through two connections gets it on each), and to
 * every udp pipe (the udp engine sends each as a datagram, the receiving DISH filters). A message
 * without a group has the empty group, as in libzmq. Single frame only (a multipart send is
 * EINVAL). Never blocks: a peer at its HWM loses whole messages, unless XPUB_NODROP, which makes a
 * full peer EAGAIN as libzmq's radio does. Receiving is not supported (ENOTSUP). Joins and leaves
 * arrive from each pipe as JOIN/LEAVE command frames ({@link Groups}); anything else a peer sends
 * is dropped.
 */
public final class RadioPattern extends Pattern {
  private final Distributor dist = new Distributor();
  /** group → the pipes that joined it (a pipe once per join, as libzmq's multimap). */
  private final HashMap<String, List<PatternPipe>> subscriptions = new HashMap<>();
  /** Pipes that take every message (udp, libzmq's subscribe_to_all). */
  private final List<PatternPipe> udpPipes = new ArrayList<>();
  private final Groups groups = new Groups();
  /** The group of the message being sent, from {@link #beginSend}. */
  private String group;

  public RadioPattern(PatternOptions options) {
    super(options);
  }

  @Override
  public SocketType type() {
    return SocketType.RADIO;
  }

  @Override
  public void attach(PatternPipe pipe, boolean subscribeToAll, boolean locallyInitiated) {
    dist.attach(pipe);
    if (subscribeToAll) {
      udpPipes.add(pipe);
    } else {
      readActivated(pipe); // joins may already wait
    }
  }

  @Override
  public void readActivated(PatternPipe pipe) {
    Frame f;
    while ((f = pipe.read()) != null) {
      int kind = Groups.kind(f);
      if (kind == Groups.JOIN) {
        subscriptions.computeIfAbsent(Groups.commandGroup(f, kind), g -> new ArrayList<>(2)).add(pipe);
      } else if (kind == Groups.LEAVE) {
        String g = Groups.commandGroup(f, kind);
        List<PatternPipe> joined = subscriptions.get(g);
        if (joined != null && joined.remove(pipe) && joined.isEmpty()) subscriptions.remove(g);
      }
      // other frames (data from a peer) are dropped
    }
  }

  @Override
  public void pipeTerminated(PatternPipe pipe) {
    for (Iterator<Map.Entry<String, List<PatternPipe>>> it = subscriptions.entrySet().iterator(); it.hasNext(); ) {
      List<PatternPipe> joined = it.next().getValue();
      joined.removeIf(p -> p == pipe);
      if (joined.isEmpty()) it.remove();
    }
    udpPipes.remove(pipe);
    dist.pipeTerminated(pipe);
  }

  @Override
  public void writeActivated(PatternPipe pipe) {
    dist.activated(pipe);
  }

  @Override
  public int beginSend(Msg msg) {
    if (msg.size() != 1) {
      return fail(Errno.EINVAL);
    }
    group = msg.group();
    return OK;
  }

  @Override
  public int send(Frame frame) {
    String g = group == null ? "" : group;
    group = null;
    if (frame.hasMore()) {
      return fail(Errno.EINVAL);
    }
    dist.unmatch();
    List<PatternPipe> joined = subscriptions.get(g);
    if (joined != null) {
      for (int i = 0; i < joined.size(); i++) dist.match(joined.get(i));
    }
    for (int i = 0; i < udpPipes.size(); i++) dist.match(udpPipes.get(i));
    if (options.xpubNodrop && !dist.checkHwm()) {
      return fail(Errno.EAGAIN);
    }
    dist.sendToMatching(groups.groupFrame(g));
    dist.sendToMatching(frame.withMore(false));
    return OK;
  }

  @Override
  public Frame recv() {
    return failRecv(Errno.ENOTSUP);
  }

  @Override
  public boolean hasIn() {
    return false;
  }

  @Override
  public boolean hasOut() {
    return dist.hasOut();
  }
}
