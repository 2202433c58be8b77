package io.pekkozmq.samples.jupyter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pzmq jupyter-install}: writes the kernelspec {@code pekkozmq-java} where Jupyter looks
 * for kernels, as {@code jupyter kernelspec install} would: system-wide
 * ({@code /usr/local/share/jupyter/kernels}), for this user ({@code --user}: the Jupyter data
 * directory) or under a prefix ({@code --prefix DIR}: {@code DIR/share/jupyter/kernels}).
 */
@Command(name = "jupyter-install", mixinStandardHelpOptions = true,
    description = "Install the Jupyter kernelspec 'pekkozmq-java' (Java cells through JShell), "
        + "so 'jupyter console --kernel pekkozmq-java' works. Prints the directory written.")
public final class JupyterInstallCommand implements Callable<Integer> {
  public static final String KERNEL_NAME = "pekkozmq-java";

  static final class Where {
    @Option(names = "--user", description = "Install for this user (the Jupyter data directory, e.g. ~/.local/share/jupyter).")
    boolean user;

    @Option(names = "--prefix", paramLabel = "DIR", description = "Install under DIR/share/jupyter/kernels.")
    Path prefix;
  }

  @ArgGroup(exclusive = true)
  Where where = new Where();

  @Option(names = "--launcher", paramLabel = "PATH",
      description = "The pzmq launcher the kernelspec runs (default: the pzmq script beside this jar's build, "
          + "else java -jar with this jar).")
  Path launcher;

  @Override
  public Integer call() throws Exception {
    Path dir = kernelsDir().resolve(KERNEL_NAME);
    Files.createDirectories(dir);
    ObjectMapper json = new ObjectMapper();
    ObjectNode spec = json.createObjectNode();
    ArrayNode argv = spec.putArray("argv");
    command(argv);
    argv.add("jupyter-kernel");
    argv.add("{connection_file}");
    spec.put("display_name", "Java (pekko-zmq)");
    spec.put("language", "java");
    spec.put("interrupt_mode", "message");
    spec.putObject("metadata").put("debugger", false);
    Files.write(dir.resolve("kernel.json"), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(spec));
    System.out.println(dir.toAbsolutePath());
    return 0;
  }

  private void command(ArrayNode argv) {
    if (launcher != null) {
      argv.add(launcher.toAbsolutePath().toString());
      return;
    }
    Path jar = JupyterKernelCommand.ownJar();
    if (jar != null) {
      // samples/target/pzmq.jar: the launcher is the repository's ./pzmq, which rebuilds when stale
      Path root = jar.toAbsolutePath().getParent().getParent().getParent();
      Path script = root == null ? null : root.resolve("pzmq");
      if (script != null && Files.isExecutable(script)) {
        argv.add(script.toString());
        return;
      }
      argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      argv.add("-jar");
      argv.add(jar.toString());
      return;
    }
    throw new IllegalStateException("not running from pzmq.jar: give the launcher with --launcher PATH");
  }

  private Path kernelsDir() {
    if (where.prefix != null) return where.prefix.toAbsolutePath().resolve("share/jupyter/kernels");
    if (where.user) {
      String data = System.getenv("JUPYTER_DATA_DIR");
      if (data != null && !data.isEmpty()) return Path.of(data, "kernels");
      String xdg = System.getenv("XDG_DATA_HOME");
      // $HOME as Jupyter reads it (Java's user.home comes from the password database instead)
      String home = System.getenv("HOME") != null && !System.getenv("HOME").isEmpty() ? System.getenv("HOME")
          : System.getProperty("user.home");
      Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(home, ".local", "share");
      return base.resolve("jupyter").resolve("kernels");
    }
    return Path.of("/usr/local/share/jupyter/kernels");
  }
}
