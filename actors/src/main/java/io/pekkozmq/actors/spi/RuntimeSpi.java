package io.pekkozmq.actors.spi;

import com.typesafe.config.Config;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.actors.impl.socket.SocketCore;
import io.pekkozmq.actors.impl.transport.Endpoint;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.function.Function;

/**
 * Internal SPI: what the {@code streams} and {@code monitor} modules need of the runtime beyond its
 * public API. Applications use {@link ZSocket} instead.
 *
 * <p>{@code ZSocket} keeps its data plane package-private, so that no public signature names the
 * runtime's internals; this class reads it through a method handle resolved once (a private lookup
 * within the same module), so the dependency runs one way, from here to {@code ZSocket}, and
 * {@code ZSocket} never imports its SPI.
 */
@InternalApi
public final class RuntimeSpi {
  private static final MethodHandle CORE;

  static {
    try {
      CORE = MethodHandles.privateLookupIn(ZSocket.class, MethodHandles.lookup())
          .findVirtual(ZSocket.class, "core", MethodType.methodType(SocketCore.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private RuntimeSpi() {}

  /** The data plane of {@code socket}, open or closed. */
  public static SocketDataPlane dataPlane(ZSocket socket) {
    SocketCore core;
    try {
      core = (SocketCore) CORE.invokeExact(socket);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("cannot reach the data plane of " + socket, t);
    }
    return new CoreDataPlane(core);
  }

  /**
   * Whether {@code endpoint} names an inproc address, parsed as {@code bind} parses it: a malformed
   * one throws the {@code ZmqException} (EINVAL, EPROTONOSUPPORT) that bind would throw.
   */
  public static boolean isInprocEndpoint(String endpoint) {
    return Endpoint.parse(endpoint, true).transport() == Endpoint.Transport.INPROC;
  }

  /**
   * The connection and socket options a socket would start with under {@code socketConfig} (a
   * config shaped as {@code pekko-zmq.socket}), read and checked as a new socket reads them; the
   * function answers any option {@link SocketOptions#holds holds}. Bad values throw as they would
   * for a socket.
   */
  public static Function<ZmqOption, Object> socketOptions(Config socketConfig) {
    return SocketOptions.fromConfig(socketConfig)::get;
  }

  /** The data plane over a socket's {@link SocketCore}; a thin, stateless delegate. */
  private record CoreDataPlane(SocketCore core) implements SocketDataPlane {
    @Override
    public SocketType type() {
      return core.type();
    }

    @Override
    public boolean isClosed() {
      return core.isClosed();
    }

    @Override
    public String lastEndpoint() {
      return core.lastEndpoint();
    }

    @Override
    public void addWatcher(Watcher watcher) {
      core.addWatcher(new CoreWatcher(watcher));
    }

    @Override
    public void removeWatcher(Watcher watcher) {
      core.removeWatcher(new CoreWatcher(watcher)); // equal by the watcher it wraps
    }

    @Override
    public int drain(List<Msg> into, int max) {
      return core.drain(into, max);
    }

    @Override
    public Errno trySend(Msg msg) {
      return core.trySend(msg);
    }
  }

  /** Adapts a data-plane watcher to the core's; equal when they wrap the same watcher instance. */
  private record CoreWatcher(SocketDataPlane.Watcher watcher) implements SocketCore.Watcher {
    @Override
    public void socketChanged(SocketCore core) {
      watcher.socketChanged();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CoreWatcher w && w.watcher == watcher;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(watcher);
    }
  }
}
