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
 * envelope itself, and a ROUTER's or STREAM's message starts with the sender's id, so it returns
 * there. STREAM's notifications ([id, empty]) are printed but not echoed: sending one would close
 * that peer.
 */
@Command(name = "echo", mixinStandardHelpOptions = true,
    description = "Send each received message back (default type REP; ROUTER keeps the envelope; STREAM"
        + " returns the bytes to the same peer and prints, without echoing, its connect/disconnect notifications).")
final class EchoCommand implements Callable<Integer> {
  @Mixin
  SocketSpec socket;

  @Option(names = "--count", paramLabel = "N", description = "Exit 0 after echoing N messages (STREAM: N data messages).")
  Long count;

  @Option(names = "--timeout", paramLabel = "MS", description = "Exit 3 if the next message takes longer than MS.")
  Long timeoutMillis;

  @Override
  public Integer call() {
    socket.validate(true);
    try (ZContext ctx = new ZContext()) {
      SocketSpec.Opened o = socket.open(ctx, SocketType.REP, false);
      ZSocket s = o.socket();
      for (long n = 0; count == null || n < count; ) {
        Msg m = RecvCommand.receive(s, timeoutMillis);
        if (o.type() != SocketType.STREAM || m.last().size() > 0) {
          s.send(m);
          n++;
        }
        System.out.println(socket.format.format(m));
        System.out.flush();
      }
      s.closeAndWait(Duration.ofSeconds(10));
    }
    return Pzmq.OK;
  }
}
