package io.pekkozmq.samples.cli;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Each stdin line a request; prints each reply. DEALER gets the REQ envelope done by hand. */
@Command(name = "req", mixinStandardHelpOptions = true,
    description = "Send each stdin line as a request and print the reply (type REQ, DEALER, or CLIENT to a SERVER).")
final class ReqCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  SocketSpec socket;

  @Option(names = "--timeout", paramLabel = "MS", description = "Exit 3 if a reply takes longer than MS.")
  Long timeoutMillis;

  @Override
  public Integer call() throws Exception {
    socket.validate(true);
    SocketType t = socket.socketType(SocketType.REQ);
    if (t != SocketType.REQ && t != SocketType.DEALER && t != SocketType.CLIENT) {
      throw new ParameterException(spec.commandLine(), "--type: req needs REQ, DEALER or CLIENT, got " + t);
    }
    boolean dealer = t == SocketType.DEALER;
    try (ZContext ctx = new ZContext()) {
      ZSocket s = socket.open(ctx, SocketType.REQ, false).socket();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        Msg request = socket.format.parse(line);
        s.send(dealer ? request.prepend(Frame.EMPTY) : request);
        Msg reply = RecvCommand.receive(s, timeoutMillis);
        if (dealer) {
          // a DEALER sees the REP's envelope: drop everything up to the empty delimiter
          int i = 0;
          while (i < reply.size() && reply.frame(i).size() > 0) i++;
          reply = i < reply.size() ? reply.dropFirst(i + 1) : reply;
        }
        System.out.println(socket.format.format(reply));
        System.out.flush();
      }
    }
    return Pzmq.OK;
  }
}
