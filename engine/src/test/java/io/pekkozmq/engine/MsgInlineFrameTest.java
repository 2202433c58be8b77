package io.pekkozmq.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A single-frame message holds its frame without an array; it must behave as one built from an array. */
class MsgInlineFrameTest {
  private static final Map<String, byte[]> PROPS = Map.of(Msg.USER_ID, new byte[] {'u'});

  @Test
  void inlineAndArrayFormsAgree() {
    Frame f = Frame.of("hello");
    Msg inline = Msg.ofTrustedFrame(f, PROPS);
    Msg viaOf = Msg.of(f);
    Msg viaArray = Msg.ofTrusted(new Frame[] {f}, PROPS);
    for (Msg m : List.of(inline, viaOf)) {
      assertEquals(1, m.size());
      assertSame(f, m.first());
      assertSame(f, m.last());
      assertSame(f, m.frame(0));
      assertEquals(List.of(f), m.frames());
      assertEquals(5, m.byteSize());
      assertEquals(List.of("hello"), m.texts());
      assertEquals(viaArray, m);
      assertEquals(viaArray.hashCode(), m.hashCode());
      assertEquals(viaArray.toString(), m.toString());
      assertThrows(IndexOutOfBoundsException.class, () -> m.frame(1));
      assertThrows(UnsupportedOperationException.class, () -> m.frames().add(f));
      int n = 0;
      for (Frame x : m) {
        assertSame(f, x);
        n++;
      }
      assertEquals(1, n);
    }
    assertEquals("u", inline.property(Msg.USER_ID));
    assertTrue(viaOf.properties().isEmpty());
  }

  @Test
  void ofClearsMoreOnASingleFrame() {
    Msg m = Msg.of(Frame.of("x").withMore(true));
    assertFalse(m.first().hasMore());
  }

  @Test
  void prependAndDropFirstKeepFramesAndProperties() {
    Msg inline = Msg.ofTrustedFrame(Frame.of("body"), PROPS);
    Msg two = inline.prepend(Frame.of("id"));
    assertEquals(List.of("id", "body"), two.texts());
    assertTrue(two.first().hasMore());
    assertFalse(two.last().hasMore());
    assertEquals("u", two.property(Msg.USER_ID));
    Msg back = two.dropFirst(1);
    assertEquals(inline, back);
    assertEquals("u", back.property(Msg.USER_ID));
    assertThrows(IllegalArgumentException.class, () -> inline.dropFirst(1));
  }
}
