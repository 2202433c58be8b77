package io.pekkozmq.samples.jupyter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConnectionInfoTest {
  private static ConnectionInfo parse(String json) throws Exception {
    return ConnectionInfo.parse(new ObjectMapper().readTree(json), "kernel.json");
  }

  private static final String TCP = """
      {"shell_port": 5001, "iopub_port": 5002, "stdin_port": 5003, "control_port": 5004, "hb_port": 5005,
       "ip": "127.0.0.1", "key": "k3y", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": ""}
      """;

  @Test
  void tcpEndpointsAreIpColonPort() throws Exception {
    ConnectionInfo c = parse(TCP);
    assertEquals("tcp://127.0.0.1:5001", c.endpoint(c.shellPort()));
    assertEquals("tcp://127.0.0.1:5005", c.endpoint(c.hbPort()));
    assertArrayEquals("k3y".getBytes(StandardCharsets.UTF_8), c.key());
    assertEquals("hmac-sha256", c.signatureScheme());
  }

  @Test
  void ipcEndpointsAreIpDashPortAsJupyterClientMakesThem() throws Exception {
    ConnectionInfo c = parse(TCP.replace("\"tcp\"", "\"ipc\"").replace("127.0.0.1", "/tmp/k/kernel"));
    assertEquals("ipc:///tmp/k/kernel-5002", c.endpoint(c.iopubPort()));
  }

  @Test
  void aMissingOrBadFieldIsNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> parse(TCP.replace("\"hb_port\": 5005,", "")));
    assertTrue(e.getMessage().contains("hb_port"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse(TCP.replace("5003", "\"x\"")));
    assertTrue(e.getMessage().contains("stdin_port"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse(TCP.replace("5004", "70000")));
    assertTrue(e.getMessage().contains("control_port"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse(TCP.replace("\"tcp\"", "\"udp\"")));
    assertTrue(e.getMessage().contains("udp"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse("[1, 2]"));
    assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());
  }
}
