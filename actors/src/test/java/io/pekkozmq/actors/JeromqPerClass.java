package io.pekkozmq.actors;

import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.zeromq.ZMQ;

/**
 * Base of the JeroMQ interop tests: our context and a JeroMQ context for the whole class, and a
 * JeroMQ socket joined to one of ours either way.
 */
abstract class JeromqPerClass extends ContextPerClass {
  protected org.zeromq.ZContext jeromq;

  @BeforeAll
  void openJeromq() {
    jeromq = new org.zeromq.ZContext();
  }

  @AfterAll
  void closeJeromq() {
    if (jeromq != null) jeromq.close();
  }

  /**
   * A JeroMQ socket from {@code open} joined to {@code ours}: when we bind, it connects, and is
   * replaced until one completes its handshake (see {@link JeromqConnect}); otherwise it binds a
   * random tcp port and ours connects to it.
   */
  protected ZMQ.Socket join(ZSocket ours, boolean weBind, Supplier<ZMQ.Socket> open) {
    if (!weBind) {
      ZMQ.Socket peer = open.get();
      ours.connect("tcp://127.0.0.1:" + peer.bindToRandomPort("tcp://127.0.0.1"));
      return peer;
    }
    String ep = ours.bind("tcp://127.0.0.1:*");
    try {
      return JeromqConnect.connect(ctx, jeromq, ours, ep, open);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while joining JeroMQ to " + ep, e);
    }
  }
}
