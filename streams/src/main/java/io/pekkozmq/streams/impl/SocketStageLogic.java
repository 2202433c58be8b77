package io.pekkozmq.streams.impl;

import io.pekkozmq.actors.Socket;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.actors.spi.RuntimeSpi;
import io.pekkozmq.actors.spi.SocketDataPlane;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.ZmqException;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.monitor.EventSource;
import io.pekkozmq.streams.ZmqSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.Shape;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * Internal. What every ZeroMQ stage does with its socket: creates it when the stage starts, applies
 * the settings (options, subscriptions, binds, connects) through the socket actor without blocking,
 * moves messages straight between the stage and the socket's data plane ({@link SocketDataPlane}), and
 * closes the socket when the stage stops, however it stops.
 *
 * <p>Waiting for the socket: a stage that finds nothing to receive, or no room to send, arms a flag
 * and leaves; the socket's watcher (called when pipes attach or are activated, at most once per
 * batch the engine moves) turns an armed flag into one async callback. Arm first, look second, so a
 * change between the two is never missed; a spare wake-up costs one callback and is harmless.
 * Nothing here runs per message except a trySend or a slot of a drained batch.
 *
 * <p>Ending: every stage ends itself ({@code completeStage} or a failure) once what it holds is in
 * the socket. Pekko would otherwise stop a stage as soon as all its ports are closed, e.g. a sink
 * whose upstream completed while the message in its hand still waited for room below SNDHWM, and
 * that message would be lost; so stages keep going past that point.
 */
abstract class SocketStageLogic extends GraphStageLogic {
  protected final String stageName;
  protected final ZmqSettings settings;
  protected final StageControl control;
  protected ZSocket socket;
  protected SocketDataPlane core;

  private final AtomicBoolean readArmed = new AtomicBoolean();
  private final AtomicBoolean writeArmed = new AtomicBoolean();
  private final AsyncCallback<Done> wake;
  private final SocketDataPlane.Watcher watcher;
  private final int receiveLimit;
  /** Received messages not yet pushed: slots [inboxNext, size) are live. */
  private final ArrayList<Msg> inbox;
  private int inboxNext;

  /** Set once drainAndShutdown was asked for. */
  protected boolean shuttingDown;
  /** A message in hand that found no room in the socket yet. */
  protected Msg pending;
  private boolean closingSocket;
  private Throwable failure;

  SocketStageLogic(Shape shape, String stageName, ZmqSettings settings, StageControl control, int receiveLimit) {
    super(shape);
    this.stageName = stageName;
    this.settings = settings;
    this.control = control;
    this.receiveLimit = receiveLimit;
    this.inbox = new ArrayList<>(receiveLimit);
    this.wake = createAsyncCallback(d -> {
      if (core != null) onSocketChanged();
    });
    this.watcher = () -> {
      boolean r = readArmed.get() && readArmed.compareAndSet(true, false);
      boolean w = writeArmed.get() && writeArmed.compareAndSet(true, false);
      if (r || w) wake.invoke(Done.getInstance());
    };
    control.bind(createAsyncCallback(d -> {
      if (!shuttingDown) {
        shuttingDown = true;
        onShutdownRequested();
      }
    }));
  }

  /** The socket may have become readable or writable: retry what was waiting. */
  protected abstract void onSocketChanged();

  /** drainAndShutdown: stop taking new work, finish what is held, then complete the stage. */
  protected abstract void onShutdownRequested();

  /** After the socket is open (ports may be pulled here). */
  protected void onSocketOpen() {}

  @Override
  public void preStart() {
    setKeepGoing(true); // see the class comment: the stage, not its closed ports, decides when it is done
    try {
      openSocket();
    } catch (RuntimeException e) { // e.g. ETERM: the context is terminated
      fail(e);
      return;
    }
    onSocketOpen();
  }

  @Override
  public void postStop() {
    if (core != null) core.removeWatcher(watcher);
    Throwable cause = failure;
    if (!control.ready.isDone()) {
      control.ready.completeExceptionally(cause != null ? cause
          : new IllegalStateException(stageName + " stopped before its socket was bound and connected"));
    }
    if (socket == null) control.eventsDone(); // else the monitor stream ends with MONITOR_STOPPED
    if (socket == null) {
      complete(control.closed, cause);
      return;
    }
    closingSocket = true;
    socket.close(); // LINGER runs in the socket actor; whenClosed says when it is over
    socket.whenClosed().whenComplete((v, e) -> complete(control.closed, cause));
  }

  private static void complete(CompletableFuture<Done> f, Throwable cause) {
    if (cause == null) f.complete(Done.getInstance());
    else f.completeExceptionally(cause);
  }

  /** Fails the stage and remembers why, for {@code whenClosed}. */
  protected final void fail(Throwable cause) {
    if (failure == null) failure = cause;
    failStage(cause);
  }

  // ---- receiving ----------------------------------------------------------------------------

  /** Whether messages taken from the socket are waiting for demand. */
  protected final boolean holdsReceived() {
    return inboxNext < inbox.size();
  }

  /**
   * The next received message, from the stage's batch or else a fresh batch drained from the
   * socket; null when there is none (the read watch is then armed).
   */
  protected final Msg receive() {
    if (inboxNext < inbox.size()) return takeFromInbox();
    if (inboxNext > 0) {
      inbox.clear();
      inboxNext = 0;
    }
    readArmed.set(true);
    int n;
    try {
      n = core.drain(inbox, receiveLimit);
    } catch (ZmqException e) {
      fail(e);
      return null;
    }
    if (n == 0) return null;
    readArmed.set(false);
    return takeFromInbox();
  }

  private Msg takeFromInbox() {
    return inbox.get(inboxNext++); // slots are released together by the next batch's clear()
  }

  /**
   * Pushes the next received message to {@code out} (which must be available). Once shutting down,
   * when every received message has been pushed, {@link #onDrained} ends the stage.
   */
  protected final void emit(Outlet<Msg> out) {
    if (shuttingDown && !holdsReceived()) {
      onDrained();
      return;
    }
    Msg m = receive();
    if (m == null) return;
    push(out, m);
    if (shuttingDown && !holdsReceived()) onDrained();
  }

  /** Shutting down and nothing received is left to push: complete the stage. */
  protected void onDrained() {
    completeStage();
  }

  // ---- sending ------------------------------------------------------------------------------

  /**
   * Puts {@code msg} into the socket's pipes. False when there is no room (the write watch is then
   * armed) or when the socket refused it for good, in which case the stage has failed.
   */
  protected final boolean send(Msg msg) {
    Errno err = core.trySend(msg);
    if (err == null) return true;
    if (err == Errno.EAGAIN) {
      writeArmed.set(true);
      err = core.trySend(msg); // room may have come before the watch was armed
      if (err == null) {
        writeArmed.set(false);
        return true;
      }
      if (err == Errno.EAGAIN) return false;
    }
    fail(new ZmqException(err, stageName + " cannot send on its " + core.type() + " socket"));
    return false;
  }

  /** Sends {@link #pending}, if any; true when the socket took it (nothing is pending any more). */
  protected final boolean sendPending() {
    if (pending == null || !send(pending)) return false;
    pending = null;
    return true;
  }

  /** An in-handler whose upstream failure fails the stage through {@link #fail}, so whenClosed reports it. */
  protected abstract class InHandler extends AbstractInHandler {
    @Override
    public void onUpstreamFailure(Throwable cause) {
      fail(cause);
    }
  }

  /**
   * An in-handler that sends what {@code in} pushes and asks for the next once the socket took it; a
   * message that finds no room waits in {@link #pending} for {@link #onSocketChanged}.
   */
  protected abstract class SendingInHandler extends InHandler {
    private final Inlet<Msg> in;

    protected SendingInHandler(Inlet<Msg> in) {
      this.in = in;
    }

    @Override
    public final void onPush() {
      Msg m = grab(in);
      if (send(m)) {
        pull(in);
      } else if (!isClosed(in)) {
        pending = m;
      }
    }
  }

  // ---- the socket's life --------------------------------------------------------------------

  private void openSocket() {
    ActorSystem<?> system = Adapter.toTyped(materializer().system());
    ZeroMQ zmq = ZeroMQ.get(system);
    socket = zmq.socket(settings.socketType());
    core = RuntimeSpi.dataPlane(socket);
    control.setCore(core);
    core.addWatcher(watcher);
    // the monitor is subscribed before any bind or connect, so no event of this socket is missed:
    // its stream starts on its own, so the commands below wait until its subscription is sent
    Pair<CompletionStage<Done>, CompletionStage<Done>> monitor = EventSource
        .create(socket, EventType.ALL_V2, settings.eventBuffer())
        .toMat(Sink.foreach(control::publish), Keep.both())
        .run(materializer());
    monitor.second().whenComplete((d, e) -> control.eventsDone());
    AsyncCallback<Done> gone = createAsyncCallback(d -> {
      if (!closingSocket) {
        fail(new ZmqException(Errno.ETERM, stageName + ": its " + core.type() + " socket was closed (context terminated?)"));
      }
    });
    socket.whenClosed().thenRun(() -> gone.invoke(Done.getInstance()));

    AsyncCallback<Pair<List<String>, List<CompletableFuture<Socket.Reply>>>> opened =
        createAsyncCallback(p -> onOpened(p.first(), p.second()));
    // a failed monitor stream must not keep the socket from opening: send the commands either way
    monitor.first().whenComplete((d, e) -> sendCommands(system, zmq, opened));
  }

  /** One socket actor takes these in order: options first, then subscriptions, binds and connects. */
  private void sendCommands(ActorSystem<?> system, ZeroMQ zmq,
      AsyncCallback<Pair<List<String>, List<CompletableFuture<Socket.Reply>>>> opened) {
    Duration timeout = zmq.settings().commandTimeout();
    List<String> what = new ArrayList<>();
    List<CompletableFuture<Socket.Reply>> replies = new ArrayList<>();
    for (Map.Entry<ZmqOption, Object> o : settings.options().entrySet()) {
      what.add("option " + o.getKey());
      replies.add(ask(system, timeout, to -> new Socket.SetOption(o.getKey(), o.getValue(), to)));
    }
    for (byte[] topic : settings.subscriptions()) {
      if (core.type().joinsGroups()) { // a DISH's subscriptions are the groups it joins
        String group = new String(topic, java.nio.charset.StandardCharsets.UTF_8);
        what.add("join of group '" + group + "'");
        replies.add(ask(system, timeout, to -> new Socket.Join(group, to)));
      } else if (core.type().subscribesByMessage()) {
        core.trySend(Msg.of(Frame.wrap(subscribeMessage(topic)))); // XSUB keeps it and resends on reconnect
      } else {
        what.add("subscription");
        replies.add(ask(system, timeout, to -> new Socket.SetOption(ZmqOption.SUBSCRIBE, topic, to)));
      }
    }
    for (String ep : settings.binds()) {
      what.add("bind to " + ep);
      replies.add(ask(system, timeout, to -> new Socket.Bind(ep, to)));
    }
    for (String ep : settings.connects()) {
      what.add("connect to " + ep);
      replies.add(ask(system, timeout, to -> new Socket.Connect(ep, to)));
    }
    CompletableFuture.allOf(replies.toArray(new CompletableFuture[0]))
        .whenComplete((v, e) -> opened.invoke(Pair.create(what, replies)));
  }

  private void onOpened(List<String> what, List<CompletableFuture<Socket.Reply>> replies) {
    for (int i = 0; i < replies.size(); i++) {
      CompletableFuture<Socket.Reply> f = replies.get(i);
      Socket.Reply r;
      try {
        r = f.getNow(null);
      } catch (RuntimeException e) {
        fail(new ZmqException(Errno.ETERM, stageName + ": the socket did not answer the " + what.get(i), e));
        return;
      }
      if (r instanceof Socket.Failed failed) {
        fail(failed.error());
        return;
      }
    }
    control.ready.complete(core.lastEndpoint());
  }

  private CompletableFuture<Socket.Reply> ask(ActorSystem<?> system, Duration timeout,
      Function<ActorRef<Socket.Reply>, Socket.Command> make) {
    return AskPattern.ask(socket.actor(), make, timeout, system.scheduler()).toCompletableFuture();
  }

  private static byte[] subscribeMessage(byte[] topic) {
    byte[] b = new byte[topic.length + 1];
    b[0] = 1;
    System.arraycopy(topic, 0, b, 1, topic.length);
    return b;
  }
}
