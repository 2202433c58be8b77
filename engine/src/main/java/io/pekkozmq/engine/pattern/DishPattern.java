package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * DISH (RFC 48), libzmq 4.3's dish_t: receives, fair-queued, the messages of the groups it joined
 * (exact match; others are dropped here, which is what filters udp datagrams), each one frame with
 * its group ({@link #receivedGroup}). {@link #join}/{@link #leave} send JOIN/LEAVE upstream to
 * every peer; a new pipe, or a pipe with a new peer behind it ({@link #hiccuped}), gets every
 * join. A join is lost at a full pipe, as in libzmq. Joining a group twice, leaving one not joined,
 * or a group over {@link Msg#GROUP_MAX_LENGTH} bytes is EINVAL. Sending is not supported (ENOTSUP).
 */
public final class DishPattern extends Pattern {
  private final FairQueue fq = new FairQueue();
  private final List<PatternPipe> pipes = new ArrayList<>();
  private final LinkedHashSet<String> joined = new LinkedHashSet<>();
  /** The joined groups as names and UTF-8 bytes, for the receive path's scan (rebuilt on change). */
  private String[] names = new String[0];
  private byte[][] bytes = new byte[0][];

  private Frame prefetched;
  private String prefetchedGroup;
  private String lastGroup;
  /** Set by {@link #next}: the group of the body it returned. */
  private String nextGroup;

  public DishPattern(PatternOptions options) {
    super(options);
  }

  @Override
  public SocketType type() {
    return SocketType.DISH;
  }

  @Override
  public void attach(PatternPipe pipe, boolean subscribeToAll, boolean locallyInitiated) {
    fq.attach(pipe);
    pipes.add(pipe);
    sendJoins(pipe);
  }

  @Override
  public void hiccuped(PatternPipe pipe) {
    if (pipes.contains(pipe)) sendJoins(pipe);
  }

  private void sendJoins(PatternPipe pipe) {
    for (byte[] g : bytes) pipe.write(Groups.command(Groups.JOIN, g));
    pipe.flush();
  }

  @Override
  public void pipeTerminated(PatternPipe pipe) {
    fq.pipeTerminated(pipe);
    pipes.remove(pipe);
  }

  @Override
  public void readActivated(PatternPipe pipe) {
    fq.activated(pipe);
  }

  @Override
  public void writeActivated(PatternPipe pipe) {
    // joins lost to a full pipe are not retried (libzmq's dist_t drops them too)
  }

  @Override
  public int join(String group) {
    if (group == null || group.getBytes(StandardCharsets.UTF_8).length > Msg.GROUP_MAX_LENGTH || !joined.add(group)) {
      return fail(Errno.EINVAL);
    }
    changed();
    toAll(Groups.command(Groups.JOIN, group.getBytes(StandardCharsets.UTF_8)));
    return OK;
  }

  @Override
  public int leave(String group) {
    if (group == null || !joined.remove(group)) {
      return fail(Errno.EINVAL);
    }
    changed();
    toAll(Groups.command(Groups.LEAVE, group.getBytes(StandardCharsets.UTF_8)));
    return OK;
  }

  /** Whether {@code group} is joined now. */
  public boolean joined(String group) {
    return joined.contains(group);
  }

  private void changed() {
    names = joined.toArray(new String[0]);
    bytes = new byte[names.length][];
    for (int i = 0; i < names.length; i++) bytes[i] = names[i].getBytes(StandardCharsets.UTF_8);
  }

  private void toAll(Frame command) {
    for (PatternPipe p : pipes) {
      p.write(command);
      p.flush();
    }
  }

  @Override
  public int send(Frame frame) {
    return fail(Errno.ENOTSUP);
  }

  @Override
  public boolean hasOut() {
    return true; // joins and leaves can be made at any time (libzmq's dish_t::xhas_out)
  }

  @Override
  public Frame recv() {
    if (prefetched != null) {
      Frame f = prefetched;
      lastGroup = prefetchedGroup;
      prefetched = null;
      prefetchedGroup = null;
      return f;
    }
    Frame f = next();
    if (f == null) return failRecv(Errno.EAGAIN);
    lastGroup = nextGroup;
    return f;
  }

  @Override
  public String receivedGroup() {
    return lastGroup;
  }

  @Override
  public boolean hasIn() {
    if (prefetched != null) return true;
    Frame f = next();
    if (f == null) return false;
    prefetched = f;
    prefetchedGroup = nextGroup;
    return true;
  }

  /** The body of the next message of a joined group, its group in {@link #nextGroup}; or null. */
  private Frame next() {
    while (true) {
      Frame group = fq.recv();
      if (group == null) return null;
      if (!group.hasMore()) continue; // a lone frame is no RADIO message (the codec refuses these)
      Frame body = fq.recv();
      if (body == null) return null; // cannot happen: pipes publish whole messages
      if (body.hasMore()) { // nor this: skip the rest
        while (body != null && body.hasMore()) body = fq.recv();
        continue;
      }
      String name = match(group);
      if (name != null) {
        nextGroup = name;
        return body;
      }
    }
  }

  private String match(Frame group) {
    byte[] a = group.array();
    int off = group.offset();
    int len = group.size();
    for (int i = 0; i < bytes.length; i++) {
      byte[] b = bytes[i];
      if (b.length == len && Arrays.equals(a, off, off + len, b, 0, len)) return names[i];
    }
    return null;
  }
}
