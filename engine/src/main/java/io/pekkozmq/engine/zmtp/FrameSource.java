package io.pekkozmq.engine.zmtp;

import io.pekkozmq.engine.Frame;

/** Where an encoder takes frames to send (normally the outbound pipe). Called on the engine's thread. */
public interface FrameSource {
  /** The next frame to send, or null if none is ready now. */
  Frame poll();
}
