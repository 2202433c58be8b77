package io.pekkozmq.samples.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel as Jupyter runs it: the real jupyter_client (Debian's python3-jupyter-client) starts
 * {@code ./pzmq jupyter-kernel} through the kernelspec that {@code ./pzmq jupyter-install --prefix}
 * wrote, and drive_kernel.py checks the protocol, one line per check. Each line is a test here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JupyterKernelTest {
  private static final String PYTHON = "/usr/bin/python3";
  static final Duration BUILD = Duration.ofMinutes(10);
  private static final Duration SESSION = Duration.ofMinutes(4);
  /** Every check drive_kernel.py runs in full mode, so a script that dies half-way fails here. */
  private static final List<String> FULL = List.of("kernel_info", "expression_value", "stdout_stream",
      "state_survives_between_cells", "execution_count_counts_cells", "exception_is_an_error",
      "compile_error_is_an_error", "cells_can_use_pekko_zmq",
      "queued_cells_abort_after_an_error", "complete_prefix", "inspect", "is_complete", "history_and_comm_info",
      "heartbeat_beats", "interrupt_stops_an_endless_cell", "bad_messages_are_ignored",
      "exit_asks_the_frontend_to_exit", "exit_inside_java_is_java", "restart",
      "shutdown_ends_the_process");
  private static final List<String> BASIC = List.of("kernel_info", "expression_value", "shutdown_ends_the_process");

  @TempDir
  static Path tmp;
  private Path kernels;
  private Path script;

  @BeforeAll
  void installKernelspec() throws Exception {
    requireJupyterClient();
    Path prefix = tmp.resolve("prefix");
    Result r = run(BUILD, List.of(pzmq().toString(), "jupyter-install", "--prefix", prefix.toString()), Map.of());
    assertEquals(0, r.exit(), r.toString());
    kernels = prefix.resolve("share/jupyter/kernels");
    assertEquals(kernels.resolve(JupyterInstallCommand.KERNEL_NAME).toString(), r.stdout().strip(), r.toString());
    script = tmp.resolve("drive_kernel.py");
    try (InputStream in = getClass().getResourceAsStream("drive_kernel.py")) {
      Files.write(script, in.readAllBytes());
    }
  }

  @Test
  void kernelspecRunsThisLauncherWithMessageInterrupts() throws IOException {
    JsonNode spec = new ObjectMapper().readTree(kernels.resolve("pekkozmq-java/kernel.json").toFile());
    JsonNode argv = spec.get("argv");
    assertEquals(3, argv.size(), spec.toString());
    assertEquals(pzmq().toString(), argv.get(0).asText());
    assertTrue(Paths.get(argv.get(0).asText()).isAbsolute());
    assertEquals("jupyter-kernel", argv.get(1).asText());
    assertEquals("{connection_file}", argv.get(2).asText());
    assertEquals("java", spec.get("language").asText());
    assertEquals("message", spec.get("interrupt_mode").asText());
    assertTrue(spec.get("display_name").asText().contains("Java"), spec.toString());
  }

  @TestFactory
  Stream<DynamicTest> overTcpEveryRequestTheClientMakes() throws Exception {
    return checks(session("tcp", "full"), FULL);
  }

  @TestFactory
  Stream<DynamicTest> overIpcTheSocketsBindWhereTheFileSays() throws Exception {
    return checks(session("ipc", "basic"), BASIC);
  }

  @Test
  void aBadConnectionFileExitsOneNamingTheField() throws Exception {
    Path file = tmp.resolve("bad.json");
    Files.writeString(file, "{\"ip\": \"127.0.0.1\", \"shell_port\": 1, \"iopub_port\": 2, \"stdin_port\": 3,"
        + " \"control_port\": 4, \"key\": \"k\"}");
    Result r = run(SESSION, List.of(pzmq().toString(), "jupyter-kernel", file.toString()), Map.of());
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.stderr().contains("hb_port"), r.toString());
  }

  private Result session(String transport, String mode) throws Exception {
    Path ipcDir = Files.createDirectories(tmp.resolve("ipc-" + mode));
    return run(SESSION, List.of(PYTHON, script.toString(), kernels.toString(), transport, mode, ipcDir.toString()),
        Map.of("JUPYTER_RUNTIME_DIR", tmp.resolve("runtime").toString(), "KERNEL_TIMEOUT", "60"));
  }

  /** One dynamic test per expected check: passed, failed with the script's reason, or never reached. */
  private static Stream<DynamicTest> checks(Result r, List<String> expected) {
    Map<String, String> verdicts = new LinkedHashMap<>();
    for (String line : r.stdout().split("\n")) {
      if (line.startsWith("PASS ")) verdicts.put(line.substring(5).strip(), null);
      if (line.startsWith("FAIL ")) {
        String rest = line.substring(5);
        int colon = rest.indexOf(':');
        verdicts.put(colon < 0 ? rest : rest.substring(0, colon), rest);
      }
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : expected) {
      tests.add(DynamicTest.dynamicTest(name, () -> {
        if (!verdicts.containsKey(name)) fail("check " + name + " never ran\n" + r);
        if (verdicts.get(name) != null) fail(verdicts.get(name) + "\n" + r);
      }));
    }
    tests.add(DynamicTest.dynamicTest("the client session ends cleanly", () -> assertEquals(0, r.exit(), r.toString())));
    return tests.stream();
  }

  private static void requireJupyterClient() throws Exception {
    String why;
    if (!Files.isExecutable(Paths.get(PYTHON))) {
      why = PYTHON + " is missing";
    } else {
      Result r = run(Duration.ofSeconds(60), List.of(PYTHON, "-c", "import jupyter_client, zmq"), Map.of());
      why = r.exit() == 0 ? null : "jupyter_client is not importable (Debian: python3-jupyter-client): " + r.stderr();
    }
    if (why == null) return;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("the Jupyter kernel tests need jupyter_client on CI: " + why);
    Assumptions.abort(why);
  }

  static Path pzmq() {
    String env = System.getenv("PZMQ_REPO_ROOT");
    if (env != null && Files.isExecutable(Paths.get(env, "pzmq"))) return Paths.get(env, "pzmq").toAbsolutePath();
    for (Path p = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("pzmq"))) return p.resolve("pzmq");
    }
    throw new AssertionError("no pzmq launcher above " + System.getProperty("user.dir"));
  }

  record Result(int exit, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  /**
   * Runs a process to its end with output in files (no pipe can fill), killing it after {@code limit}.
   * Shared with {@link JupyterConsoleTmuxTest}.
   */
  static Result run(Duration limit, List<String> cmd, Map<String, String> env) throws Exception {
    Path out = Files.createTempFile("jupyter-test", ".out");
    Path err = Files.createTempFile("jupyter-test", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        fail(String.join(" ", cmd) + " did not finish within " + limit + "\n--- stdout\n"
            + Files.readString(out, StandardCharsets.UTF_8) + "\n--- stderr\n" + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
