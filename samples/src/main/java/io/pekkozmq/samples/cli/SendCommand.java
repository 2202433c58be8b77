package io.pekkozmq.samples.cli;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Sends each stdin line as one message, then closes honouring LINGER (default: until delivered). A
 * STREAM line is [peer id, bytes]; the peer is the one --connect-routing-id names, and what is sent
 * before the connection is made waits for it (closing then ends the connection).
 */
@Command(name = "send", mixinStandardHelpOptions = true,
    description = "Send stdin, one message per line (default type PUSH), then close honouring linger."
        + " STREAM: each line is the peer id (--connect-routing-id) and the bytes.")
final class SendCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  SocketSpec socket;

  @Option(names = "--wait-peers", paramLabel = "N", defaultValue = "0",
      description = "Wait for N HANDSHAKE_SUCCEEDED events before the first send.")
  int waitPeers;

  @Option(names = "--timeout", paramLabel = "MS", defaultValue = "30000",
      description = "Give up waiting for peers after MS (exit 3).")
  long timeoutMillis;

  @Override
  public Integer call() throws Exception {
    socket.validate(true);
    if (waitPeers < 0) throw new ParameterException(spec.commandLine(), "--wait-peers: must be >= 0");
    if (socket.socketType(SocketType.PUSH) == SocketType.STREAM) {
      if (socket.connectRoutingId == null || socket.connects.isEmpty()) {
        throw new ParameterException(spec.commandLine(),
            "--type STREAM: give --connect and --connect-routing-id, the id that starts each line");
      }
      if (waitPeers > 0) {
        throw new ParameterException(spec.commandLine(),
            "--wait-peers: a STREAM connection has no handshake; lines sent early wait for the connection");
      }
    }
    SocketType type = socket.socketType(SocketType.PUSH);
    if (type.routesByRoutingId() && (!type.connectsPeers() || socket.connects.isEmpty())) {
      throw new ParameterException(spec.commandLine(), "--type " + type
          + ": send names no peer; use echo, or a PEER with --connect (it sends to the last peer it connects)");
    }
    try (ZContext ctx = new ZContext()) {
      SocketSpec.Opened o = socket.open(ctx, SocketType.PUSH, waitPeers > 0);
      if (waitPeers > 0 && !o.events().awaitHandshakes(waitPeers, timeoutMillis)) {
        throw new Pzmq.TimeoutException("fewer than " + waitPeers + " peers within " + timeoutMillis + " ms");
      }
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        Msg m;
        try {
          m = socket.format.parse(line);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("stdin: " + e.getMessage());
        }
        o.socket().send(socket.grouped(socket.peerRoutingId != 0 ? m.withRoutingId(socket.peerRoutingId) : m, o.type()));
      }
      // LINGER decides how long queued messages may take; -1 means until they are delivered
      if (!o.socket().closeAndWait(Duration.ofDays(1))) {
        System.err.println("pzmq send: LINGER expired before every message was delivered; some were dropped");
        return Pzmq.FAILED;
      }
    }
    return Pzmq.OK;
  }
}
