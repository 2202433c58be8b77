package io.pekkozmq.samples.jupyter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A Jupyter connection file (the JSON the client writes and names in the kernel's argv): where
 * each of the five sockets binds and how messages are signed.
 */
public record ConnectionInfo(String transport, String ip, int shellPort, int iopubPort, int stdinPort,
                             int controlPort, int hbPort, byte[] key, String signatureScheme) {

  /** Reads the file; a missing or malformed field is an {@link IllegalArgumentException} naming it. */
  public static ConnectionInfo read(Path file) throws IOException {
    JsonNode n;
    try {
      n = new ObjectMapper().readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage());
    }
    return parse(n, file.toString());
  }

  static ConnectionInfo parse(JsonNode n, String where) {
    if (n == null || !n.isObject()) throw new IllegalArgumentException(where + " is not a JSON object");
    String transport = n.path("transport").asText("tcp");
    if (!transport.equals("tcp") && !transport.equals("ipc")) {
      throw new IllegalArgumentException(where + ": transport '" + transport + "' is neither tcp nor ipc");
    }
    return new ConnectionInfo(transport, text(n, "ip", where), port(n, "shell_port", where), port(n, "iopub_port", where),
        port(n, "stdin_port", where), port(n, "control_port", where), port(n, "hb_port", where),
        n.path("key").asText("").getBytes(StandardCharsets.UTF_8), n.path("signature_scheme").asText("hmac-sha256"));
  }

  /**
   * The endpoint for a port, as jupyter_client makes it: {@code tcp://ip:port}, or for ipc
   * {@code ipc://ip-port} (the "ip" is then a path prefix).
   */
  public String endpoint(int port) {
    return transport.equals("tcp") ? "tcp://" + ip + ":" + port : "ipc://" + ip + "-" + port;
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new IllegalArgumentException(where + ": '" + field + "' is missing or not a string");
    }
    return v.asText();
  }

  private static int port(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > 65535) {
      throw new IllegalArgumentException(where + ": '" + field + "' is missing or not a port (1-65535): " + v);
    }
    return v.asInt();
  }
}
