package io.pekkozmq.actors.impl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.actors.impl.EventSink;
import io.pekkozmq.actors.impl.pipe.Pipe;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.zmtp.PeerInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The engine tests' runtime: an ActorTestKit under ManualTime, with an {@link EmbeddedLoop} as the
 * engines' I/O thread, and engines spawned on it over {@link MemoryChannel}s. Nothing here waits:
 * every call returns after its effects (see EmbeddedLoop), and time moves only by {@link #timePasses}.
 * A test class holds one as {@code @RegisterExtension static final}: the kit starts before the
 * class's first test, each test then fails on anything the loop caught, and the kit shuts down after
 * the class.
 */
final class EngineRig implements AutoCloseable, BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  static final String LOCAL = "tcp://127.0.0.1:5555";
  static final String REMOTE = "tcp://127.0.0.1:40000";
  static final String PEER_ADDRESS = "127.0.0.1";
  static final long CONNECTION_ID = 7;

  // set once, in beforeAll, by the test thread
  private ActorTestKit kit;
  private ManualTime time;
  private EmbeddedLoop loop;

  /** Starts the kit, named after the test class, before the class's first test. */
  @Override
  public void beforeAll(ExtensionContext context) {
    this.kit = ActorTestKit.create(context.getRequiredTestClass().getSimpleName(),
        ManualTime.config().withFallback(ConfigFactory.load()));
    this.time = ManualTime.get(kit.system());
    this.loop = EmbeddedLoop.register(kit.system(), "engine-test-io");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    assertNoFailures();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** The socket option defaults of reference.conf. */
  SocketOptions options() {
    return SocketOptions.fromConfig(kit.system().settings().config().getConfig("pekko-zmq.socket"));
  }

  /**
   * A ZMTP engine of a {@code type} socket; its security options (NULL by default) decide the
   * greeting's as-server bit, whichever side it is on.
   */
  Conn zmtp(SocketType type, SocketOptions options) {
    return spawn(options, (channel, rec) ->
        ZmtpEngine.create(channel, type, options, PEER_ADDRESS, rec, rec, LOCAL, REMOTE, CONNECTION_ID));
  }

  /** A ZMTP engine speaking ZWS 2.0 (ws://) on the side {@code zws} names. */
  Conn zws(SocketType type, SocketOptions options, io.pekkozmq.engine.zmtp.ZwsOptions zws) {
    return spawn(options, (channel, rec) ->
        ZmtpEngine.create(channel, type, options, PEER_ADDRESS, rec, rec, LOCAL, REMOTE, CONNECTION_ID, zws));
  }

  /**
   * A connect-side engine of a {@code ours} socket that has shaken hands with a {@code peer} peer
   * (ZMTP 3.1, NULL) and holds its pipe; what it wrote and logged so far is taken.
   */
  Conn handshaken(SocketType ours, SocketType peer, SocketOptions options) {
    Conn c = zmtp(ours, options);
    c.channel.peerSends(ZmtpBytes.bytes().greeting().ready("Socket-Type", peer.wireName()).build());
    c.attach();
    assertEquals(List.of("handshakeSucceeded " + peer, "HANDSHAKE_SUCCEEDED 0"), c.rec.take());
    c.channel.takeWritten();
    return c;
  }

  /** A raw (STREAM) engine. */
  Conn raw(SocketOptions options) {
    return spawn(options, (channel, rec) -> RawEngine.create(channel, options, rec, rec, LOCAL, REMOTE, CONNECTION_ID));
  }

  private interface Factory {
    Behavior<ZmtpEngine.Command> create(MemoryChannel channel, Recorder recorder);
  }

  private Conn spawn(SocketOptions options, Factory factory) {
    MemoryChannel channel = new MemoryChannel(loop);
    Recorder rec = new Recorder();
    ActorRef<ZmtpEngine.Command> engine = kit.spawn(factory.create(channel, rec), loop.dispatcher());
    return new Conn(engine, channel, rec, options);
  }

  /** Moves ManualTime on; the timers due meanwhile fire, in order, and their work is done on return. */
  void timePasses(Duration d) {
    time.timePasses(d);
  }

  /** Fails on anything a readiness callback or a mailbox run threw. */
  void assertNoFailures() {
    assertEquals(List.of(), loop.failures());
  }

  @Override
  public void close() {
    kit.shutdownTestKit();
  }

  /** One engine under test, its channel, and what it told its session and the monitor. */
  static final class Conn {
    final ActorRef<ZmtpEngine.Command> engine;
    final MemoryChannel channel;
    final Recorder rec;
    private final SocketOptions options;
    private Pipe pipe;

    Conn(ActorRef<ZmtpEngine.Command> engine, MemoryChannel channel, Recorder rec, SocketOptions options) {
      this.engine = engine;
      this.channel = channel;
      this.rec = rec;
      this.options = options;
    }

    /** What the session does after the handshake: a pipe with the socket's HWMs, its end to the engine. */
    Pipe.End attach() {
      return attach(pipe());
    }

    /** A pipe as the session makes it (a: the session's and engine's end, b: the socket's), not yet attached. */
    Pipe pipe() {
      return Pipe.create(options.rcvHwm, options.sndHwm);
    }

    /** Hands the engine {@code p}'s end, as a connect-side session does with the pipe it made up front. */
    Pipe.End attach(Pipe p) {
      pipe = p;
      engine.tell(new ZmtpEngine.Attach(p.a()));
      return p.b();
    }

    boolean attached() {
      return pipe != null;
    }

    /** The socket's end of the attached pipe. */
    Pipe.End socketEnd() {
      return pipe.b();
    }

    void tell(ZmtpEngine.Command c) {
      engine.tell(c);
    }
  }

  /**
   * The engine's session and the socket's monitor at once, logging both in one order:
   * {@code "handshakeSucceeded ROUTER"}, {@code "drained"}, {@code "stopped CLOSED"}, and events as
   * {@code "DISCONNECTED 7"}. Called on the loop, read by the test after its call returned.
   */
  static final class Recorder implements ZmtpEngine.Owner, EventSink {
    private final List<String> log = new ArrayList<>();
    private PeerInfo peer;
    private ZmtpEngine.Outcome outcome;
    private String reason;

    @Override
    public synchronized void handshakeSucceeded(ActorRef<ZmtpEngine.Command> engine, PeerInfo peer) {
      this.peer = peer;
      log.add("handshakeSucceeded " + (peer == null ? "raw" : peer.socketType()));
    }

    @Override
    public synchronized void drained(ActorRef<ZmtpEngine.Command> engine) {
      log.add("drained");
    }

    @Override
    public synchronized void engineStopped(ActorRef<ZmtpEngine.Command> engine, ZmtpEngine.Outcome outcome, String reason) {
      this.outcome = outcome;
      this.reason = reason;
      log.add("stopped " + outcome);
    }

    @Override
    public synchronized void emit(EventType type, long value, String local, String remote) {
      boolean ours = LOCAL.equals(local) && REMOTE.equals(remote);
      log.add(type + " " + value + (ours ? "" : " from " + local + " to " + remote));
    }

    synchronized List<String> log() {
      return List.copyOf(log);
    }

    /** The log so far, emptied. */
    synchronized List<String> take() {
      List<String> l = List.copyOf(log);
      log.clear();
      return l;
    }

    synchronized PeerInfo peer() {
      return peer;
    }

    synchronized ZmtpEngine.Outcome outcome() {
      return outcome;
    }

    synchronized String reason() {
      return reason;
    }
  }
}
