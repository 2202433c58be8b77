package io.pekkozmq.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The draft socket types through the real {@code ./pzmq} launcher; every wait is bounded. */
class PzmqDraftCliTest {
  private static final Duration RUN = Duration.ofSeconds(60);

  @BeforeAll
  static void buildOnce() {
    Launcher l = Launcher.run(null, Duration.ofMinutes(10), "--help");
    assertEquals(0, l.exitCode(), l.describe());
  }

  @Test
  void serverEchoRepliesToAClientByRoutingId() {
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    try (Launcher echo = Launcher.start("echo", "--type", "SERVER", "--bind", ep, "--count", "2", "--timeout", "30000")) {
      echo.input(null);
      Launcher req = Launcher.run("hello\nserver\n", RUN, "req", "--type", "client", "--connect", ep, "--timeout", "30000");
      assertEquals(0, req.exitCode(), req.describe());
      assertEquals("hello\nserver\n", req.stdout());
      assertEquals(0, echo.await(RUN), echo.describe());
    }
  }

  @Test
  void scatterSendReachesGatherRecv() {
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    try (Launcher recv = Launcher.start("recv", "--type", "GATHER", "--bind", ep, "--count", "2")) {
      recv.input(null);
      Launcher send = Launcher.run("one\ntwo\n", RUN, "send", "--type", "SCATTER", "--connect", ep);
      assertEquals(0, send.exitCode(), send.describe());
      assertEquals(0, recv.await(RUN), recv.describe());
      assertEquals("one\ntwo\n", recv.stdout());
    }
  }

  @Test
  void peerSendGoesToThePeerItConnected() {
    String ep = "tcp://127.0.0.1:" + Launcher.freePort();
    try (Launcher recv = Launcher.start("recv", "--type", "PEER", "--bind", ep, "--count", "1")) {
      recv.input(null);
      Launcher send = Launcher.run("to my peer\n", RUN, "send", "--type", "PEER", "--connect", ep);
      assertEquals(0, send.exitCode(), send.describe());
      assertEquals(0, recv.await(RUN), recv.describe());
      assertEquals("to my peer\n", recv.stdout());
    }
  }

  @Test
  void sendOnAServerIsAUsageError() {
    Launcher send = Launcher.run("x\n", RUN, "send", "--type", "SERVER", "--bind", "tcp://127.0.0.1:*");
    assertEquals(Pzmq.USAGE, send.exitCode(), send.describe());
    assertTrue(send.stderr().contains("SERVER"), send.stderr());
  }
}
