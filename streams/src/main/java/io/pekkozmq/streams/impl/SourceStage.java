package io.pekkozmq.streams.impl;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.streams.ZmqSettings;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractOutHandler;

/**
 * Internal. A socket as a Source: it takes messages from the socket only when downstream asks,
 * a batch at a time under one lock. Without demand the socket's inbound pipes fill to RCVHWM, the
 * engines stop reading and TCP holds the senders back.
 */
public final class SourceStage extends SocketStage<SourceShape<Msg>> {
  private final Outlet<Msg> out = shape().out();

  public SourceStage(ZmqSettings settings) {
    super(settings, SourceShape.of(Outlet.create("ZmqSource.out")), "zmqSource");
  }

  @Override
  SocketStageLogic createLogic(StageControl control) {
    return new Logic(control);
  }

  private final class Logic extends SocketStageLogic {
    Logic(StageControl control) {
      super(shape(), "ZmqSource", SourceStage.this.settings, control, SourceStage.this.settings.receiveBatch());
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          emit(out);
        }
      });
    }

    @Override
    protected void onSocketChanged() {
      if (isAvailable(out) && !shuttingDown) emit(out);
    }

    @Override
    protected void onShutdownRequested() {
      if (!holdsReceived()) completeStage();
    }
  }
}
