package io.pekkozmq.streams.impl;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.streams.ZmqSettings;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractOutHandler;

/**
 * Internal. A socket that sends and receives independently (DEALER, ROUTER, PAIR, XPUB, XSUB,
 * STREAM) as a Flow: what comes in is sent as the Sink stage sends it, what the socket receives
 * goes out as the Source stage emits it. Upstream completion ends only the sending side (replies may
 * still come); the stage completes when downstream cancels or on drainAndShutdown.
 */
public final class FlowStage extends SocketStage<FlowShape<Msg, Msg>> {
  private final Inlet<Msg> in = shape().in();
  private final Outlet<Msg> out = shape().out();

  public FlowStage(ZmqSettings settings) {
    super(settings, FlowShape.of(Inlet.create("ZmqFlow.in"), Outlet.create("ZmqFlow.out")), "zmqFlow");
  }

  @Override
  SocketStageLogic createLogic(StageControl control) {
    return new Logic(control);
  }

  private final class Logic extends SocketStageLogic {
    Logic(StageControl control) {
      super(shape(), "ZmqFlow", FlowStage.this.settings, control, FlowStage.this.settings.receiveBatch());
      setHandler(in, new SendingInHandler(in) {
        @Override
        public void onUpstreamFinish() {
          // replies may still come: keep receiving
        }
      });
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          emit(out);
        }
      });
    }

    @Override
    protected void onSocketOpen() {
      pull(in);
    }

    /** Everything received is out: complete, unless a message still waits for room to be sent. */
    @Override
    protected void onDrained() {
      if (pending == null) completeStage();
      else complete(out);
    }

    @Override
    protected void onSocketChanged() {
      if (sendPending()) {
        if (shuttingDown) {
          if (isClosed(out)) completeStage();
        } else if (!isClosed(in)) {
          pull(in);
        }
      }
      if (!shuttingDown && isAvailable(out) && !holdsReceived()) emit(out);
    }

    @Override
    protected void onShutdownRequested() {
      cancel(in); // the message in hand, if any, still goes out; nothing after it
      if (!holdsReceived()) onDrained();
    }
  }
}
