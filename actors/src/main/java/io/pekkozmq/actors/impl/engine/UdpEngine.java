package io.pekkozmq.actors.impl.engine;

import io.pekkozmq.actors.impl.io.IoHandler;
import io.pekkozmq.actors.impl.io.IoThread;
import io.pekkozmq.actors.impl.pipe.Pipe;
import io.pekkozmq.actors.impl.session.Session;
import io.pekkozmq.actors.impl.transport.Endpoint;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.ZmqException;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * libzmq's udp_engine_t for RADIO/DISH (RFC 48): one {@link DatagramChannel} and the session's
 * end of one pipe, without ZMTP. The datagram is libzmq's layout: one byte of group length, the
 * group, the body. A RADIO's connect sends each message (the pipe's group frame and body) as one
 * datagram to its address (unicast, or a multicast group); a DISH's bind receives, puts each
 * datagram into the pipe as group frame and body, and the DISH pattern keeps the joined groups.
 * The DISH's joins have nowhere to go over udp and are dropped (libzmq's restart_output).
 *
 * <p>It is its own session: the socket tells it {@link Session.Term} to end, and it hears the
 * pipe as {@link Session.PipeCommand}s. Readiness comes straight from the I/O loop. A datagram
 * shorter than its group length says, or a message too big for a datagram, is dropped and
 * counted ({@link #dropped()}); the engine keeps going. When the inbound pipe is full the engine
 * stops reading and the kernel drops what it cannot buffer, as libzmq's does.
 */
public final class UdpEngine extends AbstractBehavior<Session.Command> implements IoHandler {
  /** The largest UDP payload over IPv4. */
  public static final int MAX_DATAGRAM = 65507;
  private static final int READS_PER_TURN = 256;
  /** The kernel receive buffer a DISH asks for (libzmq leaves the system's default, often 208 KiB). */
  static final int RECEIVE_BUFFER = 4 * 1024 * 1024;
  private static final int SENDS_PER_TURN = 256;
  private static final AtomicLong DROPPED = new AtomicLong();

  private final ActorRef<Session.Command> self;
  private final IoThread io;
  private final DatagramChannel channel;
  private final InetSocketAddress target;
  private final boolean send;
  private final Pipe.End pipe;
  private final ByteBuffer buf = ByteBuffer.allocateDirect(MAX_DATAGRAM + 1);
  private SelectionKey key;
  /** A datagram the kernel had no room for (send side), kept in {@link #buf} until OP_WRITE. */
  private boolean pending;
  private boolean readStopped;
  private boolean stopped;
  private boolean pipeClosed;

  /** Datagrams dropped by every udp engine (malformed, or messages too big for a datagram). */
  public static long dropped() {
    return DROPPED.get();
  }

  /**
   * Opens the channel for {@code ep} on the caller's thread, so a bind fails at once: a DISH's
   * bound to the port (and joined to a multicast group), a RADIO's ready to send to the address.
   * Throws EINVAL for an address it cannot resolve, EINVAL for an unknown interface, EADDRINUSE.
   */
  public static Opened open(Endpoint ep, boolean send, int multicastHops) {
    InetAddress addr = resolve(ep, ep.host().equals("*") ? null : ep.host());
    boolean v6 = addr instanceof Inet6Address;
    DatagramChannel ch = null;
    try {
      ch = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
      ch.configureBlocking(false);
      NetworkInterface nif = ep.path() == null || ep.path().equals("*") ? null : networkInterface(ep);
      boolean multicast = addr != null && addr.isMulticastAddress();
      if (send) {
        if (ep.host().equals("*")) throw new ZmqException(Errno.EINVAL, "cannot send to '" + ep + "': no address");
        if (multicast) {
          if (nif != null) ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
          ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
          ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, Math.max(1, multicastHops));
        } else if (ep.path() != null && !ep.path().equals("*")) {
          ch.bind(new InetSocketAddress(resolve(ep, ep.path()), 0)); // the source address
        }
        return new Opened(ch, new InetSocketAddress(addr, ep.port()), ep.original());
      }
      if (multicast) ch.setOption(StandardSocketOptions.SO_REUSEADDR, true); // as libzmq: members share the port
      // udp has no flow control: a bigger kernel buffer rides out bursts (capped by net.core.rmem_max)
      ch.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
      InetAddress local = multicast || addr == null ? null : addr;
      ch.bind(local == null ? new InetSocketAddress(ep.port()) : new InetSocketAddress(local, ep.port()));
      if (multicast) {
        NetworkInterface join = nif;
        if (join == null) join = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        ch.join(addr, join);
      }
      int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
      String host = ep.host().contains(":") ? "[" + ep.host() + "]" : ep.host();
      String uri = "udp://" + (ep.path() == null ? "" : ep.path() + ";") + host + ":" + port;
      return new Opened(ch, null, uri);
    } catch (BindException e) {
      close(ch);
      throw new ZmqException(Errno.EADDRINUSE, "cannot bind '" + ep + "': " + e.getMessage());
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      close(ch);
      throw new ZmqException(Errno.EADDRNOTAVAIL, "cannot open '" + ep + "': " + e.getMessage());
    } catch (ZmqException e) {
      close(ch);
      throw e;
    }
  }

  /** An opened channel; {@code target} is where a RADIO sends (null for a DISH). */
  public record Opened(DatagramChannel channel, InetSocketAddress target, String uri) {}

  private static InetAddress resolve(Endpoint ep, String host) {
    if (host == null) return null;
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new ZmqException(Errno.EINVAL, "cannot resolve '" + host + "' in '" + ep + "'");
    }
  }

  private static NetworkInterface networkInterface(Endpoint ep) throws SocketException {
    String name = ep.path();
    NetworkInterface nif = NetworkInterface.getByName(name);
    if (nif == null) {
      try {
        nif = NetworkInterface.getByInetAddress(InetAddress.getByName(name));
      } catch (UnknownHostException ignored) {
        // not an address either
      }
    }
    if (nif == null) throw new ZmqException(Errno.EINVAL, "no network interface '" + name + "' for '" + ep + "'");
    return nif;
  }

  private static void close(DatagramChannel ch) {
    if (ch == null) return;
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing to save
    }
  }

  public static Behavior<Session.Command> create(IoThread io, Opened opened, boolean send, Pipe.End sessionEnd) {
    return Behaviors.setup(ctx -> new UdpEngine(ctx, io, opened, send, sessionEnd));
  }

  private UdpEngine(ActorContext<Session.Command> ctx, IoThread io, Opened opened, boolean send, Pipe.End pipe) {
    super(ctx);
    this.self = ctx.getSelf();
    this.io = io;
    this.channel = opened.channel();
    this.target = opened.target();
    this.send = send;
    this.pipe = pipe;
    try {
      key = io.loop().register(channel, send ? 0 : SelectionKey.OP_READ, this);
      io.loop().adjustLoad(1);
    } catch (IOException e) {
      stopped = true;
    }
    pipe.setListener(command -> self.tell(new Session.PipeCommand(command)));
    if (stopped) {
      self.tell(new Session.Term(0));
    } else {
      drainOutbound();
    }
  }

  @Override
  public Receive<Session.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Session.PipeCommand.class, this::onPipeCommand)
        .onMessage(Session.Term.class, t -> {
          if (!stopped && send) drainOutbound(); // what fits in the kernel now goes; udp promises no more
          return finish();
        })
        .onSignal(PostStop.class, s -> {
          release();
          return this;
        })
        .build();
  }

  private Behavior<Session.Command> onPipeCommand(Session.PipeCommand c) {
    if (stopped) return Behaviors.stopped();
    Pipe.Command cmd = c.command();
    if (cmd instanceof Pipe.ActivateRead) {
      drainOutbound();
    } else if (cmd instanceof Pipe.ActivateWrite) {
      if (readStopped) {
        readStopped = false;
        setInterest(SelectionKey.OP_READ, true);
        receive();
      }
    } else if (cmd instanceof Pipe.Term) {
      drainOutbound();
      return finish(); // the socket let go of this endpoint
    }
    return this;
  }

  private Behavior<Session.Command> finish() {
    stopped = true;
    if (!pipeClosed) { // also after a failed registration: the socket must hear that this endpoint is gone
      pipeClosed = true;
      pipe.setListener(null);
      pipe.closeWrite();
    }
    release();
    return Behaviors.stopped();
  }

  private void release() {
    if (key != null) {
      key.cancel();
      io.loop().adjustLoad(-1);
      key = null;
      close(channel);
      try {
        io.loop().selector().selectNow(); // deregisters the key, which closes the socket now: the port is free
      } catch (IOException ignored) {
        // closed on the loop's next pass instead
      }
    } else {
      close(channel);
    }
  }

  @Override
  public void ready(int readyOps) {
    if (stopped) return;
    if ((readyOps & SelectionKey.OP_READ) != 0) receive();
    if ((readyOps & SelectionKey.OP_WRITE) != 0) drainOutbound();
  }

  // ---- DISH: datagrams in ---------------------------------------------------------------------

  private void receive() {
    if (send) return;
    int got = 0;
    try {
      while (got < READS_PER_TURN) {
        buf.clear();
        if (channel.receive(buf) == null) break;
        got++;
        int n = buf.position();
        if (n < 1) {
          DROPPED.incrementAndGet();
          continue;
        }
        buf.flip();
        int groupLength = buf.get(0) & 0xff;
        if (n - 1 < groupLength) { // libzmq: "this doesn't fit, just ignore"
          DROPPED.incrementAndGet();
          continue;
        }
        byte[] data = new byte[n - 1];
        buf.position(1);
        buf.get(data);
        if (!pipe.write(Frame.slice(data, 0, groupLength, Frame.MORE))) {
          // the pipe is full: this datagram is lost, and reading waits for room (libzmq's reset_pollin)
          DROPPED.incrementAndGet();
          readStopped = true;
          setInterest(SelectionKey.OP_READ, false);
          break;
        }
        pipe.write(Frame.slice(data, groupLength, n - 1 - groupLength, 0));
      }
    } catch (IOException e) {
      // an ICMP error or the like: udp carries on
    }
    if (got > 0) pipe.flush();
    // after a full turn the selector (level-triggered) reports the rest on its next pass
  }

  // ---- RADIO: datagrams out ------------------------------------------------------------------

  private void drainOutbound() {
    if (stopped) return;
    if (!send) { // a DISH's joins have no peer to go to over udp
      while (pipe.read() != null) {
        // dropped, as libzmq's udp engine drops what it cannot send
      }
      return;
    }
    try {
      if (pending && !sendPending()) return;
      for (int sent = 0; sent < SENDS_PER_TURN; sent++) {
        Frame group = pipe.read();
        if (group == null) {
          setInterest(SelectionKey.OP_WRITE, false); // the pipe's ActivateRead wakes us for the next
          return;
        }
        Frame body = group.hasMore() ? pipe.read() : null;
        while (body != null && body.hasMore()) body = pipe.read(); // a RADIO never writes more than two
        if (body == null) continue;
        if (1 + group.size() + body.size() > MAX_DATAGRAM || group.size() > Msg.GROUP_MAX_LENGTH) {
          DROPPED.incrementAndGet(); // libzmq would overrun its buffer; a datagram cannot hold it
          continue;
        }
        buf.clear();
        buf.put((byte) group.size());
        buf.put(group.array(), group.offset(), group.size());
        buf.put(body.array(), body.offset(), body.size());
        buf.flip();
        pending = true;
        if (!sendPending()) return;
      }
      // this turn's share is sent: go on when the selector next says writable, after the other
      // channels on this thread (a DISH reading on it) have had their turn
      setInterest(SelectionKey.OP_WRITE, true);
    } catch (IOException e) {
      pending = false; // unreachable and the like: the datagram is lost, as udp's are
      DROPPED.incrementAndGet();
      self.tell(new Session.PipeCommand(new Pipe.ActivateRead(pipe))); // the rest still waits in the pipe
    }
  }

  /** Sends the datagram in {@link #buf}; false (OP_WRITE on) if the kernel has no room. */
  private boolean sendPending() throws IOException {
    if (channel.send(buf, target) == 0) {
      setInterest(SelectionKey.OP_WRITE, true);
      return false;
    }
    pending = false;
    return true;
  }

  private void setInterest(int op, boolean on) {
    if (key == null || !key.isValid()) return;
    int ops = key.interestOps();
    int next = on ? (ops | op) : (ops & ~op);
    if (next != ops) key.interestOps(next);
  }
}
