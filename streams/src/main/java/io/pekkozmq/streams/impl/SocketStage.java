package io.pekkozmq.streams.impl;

import io.pekkozmq.streams.ZmqControl;
import io.pekkozmq.streams.ZmqSettings;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Shape;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * Internal. What every ZeroMQ stage is outside its logic: the settings, the shape, the name, and a
 * fresh {@link StageControl} materialized with each logic, which that logic completes.
 */
abstract class SocketStage<S extends Shape> extends AbstractGraphStageWithMaterializedValue<S, ZmqControl> {
  protected final ZmqSettings settings;
  private final S shape;
  private final String name;

  SocketStage(ZmqSettings settings, S shape, String name) {
    this.settings = settings;
    this.shape = shape;
    this.name = name;
  }

  /** The logic of one materialization, which reports through {@code control}. */
  abstract SocketStageLogic createLogic(StageControl control);

  @Override
  public final S shape() {
    return shape;
  }

  @Override
  public final Attributes initialAttributes() {
    return Attributes.name(name);
  }

  @Override
  public final Pair<GraphStageLogic, ZmqControl> createLogicAndMaterializedValuePair(Attributes attributes) {
    StageControl control = new StageControl(settings.eventBuffer());
    return Pair.create(createLogic(control), control);
  }
}
