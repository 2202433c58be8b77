package io.pekkozmq.actors.impl.io;

import java.nio.channels.SelectionKey;

/**
 * Readiness callback of a channel registered with an {@link IoLoop}. Always called on the loop's
 * own thread, which is also the thread of the actor that registered the channel, so the handler
 * may touch that actor's state (this is how readiness reaches an engine without a thread hop).
 */
public interface IoHandler {
  void ready(SelectionKey key);
}
