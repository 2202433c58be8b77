package io.pekkozmq.streams.impl;

import io.pekkozmq.engine.Msg;
import io.pekkozmq.streams.ZmqControl;
import io.pekkozmq.streams.ZmqSettings;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * Internal. A socket as a Sink: it asks upstream for the next message only once the previous one is
 * in the socket's pipes, so demand exists exactly while there is room below SNDHWM. A socket type
 * that drops at HWM (PUB, XPUB, ROUTER to an unknown or full peer) never refuses, and so never
 * holds upstream back, as in libzmq.
 */
public final class SinkStage extends AbstractGraphStageWithMaterializedValue<SinkShape<Msg>, ZmqControl> {
  private final ZmqSettings settings;
  private final Inlet<Msg> in = Inlet.create("ZmqSink.in");
  private final SinkShape<Msg> shape = SinkShape.of(in);

  public SinkStage(ZmqSettings settings) {
    this.settings = settings;
  }

  @Override
  public SinkShape<Msg> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name("zmqSink");
  }

  @Override
  public Pair<GraphStageLogic, ZmqControl> createLogicAndMaterializedValuePair(Attributes attributes) {
    StageControl control = new StageControl(settings.eventBuffer());
    return Pair.create(new Logic(control), control);
  }

  private final class Logic extends SocketStageLogic {
    /** The message that found no room, sent once the socket says it has some. */
    private Msg pending;
    private boolean upstreamDone;

    Logic(StageControl control) {
      super(shape, "ZmqSink", SinkStage.this.settings, control, 1);
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
          upstreamDone = true;
          if (pending == null) completeStage();
        }

        @Override
        public void onUpstreamFailure(Throwable cause) {
          fail(cause);
        }
      });
    }

    @Override
    protected void onSocketOpen() {
      pull(in);
    }

    @Override
    protected void onSocketChanged() {
      if (pending == null || !send(pending)) return;
      pending = null;
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
