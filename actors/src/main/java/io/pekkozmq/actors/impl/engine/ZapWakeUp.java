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

  @Override
  public void readActivated(Pipe.End end) {
    engine.tell(ZmtpEngine.ZapReplyReady.INSTANCE);
  }

  /** The pipe has no HWM: the request never waits. */
  @Override
  public void writeActivated(Pipe.End end) {}
}
