package io.pekkozmq.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code pzmq send --type RADIO --group G} and {@code pzmq recv --type DISH --group G}, over udp. */
class PzmqRadioDishCliTest {
  private static final Duration RUN = Duration.ofSeconds(60);

  @Test
  void sendPutsEveryLineInTheGroup() {
    try (ZContext ctx = new ZContext(); ZSocket dish = ctx.socket(SocketType.DISH)) {
      dish.join("TV");
      String ep = dish.bind("udp://127.0.0.1:*");
      Launcher send = Launcher.run("Friends\nSeinfeld\n", RUN, "send", "--type", "RADIO", "--connect", ep,
          "--group", "TV");
      assertEquals(0, send.exitCode(), send.describe());
      for (String body : new String[] {"Friends", "Seinfeld"}) {
        Msg m = dish.recv(RUN);
        assertNotNull(m, "no datagram for " + body);
        assertEquals("TV", m.group());
        assertEquals(body, m.first().text());
      }
    }
  }

  @Test
  void recvJoinsItsGroupsOnly() {
    int port = Launcher.freePort();
    String ep = "udp://127.0.0.1:" + port;
    try (ZContext ctx = new ZContext(); ZSocket radio = ctx.socket(SocketType.RADIO);
        Launcher recv = Launcher.start("recv", "--type", "DISH", "--bind", ep, "--group", "TV", "--count", "1")) {
      recv.input(null);
      radio.connect(ep);
      long deadline = System.nanoTime() + RUN.toNanos();
      boolean exited = false;
      while (!exited && System.nanoTime() < deadline) { // udp: sends before recv has bound are lost, so repeat
        radio.send(Msg.ofStrings("Godfather").withGroup("Movies"));
        radio.send(Msg.ofStrings("Friends").withGroup("TV"));
        exited = recv.exitedWithin(Duration.ofMillis(50));
      }
      assertTrue(exited, recv.describe());
      assertEquals(0, recv.exitCode(), recv.describe());
      assertEquals("Friends\n", recv.stdout());
    }
  }

  @Test
  void groupIsAUsageErrorOnOtherTypesAndWhenTooLong() {
    Launcher l = Launcher.run("", RUN, "send", "--type", "PUB", "--bind", "tcp://127.0.0.1:*", "--group", "TV");
    assertEquals(2, l.exitCode(), l.describe());
    assertTrue(l.stderr().contains("only RADIO"), l.describe());
    l = Launcher.run("", RUN, "recv", "--type", "DISH", "--bind", "udp://127.0.0.1:*", "--group", "x".repeat(256));
    assertEquals(2, l.exitCode(), l.describe());
    assertTrue(l.stderr().contains("at most 255 bytes"), l.describe());
  }
}
