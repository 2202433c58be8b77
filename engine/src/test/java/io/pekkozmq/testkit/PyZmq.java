package io.pekkozmq.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Drives real libzmq through {@code /usr/bin/python3} and pyzmq, for interop tests. Shared with the
 * other modules through the engine's test-jar.
 */
public final class PyZmq {
  public static final String PYTHON = "/usr/bin/python3";
  private static volatile String version;
  private static volatile String unavailableReason;

  private PyZmq() {}

  /**
   * Fails the test when env {@code CI=true} and python3 cannot {@code import zmq}; otherwise skips it
   * when libzmq is missing.
   */
  public static void requireLibzmq() {
    probe();
    if (unavailableReason != null) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("libzmq via pyzmq is required on CI: " + unavailableReason);
      }
      Assumptions.assumeTrue(false, "libzmq via pyzmq not available: " + unavailableReason);
    }
  }

  /** The libzmq version pyzmq is linked against, e.g. "4.3.4"; null if unavailable. */
  public static String libzmqVersion() {
    probe();
    return version;
  }

  private static synchronized void probe() {
    if (version != null || unavailableReason != null) {
      return;
    }
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", "import zmq; print(zmq.zmq_version())")
          .redirectErrorStream(true).start();
      p.getOutputStream().close();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        unavailableReason = "python3 did not answer within 30 s";
        return;
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        unavailableReason = "'import zmq' failed: " + out;
      } else {
        version = out;
      }
    } catch (IOException e) {
      unavailableReason = "cannot run " + PYTHON + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      unavailableReason = "interrupted";
    }
  }

  /** Starts {@code python3 -u -c script args...}. */
  public static PyPeer start(String script, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(PYTHON);
    cmd.add("-u");
    cmd.add("-c");
    cmd.add(script);
    cmd.addAll(List.of(args));
    try {
      return new PyPeer(new ProcessBuilder(cmd).start());
    } catch (IOException e) {
      throw new AssertionError("cannot start " + PYTHON + ": " + e.getMessage(), e);
    }
  }
}
