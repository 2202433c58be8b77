package io.pekkozmq.samples.seeds;

import io.pekkozmq.actors.ZContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code pzmq monitor-bounce}: seed 000's monitored DEALER bounce, with its event order checked. */
@Command(name = "monitor-bounce", mixinStandardHelpOptions = true,
    description = "Seed 000: a DEALER client and server over tcp, each watched by a v2 monitor socket; "
        + "a bounce, a close, and the event order libzmq gives, checked and printed.")
public final class MonitorBounceCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    try (ZContext ctx = new ZContext()) {
      MonitorBounce.run(ctx, System.out);
    }
    return 0;
  }
}
