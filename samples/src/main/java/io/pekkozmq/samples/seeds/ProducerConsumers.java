package io.pekkozmq.samples.seeds;

import io.pekkozmq.actors.Socket;
import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Seed 001's program with actors: a PUSH producer waits, through its monitor, until its consumers
 * have connected (ACCEPTED), sends its messages (PUSH balances them over the consumers), then sends
 * "Quit" until every consumer has gone (DISCONNECTED). Each consumer is an actor with a PULL socket
 * that prints what it receives and leaves on "Quit".
 *
 * <p>The producer is the monitor subscriber: monitor events arrive as messages among its others,
 * so waiting for peers is just a state of the actor, not a blocking read.
 */
public final class ProducerConsumers {
  public static final int CONSUMERS = 4;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger RUNS = new AtomicInteger();

  /**
   * What happened: the producer's messages in the order sent, each consumer's in the order
   * received (its last is "Quit"), and the producer's monitor events in order.
   */
  public record Result(List<String> sent, Map<Integer, List<String>> received, List<EventType> producerEvents) {}

  private ProducerConsumers() {}

  /**
   * Runs the producer and its consumers to the end.
   *
   * @param interval pause between data messages (the seed's 100 ms usleep); by the second message
   *     every consumer's connection has joined the PUSH socket, so the balance shows
   */
  public static Result run(ZContext ctx, int times, Duration interval, PrintStream out) throws Exception {
    ZeroMQ zmq = ctx.zeroMQ();
    int run = RUNS.incrementAndGet();
    Log log = new Log(out);
    ActorRef<Socket.Command> push = zmq.socketActor(SocketType.PUSH);
    CompletableFuture<Result> done = new CompletableFuture<>();
    Map<Integer, List<String>> received = new ConcurrentHashMap<>();
    CompletableFuture<String> bound = new CompletableFuture<>();
    ctx.system().systemActorOf(Producer.create(push, times, interval, log, bound, done),
        "seed-producer-" + run, Props.empty());
    String endpoint = bound.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    for (int id = 1; id <= CONSUMERS; id++) {
      List<String> mine = java.util.Collections.synchronizedList(new ArrayList<>());
      received.put(id, mine);
      ctx.system().systemActorOf(Consumer.create(zmq, id, endpoint, log, mine), "seed-consumer-" + run + "-" + id,
          Props.empty());
    }
    Result r = done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    return new Result(r.sent(), new TreeMap<>(received), r.producerEvents());
  }

  /** Timestamped lines, as the seed's LOGN prints them; shared by the actors. */
  static final class Log {
    private final PrintStream out;

    Log(PrintStream out) {
      this.out = out;
    }

    void line(String text) {
      long now = System.currentTimeMillis();
      synchronized (out) {
        out.printf("[ %d.%03d ]: %s%n", now / 1000, now % 1000, text);
        out.flush();
      }
    }
  }

  // ---- the producer -----------------------------------------------------------------------------

  static final class Producer extends AbstractBehavior<Producer.Command> {
    sealed interface Command permits Event, Replied, SendNext, ResendQuit {}

    private record Event(SocketEvent event) implements Command {}

    private record Replied(Socket.Reply reply) implements Command {}

    private enum SendNext implements Command { INSTANCE }

    private enum ResendQuit implements Command { INSTANCE }

    private enum Phase { BINDING, WAITING, SENDING, QUITTING, DONE }

    /**
     * A "Quit" sent just after a DISCONNECTED may still go to the pipe of the consumer that has
     * gone (the socket learns of the loss a moment after the monitor does): if no consumer leaves
     * for this long, another Quit goes out.
     */
    private static final Duration QUIT_AGAIN = Duration.ofMillis(200);

    private final ActorRef<Socket.Command> push;
    private final int times;
    private final Duration interval;
    private final Log log;
    private final CompletableFuture<String> bound;
    private final CompletableFuture<Result> done;
    private final TimerScheduler<Command> timers;
    private final ActorRef<Socket.Reply> replies;
    private final List<String> sent = new ArrayList<>();
    private final List<EventType> events = new ArrayList<>();
    private Phase phase = Phase.BINDING;
    private int accepted;
    private int disconnected;

    private Producer(ActorContext<Command> ctx, TimerScheduler<Command> timers, ActorRef<Socket.Command> push, int times,
        Duration interval, Log log, CompletableFuture<String> bound, CompletableFuture<Result> done) {
      super(ctx);
      this.timers = timers;
      this.push = push;
      this.times = times;
      this.interval = interval;
      this.log = log;
      this.bound = bound;
      this.done = done;
      this.replies = ctx.messageAdapter(Socket.Reply.class, Replied::new);
      push.tell(new Socket.Monitor(ctx.messageAdapter(SocketEvent.class, Event::new), EventType.ALL_V1));
      push.tell(new Socket.Bind("tcp://127.0.0.1:*", replies));
    }

    static Behavior<Command> create(ActorRef<Socket.Command> push, int times, Duration interval, Log log,
        CompletableFuture<String> bound, CompletableFuture<Result> done) {
      return Behaviors.withTimers(timers -> Behaviors.setup(ctx ->
          new Producer(ctx, timers, push, times, interval, log, bound, done)));
    }

    @Override
    public Receive<Command> createReceive() {
      return newReceiveBuilder()
          .onMessage(Replied.class, r -> onReply(r.reply()))
          .onMessage(Event.class, e -> onEvent(e.event()))
          .onMessageEquals(SendNext.INSTANCE, this::onSendNext)
          .onMessageEquals(ResendQuit.INSTANCE, this::onResendQuit)
          .build();
    }

    private Behavior<Command> onReply(Socket.Reply r) {
      if (r instanceof Socket.Bound b) {
        phase = Phase.WAITING;
        log.line("Producer 0 setup on " + b.endpoint());
        bound.complete(b.endpoint());
      } else if (r instanceof Socket.Failed f) {
        bound.completeExceptionally(f.error());
        done.completeExceptionally(f.error());
        return Behaviors.stopped();
      }
      return this;
    }

    private Behavior<Command> onEvent(SocketEvent e) {
      events.add(e.type());
      switch (phase) {
        case WAITING -> {
          if (e.type() == EventType.ACCEPTED) {
            log.line("Producer accepted");
            if (++accepted == CONSUMERS) {
              log.line("Producer 0 start");
              phase = Phase.SENDING;
              onSendNext();
            }
          }
        }
        case QUITTING -> {
          if (e.type() == EventType.DISCONNECTED && ++disconnected == CONSUMERS) {
            phase = Phase.DONE;
            timers.cancel(ResendQuit.INSTANCE);
            log.line("Producer 0 stop");
            push.tell(new Socket.Close(null));
          } else {
            sendQuit();
          }
        }
        case DONE -> {
          if (e.type() == EventType.MONITOR_STOPPED) {
            done.complete(new Result(List.copyOf(sent), Map.of(), List.copyOf(events)));
            return Behaviors.stopped();
          }
        }
        default -> { }
      }
      return this;
    }

    private Behavior<Command> onSendNext() {
      if (phase != Phase.SENDING) return this;
      if (sent.size() < times) {
        String m = String.format("Data-%03d-%03d", 0, sent.size());
        push.tell(new Socket.Send(Msg.ofStrings(m), null));
        sent.add(m);
        log.line("Producer 0 send: " + m);
      }
      if (sent.size() < times) {
        timers.startSingleTimer(SendNext.INSTANCE, interval);
      } else {
        phase = Phase.QUITTING;
        sendQuit(); // as the seed: one Quit, then one more per event until all have gone
      }
      return this;
    }

    private Behavior<Command> onResendQuit() {
      if (phase == Phase.QUITTING) sendQuit();
      return this;
    }

    private void sendQuit() {
      push.tell(new Socket.Send(Msg.ofStrings("Quit"), null));
      sent.add("Quit");
      timers.startSingleTimer(ResendQuit.INSTANCE, QUIT_AGAIN);
    }
  }

  // ---- a consumer -------------------------------------------------------------------------------

  static final class Consumer {
    private Consumer() {}

    /** A PULL socket connected to the producer; receives one message at a time, leaves on "Quit". */
    static Behavior<Socket.Delivery> create(ZeroMQ zmq, int id, String endpoint, Log log, List<String> received) {
      return Behaviors.setup(ctx -> {
        ActorRef<Socket.Command> pull = zmq.socketActor(SocketType.PULL);
        pull.tell(new Socket.Connect(endpoint, null));
        pull.tell(new Socket.StartReceiving(ctx.getSelf(), 1));
        log.line("Consumer " + id + " start");
        return Behaviors.receiveMessage(d -> {
          for (Msg m : d.messages()) {
            String text = m.first().text();
            received.add(text);
            log.line("Consumer " + id + " recv: " + text);
            if (text.equals("Quit")) {
              log.line("Consumer " + id + " stop");
              pull.tell(new Socket.Close(null));
              return Behaviors.stopped();
            }
          }
          pull.tell(new Socket.Request(1));
          return Behaviors.same();
        });
      });
    }
  }
}
