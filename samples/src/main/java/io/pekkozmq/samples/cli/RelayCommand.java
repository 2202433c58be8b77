package io.pekkozmq.samples.cli;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.streams.ZmqControl;
import io.pekkozmq.streams.ZmqSettings;
import io.pekkozmq.streams.javadsl.ZmqSink;
import io.pekkozmq.streams.javadsl.ZmqSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Forwards every message from one socket to another as a Pekko Streams graph, a ZmqSource into a
 * ZmqSink (PULL to PUSH is libzmq's streamer device). Nothing is buffered beyond the sockets' HWMs
 * and the source's small batch: with no consumer at the far end the sink stops asking, the source
 * stops reading, and TCP holds the sender back.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
    description = "Forward every message from one socket to another as a Pekko Streams graph (e.g. PULL -> PUSH). "
        + "With no consumer, back-pressure holds the sender at HWM. Prints the resolved endpoints, 'from EP' and 'to EP'.")
final class RelayCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--from-type", paramLabel = "TYPE", required = true,
      description = "Receiving socket: PULL, SUB, XSUB, DEALER, ROUTER, PAIR, XPUB.")
  String fromType;

  @Option(names = "--from-bind", paramLabel = "EP", description = "Bind the receiving socket (repeatable).")
  List<String> fromBinds = new ArrayList<>();

  @Option(names = "--from-connect", paramLabel = "EP", description = "Connect the receiving socket (repeatable).")
  List<String> fromConnects = new ArrayList<>();

  @Option(names = "--to-type", paramLabel = "TYPE", required = true,
      description = "Sending socket: PUSH, PUB, XPUB, XSUB, DEALER, ROUTER, PAIR.")
  String toType;

  @Option(names = "--to-bind", paramLabel = "EP", description = "Bind the sending socket (repeatable).")
  List<String> toBinds = new ArrayList<>();

  @Option(names = "--to-connect", paramLabel = "EP", description = "Connect the sending socket (repeatable).")
  List<String> toConnects = new ArrayList<>();

  @Option(names = "--count", paramLabel = "N", description = "Exit 0 once N messages have been relayed and delivered.")
  Long count;

  @Option(names = "--timeout", paramLabel = "MS", description = "Exit 3 if no message arrives for MS.")
  Long timeoutMillis;

  @Option(names = "--hwm", paramLabel = "N", description = "Send and receive high-water mark of both sockets.")
  Integer hwm;

  @Option(names = "--subscribe", paramLabel = "PREFIX",
      description = "Subscription of a SUB/XSUB receiving socket (repeatable; \"\" for everything).")
  List<String> subscriptions = new ArrayList<>();

  @Mixin
  SecuritySpec security = new SecuritySpec();

  @Override
  public Integer call() throws Exception {
    security.validate(spec.commandLine());
    SocketType from = type("--from-type", fromType, ZmqSource.socketTypes());
    SocketType to = type("--to-type", toType, ZmqSink.socketTypes());
    SocketSpec.checkEndpoints(spec.commandLine(), "--from-", fromBinds, fromConnects, true);
    SocketSpec.checkEndpoints(spec.commandLine(), "--to-", toBinds, toConnects, true);
    if (count != null && count < 0) throw usage("--count: must be >= 0, got " + count);
    if (timeoutMillis != null && timeoutMillis <= 0) throw usage("--timeout: must be > 0, got " + timeoutMillis);
    if (hwm != null && hwm < 0) throw usage("--hwm: must be >= 0, got " + hwm);
    if (!subscriptions.isEmpty() && from != SocketType.SUB && from != SocketType.XSUB) {
      throw usage("--subscribe: only for a SUB or XSUB --from-type, not " + from);
    }

    try (ZContext ctx = new ZContext()) {
      ZmqSettings base = ZmqSettings.create(ctx.system());
      if (hwm != null) base = base.withHwm(hwm);
      // both sockets take the same security flags (e.g. two bound CURVE server sides)
      base = security.apply(base);
      security.startAuthenticator(ctx);
      ZmqSettings fromSettings = base.withSocketType(from).withBinds(fromBinds).withConnects(fromConnects);
      if (!subscriptions.isEmpty()) fromSettings = fromSettings.withSubscriptions(subscriptions.toArray(new String[0]));
      ZmqSettings toSettings = base.withSocketType(to).withBinds(toBinds).withConnects(toConnects);

      Source<Msg, ZmqControl> source = ZmqSource.create(fromSettings);
      if (timeoutMillis != null) source = source.idleTimeout(Duration.ofMillis(timeoutMillis));
      if (count != null) source = source.take(count);
      Pair<ZmqControl, ZmqControl> relay = source.toMat(ZmqSink.create(toSettings), Keep.both()).run(ctx.system());

      String fromEp;
      try {
        fromEp = result(relay.first().ready());
      } catch (Exception e) {
        // --timeout can end the source before its socket is bound (a slow start on a busy machine):
        // the sink then holds the reason, the idle timeout, which is exit 3 and not an error
        result(relay.second().whenClosed());
        throw e;
      }
      String toEp = result(relay.second().ready());
      System.out.println("from " + fromEp);
      System.out.println("to " + toEp);
      System.out.flush();
      // the sink closes once upstream is done (--count) and its messages are delivered (LINGER -1)
      result(relay.second().whenClosed());
    }
    return Pzmq.OK;
  }

  private SocketType type(String option, String name, Set<SocketType> allowed) {
    SocketType t = SocketSpec.parseType(spec.commandLine(), option, name);
    if (!allowed.contains(t)) {
      throw usage(option + ": a " + t + " socket cannot " + (option.startsWith("--from") ? "receive" : "send")
          + " on its own here (use one of " + allowed + ")");
    }
    return t;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** Waits for {@code f}; its failure is rethrown as the command's error (idle timeout: exit 3). */
  private static <T> T result(CompletionStage<T> f) throws Exception {
    try {
      return f.toCompletableFuture().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof TimeoutException t) throw new Pzmq.TimeoutException(t.getMessage());
      if (cause instanceof Exception ex) throw ex;
      throw e;
    }
  }
}
