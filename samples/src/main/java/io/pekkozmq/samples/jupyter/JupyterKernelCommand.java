package io.pekkozmq.samples.jupyter;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.SocketType;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code pzmq jupyter-kernel CONNECTION_FILE}: what a Jupyter client starts (the kernelspec's argv).
 * Binds the five sockets with the blocking facade, so a taken port fails at once with exit 1, then
 * hands them to the {@link Kernel} actor and waits for a shutdown request (or for the client
 * process, JPY_PARENT_PID, to go away).
 */
@Command(name = "jupyter-kernel", mixinStandardHelpOptions = true,
    description = "Run a Jupyter kernel for Java (JShell) on the sockets of CONNECTION_FILE. "
        + "Started by Jupyter clients through the kernelspec that 'pzmq jupyter-install' writes.")
public final class JupyterKernelCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(JupyterKernelCommand.class);
  /** How long closing waits for the last replies (shutdown_reply) to leave. */
  private static final int LINGER_MS = 2000;

  @Parameters(index = "0", paramLabel = "CONNECTION_FILE", description = "The connection file (JSON) the client wrote.")
  Path connectionFile;

  @Override
  public Integer call() throws Exception {
    ConnectionInfo info = ConnectionInfo.read(connectionFile);
    MessageCodec codec = new MessageCodec(info.key(), info.signatureScheme());
    CompletableFuture<ActorRef<Kernel.Command>> kernel = new CompletableFuture<>();
    OutputCapture stdout = new OutputCapture("stdout", Kernel.notifier(kernel));
    OutputCapture stderr = new OutputCapture("stderr", Kernel.notifier(kernel));
    JShellEvaluator evaluator = new JShellEvaluator(new PrintStream(stdout, true, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8), InputStream.nullInputStream(), ownJar());
    CompletableFuture<Boolean> shutdown = new CompletableFuture<>();
    String parent = System.getenv("JPY_PARENT_PID");
    if (parent != null && parent.matches("\\d+")) {
      ProcessHandle.of(Long.parseLong(parent)).ifPresent(p -> p.onExit().thenRun(() -> {
        LOG.warn("the client (pid {}) has gone: shutting down", parent);
        shutdown.complete(false);
      }));
    }
    try (ZContext ctx = new ZContext()) {
      Kernel.Sockets sockets = new Kernel.Sockets(
          bound(ctx, SocketType.ROUTER, info.endpoint(info.shellPort())),
          bound(ctx, SocketType.ROUTER, info.endpoint(info.controlPort())),
          bound(ctx, SocketType.ROUTER, info.endpoint(info.stdinPort())),
          bound(ctx, SocketType.PUB, info.endpoint(info.iopubPort())),
          bound(ctx, SocketType.ROUTER, info.endpoint(info.hbPort())));
      kernel.complete(ctx.system().systemActorOf(
          Kernel.create(sockets, codec, evaluator, stdout, stderr, shutdown), "jupyter-kernel", Props.empty()));
      shutdown.join();
      // closing the context closes the sockets with their LINGER: the shutdown_reply is delivered
    } finally {
      evaluator.close();
    }
    return 0;
  }

  private static ZSocket bound(ZContext ctx, SocketType type, String endpoint) {
    ZSocket s = ctx.socket(type);
    s.setOption(ZmqOption.LINGER, LINGER_MS);
    s.bind(endpoint);
    return s;
  }

  /** The jar this runs from, so cells can use pekko-zmq too; null when run from classes. */
  static Path ownJar() {
    try {
      Path p = Path.of(JupyterKernelCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return p.toString().endsWith(".jar") ? p : null;
    } catch (Exception e) {
      return null;
    }
  }
}
