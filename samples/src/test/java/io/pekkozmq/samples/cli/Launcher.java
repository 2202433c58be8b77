package io.pekkozmq.samples.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real {@code ./pzmq} at the repository root, run as a process with bounded waits. */
final class Launcher implements AutoCloseable {
  private final Process process;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Thread outPump;
  private final Thread errPump;
  /** stdout has reached its end (guarded by {@code out}). */
  private boolean outPumpDone;

  private Launcher(Process process) {
    this.process = process;
    outPump = pump(process.getInputStream(), out);
    errPump = pump(process.getErrorStream(), err);
  }

  static Path root() {
    String env = System.getenv("PZMQ_REPO_ROOT");
    if (env != null && Files.isExecutable(Paths.get(env, "pzmq"))) return Paths.get(env);
    for (Path p = Paths.get(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("pzmq"))) return p;
    }
    throw new AssertionError("no pzmq launcher above " + System.getProperty("user.dir"));
  }

  static Launcher start(String... args) {
    return start(java.util.Map.of(), args);
  }

  /** As {@link #start(String...)}, with extra environment variables (e.g. PZMQ_JAVA_OPTS). */
  static Launcher start(java.util.Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(root().resolve("pzmq").toString());
    cmd.addAll(List.of(args));
    try {
      // run from elsewhere: the launcher must find its jar from any directory
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(new java.io.File(System.getProperty("java.io.tmpdir")));
      pb.environment().putAll(env);
      return new Launcher(pb.start());
    } catch (IOException e) {
      throw new AssertionError("cannot start pzmq: " + e.getMessage(), e);
    }
  }

  /** Runs to completion with {@code stdin}, waiting at most {@code timeout}. */
  static Launcher run(String stdin, Duration timeout, String... args) {
    Launcher l = start(args);
    l.input(stdin);
    l.await(timeout);
    return l;
  }

  Launcher input(String stdin) {
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the process may already have exited (usage errors); its exit code tells
    }
    return this;
  }

  int await(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        fail("pzmq did not finish within " + timeout + "\nstdout: " + stdout() + "\nstderr: " + stderr());
      }
      outPump.join(5000);
      errPump.join(5000);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Whether the process has exited within {@code wait} (it keeps running otherwise). */
  boolean exitedWithin(Duration wait) {
    try {
      return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  int exitCode() {
    return process.exitValue();
  }

  String stdout() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  String stderr() {
    synchronized (err) {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  String describe() {
    return "exit " + (process.isAlive() ? "(running)" : process.exitValue()) + "\nstdout: " + stdout()
        + "\nstderr: " + stderr();
  }

  /**
   * Waits until stdout holds a line containing {@code text} (woken by the pump, no polling) and
   * returns that line; fails with what the process printed if none comes within {@code timeout}.
   */
  String awaitStdout(String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (out) {
      while (true) {
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
          if (line.contains(text)) return line;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && outPumpDone)) {
          fail("no line with '" + text + "' from pzmq within " + timeout + "\n" + describe());
        }
        try {
          out.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 1000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  /**
   * SIGTERM; {@link #await} then gives the exit code. Through the process handle: {@link
   * Process#destroy} would also close our ends of its pipes, and what it prints while it stops
   * would be lost.
   */
  void terminate() {
    process.toHandle().destroy();
  }

  /** SIGKILL, and waits (bounded) until the process is gone. */
  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) fail("pzmq survived SIGKILL for 10 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private Thread pump(InputStream in, ByteArrayOutputStream into) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          synchronized (into) {
            into.write(buf, 0, n);
            into.notifyAll();
          }
        }
      } catch (IOException ignored) {
        // process gone
      }
      synchronized (into) {
        if (into == out) outPumpDone = true;
        into.notifyAll();
      }
    }, "pzmq-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
