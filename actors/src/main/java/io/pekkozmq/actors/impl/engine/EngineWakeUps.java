package io.pekkozmq.actors.impl.engine;

import io.pekkozmq.actors.impl.pipe.Pipe;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The thread boundary between a pipe's peer and an engine: the pipe calls these on the peer end's
 * thread (the socket's caller, or another I/O thread), so they only send the engine a message and
 * the engine does the work on its own thread.
 */
final class EngineWakeUps implements Pipe.Listener {
  private final ActorRef<ZmtpEngine.Command> engine;

  EngineWakeUps(ActorRef<ZmtpEngine.Command> engine) {
    this.engine = engine;
  }

  /**
   * The outbound pipe has messages again, or the socket let go of it (a term: the engine reads
   * what is left and finds it closed); the inbound pipe has room again. A hiccup never comes this
   * way (only a session end sends one) and a term-ack needs nothing of the engine.
   */
  @Override
  public void command(Pipe.Command command) {
    if (command instanceof Pipe.ActivateRead || command instanceof Pipe.Term) {
      engine.tell(ZmtpEngine.ActivateRead.INSTANCE);
    } else if (command instanceof Pipe.ActivateWrite) {
      engine.tell(ZmtpEngine.ActivateWrite.INSTANCE);
    }
  }
}
