package io.pekkozmq.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The runtime's classes form no circle across packages: a child reports to an owner interface
 * (ZmtpEngine.Owner, Connecter.Owner, Session.SocketLink, Inproc.Binder) and never imports its owner.
 * Read from the compiled classes with the JDK's jdeps; nested classes count as their top-level class.
 */
class ClassGraphTest {
  private static final String ROOT = "io.pekkozmq.actors";

  @Test
  void noTwoPackagesOfTheRuntimeDependOnEachOtherThroughACircleOfClasses() throws Exception {
    Path classes = Path.of("target", "classes");
    assertTrue(Files.isDirectory(classes.resolve("io/pekkozmq/actors")), "compiled classes in " + classes.toAbsolutePath());
    Map<String, Set<String>> graph = classGraph(classes);
    assertTrue(graph.size() > 20, "jdeps found the runtime's classes: " + graph.keySet());
    List<Set<String>> crossing = new ArrayList<>();
    for (Set<String> component : stronglyConnected(graph)) {
      Set<String> packages = new TreeSet<>();
      for (String c : component) packages.add(c.substring(0, c.lastIndexOf('.')));
      if (packages.size() > 1) crossing.add(new TreeSet<>(component));
    }
    assertEquals(List.of(), crossing, "classes in different packages that reach each other");
  }

  /** Top-level class -> top-level classes of this module it uses. */
  private static Map<String, Set<String>> classGraph(Path classes) {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    // the classes are a module (module-info): jdeps resolves its requires on the test's own paths,
    // without the test jars (they would split the packages of the modules they test)
    String path = java.util.Arrays.stream((System.getProperty("jdk.module.path", "") + java.io.File.pathSeparator
            + System.getProperty("java.class.path", "")).split(java.io.File.pathSeparator))
        .filter(e -> !e.isEmpty() && !e.endsWith("-tests.jar") && !e.endsWith("test-classes")
            && !Path.of(e).toAbsolutePath().equals(classes.toAbsolutePath()))
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    int rc = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:class", "-filter:none",
        "--multi-release", "17", "--module-path", path, classes.toString());
    assertEquals(0, rc, "jdeps failed: " + out);
    Map<String, Set<String>> graph = new HashMap<>();
    for (String line : out.toString().split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length < 3 || !parts[1].equals("->")) continue;
      String from = topLevel(parts[0]);
      String to = topLevel(parts[2]);
      if (!from.startsWith(ROOT) || !to.startsWith(ROOT)) continue;
      graph.computeIfAbsent(from, k -> new HashSet<>());
      graph.computeIfAbsent(to, k -> new HashSet<>());
      if (!from.equals(to)) graph.get(from).add(to);
    }
    return graph;
  }

  private static String topLevel(String name) {
    int dollar = name.indexOf('$');
    return dollar < 0 ? name : name.substring(0, dollar);
  }

  /** Tarjan's algorithm, iterative enough for a few hundred classes. */
  private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new HashSet<>();
    List<Set<String>> result = new ArrayList<>();
    int[] counter = {0};
    for (String v : graph.keySet()) {
      if (!index.containsKey(v)) visit(v, graph, index, low, stack, onStack, result, counter);
    }
    return result;
  }

  private static void visit(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> result, int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : graph.get(v)) {
      if (!index.containsKey(w)) {
        visit(w, graph, index, low, stack, onStack, result, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new HashSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      result.add(component);
    }
  }
}
