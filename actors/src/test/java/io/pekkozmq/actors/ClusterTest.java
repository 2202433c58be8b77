package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Socket actors in a three-member Pekko Cluster (three ActorSystems on 127.0.0.1, Artery TCP, Java
 * serialization off): found through the cluster's Receptionist and driven from another member,
 * delivering to a subscriber on another member within its demand, and closed by CoordinatedShutdown
 * after the member has left, with what they queued delivered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ServiceKey<Socket.Command> OUT = ServiceKey.create(Socket.Command.class, "cluster-test-out");
  private static final ServiceKey<Socket.Command> IN = ServiceKey.create(Socket.Command.class, "cluster-test-in");

  private ActorTestKit a;
  private ActorTestKit b;
  private ActorTestKit c;

  private static Config member() {
    return ConfigFactory.parseString("""
        pekko.actor.provider = cluster
        pekko.actor.allow-java-serialization = off
        pekko.remote.artery.transport = tcp
        pekko.remote.artery.canonical.hostname = 127.0.0.1
        pekko.remote.artery.canonical.port = 0
        pekko.cluster.jmx.enabled = off
        pekko.cluster.log-info = off
        pekko.cluster.gossip-interval = 200ms
        pekko.cluster.leader-actions-interval = 200ms
        pekko.cluster.distributed-data.gossip-interval = 200ms
        pekko.cluster.distributed-data.notify-subscribers-interval = 100ms
        pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
        pekko.loglevel = WARNING
        pekko.log-dead-letters = off
        pekko.log-dead-letters-during-shutdown = off
        """).withFallback(ConfigFactory.load());
  }

  @BeforeAll
  void formCluster() {
    a = ActorTestKit.create("ClusterTest", member());
    b = ActorTestKit.create("ClusterTest", member());
    c = ActorTestKit.create("ClusterTest", member());
    Address seed = Cluster.get(a.system()).selfMember().address();
    for (ActorTestKit kit : List.of(a, b, c)) Cluster.get(kit.system()).manager().tell(Join.create(seed));
    a.createTestProbe().awaitAssert(WAIT, Duration.ofMillis(100), () -> {
      for (ActorTestKit kit : List.of(a, b, c)) {
        long up = 0;
        for (var m : Cluster.get(kit.system()).state().getMembers()) if (m.status() == MemberStatus.up()) up++;
        assertEquals(3, up, "members Up as " + kit.system().address());
      }
      return null;
    });
  }

  @AfterAll
  void stopCluster() {
    // one at a time, so each leaves through a leader that is still there
    for (ActorTestKit kit : new ActorTestKit[] {c, b, a}) {
      if (kit != null) ActorTestKit.shutdown(kit.system(), WAIT, false);
    }
  }

  /** The first instance registered under {@code key}, as seen from {@code kit}'s member. */
  private static ActorRef<Socket.Command> find(ActorTestKit kit, ServiceKey<Socket.Command> key) {
    TestProbe<Receptionist.Listing> listings = kit.createTestProbe();
    kit.system().receptionist().tell(Receptionist.subscribe(key, listings.ref()));
    for (int i = 0; i < 100; i++) {
      Set<ActorRef<Socket.Command>> found = listings.expectMessageClass(Receptionist.Listing.class, WAIT).getServiceInstances(key);
      if (!found.isEmpty()) return found.iterator().next();
    }
    throw new AssertionError("no " + key + " in 100 listings");
  }

  /** argv: count. A libzmq PULL binds, then prints "GOT i frames first-frame last-size" per message. */
  private static final String PULL = """
      import sys, zmq
      n = int(sys.argv[1])
      ctx = zmq.Context()
      s = ctx.socket(zmq.PULL)
      port = s.bind_to_random_port("tcp://127.0.0.1")
      print("ENDPOINT tcp://127.0.0.1:%d" % port, flush=True)
      s.setsockopt(zmq.RCVTIMEO, 30000)
      for i in range(n):
          parts = s.recv_multipart()
          print("GOT %d %d %s %d" % (i, len(parts), parts[0].decode(), len(parts[-1])), flush=True)
      ctx.destroy(0)
      """;

  @Test
  void aSocketActorFoundThroughTheReceptionistSendsForAnotherMember() {
    PyZmq.requireLibzmq();
    ActorRef<Socket.Command> local = ZeroMQ.get(a.system()).socketActor(SocketType.PUSH, OUT);
    int n = 200;
    try (PyPeer pull = PyZmq.start(PULL, Integer.toString(n))) {
      String endpoint = pull.awaitLine("ENDPOINT ", WAIT).substring("ENDPOINT ".length());
      ActorRef<Socket.Command> socket = find(c, OUT);
      assertEquals(Cluster.get(a.system()).selfMember().address(), socket.path().address(), "the socket lives on A");
      assertNotEquals(c.system().address(), socket.path().address());

      TestProbe<Socket.Reply> replies = c.createTestProbe();
      socket.tell(new Socket.Connect(endpoint, replies.ref()));
      replies.expectMessage(WAIT, new Socket.Done());
      for (int i = 0; i < n; i++) {
        socket.tell(new Socket.Send(Msg.of(Frame.of("m-" + i), Frame.EMPTY, Frame.wrap(new byte[i * 10])), replies.ref()));
      }
      for (int i = 0; i < n; i++) replies.expectMessage(WAIT, new Socket.Done());
      for (int i = 0; i < n; i++) assertEquals("GOT " + i + " 3 m-" + i + " " + (i * 10), pull.readLine(WAIT));
    } finally {
      local.tell(new Socket.Close(null));
    }
  }

  /**
   * argv: endpoint, count, size. A libzmq PUSH (SNDHWM 10, a small send buffer) connects and sends
   * {@code count} messages [m-i, size bytes]; when it has waited 2 s for room it prints
   * "BLOCKED i", and "SENT count" at the end.
   */
  private static final String PUSH = """
      import sys, zmq
      ep, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
      ctx = zmq.Context()
      s = ctx.socket(zmq.PUSH)
      s.setsockopt(zmq.SNDHWM, 10)
      s.setsockopt(zmq.SNDBUF, 65536)
      s.connect(ep)
      pad = b"p" * size
      blocked = False
      for i in range(n):
          msg = [b"m-%d" % i, pad]
          while True:
              try:
                  s.send_multipart(msg, zmq.NOBLOCK)
                  break
              except zmq.Again:
                  if not blocked and not s.poll(2000, zmq.POLLOUT):
                      print("BLOCKED %d" % i, flush=True)
                      blocked = True
                  else:
                      s.poll(1000, zmq.POLLOUT)
      print("SENT %d" % n, flush=True)
      s.setsockopt(zmq.LINGER, 30000)
      s.close()
      ctx.term()
      """;

  @Test
  void aSubscriberOnAnotherMemberReceivesInOrderWithinItsDemand() {
    PyZmq.requireLibzmq();
    ActorRef<Socket.Command> local = ZeroMQ.get(a.system()).socketActor(SocketType.PULL, IN);
    int n = 2000;
    int size = 8192;
    ActorRef<Socket.Command> socket = find(c, IN);
    TestProbe<Socket.Reply> replies = c.createTestProbe();
    socket.tell(new Socket.SetOption(ZmqOption.RCVHWM, 10, replies.ref()));
    replies.expectMessage(WAIT, new Socket.Done());
    socket.tell(new Socket.Bind("tcp://127.0.0.1:*", replies.ref()));
    String endpoint = replies.expectMessageClass(Socket.Bound.class, WAIT).endpoint();
    TestProbe<Socket.Delivery> subscriber = c.createTestProbe();
    socket.tell(new Socket.StartReceiving(subscriber.ref(), 5));
    try (PyPeer push = PyZmq.start(PUSH, endpoint, Integer.toString(n), Integer.toString(size))) {
      List<Msg> got = new ArrayList<>();
      // five, and no more until asked: the sender is held back at the high-water marks
      String blocked = push.awaitLine("BLOCKED ", WAIT);
      int sentWhenBlocked = Integer.parseInt(blocked.substring("BLOCKED ".length()));
      while (got.size() < 5) {
        Socket.Delivery d = subscriber.expectMessageClass(Socket.Delivery.class, WAIT);
        assertEquals(socket, d.socket(), "deliveries name their socket");
        got.addAll(d.messages());
      }
      subscriber.expectNoMessage(Duration.ofMillis(300));
      assertEquals(5, got.size(), "never beyond the demand");
      assertTrue(sentWhenBlocked < n / 2, "held back after " + sentWhenBlocked + " of " + n);

      // then a window of 200 outstanding, renewed as deliveries arrive
      socket.tell(new Socket.Request(195));
      int asked = 200;
      while (got.size() < n) {
        Socket.Delivery d = subscriber.expectMessageClass(Socket.Delivery.class, WAIT);
        got.addAll(d.messages());
        assertTrue(got.size() <= asked, "got " + got.size() + " with " + asked + " asked for");
        int more = Math.min(d.messages().size(), n - asked);
        if (more > 0) {
          socket.tell(new Socket.Request(more));
          asked += more;
        }
      }
      push.awaitLine("SENT " + n, WAIT);
      for (int i = 0; i < n; i++) {
        assertEquals("m-" + i, got.get(i).frame(0).text(), "message " + i + " in order");
        assertEquals(size, got.get(i).frame(1).size());
      }
      subscriber.expectNoMessage(Duration.ofMillis(200));
    } finally {
      local.tell(new Socket.Close(null));
    }
  }

  /**
   * argv: count. A libzmq PULL that takes in almost nothing (RCVHWM 1, a small receive buffer) until
   * it reads "go" on stdin, then reads and prints "GOT n" (n: the messages read, in order, before 20 s
   * passed without one).
   */
  private static final String LATE_PULL = """
      import sys, zmq
      n = int(sys.argv[1])
      ctx = zmq.Context()
      s = ctx.socket(zmq.PULL)
      s.setsockopt(zmq.RCVHWM, 1)
      s.setsockopt(zmq.RCVBUF, 65536)
      port = s.bind_to_random_port("tcp://127.0.0.1")
      print("ENDPOINT tcp://127.0.0.1:%d" % port, flush=True)
      sys.stdin.readline()
      s.setsockopt(zmq.RCVTIMEO, 20000)
      got = 0
      try:
          while got < n:
              if s.recv() != b"%d" % got + b"." * 65536:
                  break
              got += 1
      except zmq.Again:
          pass
      print("GOT %d" % got, flush=True)
      ctx.destroy(0)
      """;

  @Test
  void coordinatedShutdownDeliversWhatTheSocketsQueuedAfterTheMemberLeft() throws Exception {
    PyZmq.requireLibzmq();
    ActorSystem<Void> system = b.system();
    ZeroMQ zmq = ZeroMQ.get(system);
    int n = 400; // 26 MB: far more than the kernel's buffers hold, so most waits in the pipe
    try (PyPeer pull = PyZmq.start(LATE_PULL, Integer.toString(n))) {
      String endpoint = pull.awaitLine("ENDPOINT ", WAIT).substring("ENDPOINT ".length());
      ZSocket push = zmq.socket(SocketType.PUSH);
      push.setOption(ZmqOption.LINGER, 20_000);
      push.connect(endpoint);
      for (int i = 0; i < n; i++) push.send(Msg.ofStrings(i + ".".repeat(65536)));

      CompletableFuture<Boolean> leftFirst = new CompletableFuture<>();
      CoordinatedShutdown.get(system).addTask("before-actor-system-terminate", "cluster-test-probe", () -> {
        leftFirst.complete(Cluster.get(system).isTerminated());
        return CompletableFuture.completedFuture(Done.done());
      });
      system.terminate();
      // the reader starts only once the member has left and shut its cluster down: the system's
      // termination is next, and only the sockets' linger can still deliver
      b.createTestProbe().awaitAssert(WAIT, Duration.ofMillis(20), () -> {
        assertTrue(Cluster.get(system).isTerminated(), "the member has left");
        return null;
      });
      pull.writeLine("go");
      assertEquals("GOT " + n, pull.awaitLine("GOT ", Duration.ofSeconds(60)), "every queued message delivered in order");
      assertTrue(zmq.isTerminated(), "CoordinatedShutdown closed the sockets");
      assertTrue(zmq.terminateAsync().get(30, TimeUnit.SECONDS), "terminate's verdict: nothing was cut off");
      assertTrue(leftFirst.get(30, TimeUnit.SECONDS), "the member had left the cluster before the sockets closed");
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    b = null;
  }
}
