package io.pekkozmq.actors;

import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** Base of the tests whose sockets come from one {@link ZContext} for the whole class, closed after it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContextPerClass {
  protected ZContext ctx;

  @BeforeAll
  void openContext() {
    ctx = new ZContext();
  }

  @AfterAll
  void closeContext() {
    if (ctx != null) ctx.close();
  }

  /** A probe on the context's own actor system, e.g. for monitor events. */
  protected <T> TestProbe<T> probe(Class<T> type) {
    return TestProbe.create(type, ctx.system());
  }
}
