package io.pekkozmq.engine.zmtp;

import io.pekkozmq.engine.Frame;

/** Where a decoder delivers data frames (normally the inbound pipe). Called on the engine's thread. */
public interface FrameSink {
  /**
   * Offers one frame. Returns false when the sink is full (inbound pipe at HWM); the decoder then
   * keeps the frame, stops consuming, and offers it again on the next call.
   */
  boolean offer(Frame frame);
}
