package io.pekkozmq.streams.impl;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.streams.ZmqControl;
import io.pekkozmq.streams.ZmqSettings;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * Internal. A socket as a Source: it takes messages from the socket only when downstream asks,
 * a batch at a time under one lock. Without demand the socket's inbound pipes fill to RCVHWM, the
 * engines stop reading and TCP holds the senders back.
 */
public final class SourceStage extends AbstractGraphStageWithMaterializedValue<SourceShape<Msg>, ZmqControl> {
  private final ZmqSettings settings;
  private final Outlet<Msg> out = Outlet.create("ZmqSource.out");
  private final SourceShape<Msg> shape = SourceShape.of(out);

  public SourceStage(ZmqSettings settings) {
    this.settings = settings;
  }

  @Override
  public SourceShape<Msg> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name("zmqSource");
  }

  @Override
  public Pair<GraphStageLogic, ZmqControl> createLogicAndMaterializedValuePair(Attributes attributes) {
    StageControl control = new StageControl(settings.eventBuffer());
    return Pair.create(new Logic(control), control);
  }

  private final class Logic extends SocketStageLogic {
    Logic(StageControl control) {
      super(shape, "ZmqSource", SourceStage.this.settings, control, SourceStage.this.settings.receiveBatch());
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          emit();
        }
      });
    }

    private void emit() {
      if (shuttingDown && !holdsReceived()) {
        completeStage();
        return;
      }
      Msg m = receive();
      if (m == null) return;
      push(out, m);
      if (shuttingDown && !holdsReceived()) completeStage();
    }

    @Override
    protected void onSocketChanged() {
      if (isAvailable(out) && !shuttingDown) emit();
    }

    @Override
    protected void onShutdownRequested() {
      if (!holdsReceived()) completeStage();
    }
  }
}
