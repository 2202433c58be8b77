package io.pekkozmq.samples.cluster;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.CoordinatedShutdown;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pzmq cluster-node}: one {@link ClusterNode} until it stops. SIGTERM leaves the cluster
 * (CoordinatedShutdown, run by the JVM's shutdown hook) and the process exits 143; a member that
 * was downed by the other members exits 1.
 */
@Command(name = "cluster-node", mixinStandardHelpOptions = true,
    description = "Run one Pekko Cluster member on 127.0.0.1 with a worker; with --serve, offer to host the cluster's"
        + " ZeroMQ gateway (a ROUTER at ENDPOINT whose requests go round-robin to the workers of every member;"
        + " a reply is the request's frames, then node=<worker's member port>, gateway=<gateway's member port>)."
        + " SIGTERM leaves the cluster and exits 143.")
public final class ClusterNodeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--port", required = true, paramLabel = "P", description = "This member's Artery TCP port.")
  int port;

  @Option(names = "--seed-port", required = true, paramLabel = "S",
      description = "The seed member's port (pekko://" + ClusterNode.SYSTEM + "@127.0.0.1:S); S == P forms the cluster.")
  int seedPort;

  @Option(names = "--serve", paramLabel = "ENDPOINT",
      description = "Offer to host the gateway, bound at ENDPOINT (tcp://host:port; give every member the same).")
  String serve;

  @Override
  public Integer call() throws InterruptedException {
    checkPort("--port", port);
    checkPort("--seed-port", seedPort);
    if (serve != null && !serve.matches("tcp://[^:/]+:[0-9]+")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--serve needs a tcp endpoint with a fixed port"
          + " (e.g. tcp://127.0.0.1:5555), so that the gateway binds the same one after a failover; got '" + serve + "'");
    }
    say("member " + port + " starting, seed 127.0.0.1:" + seedPort + (serve == null ? "" : ", may serve " + serve));
    ClusterNode node = ClusterNode.start(port, seedPort, serve, ClusterNodeCommand::say);
    try {
      node.whenTerminated().toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the member's actor system failed: " + e.getCause(), e.getCause());
    }
    boolean downed = node.shutdownReason().filter(CoordinatedShutdown.clusterDowningReason()::equals).isPresent();
    say("member " + port + " stopped" + (downed ? " (downed by the cluster)" : ""));
    return downed ? 1 : 0;
  }

  private void checkPort(String option, int p) {
    if (p < 1 || p > 65535) {
      throw new CommandLine.ParameterException(spec.commandLine(), option + " must be a port in 1..65535, got " + p);
    }
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
