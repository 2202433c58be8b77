package io.pekkozmq.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.samples.cli.perf.Fanout;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ws:// endpoints through the real {@code ./pzmq}: send to recv, and perf's throughput pair. */
class PzmqWsCliTest {
  private static final Duration RUN = Duration.ofSeconds(60);

  /** The first invocation may build the jar: a generous limit, once. */
  @BeforeAll
  static void buildOnce() {
    Launcher l = Launcher.run(null, Duration.ofMinutes(10), "--help");
    assertEquals(0, l.exitCode(), l.describe());
  }

  @Test
  void sendReachesRecvOverWebSocket() {
    String ep = "ws://127.0.0.1:" + Launcher.freePort() + "/cli";
    try (Launcher recv = Launcher.start("recv", "--bind", ep, "--count", "2")) {
      recv.input(null);
      Launcher send = Launcher.run("one\ttwo frames\nhello\n", RUN, "send", "--connect", ep);
      assertEquals(0, send.exitCode(), send.describe());
      assertEquals(0, recv.await(RUN), recv.describe());
      assertEquals("one\ttwo frames\nhello\n", recv.stdout());
    }
  }

  @Test
  void perfThroughputRunsOverWebSocket() {
    String ep = "ws://127.0.0.1:" + Launcher.freePort() + "/thr";
    try (Launcher local = Launcher.start("perf", "local_thr", ep, "16", "20000")) {
      local.input(null);
      Launcher remote = Launcher.run(null, RUN, "perf", "remote_thr", ep, "16", "20000");
      assertEquals(0, remote.exitCode(), remote.describe());
      assertEquals(0, local.await(RUN), local.describe());
      assertTrue(local.stdout().contains("mean throughput:"), local.describe());
    }
  }

  @Test
  void aMalformedWebSocketEndpointIsAUsageError() {
    Launcher l = Launcher.run(null, RUN, "send", "--connect", "ws://127.0.0.1/no-port");
    assertEquals(Pzmq.USAGE, l.exitCode(), l.describe());
    assertTrue(l.stderr().contains("ws://127.0.0.1/no-port"), l.describe());
  }

  @Test
  void fanoutDerivesAWebSocketSyncEndpoint() {
    assertEquals("ws://127.0.0.1:5556/p", Fanout.syncEndpoint("ws://127.0.0.1:5555/p"));
    assertEquals("wss://[::1]:5556", Fanout.syncEndpoint("wss://[::1]:5555"));
  }
}
