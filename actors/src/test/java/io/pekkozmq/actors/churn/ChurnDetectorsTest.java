package io.pekkozmq.actors.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyZmq;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The churn harness's detectors fire: a torn or mixed message, a duplicate, a reordering. */
class ChurnDetectorsTest {
  @Test
  void aWholeMessageParsesAndAnEchoNamesItsServer() {
    ChurnMessage.Parsed p = ChurnMessage.parse(ChurnMessage.of("push1", 41));
    assertNull(p.error(), p.error());
    assertEquals("push1", p.stream());
    assertEquals(41, p.seq());
    assertEquals("push1@rep3", ChurnMessage.parse(ChurnMessage.echo(ChurnMessage.of("push1", 41), "rep3")).stream());
  }

  @Test
  void aMessageMissingItsLastFrameIsTorn() {
    for (long seq = 0; seq < 50; seq++) {
      Msg m = ChurnMessage.of("dealer2", seq);
      Msg cut = Msg.of(m.frames().subList(0, m.size() - 1));
      assertNotNull(ChurnMessage.parse(cut).error(), "#" + seq + " without its last frame passed as whole");
    }
  }

  @Test
  void aMessageWithAFrameOfAnotherMessageIsTorn() {
    int mixed = 0;
    for (long seq = 0; seq < 50; seq++) {
      Msg a = ChurnMessage.of("pub1", seq);
      Msg b = ChurnMessage.of("pub1", seq + 1);
      Frame[] fs = a.frames().toArray(new Frame[0]);
      fs[fs.length - 1] = b.last();
      if (fs[fs.length - 1].contentEquals(a.last())) continue; // both empty: nothing mixed
      mixed++;
      assertNotNull(ChurnMessage.parse(Msg.of(fs)).error(), "#" + seq + " with #" + (seq + 1) + "'s last frame passed as whole");
    }
    assertTrue(mixed > 40, "only " + mixed + " of 50 pairs differ in their last frame");
  }

  @Test
  void theLedgerReportsDuplicatesReorderingsAndAMessageReachingTwoReceivers() {
    Ledger ledger = new Ledger(false);
    ledger.received("pull1", "push1", 0, 4);
    ledger.received("pull1", "push1", 6, 6);
    assertTrue(ledger.violations().isEmpty(), ledger.violations().toString());
    ledger.received("pull1", "push1", 5, 5);
    ledger.received("pull1", "push1", 6, 6);
    ledger.received("pull2", "push1", 3, 3);
    List<String> v = ledger.violations();
    assertEquals(3, v.size(), v.toString());
    assertTrue(v.get(0).startsWith("reordered"), v.get(0));
    assertTrue(v.get(1).startsWith("duplicate"), v.get(1));
    assertTrue(v.get(2).contains("another receiver"), v.get(2));
    Ledger fanOut = new Ledger(true);
    fanOut.received("sub1", "pub1", 0, 9);
    fanOut.received("sub2", "pub1", 0, 9);
    assertTrue(fanOut.violations().isEmpty(), "PUB/SUB: every subscriber gets every message");
  }

  /** The python definition builds the very bytes the Java one does (else every message would be "torn"). */
  @Test
  void pythonAndJavaBuildTheSameMessages() {
    PyZmq.requireLibzmq();
    String script = "import zlib, sys\n" + ChurnMessage.PYTHON + """
        for seq in range(200):
            m, err = parse(message(b"req7", seq))
            assert err is None, err
            print(" ".join("%d:%s" % (len(p), zlib.crc32(p)) for p in message(b"req7", seq)))
        print("END")
        """;
    try (PyPeer py = PyZmq.start(script)) {
      for (long seq = 0; seq < 200; seq++) {
        List<String> mine = new ArrayList<>();
        for (Frame f : ChurnMessage.of("req7", seq)) {
          java.util.zip.CRC32 crc = new java.util.zip.CRC32();
          crc.update(f.toByteArray());
          mine.add(f.size() + ":" + crc.getValue());
        }
        assertEquals(String.join(" ", mine), py.readLine(Duration.ofSeconds(10)), "message #" + seq);
      }
      assertEquals("END", py.readLine(Duration.ofSeconds(10)));
    }
  }
}
