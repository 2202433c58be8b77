package io.pekkozmq.samples.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pekkozmq.samples.jupyter.JupyterKernelTest.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel as a person uses it: Debian's {@code jupyter console} runs in a detached tmux session on
 * a server of its own ({@code tmux -S <temporary socket> -f <our config>}, never the user's server), the test
 * types cells with {@code send-keys} and reads the screen with {@code capture-pane}. The console finds
 * the kernel through the kernelspec {@code ./pzmq jupyter-install --prefix} wrote; the Jupyter and
 * IPython config, data and runtime directories are temporary, so the user's own config and
 * {@code ~/.local} kernels cannot interfere. HOME is left alone: the {@code pzmq} launcher may build
 * with Maven's {@code ~/.m2}.
 *
 * <p>The tests are one session, in order; each cell waits for the next {@code In [n]:} prompt (polling
 * the pane, bounded), so a cell never types into a busy console. Two console timeouts are raised for a
 * busy machine: {@code kernel_timeout} (60 s to the first kernel_info reply) and
 * {@code kernel_is_complete_timeout} (1 s; on a miss the console stops asking the kernel and wants an
 * extra Enter for every cell).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JupyterConsoleTmuxTest {
  private static final Duration START = Duration.ofSeconds(180);
  /** The first cell also waits for JShell's own JVM. */
  private static final Duration CELL = Duration.ofSeconds(90);
  private static final Duration EXIT = Duration.ofSeconds(60);
  private static final Duration TMUX = Duration.ofSeconds(30);
  private static final Pattern PROMPT = Pattern.compile("In \\[(\\d+)\\]:");

  @TempDir
  static Path tmp;
  /** The server's socket and config: ours alone, and the socket file goes with the temporary directory. */
  private Path socket;
  private Path conf;
  private Path runtime;
  private ProcessHandle console;
  private ProcessHandle kernel;
  private final List<ProcessHandle> kernelChildren = new ArrayList<>();
  /** Set when a wait failed: the session is unusable, so later steps fail at once instead of waiting too. */
  private String broken;

  @BeforeAll
  void startConsoleInTmux() throws Exception {
    requireTmuxAndConsole();
    Path prefix = tmp.resolve("prefix");
    Result r = JupyterKernelTest.run(JupyterKernelTest.BUILD,
        List.of(JupyterKernelTest.pzmq().toString(), "jupyter-install", "--prefix", prefix.toString()), Map.of());
    assertEquals(0, r.exit(), r.toString());
    socket = tmp.resolve("tmux.sock");
    conf = tmp.resolve("tmux.conf");
    runtime = Files.createDirectories(tmp.resolve("runtime"));
    // remain-on-exit keeps the pane (its last screen and exit status) after the console ends.
    Files.writeString(conf, "set -g remain-on-exit on\nset -g history-limit 50000\n");
    tmux(List.of("new-session", "-d", "-s", "console", "-x", "200", "-y", "50", "env",
        "JUPYTER_PATH=" + prefix.resolve("share/jupyter"),
        "JUPYTER_CONFIG_DIR=" + Files.createDirectories(tmp.resolve("config")),
        "JUPYTER_DATA_DIR=" + Files.createDirectories(tmp.resolve("data")),
        "JUPYTER_RUNTIME_DIR=" + runtime,
        "IPYTHONDIR=" + Files.createDirectories(tmp.resolve("ipython")),
        "PYTHONNOUSERSITE=1",
        "jupyter", "console", "--kernel", JupyterInstallCommand.KERNEL_NAME,
        "--ZMQTerminalInteractiveShell.kernel_timeout=" + (START.toSeconds() - 10),
        "--ZMQTerminalInteractiveShell.kernel_is_complete_timeout=30"));
    long pid = Long.parseLong(tmux("display-message", "-p", "-t", "console", "#{pane_pid}").strip());
    console = ProcessHandle.of(pid).orElse(null);
    if (console == null) fail("jupyter console (" + pid + ") ended at once\n" + pane().text());
    String screen = await("the first prompt, In [1]:", START, p -> p.contains("In [1]:"));
    assertTrue(screen.contains("Java"), "the kernel's banner names Java\n" + screen);
    kernel = console.descendants().filter(p -> p.info().commandLine().orElse("").contains("jupyter-kernel"))
        .findFirst().orElseThrow(() -> new AssertionError("no jupyter-kernel process under the console "
            + console.pid() + ": " + processes(console.descendants()) + "\n" + screen));
  }

  @Test
  @Order(1)
  void aDeclarationThenAnExpressionShowsItsValue() throws Exception {
    cell(1, "int x = 20 + 1;");
    kernelChildren.addAll(kernel.descendants().toList()); // JShell's JVM is up once a cell has run
    assertFalse(kernelChildren.isEmpty(), "JShell's JVM under the kernel " + kernel.pid());
    String out = cell(2, "x * 2");
    assertTrue(Pattern.compile("Out\\s*\\[2\\]:\\s*42").matcher(out).find(), "expected Out[2]: 42\n" + out);
  }

  @Test
  @Order(2)
  void whatACellPrintsIsShown() throws Exception {
    String out = cell(3, "System.out.println(\"hello\")");
    assertTrue(out.lines().anyMatch(l -> l.strip().equals("hello")), "expected a line hello\n" + out);
    assertFalse(out.contains("Out["), "println has no value\n" + out);
  }

  @Test
  @Order(3)
  void anExceptionIsShownAndTheSessionGoesOn() throws Exception {
    String out = cell(4, "Integer.parseInt(\"nope\")");
    assertTrue(out.contains("java.lang.NumberFormatException"), out);
    assertTrue(out.contains("For input string"), out);
    String after = cell(5, "x + 1");
    assertTrue(Pattern.compile("Out\\s*\\[5\\]:\\s*22").matcher(after).find(), "x survives the error\n" + after);
  }

  @Test
  @Order(4)
  void exitEndsTheConsoleAndTheKernel() throws Exception {
    await("the prompt In [6]:", CELL, p -> lastPrompt(p) == 6);
    Optional<Path> connection = connectionFile();
    assertTrue(connection.isPresent(), "a connection file in " + runtime + " while the console runs");
    type("exit");
    tmux("send-keys", "-t", "console", "Enter");
    // the kernel's ask_exit payload ends console 6.4 at once; a console that confirms first gets its y
    Pane asked = awaitPane("the console's exit or its exit question", CELL,
        p -> p.dead() || after(p.text(), "In [6]:").contains("Do you really want to exit"));
    if (!asked.dead()) tmux("send-keys", "-t", "console", "y", "Enter");
    // tmux marks the pane dead when its pty closes and learns the exit status a moment later
    Pane end = awaitPane("the console's exit status", EXIT, Pane::exitKnown);
    assertEquals(0, end.status(), "jupyter console's exit status (signal " + end.signal() + ")\n" + end.text());
    String last = after(end.text(), "In [6]:");
    assertTrue(last.contains("exit"), "the input line shows exit\n" + last);
    assertFalse(last.contains("Error") || last.contains("cannot find symbol") || last.contains("Out["),
        "exit is not run as Java\n" + last);
    assertTrue(last.contains("Shutting down kernel"), "the console shuts the kernel down\n" + last);
    assertFalse(end.text().contains("did not respond"), "every is_complete was answered in time\n" + end.text());
    assertTrue(kernel.onExit().completeOnTimeout(null, EXIT.toMillis(), TimeUnit.MILLISECONDS).get() != null,
        "the kernel " + kernel.pid() + " is still running after the console ended\n" + end.text());
    for (ProcessHandle child : kernelChildren) {
      assertTrue(child.onExit().completeOnTimeout(null, EXIT.toMillis(), TimeUnit.MILLISECONDS).get() != null,
          "the kernel's child " + processes(Stream.of(child)) + " is still running");
    }
    assertFalse(Files.exists(connection.get()), "the console removes " + connection.get());
  }

  /** Always: the server goes, and with it (or by force, after a bounded wait) every process of this session. */
  @AfterAll
  void killTheTmuxServerAndWhatItStarted() throws Exception {
    if (runtime == null) return; // skipped or failed before a server could start
    List<ProcessHandle> left = new ArrayList<>(kernelChildren);
    if (console != null) {
      left.add(console);
      console.descendants().forEach(left::add);
    }
    if (kernel != null) {
      left.add(kernel);
      kernel.descendants().forEach(left::add);
    }
    String mark = runtime.toString(); // the connection file's directory is in the kernel's command line
    ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(mark)).forEach(left::add);
    try {
      JupyterKernelTest.run(TMUX, List.of("tmux", "-S", socket.toString(), "kill-server"), Map.of());
    } finally {
      for (ProcessHandle p : left) {
        if (p.onExit().completeOnTimeout(null, 10, TimeUnit.SECONDS).get() == null) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      }
    }
  }

  /**
   * Types {@code code} at the prompt {@code In [n]:}, presses Enter and waits for {@code In [n+1]:}.
   * Returns the screen from the input line to that prompt.
   */
  private String cell(int n, String code) throws Exception {
    await("the prompt In [" + n + "]:", CELL, p -> lastPrompt(p) == n);
    type(code);
    tmux("send-keys", "-t", "console", "Enter");
    String screen = await("In [" + (n + 1) + "]: after " + code, CELL, p -> lastPrompt(p) == n + 1);
    int from = screen.lastIndexOf("In [" + n + "]:");
    String out = screen.substring(from, screen.lastIndexOf("In [" + (n + 1) + "]:"));
    assertTrue(out.contains(code.strip().replace(";", "")), "the input line shows " + code + "\n" + screen);
    return out;
  }

  /** The screen from the last {@code mark} on. */
  private static String after(String screen, String mark) {
    int at = screen.lastIndexOf(mark);
    return at < 0 ? "" : screen.substring(at);
  }

  /** As bytes, so tmux reads no key names and no trailing {@code ;} as its command separator. */
  private void type(String text) throws Exception {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", "console", "-H"));
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) args.add(String.format("%02x", b));
    tmux(args);
  }

  private static int lastPrompt(String screen) {
    Matcher m = PROMPT.matcher(screen);
    int last = -1;
    while (m.find()) last = Integer.parseInt(m.group(1));
    return last;
  }

  private String await(String what, Duration limit, Predicate<String> done) throws Exception {
    return awaitPane(what, limit, p -> done.test(p.text())).text();
  }

  /** Polls the pane until {@code done}; fails with the screen on timeout or when the console ended first. */
  private Pane awaitPane(String what, Duration limit, Predicate<Pane> done) throws Exception {
    if (broken != null) fail("an earlier step left the session unusable: " + broken);
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      Pane p = pane();
      if (done.test(p)) return p;
      if (p.exitKnown()) {
        broken = "jupyter console ended (exit " + p.status() + ", signal " + p.signal() + ") while waiting for " + what;
      }
      if (broken == null && System.nanoTime() > deadline) broken = "no " + what + " within " + limit;
      if (broken != null) fail(broken + "; the screen:\n" + p.text());
      Thread.sleep(250); // a poll interval: the wait is bounded by the deadline above
    }
  }

  /** {@code status}: the exit status once tmux has it, else -1; {@code signal}: the killing signal, else 0. */
  record Pane(String text, boolean dead, int status, int signal) {
    boolean exitKnown() {
      return dead && (status >= 0 || signal > 0);
    }
  }

  /** The whole history (-S -), wrapped lines joined (-J), no escapes; then the pane's state, in one call. */
  private Pane pane() throws Exception {
    String out = tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "console", ";",
        "display-message", "-p", "-t", "console", "#{pane_dead} s#{pane_dead_status} k#{pane_dead_signal}");
    String body = out.stripTrailing();
    int nl = body.lastIndexOf('\n');
    String[] state = body.substring(nl + 1).strip().split(" ");
    boolean dead = state[0].equals("1");
    String status = state.length > 1 ? state[1].substring(1) : "";
    String signal = state.length > 2 ? state[2].substring(1) : "";
    return new Pane(nl < 0 ? "" : body.substring(0, nl), dead,
        dead && !status.isEmpty() ? Integer.parseInt(status) : -1, dead && !signal.isEmpty() ? Integer.parseInt(signal) : 0);
  }

  private String tmux(String... args) throws Exception {
    return tmux(List.of(args));
  }

  /** A tmux command on our server; {@code -f} counts only when it starts the server. */
  private String tmux(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString(), "-f", conf.toString()));
    cmd.addAll(args);
    Result r = JupyterKernelTest.run(TMUX, cmd, Map.of());
    if (r.exit() != 0) fail(String.join(" ", cmd) + "\n" + r);
    return r.stdout();
  }

  private Optional<Path> connectionFile() throws IOException {
    try (Stream<Path> files = Files.list(runtime)) {
      return files.filter(f -> f.getFileName().toString().matches("kernel-.*\\.json")).findFirst();
    }
  }

  private static String processes(Stream<ProcessHandle> ps) {
    return ps.map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).collect(Collectors.joining("; ", "[", "]"));
  }

  /** tmux and jupyter console, or a skip with the reason; under CI=true a failure. */
  private static void requireTmuxAndConsole() throws Exception {
    String why = missing(List.of("tmux", "-V"), "tmux is missing (Debian: tmux)");
    if (why == null) {
      why = missing(List.of("jupyter", "console", "--version"), "jupyter console is missing (Debian: jupyter-console)");
    }
    if (why == null) return;
    if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("the Jupyter console test needs it on CI: " + why);
    Assumptions.abort(why);
  }

  private static String missing(List<String> probe, String why) throws Exception {
    try {
      Result r = JupyterKernelTest.run(Duration.ofSeconds(60), probe, Map.of());
      return r.exit() == 0 ? null : why + ": " + String.join(" ", probe) + " exits " + r.exit() + " " + r.stderr();
    } catch (IOException e) {
      return why + ": " + e.getMessage();
    }
  }
}
