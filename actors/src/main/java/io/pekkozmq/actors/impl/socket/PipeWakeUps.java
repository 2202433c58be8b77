package io.pekkozmq.actors.impl.socket;

import io.pekkozmq.actors.impl.pipe.Pipe;

/**
 * The thread boundary between a socket's pipes and the socket: the pipe calls these on the
 * thread of the peer end (an engine's I/O thread, or an inproc peer's caller) once per
 * transition, never per message. They apply the command to the {@link SocketCore} in place when
 * they may, so a blocked caller wakes without an actor hop, and otherwise only enqueue it for the
 * socket actor ({@link Mailbox}); the actor hears of an applied command only when it waits itself
 * (a typed subscriber, sends it holds) or keeps books on the pipe (a session's term).
 *
 * <p>Two listeners, by who writes the pipe:
 * <ul>
 *   <li>{@link #sessionPipes()}: the writer is an engine on an I/O thread, which holds no lock, so
 *       it may wait for the core's lock and applies the command itself.
 *   <li>{@link #inprocPipes()}: the writer is another socket's caller, holding its own socket's
 *       lock, so it applies the command only if this core's lock is free at once (waiting could
 *       deadlock two sockets) and otherwise hands it to the actor.
 * </ul>
 */
public final class PipeWakeUps {
  /** The socket actor, as the wake-ups reach it: each method only sends it a message. */
  public interface Mailbox {
    /** Apply {@code command} in the actor (the core's lock was taken), then follow up. */
    void apply(Pipe.Command command);

    /** The core has applied a read-side command and a typed subscriber waits. */
    void readable();

    /** The core has applied a write activation and sends wait in the actor. */
    void writable();

    /** The core has applied a session's term: the actor drops the pipe from its books. */
    void terminated(Pipe.End end);
  }

  private final SocketCore core;
  private final Mailbox actor;
  private final Pipe.Listener sessionPipes = this::fromSession;
  private final Pipe.Listener inprocPipes = this::fromInproc;
  /** A typed subscriber waits for messages; set by the socket actor. */
  private volatile boolean receiving;
  /** The socket actor holds sends waiting for room. */
  private volatile boolean sendsPending;

  public PipeWakeUps(SocketCore core, Mailbox actor) {
    this.core = core;
    this.actor = actor;
  }

  /** The listener for pipes to sessions (written by engines on I/O threads). */
  public Pipe.Listener sessionPipes() {
    return sessionPipes;
  }

  /** The listener for inproc pipes (written by another socket's callers). */
  public Pipe.Listener inprocPipes() {
    return inprocPipes;
  }

  public void setReceiving(boolean receiving) {
    this.receiving = receiving;
  }

  public void setSendsPending(boolean sendsPending) {
    this.sendsPending = sendsPending;
  }

  private void fromSession(Pipe.Command command) {
    if (command instanceof Pipe.TermAck) return; // the core let go of this end when it closed it
    core.apply(command);
    if (command instanceof Pipe.Term) {
      actor.terminated(command.end());
    } else {
      followUp(command);
    }
  }

  private void fromInproc(Pipe.Command command) {
    if (command instanceof Pipe.TermAck) return;
    if (!core.tryApply(command)) {
      actor.apply(command);
    } else {
      followUp(command);
    }
  }

  private void followUp(Pipe.Command command) {
    if (command instanceof Pipe.ActivateWrite) {
      if (sendsPending) actor.writable();
    } else if (receiving) {
      actor.readable();
    }
  }
}
