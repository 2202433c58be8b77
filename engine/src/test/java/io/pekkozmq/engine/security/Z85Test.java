package io.pekkozmq.engine.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Z85Test {
  static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  /** RFC 32's "HelloWorld" vector. */
  @Test
  void helloWorld() {
    byte[] data = bytes(0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B);
    assertEquals("HelloWorld", Z85.encode(data));
    assertArrayEquals(data, Z85.decode("HelloWorld"));
  }

  /** RFC 32's 32-byte key example. */
  @Test
  void rfc32Key() {
    byte[] key = bytes(
        0x8E, 0x0B, 0xDD, 0x69, 0x76, 0x28, 0xB9, 0x1D,
        0x8F, 0x24, 0x55, 0x87, 0xEE, 0x95, 0xC5, 0xB0,
        0x4D, 0x48, 0x96, 0x3F, 0x79, 0x25, 0x98, 0x77,
        0xB4, 0x9C, 0xD9, 0x06, 0x3A, 0xEA, 0xD3, 0xB7);
    String text = "JTKVSB%%)wK0E.X)V>+}o?pNmC{O&4W4b!Ni{Lh6";
    assertEquals(text, Z85.encode(key));
    assertArrayEquals(key, Z85.decode(text));
  }

  @Test
  void roundTripsRandomAndEdgeValues() {
    Random r = new Random(32);
    for (int n = 0; n <= 64; n += 4) {
      byte[] b = new byte[n];
      r.nextBytes(b);
      assertArrayEquals(b, Z85.decode(Z85.encode(b)));
    }
    byte[] ff = bytes(0xff, 0xff, 0xff, 0xff);
    assertEquals("%nSc0", Z85.encode(ff));
    assertArrayEquals(ff, Z85.decode("%nSc0"));
    assertEquals("00000", Z85.encode(new byte[4]));
    assertEquals("", Z85.encode(new byte[0]));
  }

  @Test
  void badInputNamesTheProblem() {
    var e = assertThrows(IllegalArgumentException.class, () -> Z85.encode(new byte[5]));
    assertTrue(e.getMessage().contains("5 bytes"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Z85.decode("Hello!"));
    assertTrue(e.getMessage().contains("6 characters"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Z85.decode("Hel~oWorld"));
    assertTrue(e.getMessage().contains("'~' at index 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Z85.decode("Hello Worl"));
    assertTrue(e.getMessage().contains("index 5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Z85.decode("abcd\u00e9"));
    assertTrue(e.getMessage().contains("index 4"), e.getMessage());
    // 5 characters above 2^32 - 1 ("%nSc0" is the largest group)
    e = assertThrows(IllegalArgumentException.class, () -> Z85.decode("%nSc1"));
    assertTrue(e.getMessage().contains("exceeds 32 bits"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Z85.decode("#####"));
    assertTrue(e.getMessage().contains("exceeds 32 bits"), e.getMessage());
  }
}
