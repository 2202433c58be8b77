package io.pekkozmq.samples.cli;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints each received message as one line. */
@Command(name = "recv", mixinStandardHelpOptions = true,
    description = "Print each received message as one line (default type PULL).")
final class RecvCommand implements Callable<Integer> {
  @Mixin
  SocketSpec socket;

  @Option(names = "--count", paramLabel = "N", description = "Exit 0 after N messages.")
  Long count;

  @Option(names = "--timeout", paramLabel = "MS", description = "Exit 3 if the next message takes longer than MS.")
  Long timeoutMillis;

  @Override
  public Integer call() {
    socket.validate(true);
    PrintStream out = System.out;
    try (ZContext ctx = new ZContext()) {
      ZSocket s = socket.open(ctx, SocketType.PULL, false).socket();
      for (long n = 0; count == null || n < count; n++) {
        Msg m = receive(s, timeoutMillis);
        out.println(socket.format.format(m));
        out.flush();
      }
    }
    return Pzmq.OK;
  }

  static Msg receive(ZSocket s, Long timeoutMillis) {
    if (timeoutMillis == null) return s.recv();
    Msg m = s.recv(Duration.ofMillis(timeoutMillis));
    if (m == null) throw new Pzmq.TimeoutException("no message within " + timeoutMillis + " ms");
    return m;
  }
}
