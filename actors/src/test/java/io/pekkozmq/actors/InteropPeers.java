package io.pekkozmq.actors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Base of the interop tests whose scenarios are written once over a {@link PeerDriver}: every
 * scenario runs against libzmq and JeroMQ, our side binding and connecting, over every transport
 * the peer can meet us on (libzmq: tcp and ipc; JeroMQ: tcp). The libzmq driver starts on its first
 * use, so a machine without pyzmq still runs the JeroMQ cases (and under CI=true the libzmq ones
 * fail, see {@link io.pekkozmq.testkit.PyZmq#requireLibzmq}).
 */
abstract class InteropPeers extends ContextPerClass {
  protected static final Duration WAIT = Duration.ofSeconds(30);

  private Path dir;
  private int ipcPaths;
  private LibzmqPeerDriver libzmq;
  private JeromqPeerDriver jeromq;
  private PeerDriver current;

  @BeforeAll
  void makeIpcDirectory() throws IOException {
    dir = Files.createTempDirectory("pzmq-interop");
  }

  @AfterEach
  void closePeerSockets() {
    if (current != null) current.closeSockets();
    current = null;
  }

  @AfterAll
  void stopPeers() {
    if (libzmq != null) libzmq.close();
    if (jeromq != null) jeromq.close();
  }

  /** peer, we-bind, transport: every placement each peer supports. */
  static Stream<Arguments> placements() {
    List<Arguments> cases = new ArrayList<>();
    for (String peer : List.of("libzmq", "jeromq")) {
      for (boolean weBind : List.of(true, false)) {
        for (String transport : List.of("tcp", "ipc")) {
          if (peer.equals("libzmq") || transport.equals("tcp")) cases.add(Arguments.of(peer, weBind, transport));
        }
      }
    }
    return cases.stream();
  }

  /** The driver named {@code name}; its sockets are closed after the test. */
  protected PeerDriver peer(String name) throws IOException {
    current = switch (name) {
      case "libzmq" -> libzmq != null ? libzmq : (libzmq = LibzmqPeerDriver.start(WAIT));
      case "jeromq" -> jeromq != null ? jeromq : (jeromq = new JeromqPeerDriver(ctx, WAIT));
      default -> throw new IllegalArgumentException("no peer " + name);
    };
    return current;
  }

  /** Where one of our sockets binds: any port of 127.0.0.1, or a fresh ipc path. */
  protected String ourEndpoint(String transport) {
    return transport.equals("tcp") ? "tcp://127.0.0.1:*" : "ipc://" + dir.resolve("ours-" + ++ipcPaths);
  }

  /**
   * Joins the peer's socket {@code name} to {@code ours}: each of ours binds and the peer connects
   * to them all, or the peer binds and each of ours connects to it.
   */
  protected void place(PeerDriver peer, String name, List<ZSocket> ours, boolean weBind, String transport) {
    if (weBind) {
      List<String> eps = new ArrayList<>();
      for (ZSocket s : ours) eps.add(s.bind(ourEndpoint(transport)));
      peer.connect(name, ours, eps);
    } else {
      String ep = peer.bind(name, transport);
      for (ZSocket s : ours) s.connect(ep);
    }
  }
}
