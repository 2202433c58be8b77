package io.pekkozmq.samples.cli;

import io.pekkozmq.samples.bench.PerfReport;
import io.pekkozmq.samples.cli.perf.Fanout;
import io.pekkozmq.samples.cli.perf.Latency;
import io.pekkozmq.samples.cli.perf.RadioDishUdp;
import io.pekkozmq.samples.cli.perf.Throughput;
import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** libzmq's perf tools, with their arguments and output lines (the contract of bench/README.md). */
@Command(name = "perf", mixinStandardHelpOptions = true,
    description = "libzmq's perf tools over pekko-zmq (same arguments, same output).",
    subcommands = {PerfCommand.LocalThr.class, PerfCommand.RemoteThr.class, PerfCommand.InprocThr.class,
        PerfCommand.LocalLat.class, PerfCommand.RemoteLat.class, PerfCommand.InprocLat.class,
        PerfCommand.PubFanout.class, PerfCommand.SubFanout.class, PerfCommand.UdpRadioDish.class})
final class PerfCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing tool (local_thr, remote_thr, local_lat, remote_lat,"
        + " inproc_thr, inproc_lat, pub_fanout, sub_fanout, udp_radio_dish)");
  }

  static long positive(CommandSpec spec, long v, String what) {
    if (v <= 0) throw new ParameterException(spec.commandLine(), "invalid " + what + ": " + v + " (expected a positive integer)");
    return v;
  }

  /** PERF_WARMUP (bench/run.sh's steady-state rows) is checked before any socket opens. */
  static void checkWarmup(CommandSpec spec) {
    try {
      PerfReport.warmup();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The three positional arguments of the two-process tools. */
  abstract static class EndpointTool implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "<endpoint>")
    String endpoint;
    @Parameters(index = "1", paramLabel = "<message-size>")
    long size;
    @Parameters(index = "2", paramLabel = "<count>")
    long count;

    void check() {
      positive(spec, size, "message-size");
      positive(spec, count, "count");
      checkWarmup(spec);
    }
  }

  /** A two-process tool whose socket takes the security flags (CURVE, PLAIN, ZAP), e.g. for bench/curve.sh. */
  abstract static class SecuredTool extends EndpointTool {
    @Mixin
    SecuritySpec security = new SecuritySpec();

    @Override
    void check() {
      super.check();
      security.validate(spec.commandLine());
    }

    BiConsumer<ZContext, ZSocket> secure() {
      return (ctx, s) -> {
        security.apply(s);
        security.startAuthenticator(ctx);
      };
    }
  }

  abstract static class InprocTool implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "<message-size>")
    long size;
    @Parameters(index = "1", paramLabel = "<count>")
    long count;

    void check() {
      positive(spec, size, "message-size");
      positive(spec, count, "count");
      checkWarmup(spec);
    }
  }

  @Command(name = "local_thr", mixinStandardHelpOptions = true, description = "PULL, binds; times first to last message.")
  static final class LocalThr extends SecuredTool {
    @Option(names = "--pattern", paramLabel = "PUSH_PULL|CLIENT_SERVER|DEALER_ROUTER", defaultValue = "PUSH_PULL",
        description = "The socket pair (receiver from the second word): PUSH_PULL (libzmq's), CLIENT_SERVER, DEALER_ROUTER.")
    Throughput.Kind kind = Throughput.Kind.PUSH_PULL;

    @Override
    public Integer call() {
      check();
      return Throughput.local(endpoint, size, count, secure(), kind);
    }
  }

  @Command(name = "remote_thr", mixinStandardHelpOptions = true, description = "PUSH, connects; sends, closes with linger.")
  static final class RemoteThr extends SecuredTool {
    @Option(names = "--pattern", paramLabel = "PUSH_PULL|CLIENT_SERVER|DEALER_ROUTER", defaultValue = "PUSH_PULL",
        description = "The socket pair (receiver from the second word): PUSH_PULL (libzmq's), CLIENT_SERVER, DEALER_ROUTER.")
    Throughput.Kind kind = Throughput.Kind.PUSH_PULL;

    @Override
    public Integer call() {
      check();
      return Throughput.remote(endpoint, size, count, secure(), kind);
    }
  }

  @Command(name = "inproc_thr", mixinStandardHelpOptions = true, description = "One process: PUSH thread -> PULL.")
  static final class InprocThr extends InprocTool {
    @Option(names = "--pattern", paramLabel = "PUSH_PULL|CLIENT_SERVER|DEALER_ROUTER", defaultValue = "PUSH_PULL",
        description = "The socket pair (receiver from the second word): PUSH_PULL (libzmq's), CLIENT_SERVER, DEALER_ROUTER.")
    Throughput.Kind kind = Throughput.Kind.PUSH_PULL;

    @Override
    public Integer call() throws InterruptedException {
      check();
      return Throughput.inproc(size, count, kind);
    }
  }

  @Command(name = "udp_radio_dish", mixinStandardHelpOptions = true,
      description = "One process: RADIO -> udp loopback -> DISH; msg/s and loss rate.")
  static final class UdpRadioDish extends InprocTool {
    @picocli.CommandLine.Option(names = "--rate", paramLabel = "MSG/S", defaultValue = "0",
        description = "Messages per second the sender keeps to (default 0: as fast as it can).")
    long rate;

    @Override
    public Integer call() throws InterruptedException {
      check();
      if (size > 65_000) throw new ParameterException(spec.commandLine(), "message-size: a datagram holds at most 65000 here");
      if (rate < 0) throw new ParameterException(spec.commandLine(), "--rate: must be >= 0, got " + rate);
      return RadioDishUdp.run(size, count, rate);
    }
  }

  @Command(name = "local_lat", mixinStandardHelpOptions = true, description = "REP, binds; echoes every message.")
  static final class LocalLat extends SecuredTool {
    @Override
    public Integer call() {
      check();
      return Latency.local(endpoint, size, count, secure());
    }
  }

  @Command(name = "remote_lat", mixinStandardHelpOptions = true, description = "REQ, connects; prints the latency.")
  static final class RemoteLat extends SecuredTool {
    @Override
    public Integer call() {
      check();
      return Latency.remote(endpoint, size, count, secure());
    }
  }

  @Command(name = "inproc_lat", mixinStandardHelpOptions = true, description = "One process: REQ <-> REP echo thread.")
  static final class InprocLat extends InprocTool {
    @Override
    public Integer call() throws InterruptedException {
      check();
      return Latency.inproc(size, count);
    }
  }

  abstract static class FanoutTool extends EndpointTool {
    @Parameters(index = "3", paramLabel = "<subscriber-count>")
    long subscribers;
    @Parameters(index = "4", paramLabel = "<sync-endpoint>", arity = "0..1",
        description = "Default: tcp port + 1, or ipc path + .sync.")
    String syncEndpoint;

    String sync() {
      check();
      positive(spec, subscribers, "subscriber-count");
      String ep = syncEndpoint != null ? syncEndpoint : Fanout.syncEndpoint(endpoint);
      if (ep == null) {
        throw new ParameterException(spec.commandLine(), "cannot derive a sync endpoint from '" + endpoint + "'; pass one");
      }
      return ep;
    }
  }

  @Command(name = "pub_fanout", mixinStandardHelpOptions = true, description = "One PUB (binds) to N subscribers.")
  static final class PubFanout extends FanoutTool {
    @Override
    public Integer call() {
      String ep = sync();
      return Fanout.publisher(endpoint, size, count, subscribers, ep);
    }
  }

  @Command(name = "sub_fanout", mixinStandardHelpOptions = true, description = "N subscribers, one thread each.")
  static final class SubFanout extends FanoutTool {
    @Override
    public Integer call() throws InterruptedException {
      String ep = sync();
      return Fanout.subscribers(endpoint, size, count, (int) subscribers, ep);
    }
  }
}
