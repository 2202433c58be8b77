package io.pekkozmq.samples.cluster;

import com.typesafe.config.Config;
import io.pekkozmq.actors.Socket;
import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The cluster's one ZeroMQ endpoint, run as a Cluster Singleton: a ROUTER bound at the endpoint
 * whose requests go round-robin to the {@link Worker}s of every reachable member (found through
 * the Receptionist), each answer going back to the client that asked (its routing envelope stays
 * here, keyed by the job's id). A delivery's requests go out as one {@link Worker.Jobs} per worker,
 * and come back as one {@link Answers}: under load, one message between members carries many
 * requests.
 *
 * <p>Flow control is the socket's demand: the gateway asks for at most {@code in-flight} requests
 * and asks for more as answers come back, so a slow cluster holds clients back at the ROUTER's
 * RCVHWM rather than growing a mailbox. A job whose worker's member died is dropped after
 * {@code request-timeout} (the client retries, as a lazy-pirate client does).
 *
 * <p>When the singleton moves (its member left or was downed), the new instance binds the same
 * endpoint; the bind is retried every {@code bind-retry-interval} for {@code bind-retry-for} (the
 * old listener may still hold the port for a moment; the listener sets SO_REUSEADDR, so TIME_WAIT
 * does not), and after that the gateway fails and is restarted with back-off.
 */
public final class Gateway extends AbstractBehavior<Gateway.Command> {
  /** What the gateway hears. */
  public interface Command {}

  /** A worker's answer to one request: the frames to send back after the request's envelope. */
  public record Answer(long id, List<byte[]> frames) {}

  /** A worker's answers to one {@link Worker.Jobs}. */
  public record Answers(List<Answer> answers) implements Command, GatewayMessage {}

  private record SocketReply(Socket.Reply reply) implements Command {}

  private record Received(Socket.Delivery delivery) implements Command {}

  private record WorkersChanged(Receptionist.Listing listing) implements Command {}

  private enum RetryBind implements Command { INSTANCE }

  private enum Sweep implements Command { INSTANCE }

  /** A request waiting for its answer: the envelope to put in front of it. */
  private record Pending(Frame[] envelope, long since) {}

  /** A request waiting for a worker to appear. */
  private record Waiting(Frame[] envelope, List<byte[]> frames) {}

  /** The gateway's settings, {@code pzmq-cluster.gateway} in {@code pzmq-cluster.conf}. */
  public record Settings(int inFlight, Duration bindRetryInterval, Duration bindRetryFor, Duration requestTimeout) {
    public static Settings from(Config root) {
      Config c = root.getConfig("pzmq-cluster.gateway");
      return new Settings(c.getInt("in-flight"), c.getDuration("bind-retry-interval"), c.getDuration("bind-retry-for"),
          c.getDuration("request-timeout"));
    }
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final String endpoint;
  private final Settings settings;
  private final Consumer<String> status;
  private final int gatewayPort;
  private final ActorRef<Socket.Command> socket;
  private final ActorRef<Socket.Reply> replies;
  private final ActorRef<Gateway.Answers> answers;
  private final long bindDeadline;
  private boolean bound;
  private int bindFailures;
  private long nextId;
  private int credit;
  private List<ActorRef<Worker.Jobs>> workers = List.of();
  private int nextWorker;
  private final Map<Long, Pending> pending = new HashMap<>();
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

  /** The singleton's behaviour: the gateway at {@code endpoint}, restarted with back-off if it fails. */
  public static Behavior<Command> create(String endpoint, Consumer<String> status) {
    Behavior<Command> gateway = Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new Gateway(ctx, timers, endpoint, Settings.from(ctx.getSystem().settings().config()), status)));
    return Behaviors.supervise(gateway)
        .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 0.2));
  }

  private Gateway(ActorContext<Command> ctx, TimerScheduler<Command> timers, String endpoint, Settings settings,
      Consumer<String> status) {
    super(ctx);
    this.ctx = ctx;
    this.timers = timers;
    this.endpoint = endpoint;
    this.settings = settings;
    this.status = status;
    this.gatewayPort = Cluster.get(ctx.getSystem()).selfMember().address().port().getOrElse(() -> 0);
    this.socket = ZeroMQ.get(ctx.getSystem()).socketActor(SocketType.ROUTER);
    this.replies = ctx.messageAdapter(Socket.Reply.class, SocketReply::new);
    this.answers = ctx.getSelf().narrow();
    this.bindDeadline = System.nanoTime() + settings.bindRetryFor().toNanos();
    // a moving gateway must not hold its port while answers to gone clients linger
    socket.tell(new Socket.SetOption(ZmqOption.LINGER, 0, null));
    socket.tell(new Socket.Bind(endpoint, replies));
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(Worker.KEY,
        ctx.messageAdapter(Receptionist.Listing.class, WorkersChanged::new)));
    timers.startTimerWithFixedDelay(Sweep.INSTANCE, settings.requestTimeout());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(SocketReply.class, this::onSocketReply)
        .onMessageEquals(RetryBind.INSTANCE, () -> {
          socket.tell(new Socket.Bind(endpoint, replies));
          return this;
        })
        .onMessage(Received.class, r -> onReceived(r.delivery()))
        .onMessage(Answers.class, this::onAnswers)
        .onMessage(WorkersChanged.class, this::onWorkersChanged)
        .onMessageEquals(Sweep.INSTANCE, this::onSweep)
        .onSignal(PostStop.class, s -> closeSocket())
        .onSignal(PreRestart.class, s -> closeSocket())
        .build();
  }

  private Behavior<Command> onSocketReply(SocketReply r) {
    if (bound) return this; // nothing else asks for a reply
    if (r.reply() instanceof Socket.Bound b) {
      bound = true;
      status.accept("gateway bound at " + b.endpoint() + " on member " + gatewayPort
          + (bindFailures == 0 ? "" : " (after " + bindFailures + " failed attempts)"));
      socket.tell(new Socket.StartReceiving(ctx.messageAdapter(Socket.Delivery.class, Received::new),
          settings.inFlight()));
      return this;
    }
    String why = r.reply() instanceof Socket.Failed f ? f.error().getMessage() : String.valueOf(r.reply());
    if (System.nanoTime() - bindDeadline > 0) {
      throw new IllegalStateException("gateway cannot bind " + endpoint + " for " + settings.bindRetryFor() + ": " + why);
    }
    if (bindFailures++ == 0) status.accept("gateway cannot bind " + endpoint + " yet (" + why + "), retrying");
    timers.startSingleTimer(RetryBind.INSTANCE, settings.bindRetryInterval());
    return this;
  }

  private Behavior<Command> onReceived(Socket.Delivery d) {
    // one batch per worker for the whole delivery, the requests dealt round-robin
    List<List<Worker.Job>> batches = workers.isEmpty() ? null : new ArrayList<>(workers.size());
    if (batches != null) for (int i = 0; i < workers.size(); i++) batches.add(null);
    for (Msg m : d.messages()) {
      // the envelope: the routing id and, from REQ clients, everything up to the empty delimiter
      int body = 1;
      for (int i = 1; i < m.size(); i++) {
        if (m.frame(i).size() == 0) {
          body = i + 1;
          break;
        }
      }
      if (body >= m.size()) { // no request after the envelope: nothing to answer
        credit++;
        continue;
      }
      Frame[] envelope = new Frame[body];
      for (int i = 0; i < body; i++) envelope[i] = m.frame(i);
      List<byte[]> frames = new ArrayList<>(m.size() - body);
      for (int i = body; i < m.size(); i++) frames.add(m.frame(i).toByteArray());
      if (batches == null) {
        waiting.add(new Waiting(envelope, frames));
        continue;
      }
      long id = nextId++;
      pending.put(id, new Pending(envelope, System.nanoTime()));
      int w = nextWorker;
      nextWorker = (nextWorker + 1) % workers.size();
      if (batches.get(w) == null) batches.set(w, new ArrayList<>());
      batches.get(w).add(new Worker.Job(id, frames));
    }
    if (batches != null) {
      for (int w = 0; w < batches.size(); w++) {
        if (batches.get(w) != null) workers.get(w).tell(new Worker.Jobs(batches.get(w), gatewayPort, answers));
      }
    }
    returnCredit();
    return this;
  }

  private Behavior<Command> onAnswers(Answers as) {
    for (Answer a : as.answers()) {
      Pending p = pending.remove(a.id());
      if (p == null) continue; // timed out already; the client has asked again
      Frame[] out = new Frame[p.envelope().length + a.frames().size()];
      System.arraycopy(p.envelope(), 0, out, 0, p.envelope().length);
      int i = p.envelope().length;
      for (byte[] f : a.frames()) out[i++] = Frame.wrap(f);
      socket.tell(new Socket.Send(Msg.of(out), null));
      credit++;
    }
    returnCredit();
    return this;
  }

  /** Gives the socket back the demand of finished requests, in batches (one message per batch). */
  private void returnCredit() {
    if (credit > 0 && (credit >= Math.max(1, settings.inFlight() / 4) || pending.isEmpty())) {
      socket.tell(new Socket.Request(credit));
      credit = 0;
    }
  }

  private Behavior<Command> onWorkersChanged(WorkersChanged c) {
    List<ActorRef<Worker.Jobs>> now = new ArrayList<>(c.listing().getServiceInstances(Worker.KEY));
    now.sort(Comparator.comparing(ActorRef::toString));
    if (!now.equals(workers)) status.accept("gateway: " + now.size() + " worker(s) reachable");
    workers = List.copyOf(now);
    nextWorker = 0;
    // requests that came while no worker was known: one job each, round-robin
    while (!workers.isEmpty() && !waiting.isEmpty()) {
      Waiting w = waiting.poll();
      long id = nextId++;
      pending.put(id, new Pending(w.envelope(), System.nanoTime()));
      workers.get(nextWorker).tell(new Worker.Jobs(List.of(new Worker.Job(id, w.frames())), gatewayPort, answers));
      nextWorker = (nextWorker + 1) % workers.size();
    }
    return this;
  }

  private Behavior<Command> onSweep() {
    long cutoff = System.nanoTime() - settings.requestTimeout().toNanos();
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      if (it.next().since() - cutoff < 0) {
        it.remove();
        credit++;
      }
    }
    returnCredit();
    return this;
  }

  private Behavior<Command> closeSocket() {
    socket.tell(new Socket.Close(null));
    return this;
  }
}
