package io.pekkozmq.actors;

import io.pekkozmq.testkit.PyPeer;
import io.pekkozmq.testkit.PyScripts;
import io.pekkozmq.testkit.PyZmq;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * libzmq peers (python, see {@link PyZmq}) joined to our sockets, for the interop tests of one
 * class: our side binding or connecting, over tcp or ipc (under a temporary directory of the class).
 */
final class LibzmqPeers {
  private final Path dir;
  private final Duration wait;

  private LibzmqPeers(Path dir, Duration wait) {
    this.dir = dir;
    this.wait = wait;
  }

  /**
   * Requires libzmq ({@link PyZmq#requireLibzmq}) and makes the directory for ipc endpoints;
   * {@code wait} bounds every wait for a peer's endpoint.
   */
  static LibzmqPeers create(String name, Duration wait) throws IOException {
    PyZmq.requireLibzmq();
    return new LibzmqPeers(Files.createTempDirectory(name), wait);
  }

  /** tcp: any port on 127.0.0.1; ipc: the path {@code name} in this class's directory. */
  String endpoint(String transport, String name) {
    return transport.equals("tcp") ? "tcp://127.0.0.1:*" : "ipc://" + dir.resolve(name);
  }

  /** A path in this class's directory. */
  Path path(String name) {
    return dir.resolve(name);
  }

  /**
   * Starts {@code script}, which takes argv {@code [bind|connect, endpoint, args...]} and uses
   * {@link PyScripts#BIND_OR_CONNECT}, joined to {@code ours}: when we bind, ours binds
   * {@code endpoint} and the peer connects to it; otherwise the peer binds {@code endpoint} (tcp: a
   * random port) and ours connects to the endpoint it prints.
   */
  PyPeer join(String script, ZSocket ours, boolean weBind, String endpoint, String... args) {
    List<String> argv = new ArrayList<>(List.of(weBind ? "connect" : "bind", weBind ? ours.bind(endpoint) : endpoint));
    argv.addAll(List.of(args));
    PyPeer py = PyZmq.start(script, argv.toArray(new String[0]));
    try {
      String theirs = PyScripts.endpointOf(py, wait);
      if (!weBind) ours.connect(theirs);
      return py;
    } catch (RuntimeException | Error e) {
      py.close();
      throw e;
    }
  }
}
