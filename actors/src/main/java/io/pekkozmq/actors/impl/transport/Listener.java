package io.pekkozmq.actors.impl.transport;

import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.actors.impl.EventSink;
import io.pekkozmq.actors.impl.io.IoHandler;
import io.pekkozmq.actors.impl.io.IoThread;
import io.pekkozmq.actors.impl.session.Session;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * libzmq's tcp_listener / ipc_listener: accepts connections on a bound channel and starts one
 * bind-side {@link Session} per connection, on the least loaded I/O thread. Its sessions are its
 * children, so unbinding closes the connections accepted through it, as libzmq does.
 */
public final class Listener extends AbstractBehavior<Listener.Command> implements IoHandler {
  public sealed interface Command extends org.apache.pekko.actor.NoSerializationVerificationNeeded permits Accept, Term {}

  private enum Accept implements Command { INSTANCE }

  /**
   * Stop listening; sessions get {@code lingerMillis} to deliver what they hold. {@code closed}
   * (may be null) completes once the port or socket file is free again, so an unbind can answer
   * only then and a rebind of the same address right after it succeeds.
   */
  public record Term(int lingerMillis, CompletableFuture<Void> closed) implements Command {
    public Term(int lingerMillis) {
      this(lingerMillis, null);
    }
  }

  private static final int ACCEPTS_PER_TURN = 64;

  private final ActorContext<Command> ctx;
  private final ActorRef<Command> self;
  private final ServerSocketChannel server;
  private final Endpoint endpoint;
  private final String boundUri;
  private final SocketType type;
  private final SocketOptions options;
  private final Session.SocketLink socket;
  private final EventSink events;
  private final Supplier<IoThread> chooser;
  private final long listenerId;
  /** Bound with {@code ipc://*}: the socket file and its directory are ours to remove. */
  private final boolean tempIpcDir;
  private final IoThread io;
  private final Set<ActorRef<Session.Command>> sessions = new HashSet<>();
  private SelectionKey key;
  private boolean terminating;
  /** The identity (device, inode) of the ipc socket file this listener made, if any. */
  private final Object ipcFile;

  private Listener(ActorContext<Command> ctx, IoThread io, ServerSocketChannel server, Endpoint endpoint, String boundUri,
      long listenerId, boolean tempIpcDir, SocketType type, SocketOptions options, Session.SocketLink socket,
      EventSink events, Supplier<IoThread> chooser) {
    super(ctx);
    this.tempIpcDir = tempIpcDir;
    this.ctx = ctx;
    this.self = ctx.getSelf();
    this.io = io;
    this.server = server;
    this.endpoint = endpoint;
    this.boundUri = boundUri;
    this.type = type;
    this.options = options;
    this.socket = socket;
    this.events = events;
    this.chooser = chooser;
    this.listenerId = listenerId;
    this.ipcFile = endpoint.transport() == Endpoint.Transport.IPC ? fileKey(ipcPath()) : null;
    io.loop().adjustLoad(1);
    try {
      server.configureBlocking(false);
      key = io.loop().register(server, SelectionKey.OP_ACCEPT, this);
    } catch (IOException e) {
      ctx.getLog().error("cannot listen on {}: {}", boundUri, e.toString());
    }
  }

  /**
   * Takes over a channel the socket has already bound (so bind errors reach the caller at once).
   *
   * @param listenerId the value of its LISTENING and CLOSED events (where libzmq has the fd)
   * @param tempIpcDir bound with {@code ipc://*} in a directory made for it
   * @param events the socket's sink for bound endpoints
   */
  public static Behavior<Command> create(IoThread io, ServerSocketChannel server, Endpoint endpoint, String boundUri,
      long listenerId, boolean tempIpcDir, SocketType type, SocketOptions options, Session.SocketLink socket,
      EventSink events, Supplier<IoThread> chooser) {
    return Behaviors.setup(ctx -> new Listener(ctx, io, server, endpoint, boundUri, listenerId, tempIpcDir, type,
        options, socket, events, chooser));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Accept.INSTANCE, this::accept)
        .onMessage(Term.class, this::onTerm)
        .onSignal(Terminated.class, this::onSessionStopped)
        .onSignal(PostStop.class, s -> {
          closeServer();
          return this;
        })
        .build();
  }

  @Override
  public void ready(int readyOps) {
    key.interestOps(0); // accept in the actor, where spawning is allowed
    self.tell(Accept.INSTANCE);
  }

  private Behavior<Command> accept() {
    if (terminating) return this;
    for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (IOException e) {
        events.emit(EventType.ACCEPT_FAILED, 24 /* EMFILE-like */, boundUri, "");
        break;
      }
      if (ch == null) break;
      long id = ConnectionIds.next();
      String local;
      String remote;
      try {
        ChannelSetup.apply(ch, endpoint.transport(), options);
        // libzmq names an accepted connection by its own socket's address (the interface actually
        // used when bound to a wildcard), not by the bound endpoint
        boolean tcp = endpoint.transport().overTcp();
        local = tcp ? endpoint.uriFor(ch.getLocalAddress()) : boundUri;
        remote = tcp ? endpoint.uriFor(ch.getRemoteAddress()) : "";
      } catch (IOException e) {
        events.emit(EventType.ACCEPT_FAILED, 22, boundUri, "");
        closeQuietly(ch);
        continue;
      }
      events.emit(EventType.ACCEPTED, id, local, remote);
      IoThread target = chooser.get();
      ActorRef<Session.Command> s = ctx.spawnAnonymous(
          Session.accepted(target, type, options.copy(), socket, events, ch, local, remote, id, endpoint),
          target.dispatcher());
      ctx.watch(s);
      sessions.add(s);
    }
    if (key != null && key.isValid()) key.interestOps(SelectionKey.OP_ACCEPT);
    return this;
  }

  private Behavior<Command> onTerm(Term t) {
    terminating = true;
    closeServer();
    if (t.closed() != null) t.closed().complete(null);
    for (ActorRef<Session.Command> s : sessions) s.tell(new Session.Term(t.lingerMillis()));
    return sessions.isEmpty() ? Behaviors.stopped() : this;
  }

  private Behavior<Command> onSessionStopped(Terminated t) {
    sessions.remove(t.getRef());
    return terminating && sessions.isEmpty() ? Behaviors.stopped() : this;
  }

  private void closeServer() {
    if (!server.isOpen()) return;
    if (key != null) {
      io.loop().deregister(key); // so closing the channel frees the port now
      key = null;
      io.loop().adjustLoad(-1);
    }
    closeQuietly(server);
    if (endpoint.transport() == Endpoint.Transport.IPC) {
      Path file = ipcPath();
      if (tempIpcDir) {
        // libzmq's ipc listener: removing the file and directory it made for ipc://* may fail
        // (someone removed them first); that is the one CLOSE_FAILED, carrying the errno
        try {
          Files.delete(file);
          Files.delete(file.getParent());
        } catch (java.nio.file.NoSuchFileException e) {
          events.emit(EventType.CLOSE_FAILED, 2 /* ENOENT */, boundUri, "");
          return;
        } catch (IOException e) {
          events.emit(EventType.CLOSE_FAILED, 1 /* EPERM */, boundUri, "");
          return;
        }
      } else if (IpcPaths.release(file, server) && ipcFile != null && ipcFile.equals(fileKey(file))) {
        // only our own file: a socket that has bound the same path since then keeps its file
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a stale socket file is harmless: the next bind replaces it
        }
      }
    }
    events.emit(EventType.CLOSED, listenerId, boundUri, "");
  }

  private Path ipcPath() {
    return Path.of(boundUri.substring("ipc://".length()));
  }

  private static Object fileKey(Path file) {
    try {
      return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
          java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  private static void closeQuietly(java.nio.channels.Channel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // closing; nothing to report
    }
  }
}
