package io.pekkozmq.actors.impl.transport;

import io.pekkozmq.actors.impl.EventSink;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import java.io.IOException;
import java.net.BindException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Binds a tcp or ipc endpoint for a socket, as libzmq's tcp_listener / ipc_listener set_address
 * do: a stale ipc file is unlinked first, {@code ipc://*} gets a directory of its own, a failure
 * reports libzmq's events (CLOSED where libzmq's listener had a socket, then BIND_FAILED with the
 * errno and the address without its scheme) and throws naming the endpoint. Runs on the socket
 * actor's thread, so the caller of bind hears the error at once; the bound channel then goes to
 * a {@link Listener}.
 */
public final class NetworkBind {
  /** A bound channel and what its Listener needs to know of it. */
  public record Bound(ServerSocketChannel server, Endpoint endpoint, String uri, long listenerId, boolean tempIpcDir) {}

  private NetworkBind() {}

  /** Binds {@code ep} (tcp or ipc); {@code events} is the socket's sink for bound endpoints. */
  public static Bound bind(Endpoint ep, EventSink events) {
    boolean tempIpcDir = ep.transport() == Endpoint.Transport.IPC && ep.path().equals("*");
    if (tempIpcDir) ep = ep.withGeneratedIpcPath();
    ServerSocketChannel server = null;
    long listenerId = ConnectionIds.next();
    try {
      if (ep.transport() == Endpoint.Transport.IPC) {
        Files.deleteIfExists(Path.of(ep.path())); // libzmq unlinks a stale socket file first
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      } else {
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      }
      server.bind(ep.socketAddress(), 100);
      if (ep.transport() == Endpoint.Transport.IPC) IpcPaths.claim(Path.of(ep.path()), server);
    } catch (IOException e) {
      int errno = errno(e);
      if (server != null) {
        closeQuietly(server);
        // libzmq's listener closes the socket it could not bind (CLOSED: tcp before it has an
        // endpoint, ipc with it), then the socket reports the address without its scheme
        events.emit(EventType.CLOSED, listenerId, ep.transport() == Endpoint.Transport.IPC ? ep.original() : "", "");
      }
      events.emit(EventType.BIND_FAILED, errno, address(ep.original()), "");
      throw new ZmqException(code(errno), "cannot bind to " + ep + ": " + e.getMessage(), e);
    }
    try {
      String uri = ep.transport() == Endpoint.Transport.IPC ? "ipc://" + ep.path()
          : ep.uriFor(server.getLocalAddress());
      return new Bound(server, ep, uri, listenerId, tempIpcDir);
    } catch (IOException e) {
      closeQuietly(server);
      throw new ZmqException(Errno.EADDRNOTAVAIL, "cannot read the bound address of " + ep, e);
    }
  }

  /** The errno libzmq would report for this failure. */
  private static int errno(IOException e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (m.contains("already in use")) return Errno.EADDRINUSE.code();
    if (m.contains("no such file")) return Errno.ENOENT.code();
    if (m.contains("permission denied")) return 13; // EACCES
    if (m.contains("cannot assign")) return Errno.EADDRNOTAVAIL.code();
    return e instanceof BindException ? Errno.EADDRINUSE.code() : Errno.EADDRNOTAVAIL.code();
  }

  private static Errno code(int errno) {
    for (Errno e : new Errno[] {Errno.EADDRINUSE, Errno.ENOENT, Errno.EADDRNOTAVAIL}) {
      if (e.code() == errno) return e;
    }
    return Errno.EADDRNOTAVAIL;
  }

  private static String address(String endpoint) {
    int i = endpoint.indexOf("://");
    return i < 0 ? endpoint : endpoint.substring(i + 3);
  }

  private static void closeQuietly(ServerSocketChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // it never listened; nothing to report beyond the bind failure
    }
  }
}
