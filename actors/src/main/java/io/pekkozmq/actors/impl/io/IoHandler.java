package io.pekkozmq.actors.impl.io;

/**
 * Readiness callback of a channel registered with an {@link IoLoop}. Always called on the loop's
 * own thread, which is also the thread of the actor that registered the channel, so the handler
 * may touch that actor's state (this is how readiness reaches an engine without a thread hop).
 *
 * <p>It is handed the key's ready set ({@code SelectionKey.OP_*} bits), not the key, so whatever
 * drives a handler need not be a selector: the engine tests drive it from an in-memory channel.
 */
public interface IoHandler {
  void ready(int readyOps);
}
