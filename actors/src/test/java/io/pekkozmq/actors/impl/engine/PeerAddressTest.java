package io.pekkozmq.actors.impl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The ZAP address / Peer-Address text, as libzmq's inet_ntop gives it. */
class PeerAddressTest {
  private static String text(String literal) throws Exception {
    return PeerAddress.text(InetAddress.getByName(literal));
  }

  @Test
  void ipv4AsDottedQuad() throws Exception {
    assertEquals("127.0.0.1", text("127.0.0.1"));
  }

  @Test
  void ipv6ShortensTheLongestZeroRunAsInetNtop() throws Exception {
    assertEquals("::1", text("0:0:0:0:0:0:0:1"));
    assertEquals("::", text("::"));
    assertEquals("fe80::1:2", text("fe80:0:0:0:0:0:1:2"));
    assertEquals("2001:db8::1:0:0:1", text("2001:db8:0:0:1:0:0:1"), "the first of two equal runs");
    assertEquals("2001:db8:0:1:1:1:1:1", text("2001:db8:0:1:1:1:1:1"), "a single zero group stays");
    assertEquals("1::", text("1:0:0:0:0:0:0:0"));
  }
}
