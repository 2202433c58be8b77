package io.pekkozmq.streams.impl;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.streams.ZmqControl;
import io.pekkozmq.streams.ZmqSettings;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * Internal. A socket that sends and receives independently (DEALER, ROUTER, PAIR, XPUB, XSUB,
 * STREAM) as a Flow: what comes in is sent as the Sink stage sends it, what the socket receives
 * goes out as the Source stage emits it. Upstream completion ends only the sending side (replies may
 * still come); the stage completes when downstream cancels or on drainAndShutdown.
 */
public final class FlowStage extends AbstractGraphStageWithMaterializedValue<FlowShape<Msg, Msg>, ZmqControl> {
  private final ZmqSettings settings;
  private final Inlet<Msg> in = Inlet.create("ZmqFlow.in");
  private final Outlet<Msg> out = Outlet.create("ZmqFlow.out");
  private final FlowShape<Msg, Msg> shape = FlowShape.of(in, out);

  public FlowStage(ZmqSettings settings) {
    this.settings = settings;
  }

  @Override
  public FlowShape<Msg, Msg> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name("zmqFlow");
  }

  @Override
  public Pair<GraphStageLogic, ZmqControl> createLogicAndMaterializedValuePair(Attributes attributes) {
    StageControl control = new StageControl(settings.eventBuffer());
    return Pair.create(new Logic(control), control);
  }

  private final class Logic extends SocketStageLogic {
    private Msg pending;

    Logic(StageControl control) {
      super(shape, "ZmqFlow", FlowStage.this.settings, control, FlowStage.this.settings.receiveBatch());
      setHandler(in, new AbstractInHandler() {
        @Override
        public void onPush() {
          Msg m = grab(in);
          if (send(m)) {
            pull(in);
          } else if (!isClosed(in)) {
            pending = m;
          }
        }

        @Override
        public void onUpstreamFinish() {
          // replies may still come: keep receiving
        }

        @Override
        public void onUpstreamFailure(Throwable cause) {
          fail(cause);
        }
      });
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          emit();
        }
      });
    }

    @Override
    protected void onSocketOpen() {
      pull(in);
    }

    private void emit() {
      if (shuttingDown && !holdsReceived()) {
        finishIfDrained();
        return;
      }
      Msg m = receive();
      if (m == null) return;
      push(out, m);
      if (shuttingDown && !holdsReceived()) finishIfDrained();
    }

    private void finishIfDrained() {
      if (pending == null) completeStage();
      else complete(out);
    }

    @Override
    protected void onSocketChanged() {
      if (pending != null && send(pending)) {
        pending = null;
        if (shuttingDown) {
          if (isClosed(out)) completeStage();
        } else if (!isClosed(in)) {
          pull(in);
        }
      }
      if (!shuttingDown && isAvailable(out) && !holdsReceived()) emit();
    }

    @Override
    protected void onShutdownRequested() {
      cancel(in); // the message in hand, if any, still goes out; nothing after it
      if (!holdsReceived()) finishIfDrained();
    }
  }
}
