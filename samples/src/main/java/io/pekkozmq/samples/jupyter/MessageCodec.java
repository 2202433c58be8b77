package io.pekkozmq.samples.jupyter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Jupyter wire format: {@code [ids…, "<IDS|MSG>", signature, header, parent, metadata, content,
 * buffers…]}, signed with an HMAC (the connection file's {@code signature_scheme}, e.g.
 * hmac-sha256) of the four JSON frames under the connection file's key, in lowercase hex. An empty
 * key means no signing, as jupyter_client's Session has it. Stateless and thread-safe: each call
 * takes its own {@link Mac}.
 */
public final class MessageCodec {
  public static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  /** What came off the wire: a message whose signature checked, or why it was refused. */
  public sealed interface Decoded permits Valid, Invalid {}

  public record Valid(JupyterMessage message) implements Decoded {}

  /** Refused; {@code reason} names the problem for the log. */
  public record Invalid(String reason) implements Decoded {}

  private final SecretKeySpec key;
  private final String algorithm;

  /**
   * @param scheme jupyter_client's {@code signature_scheme}: {@code hmac-} and a JDK digest name
   *     (sha256, sha1, sha512…)
   * @throws IllegalArgumentException for a scheme the JDK has no HMAC for, naming it
   */
  public MessageCodec(byte[] key, String scheme) {
    if (!scheme.toLowerCase(Locale.ROOT).startsWith("hmac-")) {
      throw new IllegalArgumentException("unsupported signature_scheme '" + scheme + "' (expected hmac-<digest>)");
    }
    this.algorithm = "Hmac" + scheme.substring(5).toUpperCase(Locale.ROOT);
    try {
      Mac.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalArgumentException("unsupported signature_scheme '" + scheme + "': the JDK has no " + algorithm);
    }
    this.key = key.length == 0 ? null : new SecretKeySpec(key, algorithm);
  }

  /** The lowercase hex HMAC of the four JSON frames; empty when the key is empty. */
  public byte[] sign(byte[] header, byte[] parent, byte[] metadata, byte[] content) {
    if (key == null) return new byte[0];
    Mac mac = mac();
    mac.update(header);
    mac.update(parent);
    mac.update(metadata);
    mac.update(content);
    return HEX.formatHex(mac.doFinal()).getBytes(StandardCharsets.US_ASCII);
  }

  public Msg encode(JupyterMessage m) {
    byte[] header = json(m.header());
    byte[] parent = json(m.parentHeader());
    byte[] metadata = json(m.metadata());
    byte[] content = json(m.content());
    List<Frame> frames = new ArrayList<>(m.identities().size() + 6 + m.buffers().size());
    for (byte[] id : m.identities()) frames.add(Frame.wrap(id));
    frames.add(Frame.wrap(DELIMITER));
    frames.add(Frame.wrap(sign(header, parent, metadata, content)));
    frames.add(Frame.wrap(header));
    frames.add(Frame.wrap(parent));
    frames.add(Frame.wrap(metadata));
    frames.add(Frame.wrap(content));
    for (byte[] b : m.buffers()) frames.add(Frame.wrap(b));
    return Msg.of(frames);
  }

  public Decoded decode(Msg msg) {
    int delimiter = -1;
    for (int i = 0; i < msg.size(); i++) {
      if (msg.frame(i).contentEquals(DELIMITER)) {
        delimiter = i;
        break;
      }
    }
    if (delimiter < 0) return new Invalid("no <IDS|MSG> delimiter in " + msg.size() + " frames");
    if (msg.size() - delimiter - 1 < 5) {
      return new Invalid("only " + (msg.size() - delimiter - 1) + " frames after <IDS|MSG>, expected at least 5"
          + " (signature, header, parent, metadata, content)");
    }
    byte[] signature = msg.frame(delimiter + 1).toByteArray();
    byte[] header = msg.frame(delimiter + 2).toByteArray();
    byte[] parent = msg.frame(delimiter + 3).toByteArray();
    byte[] metadata = msg.frame(delimiter + 4).toByteArray();
    byte[] content = msg.frame(delimiter + 5).toByteArray();
    if (key != null) {
      byte[] expected = sign(header, parent, metadata, content);
      // constant time, so the signature cannot be found byte by byte from the kernel's timing
      if (!MessageDigest.isEqual(expected, lowerCase(signature))) return new Invalid("bad signature");
    }
    List<byte[]> ids = new ArrayList<>(delimiter);
    for (int i = 0; i < delimiter; i++) ids.add(msg.frame(i).toByteArray());
    List<byte[]> buffers = new ArrayList<>();
    for (int i = delimiter + 6; i < msg.size(); i++) buffers.add(msg.frame(i).toByteArray());
    try {
      ObjectNode h = dict(header, "header");
      if (!h.path("msg_type").isTextual()) return new Invalid("the header has no msg_type");
      return new Valid(new JupyterMessage(ids, h, dict(parent, "parent header"), dict(metadata, "metadata"),
          dict(content, "content"), buffers));
    } catch (IllegalArgumentException e) {
      return new Invalid(e.getMessage());
    }
  }

  private static ObjectNode dict(byte[] json, String what) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the " + what + " is not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("reading a byte array cannot fail", e);
    }
    if (n instanceof ObjectNode o) return o;
    throw new IllegalArgumentException("the " + what + " is not a JSON object");
  }

  static byte[] json(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private static byte[] lowerCase(byte[] hex) {
    byte[] out = hex.clone();
    for (int i = 0; i < out.length; i++) if (out[i] >= 'A' && out[i] <= 'F') out[i] += 'a' - 'A';
    return out;
  }

  private Mac mac() {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(key);
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(algorithm + " was available when the codec was made", e);
    }
  }
}
