package io.pekkozmq.streams.impl;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.streams.ZmqSettings;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;

/**
 * Internal. A socket as a Sink: it asks upstream for the next message only once the previous one is
 * in the socket's pipes, so demand exists exactly while there is room below SNDHWM. A socket type
 * that drops at HWM (PUB, XPUB, ROUTER to an unknown or full peer) never refuses, and so never
 * holds upstream back, as in libzmq.
 */
public final class SinkStage extends SocketStage<SinkShape<Msg>> {
  private final Inlet<Msg> in = shape().in();

  public SinkStage(ZmqSettings settings) {
    super(settings, SinkShape.of(Inlet.create("ZmqSink.in")), "zmqSink");
  }

  @Override
  SocketStageLogic createLogic(StageControl control) {
    return new Logic(control);
  }

  private final class Logic extends SocketStageLogic {
    private boolean upstreamDone;

    Logic(StageControl control) {
      super(shape(), "ZmqSink", SinkStage.this.settings, control, 1);
      setHandler(in, new SendingInHandler(in) {
        @Override
        public void onUpstreamFinish() {
          upstreamDone = true;
          if (pending == null) completeStage();
        }
      });
    }

    @Override
    protected void onSocketOpen() {
      pull(in);
    }

    @Override
    protected void onSocketChanged() {
      if (!sendPending()) return;
      if (upstreamDone || shuttingDown) completeStage();
      else pull(in);
    }

    @Override
    protected void onShutdownRequested() {
      if (pending == null) {
        completeStage();
      } else {
        cancel(in); // the message in hand still goes out; nothing after it
      }
    }
  }
}
