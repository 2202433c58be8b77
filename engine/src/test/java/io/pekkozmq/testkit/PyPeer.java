package io.pekkozmq.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A running python peer: its stdout lines are read by a daemon thread into a queue so reads can
 * time out; stderr is kept for failure messages. Closing destroys the process.
 */
public final class PyPeer implements AutoCloseable {
  private static final String EOF = new String("<eof>");

  private final Process process;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuffer stderr = new StringBuffer();
  private final OutputStream stdin;
  private volatile boolean ended;

  PyPeer(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    Thread out = new Thread(() -> pump(process.getInputStream()), "pypeer-stdout");
    out.setDaemon(true);
    out.start();
    Thread err = new Thread(() -> collect(process.getErrorStream()), "pypeer-stderr");
    err.setDaemon(true);
    err.start();
  }

  private void pump(InputStream in) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException ignored) {
      // process gone; EOF below tells the reader
    } finally {
      lines.add(EOF);
    }
  }

  private void collect(InputStream in) {
    try {
      byte[] buf = new byte[4096];
      int n;
      while ((n = in.read(buf)) > 0) {
        stderr.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
    } catch (IOException ignored) {
      // process gone
    }
  }

  /** The next stdout line; fails the test with python's stderr on timeout or EOF. */
  public String readLine(Duration timeout) {
    String line;
    try {
      line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for python", e);
    }
    if (line == null) {
      fail("no line from python within " + timeout + "; stderr:\n" + stderrSettled());
    }
    if (line == EOF) {
      lines.add(EOF);
      fail("python closed stdout; stderr:\n" + stderrSettled());
    }
    return line;
  }

  /**
   * The next stdout line, or null when none comes within {@code timeout} or python has closed
   * stdout (then at once, every time): for readers that outlive the process, e.g. after {@link #kill}.
   */
  public String pollLine(Duration timeout) {
    String line;
    try {
      line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    if (line == EOF) {
      lines.add(EOF);
      ended = true;
      return null;
    }
    return line;
  }

  /** Whether {@link #pollLine} has returned every line python printed and found stdout closed. */
  public boolean ended() {
    return ended;
  }

  /** Whether the process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * SIGKILL: libzmq gets no chance to flush, linger or close its connections gracefully (the kernel
   * closes them). Waits for the exit; what python printed before stays readable.
   */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) fail("python survived SIGKILL for 10 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Skips lines until one starts with {@code prefix}, and returns it. */
  public String awaitLine(String prefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("no line starting with '" + prefix + "' from python within " + timeout + "; stderr:\n" + stderrSettled());
      }
      String line = readLine(Duration.ofNanos(left));
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** Writes one line to python's stdin. */
  public void writeLine(String line) {
    try {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new AssertionError("cannot write to python: " + e.getMessage() + "; stderr:\n" + stderrSettled(), e);
    }
  }

  /** Waits for the process to exit and returns its exit code; fails on timeout. */
  public int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        fail("python did not exit within " + timeout + "; stderr:\n" + stderr);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for python", e);
    }
    return process.exitValue();
  }

  public String stderr() {
    return stderr.toString();
  }

  private String stderrSettled() {
    try {
      process.waitFor(200, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return stderr.toString();
  }

  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already gone
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
