package io.pekkozmq.samples.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pekkozmq.actors.ZeroMQ;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * One member of a Pekko Cluster on 127.0.0.1 (Artery TCP at {@code port}, seed node
 * {@code pekko://pzmq@127.0.0.1:<seedPort>}; a member whose port is its seed's forms the cluster).
 * Every member runs a {@link Worker}; a member given an endpoint to serve has the role
 * {@value #GATEWAY_ROLE} and offers to host the {@link Gateway} singleton, which runs on the oldest
 * such member. At shutdown (CoordinatedShutdown: SIGTERM, being downed, {@link #leave}) the member
 * leaves, hands the singleton over, and closes its ZeroMQ sockets before the actor system ends.
 */
public final class ClusterNode {
  public static final String SYSTEM = "pzmq";
  public static final String GATEWAY_ROLE = "gateway";
  private static final String CONF = "pzmq-cluster.conf";

  private final ActorSystem<Void> system;
  private final int port;

  private ClusterNode(ActorSystem<Void> system, int port) {
    this.system = system;
    this.port = port;
  }

  /** The member's configuration: {@code pzmq-cluster.conf} with its port, seed and roles. */
  public static Config config(int port, int seedPort, boolean gateway) {
    Config file = ConfigFactory.parseResources(ClusterNode.class.getClassLoader(), CONF);
    if (!file.hasPath("pzmq-cluster.gateway")) throw new IllegalStateException(CONF + " is missing from the class path");
    Config member = ConfigFactory.parseString(
        "pekko.remote.artery.canonical.port = " + port + "\n"
            + "pekko.cluster.seed-nodes = [\"pekko://" + SYSTEM + "@127.0.0.1:" + seedPort + "\"]\n"
            + "pekko.cluster.roles = [" + (gateway ? GATEWAY_ROLE : "") + "]\n");
    return ConfigFactory.load(member.withFallback(file));
  }

  /**
   * Starts a member. {@code serve}: the endpoint of the gateway this member may host, or null.
   * {@code status} hears one line per event worth telling (member up, gateway bound, ...).
   */
  public static ClusterNode start(int port, int seedPort, String serve, Consumer<String> status) {
    Behavior<Void> guardian = Behaviors.setup(ctx -> {
      ctx.spawn(Worker.create(port), "worker");
      ctx.spawn(members(status), "members");
      if (serve != null) {
        ClusterSingleton.get(ctx.getSystem()).init(SingletonActor.of(Gateway.create(serve, status), "pzmq-gateway")
            .withSettings(ClusterSingletonSettings.create(ctx.getSystem()).withRole(GATEWAY_ROLE)));
      }
      return Behaviors.empty();
    });
    ActorSystem<Void> system = ActorSystem.create(guardian, SYSTEM, config(port, seedPort, serve != null));
    CoordinatedShutdown cs = CoordinatedShutdown.get(system);
    cs.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "pzmq-say-leaving", () -> {
      status.accept("member " + port + " leaving the cluster (" + cs.getShutdownReason().map(Object::toString).orElse("?") + ")");
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    // The sockets close in the ZeroMQ extension's own CoordinatedShutdown task
    // (pekko-zmq.coordinated-shutdown.phase, before-actor-system-terminate: after cluster-exiting has
    // handed the singleton over), with their LINGER bounded by pekko-zmq.max-termination.
    ZeroMQ.get(system);
    return new ClusterNode(system, port);
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** The member's Artery port. */
  public int port() {
    return port;
  }

  /** Leaves the cluster and stops, as SIGTERM does. */
  public CompletionStage<Done> leave() {
    return CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
  }

  public CompletionStage<Done> whenTerminated() {
    return system.getWhenTerminated();
  }

  /** Why the member stopped, once it has (e.g. ClusterDowningReason when the resolver downed it). */
  public Optional<CoordinatedShutdown.Reason> shutdownReason() {
    return CoordinatedShutdown.get(system).getShutdownReason();
  }

  /** Reports membership changes as status lines. */
  private static Behavior<ClusterEvent.ClusterDomainEvent> members(Consumer<String> status) {
    return Behaviors.setup(ctx -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      Address self = cluster.selfMember().address();
      ActorRef<ClusterEvent.MemberEvent> m = ctx.getSelf().narrow();
      ActorRef<ClusterEvent.ReachabilityEvent> r = ctx.getSelf().narrow();
      cluster.subscriptions().tell(Subscribe.create(m, ClusterEvent.MemberEvent.class));
      cluster.subscriptions().tell(Subscribe.create(r, ClusterEvent.ReachabilityEvent.class));
      return Behaviors.receiveMessage(e -> {
        if (e instanceof ClusterEvent.MemberUp up) {
          Address a = up.member().address();
          status.accept(a.equals(self) ? "member up: " + a + " (roles " + up.member().getRoles() + ")"
              : "member " + port(a) + " up");
        } else if (e instanceof ClusterEvent.UnreachableMember u) {
          status.accept("member " + port(u.member().address()) + " unreachable");
        } else if (e instanceof ClusterEvent.ReachableMember u) {
          status.accept("member " + port(u.member().address()) + " reachable again");
        } else if (e instanceof ClusterEvent.MemberDowned d) {
          status.accept("member " + port(d.member().address()) + " downed");
        } else if (e instanceof ClusterEvent.MemberRemoved d) {
          status.accept("member " + port(d.member().address()) + " removed");
        }
        return Behaviors.same();
      });
    });
  }

  private static String port(Address a) {
    return a.port().isDefined() ? String.valueOf(a.port().get()) : a.toString();
  }
}
