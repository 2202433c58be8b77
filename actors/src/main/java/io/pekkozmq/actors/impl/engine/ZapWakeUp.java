package io.pekkozmq.actors.impl.engine;

import io.pekkozmq.actors.impl.pipe.Pipe;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The ZAP pipe's listener: the handler's socket calls it on its own thread when it has written a
 * reply into a sleeping pipe, and it only tells the engine, which reads the reply on its thread.
 */
final class ZapWakeUp implements Pipe.Listener {
  private final ActorRef<ZmtpEngine.Command> engine;

  ZapWakeUp(ActorRef<ZmtpEngine.Command> engine) {
    this.engine = engine;
  }

  /**
   * A reply arrived in a sleeping pipe, or the handler let go of its end (a term: the engine finds
   * the pipe closed). The pipe has no HWM, so write activations never matter.
   */
  @Override
  public void command(Pipe.Command command) {
    if (command instanceof Pipe.ActivateRead || command instanceof Pipe.Term) {
      engine.tell(ZmtpEngine.ZapReplyReady.INSTANCE);
    }
  }
}
