package io.pekkozmq.samples.cli;

import io.pekkozmq.actors.Proxy;
import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.ZmqException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import picocli.CommandLine.Command;

/** The guided tour: the main patterns, in one process, on 127.0.0.1 and inproc, bounded. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "A guided tour: REQ/REP, PUB/SUB filtering, PUSH/PULL load balancing, a ROUTER/DEALER proxy.")
final class DemoCommand implements Callable<Integer> {
  private static final Duration STEP = Duration.ofSeconds(10);
  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    try (ZContext ctx = new ZContext()) {
      reqRep(ctx);
      pubSub(ctx);
      pushPull(ctx);
      proxy(ctx);
    }
    say("== done");
    return Pzmq.OK;
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }

  private static Msg recv(ZSocket s) {
    Msg m = s.recv(STEP);
    if (m == null) throw new Pzmq.TimeoutException("demo: nothing received within " + STEP.toSeconds() + " s on " + s.type());
    return m;
  }

  private void reqRep(ZContext ctx) {
    say("== 1. REQ/REP hello world (tcp://127.0.0.1)");
    ZSocket rep = ctx.socket(SocketType.REP);
    EventLog.attach(ctx, rep, out, "   [rep event] ");
    String ep = rep.bind("tcp://127.0.0.1:*");
    say("   REP bound to " + ep);
    ZSocket req = ctx.socket(SocketType.REQ);
    req.connect(ep);
    for (int i = 1; i <= 3; i++) {
      req.send("hello " + i);
      String request = recv(rep).first().text();
      say("   REP got '" + request + "'");
      rep.send("world " + i);
      say("   REQ got '" + recv(req).first().text() + "'");
    }
    req.closeAndWait(STEP);
    rep.closeAndWait(STEP);
  }

  private void pubSub(ZContext ctx) throws InterruptedException {
    say("== 2. PUB/SUB with filtering (the publisher filters by prefix)");
    ZSocket pub = ctx.socket(SocketType.PUB);
    EventLog pubEvents = EventLog.attach(ctx, pub, out, "   [pub event] ");
    String ep = pub.bind("tcp://127.0.0.1:*");
    ZSocket sub = ctx.socket(SocketType.SUB);
    sub.subscribe("weather.");
    sub.subscribe("sync");
    sub.connect(ep);
    say("   subscriber wants 'weather.' (and 'sync', to know when its subscription has arrived)");
    if (!pubEvents.awaitHandshakes(1, STEP.toMillis())) throw new Pzmq.TimeoutException("no subscriber handshake");
    // a subscription travels after the handshake: publish "sync" until one arrives, then the real data
    Msg got = null;
    long deadline = System.currentTimeMillis() + STEP.toMillis();
    while (got == null && System.currentTimeMillis() < deadline) {
      pub.send("sync");
      got = sub.recv(Duration.ofMillis(20));
    }
    if (got == null) throw new Pzmq.TimeoutException("subscription never took effect");
    while (sub.tryRecv() != null) {
      // drop extra sync copies
    }
    String[] topics = {"sports.football 3-1", "weather.paris 21C", "news.tech release", "weather.oslo -4C", "sports.chess draw"};
    for (String t : topics) {
      pub.send(t);
      say("   PUB sent '" + t + "'");
    }
    pub.send("sync end");
    for (Msg m = recv(sub); !m.first().text().equals("sync end"); m = recv(sub)) {
      say("   SUB got  '" + m.first().text() + "'");
    }
    say("   (sports.* and news.* were filtered out at the publisher)");
    sub.closeAndWait(STEP);
    pub.closeAndWait(STEP);
  }

  private void pushPull(ZContext ctx) throws InterruptedException {
    say("== 3. PUSH to 4 PULL consumers: wait for them through the monitor, then load-balance");
    ZSocket push = ctx.socket(SocketType.PUSH);
    EventLog events = EventLog.attach(ctx, push, out, "   [push event] ");
    String ep = push.bind("tcp://127.0.0.1:*");
    int consumers = 4;
    int tasks = 100;
    List<ZSocket> pulls = new ArrayList<>();
    for (int i = 0; i < consumers; i++) {
      ZSocket pull = ctx.socket(SocketType.PULL);
      pull.connect(ep);
      pulls.add(pull);
    }
    if (!events.awaitHandshakes(consumers, STEP.toMillis())) {
      throw new Pzmq.TimeoutException("fewer than " + consumers + " consumers connected");
    }
    say("   all " + consumers + " consumers have completed their handshake; sending " + tasks + " tasks");
    for (int i = 0; i < tasks; i++) push.send("task " + i);
    AtomicInteger total = new AtomicInteger();
    int[] counts = new int[consumers];
    List<Thread> threads = new ArrayList<>();
    long deadline = System.currentTimeMillis() + STEP.toMillis();
    for (int i = 0; i < consumers; i++) {
      int k = i;
      Thread t = new Thread(() -> {
        while (total.get() < tasks && System.currentTimeMillis() < deadline) {
          if (pulls.get(k).recv(Duration.ofMillis(50)) != null) {
            counts[k]++;
            total.incrementAndGet();
          }
        }
      }, "demo-pull-" + i);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) t.join(STEP.toMillis() + 1000);
    for (int i = 0; i < consumers; i++) say("   consumer " + (i + 1) + " got " + counts[i] + " tasks");
    if (total.get() != tasks) throw new IllegalStateException("only " + total.get() + " of " + tasks + " tasks arrived");
    for (ZSocket p : pulls) p.closeAndWait(STEP);
    push.closeAndWait(STEP);
  }

  private void proxy(ZContext ctx) throws Exception {
    say("== 4. A proxy: clients (REQ) -> ROUTER | Proxy.queue | DEALER -> workers (REP)");
    String ep = "tcp://127.0.0.1:" + freePort();
    ActorRef<Proxy.Command> proxy = Proxy.queue(ctx.zeroMQ(), ep, "inproc://demo-workers");
    say("   Proxy.queue: frontend " + ep + ", backend inproc://demo-workers (an actor; no thread per direction)");
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> threads = new ArrayList<>();
    for (int w = 1; w <= 2; w++) {
      String name = "worker-" + w;
      ZSocket rep = ctx.socket(SocketType.REP);
      rep.connect("inproc://demo-workers");
      threads.add(loop(name, running, () -> {
        Msg m = rep.recv(Duration.ofMillis(50));
        if (m != null) rep.send(m.first().text() + " handled by " + name);
      }));
    }
    for (int c = 1; c <= 2; c++) {
      ZSocket req = ctx.socket(SocketType.REQ);
      req.setOption(ZmqOption.ROUTING_ID, ("client-" + c).getBytes());
      req.connect(ep);
      for (int i = 1; i <= 2; i++) {
        req.send("client-" + c + " request " + i);
        say("   " + recv(req).first().text());
      }
      req.closeAndWait(STEP);
    }
    running.set(false);
    for (Thread t : threads) t.join(2000);
    Proxy.Statistics s = AskPattern.<Proxy.Command, Proxy.Statistics>ask(proxy, Proxy.GetStatistics::new, STEP,
        ctx.system().scheduler()).toCompletableFuture().get(STEP.toMillis(), TimeUnit.MILLISECONDS);
    say("   proxy statistics (message parts / bytes, as zmq_proxy_steerable's STATISTICS counts them):");
    say("     frontend in " + s.frontendMsgsIn() + " / " + s.frontendBytesIn() + " B, out " + s.frontendMsgsOut()
        + " / " + s.frontendBytesOut() + " B");
    say("     backend  in " + s.backendMsgsIn() + " / " + s.backendBytesIn() + " B, out " + s.backendMsgsOut()
        + " / " + s.backendBytesOut() + " B");
    proxy.tell(new Proxy.Terminate()); // the queue owns its two sockets and closes them
  }

  /** A port free now, since Proxy.queue binds the address it is given. */
  private static int freePort() throws java.io.IOException {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Thread loop(String name, AtomicBoolean running, Runnable step) {
    Thread t = new Thread(() -> {
      try {
        while (running.get()) step.run();
      } catch (ZmqException e) {
        // the context is going away
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
