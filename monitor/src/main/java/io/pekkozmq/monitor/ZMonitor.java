package io.pekkozmq.monitor;

import io.pekkozmq.actors.Socket;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.actors.spi.RuntimeSpi;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;

/**
 * libzmq-compatible monitor sockets: {@code zmq_socket_monitor_versioned},
 * {@code zmq_socket_monitor} and {@code zmq_socket_monitor_pipes_stats} over pekko-zmq sockets.
 *
 * <p>{@link #monitor} creates a PAIR, PUB or PUSH socket bound at an {@code inproc://} endpoint
 * that sends each event as libzmq does, byte for byte (v1: a 6-byte frame of u16 event and u32
 * value, then the endpoint; v2: u64 event, u64 value count, one u64 frame per value, local
 * endpoint, remote endpoint; little endian). With PUB the first frame is the topic, so SUB readers
 * subscribe by event number. Read the messages with {@link MonitorEventReader}, or with libzmq.
 *
 * <p>As in libzmq: one monitor socket per socket, a new one replaces the old (which gets
 * MONITOR_STOPPED if its mask has it); MONITOR_STOPPED is sent only if the mask asks for it.
 * Unlike libzmq, the monitored socket never waits for the monitor: where libzmq would block it
 * (PAIR or PUSH without a reader, or a full pipe), at most {@code pekko-zmq.monitor.socket-backlog}
 * events wait and older ones are dropped ({@link Handle#droppedEvents()}).
 */
public final class ZMonitor {
  private static final Map<ActorRef<Socket.Command>, Handle> ACTIVE = new ConcurrentHashMap<>();
  private static final AtomicInteger NAMES = new AtomicInteger();

  private ZMonitor() {}

  /** A running monitor socket. */
  public static final class Handle {
    private final ZSocket monitorSocket;
    private final String endpoint;
    private final long events;
    private final int version;
    private final int backlogLimit;
    private final AtomicLong dropped = new AtomicLong();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    /** The subscription has been sent to the monitored socket (before anything the caller does next). */
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private volatile ActorRef<MonitorSocketBridge.Command> bridge;

    Handle(ZSocket monitorSocket, String endpoint, long events, int version, int backlogLimit) {
      this.monitorSocket = monitorSocket;
      this.endpoint = endpoint;
      this.events = events;
      this.version = version;
      this.backlogLimit = backlogLimit;
    }

    /** The inproc endpoint the monitor socket is bound at. */
    public String endpoint() {
      return endpoint;
    }

    public long events() {
      return events;
    }

    public int version() {
      return version;
    }

    public SocketType type() {
      return monitorSocket.type();
    }

    /** Events that never reached the monitor socket: its backlog overflowed, or it was closed. */
    public long droppedEvents() {
      return dropped.get();
    }

    /** Completes when monitoring has ended and the monitor socket is closed. */
    public CompletableFuture<Void> stopped() {
      return stopped;
    }

    ZSocket monitorSocket() {
      return monitorSocket;
    }

    int backlogLimit() {
      return backlogLimit;
    }

    void subscribed() {
      subscribed.complete(null);
    }

    void addDropped(long n) {
      dropped.addAndGet(n);
    }
  }

  /**
   * libzmq's {@code zmq_socket_monitor_versioned}: monitors {@code socket}'s events in
   * {@code events} (EventType bits) on a new {@code type} socket bound at {@code endpoint}.
   * A null endpoint stops monitoring (and returns null).
   *
   * @throws ZmqException ETERM if the context is terminated, ENOTSOCK if the socket is closed,
   *     EINVAL for an event version other than 1 and 2, for v1 with events beyond the first 16, or
   *     for a type other than PAIR, PUB and PUSH, EPROTONOSUPPORT for an endpoint that is not
   *     inproc, EADDRINUSE if the endpoint is taken
   */
  public static Handle monitor(ZSocket socket, String endpoint, long events, int eventVersion, SocketType type) {
    ZeroMQ zmq = socket.context();
    if (zmq.isTerminated()) throw new ZmqException(Errno.ETERM, "cannot monitor: the context is terminated");
    if (RuntimeSpi.dataPlane(socket).isClosed()) throw new ZmqException(Errno.ENOTSOCK, "cannot monitor a closed " + socket.type() + " socket");
    if (eventVersion != 1 && eventVersion != 2) {
      // libzmq 4.3 accepts any number and then sends nothing; we say so at once
      throw new ZmqException(Errno.EINVAL, "unknown monitor event version " + eventVersion + "; there are 1 and 2");
    }
    if (eventVersion == 1 && (events >>> 16) != 0) {
      throw new ZmqException(Errno.EINVAL, "event version 1 has only the first 16 events (0x"
          + Long.toHexString(events) + " asks for more); use version 2 for PIPES_STATS");
    }
    if (endpoint == null) {
      stop(socket);
      return null;
    }
    if (!RuntimeSpi.isInprocEndpoint(endpoint)) {
      throw new ZmqException(Errno.EPROTONOSUPPORT,
          "protocol not supported: a monitor endpoint must be inproc://, not '" + endpoint + "'");
    }
    stop(socket); // libzmq: an existing monitor is stopped first, even if what follows fails
    if (type != SocketType.PAIR && type != SocketType.PUB && type != SocketType.PUSH) {
      throw new ZmqException(Errno.EINVAL, "a monitor socket is PAIR, PUB or PUSH, not " + type);
    }
    ZSocket monitorSocket = zmq.socket(type);
    monitorSocket.setOption(ZmqOption.LINGER, 0); // never hold up the context on pending events
    try {
      monitorSocket.bind(endpoint);
    } catch (ZmqException e) {
      monitorSocket.close();
      throw e;
    }
    int backlog = zmq.system().settings().config().getInt("pekko-zmq.monitor.socket-backlog");
    Handle h = new Handle(monitorSocket, endpoint, events, eventVersion, backlog);
    h.bridge = zmq.system().systemActorOf(MonitorSocketBridge.create(socket.actor(), h),
        "pzmq-monitor-socket-" + NAMES.incrementAndGet(), Props.empty());
    ACTIVE.put(socket.actor(), h);
    h.stopped.whenComplete((d, t) -> ACTIVE.remove(socket.actor(), h));
    // as in libzmq, every event after this call returns is monitored
    long timeout = zmq.settings().commandTimeout().toMillis();
    try {
      h.subscribed.get(timeout, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ZmqException(Errno.EINTR, "interrupted while starting the monitor of " + socket.type() + " socket");
    } catch (Exception e) {
      throw new ZmqException(Errno.ETERM, "the monitor of " + socket.type() + " socket did not start within "
          + timeout + " ms", e);
    }
    return h;
  }

  /** libzmq's {@code zmq_socket_monitor}: event version 1, a PAIR socket. */
  public static Handle monitor(ZSocket socket, String endpoint, long events) {
    return monitor(socket, endpoint, events, 1, SocketType.PAIR);
  }

  /**
   * Stops monitoring {@code socket} (its monitor gets MONITOR_STOPPED if its mask has it) and waits
   * until the monitor socket is closed and its endpoint free. No-op if it has no monitor socket.
   */
  public static void stop(ZSocket socket) {
    Handle h = ACTIVE.remove(socket.actor());
    if (h == null) return;
    h.bridge.tell(MonitorSocketBridge.StopMonitoring.INSTANCE);
    long timeout = socket.context().settings().commandTimeout().toMillis();
    try {
      h.stopped.get(timeout, TimeUnit.MILLISECONDS);
      h.monitorSocket.closeAndWait(java.time.Duration.ofMillis(timeout));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ZmqException(Errno.EINTR, "interrupted while stopping the monitor of " + socket.type() + " socket");
    } catch (Exception e) {
      throw new ZmqException(Errno.ETERM, "the monitor of " + socket.type() + " socket did not stop within "
          + timeout + " ms", e);
    }
  }

  /**
   * libzmq's {@code zmq_socket_monitor_pipes_stats}: one PIPES_STATS event per peer of
   * {@code socket} (messages queued outbound and inbound in that peer's pipe) follows on its
   * monitors. EINVAL when no monitor asks for PIPES_STATS (libzmq's invalid state), EAGAIN when the
   * socket has no peers yet.
   */
  public static void requestPipesStats(ZSocket socket) {
    socket.requestPipesStats();
  }
}
