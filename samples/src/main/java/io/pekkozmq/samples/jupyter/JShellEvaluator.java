package io.pekkozmq.samples.jupyter;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Java cells through JShell (jdk.jshell). JShell runs the snippets in a JVM of its own (its default
 * JDI execution engine), so what a cell prints reaches the kernel through JShell's output streams,
 * a cell's {@code System.exit} cannot end the kernel, and {@link JShell#stop()} can stop a cell
 * that never returns.
 *
 * <p>Threads: every JShell call runs on this evaluator's own thread, one at a time, and the methods
 * return its future; only {@link Execution#stop()} comes from elsewhere. Positions are UTF-16
 * indices here; the kernel converts Jupyter's code points.
 */
final class JShellEvaluator implements AutoCloseable {
  /** How a cell ended. */
  sealed interface Outcome permits Ok, Failed, Interrupted, Exit {}

  /** Ran; {@code value} is the last snippet's value when it was an expression, else null. */
  record Ok(String value) implements Outcome {}

  /** A compile error or an exception, as Jupyter's error content wants it. */
  record Failed(String ename, String evalue, List<String> traceback) implements Outcome {}

  /** Stopped by an interrupt. */
  record Interrupted() implements Outcome {}

  /** The cell was a request to leave ({@link #isExitRequest}): nothing ran, the frontend is asked to exit. */
  record Exit() implements Outcome {}

  /**
   * IPython's spellings of leaving, {@code exit}, {@code quit}, {@code exit()} and {@code quit()},
   * with a Java statement's optional {@code ;}, as the whole cell; group 1 is the name, group 2 the
   * call's parentheses. IPython's {@code exit(keep_kernel=True)} has no Java spelling.
   */
  private static final Pattern EXIT = Pattern.compile("\\s*(exit|quit)\\s*(\\(\\s*\\))?\\s*;?\\s*");
  /** JShell's own command, without its exit code (a kernel's exit status is not the cell's to choose). */
  private static final Pattern JSHELL_EXIT = Pattern.compile("\\s*/exit\\s*");

  record Completion(List<String> matches, int start, int end) {}

  /** One running cell: its result, and how to stop it. */
  final class Execution {
    private volatile boolean stopRequested;
    private final CompletableFuture<Outcome> outcome;

    private Execution(String code) {
      this.outcome = CompletableFuture.supplyAsync(() -> run(code, this), thread);
    }

    CompletableFuture<Outcome> outcome() {
      return outcome;
    }

    /**
     * Stops the cell if it is running client code now; otherwise it stops before its next snippet.
     * JShell only stops code that is running, so the kernel calls this until the cell has ended.
     */
    void stop() {
      stopRequested = true;
      JShell js = shell;
      if (js != null) js.stop();
    }
  }

  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "jshell-evaluator");
    t.setDaemon(true);
    return t;
  });
  private volatile JShell shell;
  private volatile Throwable startFailure;

  /** Starts JShell's JVM at once (it takes a second or more), so the first cell does not wait for it. */
  JShellEvaluator(PrintStream out, PrintStream err, InputStream in, Path classpath) {
    thread.execute(() -> {
      JShell js;
      try {
        js = JShell.builder().out(out).err(err).in(in).build();
      } catch (RuntimeException e) {
        startFailure = e; // every request then fails naming it, and the kernel keeps answering
        return;
      }
      if (classpath != null && Files.isRegularFile(classpath)) js.addToClasspath(classpath.toString());
      // the first analysis loads javac: do it now, not while jupyter console waits (1 s) for is_complete
      js.sourceCodeAnalysis().analyzeCompletion("int warmUp = 1;");
      js.sourceCodeAnalysis().completionSuggestions("Stri", 4, new int[1]);
      shell = js;
    });
  }

  Execution execute(String code) {
    return new Execution(code);
  }

  CompletableFuture<Completion> complete(String code, int cursor) {
    return call(() -> {
      int[] anchor = new int[1];
      Set<String> matches = new LinkedHashSet<>();
      for (SourceCodeAnalysis.Suggestion s : shell().sourceCodeAnalysis().completionSuggestions(code, cursor, anchor)) {
        matches.add(s.continuation());
      }
      return new Completion(List.copyOf(matches), anchor[0], cursor);
    });
  }

  /** The signature and javadoc of what is at {@code cursor}, or "" when there is nothing. */
  CompletableFuture<String> inspect(String code, int cursor) {
    return call(() -> {
      StringBuilder sb = new StringBuilder();
      for (SourceCodeAnalysis.Documentation d : shell().sourceCodeAnalysis().documentation(code, cursor, true)) {
        if (sb.length() > 0) sb.append("\n\n");
        sb.append(d.signature());
        if (d.javadoc() != null && !d.javadoc().isBlank()) sb.append('\n').append(d.javadoc());
      }
      return sb.toString();
    });
  }

  /** Jupyter's is_complete status: complete, incomplete or invalid. */
  CompletableFuture<String> isComplete(String code) {
    return call(() -> {
      if (isExitRequest(code)) return "complete"; // JShell's analysis calls /exit invalid
      String rest = code;
      while (!rest.isBlank()) {
        SourceCodeAnalysis.CompletionInfo ci = shell().sourceCodeAnalysis().analyzeCompletion(rest);
        switch (ci.completeness()) {
          case COMPLETE, COMPLETE_WITH_SEMI -> rest = ci.remaining();
          case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
            return "incomplete";
          }
          case EMPTY -> {
            return "complete";
          }
          default -> {
            return "invalid";
          }
        }
      }
      return "complete";
    });
  }

  /** The running JShell; on the evaluator's thread it has been built, or failed to be. */
  private JShell shell() {
    JShell js = shell;
    if (js == null) throw new IllegalStateException("JShell did not start: " + startFailure);
    return js;
  }

  private <T> CompletableFuture<T> call(Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, thread);
  }

  /**
   * Whether {@code code} asks to leave rather than being Java: one of the spellings above, unless
   * the cells declared that name themselves (a variable {@code exit} for the bare name, a method
   * for the call), as a user's own {@code exit} shadows IPython's. Runs on the evaluator's thread;
   * with JShell not started nothing is declared.
   */
  private boolean isExitRequest(String code) {
    if (JSHELL_EXIT.matcher(code).matches()) return true;
    Matcher m = EXIT.matcher(code);
    if (!m.matches()) return false;
    JShell js = shell;
    if (js == null) return true;
    String name = m.group(1);
    return m.group(2) == null
        ? js.variables().noneMatch(v -> v.name().equals(name))
        : js.methods().noneMatch(f -> f.name().equals(name));
  }

  private Outcome run(String code, Execution execution) {
    if (isExitRequest(code)) return new Exit();
    String rest = code;
    String value = null;
    while (!rest.isBlank()) {
      if (execution.stopRequested) return new Interrupted();
      SourceCodeAnalysis.CompletionInfo ci = shell().sourceCodeAnalysis().analyzeCompletion(rest);
      if (ci.completeness() == SourceCodeAnalysis.Completeness.EMPTY) break;
      String source;
      if (ci.completeness().isComplete()) {
        source = ci.source();
        rest = ci.remaining();
      } else {
        source = rest; // incomplete or unknown: JShell's diagnostics say what is wrong
        rest = "";
      }
      value = null;
      for (SnippetEvent e : shell().eval(source)) {
        if (e.causeSnippet() != null) continue; // an update of an earlier snippet, not this one
        if (execution.stopRequested) return new Interrupted();
        if (e.status() == Snippet.Status.REJECTED) return compileError(e.snippet());
        if (e.exception() != null) return exception(e.exception());
        Snippet.SubKind sub = e.snippet().subKind();
        if (sub == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND || sub == Snippet.SubKind.VAR_VALUE_SUBKIND) {
          value = e.value();
        }
      }
    }
    return execution.stopRequested ? new Interrupted() : new Ok(value);
  }

  private Failed compileError(Snippet snippet) {
    List<String> traceback = new ArrayList<>();
    String first = null;
    String source = snippet.source();
    for (Diag d : (Iterable<Diag>) shell().diagnostics(snippet)::iterator) {
      String message = d.getMessage(Locale.ROOT);
      if (first == null) first = message;
      traceback.add((d.isError() ? "error: " : "warning: ") + message);
      long pos = d.getPosition();
      if (pos >= 0 && pos <= source.length()) {
        int lineStart = source.lastIndexOf('\n', (int) Math.max(0, pos - 1)) + 1;
        int lineEnd = source.indexOf('\n', (int) pos);
        if (lineEnd < 0) lineEnd = source.length();
        traceback.add(source.substring(lineStart, lineEnd));
        traceback.add(" ".repeat((int) pos - lineStart) + "^");
      }
    }
    return new Failed("CompilationError", first == null ? "the snippet was rejected" : first, traceback);
  }

  private Failed exception(Exception e) {
    if (e instanceof UnresolvedReferenceException u) {
      String missing = String.join(", ",
          shell().unresolvedDependencies(u.getSnippet()).toList());
      String msg = "cannot run " + u.getSnippet().source().strip() + " until " + missing + " is declared";
      return new Failed("UnresolvedReferenceException", msg, List.of("UnresolvedReferenceException: " + msg));
    }
    String ename = e instanceof EvalException ee ? ee.getExceptionClassName() : e.getClass().getName();
    String evalue = e.getMessage() == null ? "" : e.getMessage();
    List<String> traceback = new ArrayList<>();
    Throwable t = e;
    String prefix = "";
    for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause(), prefix = "Caused by: ") {
      String name = t instanceof EvalException x ? x.getExceptionClassName() : t.getClass().getName();
      traceback.add(prefix + name + (t.getMessage() == null ? "" : ": " + t.getMessage()));
      for (StackTraceElement s : t.getStackTrace()) traceback.add("\tat " + s);
    }
    return new Failed(ename, evalue, traceback);
  }

  @Override
  public void close() {
    thread.execute(() -> {
      if (shell != null) shell.close();
    });
    thread.shutdown();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
