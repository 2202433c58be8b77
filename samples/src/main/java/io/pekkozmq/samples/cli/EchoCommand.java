package io.pekkozmq.samples.cli;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sends every message back. The same frames go back for every type: REP strips and restores the
 * envelope itself, and a ROUTER's message starts with the sender's routing id, so it returns there.
 */
@Command(name = "echo", mixinStandardHelpOptions = true,
    description = "Send each received message back (default type REP; ROUTER keeps the envelope).")
final class EchoCommand implements Callable<Integer> {
  @Mixin
  SocketSpec socket;

  @Option(names = "--count", paramLabel = "N", description = "Exit 0 after echoing N messages.")
  Long count;

  @Option(names = "--timeout", paramLabel = "MS", description = "Exit 3 if the next message takes longer than MS.")
  Long timeoutMillis;

  @Override
  public Integer call() {
    socket.validate(true);
    try (ZContext ctx = new ZContext()) {
      ZSocket s = socket.open(ctx, SocketType.REP, false).socket();
      for (long n = 0; count == null || n < count; n++) {
        Msg m = RecvCommand.receive(s, timeoutMillis);
        s.send(m);
        System.out.println(socket.format.format(m));
        System.out.flush();
      }
      s.closeAndWait(Duration.ofSeconds(10));
    }
    return Pzmq.OK;
  }
}
