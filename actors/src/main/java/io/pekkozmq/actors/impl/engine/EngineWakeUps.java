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

  /** The outbound pipe has messages again. */
  @Override
  public void readActivated(Pipe.End end) {
    engine.tell(ZmtpEngine.ActivateRead.INSTANCE);
  }

  /** The inbound pipe has room again. */
  @Override
  public void writeActivated(Pipe.End end) {
    engine.tell(ZmtpEngine.ActivateWrite.INSTANCE);
  }
}
