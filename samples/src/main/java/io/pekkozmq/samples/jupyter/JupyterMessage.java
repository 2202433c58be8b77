package io.pekkozmq.samples.jupyter;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One message of the Jupyter messaging protocol, decoded: the routing identities that came before
 * {@code <IDS|MSG>}, the four JSON dicts and the raw buffers. The dicts are Jackson trees because
 * the protocol is all dicts, most of whose fields the kernel only passes on.
 */
public record JupyterMessage(List<byte[]> identities, ObjectNode header, ObjectNode parentHeader,
                             ObjectNode metadata, ObjectNode content, List<byte[]> buffers) {
  public static final String PROTOCOL_VERSION = "5.3";

  public JupyterMessage {
    identities = List.copyOf(identities);
    buffers = List.copyOf(buffers);
  }

  /** The header's {@code msg_type}; the codec only accepts messages that have one. */
  public String msgType() {
    return header.path("msg_type").asText();
  }

  public String msgId() {
    return header.path("msg_id").asText();
  }

  /**
   * A new message answering or caused by {@code parent}: its header becomes our parent header, and
   * it goes back to the parent's identities (ROUTER) unless {@code identities} says otherwise.
   */
  public static JupyterMessage caused(JupyterMessage parent, String session, String msgType, ObjectNode content,
      List<byte[]> identities) {
    ObjectNode parentHeader = parent == null ? JsonNodeFactory.instance.objectNode() : parent.header().deepCopy();
    return new JupyterMessage(identities, header(session, msgType), parentHeader,
        JsonNodeFactory.instance.objectNode(), content, List.of());
  }

  /** The reply to a request, routed back to whoever sent it. */
  public static JupyterMessage reply(JupyterMessage request, String session, String msgType, ObjectNode content) {
    return caused(request, session, msgType, content, request.identities());
  }

  static ObjectNode header(String session, String msgType) {
    ObjectNode h = JsonNodeFactory.instance.objectNode();
    h.put("msg_id", UUID.randomUUID().toString());
    h.put("session", session);
    h.put("username", "kernel");
    h.put("date", Instant.now().toString());
    h.put("msg_type", msgType);
    h.put("version", PROTOCOL_VERSION);
    return h;
  }
}
