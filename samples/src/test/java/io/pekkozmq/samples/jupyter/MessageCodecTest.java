package io.pekkozmq.samples.jupyter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire format fed bytes: frames in, frames out, no sockets. */
class MessageCodecTest {
  private static final byte[] KEY = "secret-key".getBytes(StandardCharsets.UTF_8);
  private final MessageCodec codec = new MessageCodec(KEY, "hmac-sha256");

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Msg wire(byte[]... frames) {
    return Msg.ofBytes(frames);
  }

  /** A request as jupyter_client frames it: two routing ids, the delimiter, the signature, four dicts. */
  private Msg signedRequest(byte[] content) {
    byte[] header = b("{\"msg_id\":\"m1\",\"msg_type\":\"execute_request\",\"session\":\"s\",\"version\":\"5.3\"}");
    byte[] sig = codec.sign(header, b("{}"), b("{}"), content);
    return wire(b("peer-1"), b("peer-2"), MessageCodec.DELIMITER, sig, header, b("{}"), b("{}"), content);
  }

  @Test
  void signatureIsLowercaseHexHmacSha256OfTheFourDicts() {
    // python3: hmac.new(b'secret-key', b'{"msg_type":"x"}{}{}{"a":1}', hashlib.sha256).hexdigest()
    assertEquals("8a0d749a431a924a2389012e9a0b36e668495d75e4e01c71869a435d06ce3fd9",
        new String(codec.sign(b("{\"msg_type\":\"x\"}"), b("{}"), b("{}"), b("{\"a\":1}")), StandardCharsets.US_ASCII));
  }

  @Test
  void decodeKeepsIdentitiesDictsAndBuffers() {
    Msg m = signedRequest(b("{\"code\":\"1 + 1\"}"));
    List<Frame> frames = new ArrayList<>(m.frames());
    frames.add(Frame.wrap(b("buffer-0")));
    var decoded = assertInstanceOf(MessageCodec.Valid.class, codec.decode(Msg.of(frames))).message();
    assertEquals(2, decoded.identities().size());
    assertArrayEquals(b("peer-1"), decoded.identities().get(0));
    assertArrayEquals(b("peer-2"), decoded.identities().get(1));
    assertEquals("execute_request", decoded.msgType());
    assertEquals("m1", decoded.msgId());
    assertEquals("1 + 1", decoded.content().get("code").asText());
    assertEquals(1, decoded.buffers().size());
    assertArrayEquals(b("buffer-0"), decoded.buffers().get(0));
  }

  @Test
  void aReplyGoesBackToTheRequestsIdentitiesWithItsHeaderAsParent() {
    var request = ((MessageCodec.Valid) codec.decode(signedRequest(b("{}")))).message();
    ObjectNode content = JsonNodeFactory.instance.objectNode().put("status", "ok");
    Msg out = codec.encode(JupyterMessage.reply(request, "kernel-session", "execute_reply", content));
    assertEquals(2 + 6, out.size());
    assertTrue(out.frame(0).contentEquals(b("peer-1")));
    assertTrue(out.frame(1).contentEquals(b("peer-2")));
    assertTrue(out.frame(2).contentEquals(MessageCodec.DELIMITER));
    byte[] expected = codec.sign(out.frame(4).toByteArray(), out.frame(5).toByteArray(), out.frame(6).toByteArray(),
        out.frame(7).toByteArray());
    assertArrayEquals(expected, out.frame(3).toByteArray());
    var back = assertInstanceOf(MessageCodec.Valid.class, codec.decode(out)).message();
    assertEquals("execute_reply", back.msgType());
    assertEquals("m1", back.parentHeader().get("msg_id").asText());
    assertEquals("5.3", back.header().get("version").asText());
    assertEquals("kernel-session", back.header().get("session").asText());
    assertEquals("ok", back.content().get("status").asText());
  }

  @Test
  void aWrongKeyIsABadSignature() {
    MessageCodec other = new MessageCodec(b("another-key"), "hmac-sha256");
    Msg m = signedRequest(b("{}"));
    assertEquals(new MessageCodec.Invalid("bad signature"), other.decode(m));
  }

  @Test
  void aTamperedDictIsABadSignature() {
    Msg m = signedRequest(b("{\"code\":\"1\"}"));
    List<Frame> frames = new ArrayList<>(m.frames());
    frames.set(frames.size() - 1, Frame.wrap(b("{\"code\":\"2\"}")));
    assertEquals(new MessageCodec.Invalid("bad signature"), codec.decode(Msg.of(frames)));
  }

  @Test
  void aMissingOrEmptySignatureIsRefusedWhenThereIsAKey() {
    Msg m = wire(MessageCodec.DELIMITER, b(""), b("{\"msg_type\":\"x\"}"), b("{}"), b("{}"), b("{}"));
    assertEquals(new MessageCodec.Invalid("bad signature"), codec.decode(m));
  }

  @Test
  void uppercaseHexIsTheSameSignature() {
    Msg m = signedRequest(b("{}"));
    List<Frame> frames = new ArrayList<>(m.frames());
    frames.set(3, Frame.wrap(frames.get(3).text().toUpperCase().getBytes(StandardCharsets.US_ASCII)));
    assertInstanceOf(MessageCodec.Valid.class, codec.decode(Msg.of(frames)));
  }

  @Test
  void noDelimiterIsRefusedNamingIt() {
    var invalid = assertInstanceOf(MessageCodec.Invalid.class, codec.decode(wire(b("peer"), b("{}"), b("{}"))));
    assertTrue(invalid.reason().contains("<IDS|MSG>"), invalid.reason());
  }

  @Test
  void tooFewFramesAfterTheDelimiterIsRefused() {
    var invalid = assertInstanceOf(MessageCodec.Invalid.class,
        codec.decode(wire(b("peer"), MessageCodec.DELIMITER, b("sig"), b("{}"))));
    assertTrue(invalid.reason().contains("only 2 frames"), invalid.reason());
  }

  @Test
  void everyTruncationOfAValidMessageIsRefusedWithoutThrowing() {
    Msg m = signedRequest(b("{\"code\":\"x\"}"));
    for (int n = 1; n < m.size(); n++) {
      assertInstanceOf(MessageCodec.Invalid.class, codec.decode(Msg.of(m.frames().subList(0, n))), n + " frames");
    }
  }

  @Test
  void malformedDictsAreRefusedNamingWhich() {
    MessageCodec unsigned = new MessageCodec(new byte[0], "hmac-sha256");
    byte[] h = b("{\"msg_type\":\"x\"}");
    assertEquals(new MessageCodec.Invalid("the header is not a JSON object"),
        unsigned.decode(wire(MessageCodec.DELIMITER, b(""), b("[1]"), b("{}"), b("{}"), b("{}"))));
    assertEquals(new MessageCodec.Invalid("the header has no msg_type"),
        unsigned.decode(wire(MessageCodec.DELIMITER, b(""), b("{\"msg_type\":3}"), b("{}"), b("{}"), b("{}"))));
    assertEquals(new MessageCodec.Invalid("the content is not a JSON object"),
        unsigned.decode(wire(MessageCodec.DELIMITER, b(""), h, b("{}"), b("{}"), b(""))));
    var invalid = assertInstanceOf(MessageCodec.Invalid.class,
        unsigned.decode(wire(MessageCodec.DELIMITER, b(""), h, b("{nope"), b("{}"), b("{}"))));
    assertTrue(invalid.reason().startsWith("the parent header is not JSON"), invalid.reason());
  }

  @Test
  void anEmptyKeySignsNothingAndChecksNothing() {
    MessageCodec unsigned = new MessageCodec(new byte[0], "hmac-sha256");
    assertEquals(0, unsigned.sign(b("{}"), b("{}"), b("{}"), b("{}")).length);
    Msg m = wire(b("id"), MessageCodec.DELIMITER, b("whatever"), b("{\"msg_type\":\"kernel_info_request\"}"), b("{}"),
        b("{}"), b("{}"));
    assertEquals("kernel_info_request",
        assertInstanceOf(MessageCodec.Valid.class, unsigned.decode(m)).message().msgType());
  }

  @Test
  void anIdentityLookingLikeJsonIsStillAnIdentity() {
    Msg m = signedRequest(b("{}"));
    List<Frame> frames = new ArrayList<>(m.frames());
    frames.add(0, Frame.wrap(b("{}")));
    assertEquals(3, assertInstanceOf(MessageCodec.Valid.class, codec.decode(Msg.of(frames))).message().identities().size());
  }

  @Test
  void otherDigestsWorkAndUnknownSchemesAreNamed() {
    assertEquals(128, new MessageCodec(KEY, "hmac-sha512").sign(b("{}"), b("{}"), b("{}"), b("{}")).length);
    var e = assertThrows(IllegalArgumentException.class, () -> new MessageCodec(KEY, "hmac-rot13"));
    assertTrue(e.getMessage().contains("hmac-rot13"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new MessageCodec(KEY, "rsa"));
    assertTrue(e.getMessage().contains("rsa"), e.getMessage());
  }
}
