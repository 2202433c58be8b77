package io.pekkozmq.samples.cli;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.ZmqException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code pzmq} command line. Exit codes: 0 ok, 1 runtime error, 2 usage error (the message names
 * the bad argument), 3 timeout.
 */
@Command(name = "pzmq", mixinStandardHelpOptions = true, version = "pzmq 0.1.0",
    description = "ZeroMQ from the shell, over pekko-zmq.",
    subcommands = {SendCommand.class, RecvCommand.class, EchoCommand.class, ReqCommand.class,
        PerfCommand.class, DemoCommand.class, RelayCommand.class, KeygenCommand.class,
        io.pekkozmq.samples.seeds.MonitorBounceCommand.class, io.pekkozmq.samples.seeds.ProducerConsumersCommand.class,
        io.pekkozmq.samples.jupyter.JupyterKernelCommand.class, io.pekkozmq.samples.jupyter.JupyterInstallCommand.class,
        io.pekkozmq.samples.cluster.ClusterNodeCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "1:runtime error", "2:usage error", "3:timeout"})
public final class Pzmq implements Runnable {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int TIMEOUT = 3;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "missing subcommand (" + String.join(", ", spec.subcommands().keySet()) + ")");
  }

  /** A command's own verdict that the wait for a message or peer ran out (exit 3). */
  static final class TimeoutException extends RuntimeException {
    TimeoutException(String message) {
      super(message);
    }
  }

  /**
   * Ends the process from any thread (a monitor event's actor, say) with {@code message} on stderr.
   * It halts rather than exits: the main thread may be blocked inside the socket, and nothing is
   * left to flush once stdout and stderr are.
   */
  static void abort(String message, int code) {
    System.out.flush();
    System.err.println(message);
    System.err.flush();
    Runtime.getRuntime().halt(code);
  }

  public static void main(String[] args) {
    // SLF4J's note about replaying Pekko's start-up log line is noise on a command line
    System.setProperty("slf4j.internal.verbosity", "ERROR");
    int rc = execute(args);
    System.out.flush();
    System.err.flush();
    // the embedded actor system may still hold non-daemon threads while it winds down
    System.exit(rc);
  }

  static int execute(String[] args) {
    CommandLine cl = new CommandLine(new Pzmq());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      if (ex instanceof TimeoutException t) {
        err.println("pzmq " + cmd.getCommandName() + ": timeout: " + t.getMessage());
        err.flush();
        return TIMEOUT;
      }
      if (ex instanceof ZmqException z && (z.errno() == Errno.EINVAL || z.errno() == Errno.EPROTONOSUPPORT)) {
        err.println("pzmq " + cmd.getCommandName() + ": " + z.getMessage());
        cmd.usage(err);
        err.flush();
        return USAGE;
      }
      err.println("pzmq " + cmd.getCommandName() + ": " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      if (!(ex instanceof ZmqException)) ex.printStackTrace(err);
      err.flush();
      return FAILED;
    });
    return cl.execute(args);
  }
}
