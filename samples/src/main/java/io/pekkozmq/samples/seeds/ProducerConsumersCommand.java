package io.pekkozmq.samples.seeds;

import io.pekkozmq.actors.ZContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pzmq producer-consumers}: seed 001's PUSH producer that waits for its PULL consumers. */
@Command(name = "producer-consumers", mixinStandardHelpOptions = true,
    description = "Seed 001: a PUSH producer waits through its monitor for 4 PULL consumers (ACCEPTED), "
        + "load-balances its messages over them, then sends \"Quit\" until all 4 have gone (DISCONNECTED).")
public final class ProducerConsumersCommand implements Callable<Integer> {
  @Option(names = {"-n", "--messages"}, defaultValue = "10", description = "Data messages to send (default ${DEFAULT-VALUE}).")
  int messages;

  @Option(names = {"-i", "--interval"}, defaultValue = "100",
      description = "Milliseconds between data messages, as the seed's usleep (default ${DEFAULT-VALUE}).")
  int intervalMillis;

  @Override
  public Integer call() throws Exception {
    if (messages < 0 || intervalMillis < 0) throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "--messages and --interval must not be negative");
    try (ZContext ctx = new ZContext()) {
      ProducerConsumers.Result r = ProducerConsumers.run(ctx, messages, java.time.Duration.ofMillis(intervalMillis),
          System.out);
      for (Map.Entry<Integer, List<String>> e : r.received().entrySet()) {
        System.out.println("consumer " + e.getKey() + " got " + (e.getValue().size() - 1) + " data messages, then Quit");
      }
      // what the spread means: ACCEPTED (the seed's signal) comes before the handshake, and a PUSH
      // balances only over peers whose handshake is done, in libzmq as here
      System.out.println("(the producer waited for ACCEPTED, as seed 001 does; a message sent before a consumer's"
          + " handshake completed went to the consumers that had completed theirs)");
    }
    return 0;
  }
}
