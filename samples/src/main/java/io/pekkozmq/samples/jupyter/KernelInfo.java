package io.pekkozmq.samples.jupyter;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The kernel_info_reply's content: who we are and which language the cells are in. */
final class KernelInfo {
  static final String IMPLEMENTATION = "pekko-zmq-java";
  static final String VERSION = "0.1.0";

  private KernelInfo() {}

  static ObjectNode content() {
    ObjectNode c = JsonNodeFactory.instance.objectNode();
    c.put("status", "ok");
    c.put("protocol_version", JupyterMessage.PROTOCOL_VERSION);
    c.put("implementation", IMPLEMENTATION);
    c.put("implementation_version", VERSION);
    ObjectNode lang = c.putObject("language_info");
    lang.put("name", "java");
    lang.put("version", Runtime.version().toString());
    lang.put("mimetype", "text/x-java");
    lang.put("file_extension", ".java");
    lang.put("pygments_lexer", "java");
    lang.put("codemirror_mode", "text/x-java");
    c.put("banner", "Java " + Runtime.version() + " (JShell) on pekko-zmq " + VERSION
        + ": ZeroMQ in Java as Pekko actors");
    c.putArray("help_links");
    return c;
  }
}
