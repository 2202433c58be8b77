package io.pekkozmq.actors.impl.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pekkozmq.actors.impl.pipe.Pipe;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.pattern.PatternOptions;
import io.pekkozmq.engine.pattern.Patterns;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The socket's side of the pipes' control plane, without actors: what is applied to the core on
 * the writer's thread, and what is left to the socket actor (recorded here as strings).
 */
class PipeWakeUpsTest {
  private final List<String> actor = new ArrayList<>();
  private final SocketCore core = newCore(SocketType.PULL);
  private final PipeWakeUps wakeUps = new PipeWakeUps(core, new PipeWakeUps.Mailbox() {
    @Override
    public void apply(Pipe.Command command) {
      actor.add("apply " + command.getClass().getSimpleName());
    }

    @Override
    public void readable() {
      actor.add("readable");
    }

    @Override
    public void writable() {
      actor.add("writable");
    }

    @Override
    public void terminated(Pipe.End end) {
      actor.add("terminated");
    }
  });

  private static SocketCore newCore(SocketType type) {
    PatternOptions po = new PatternOptions();
    return new SocketCore("test-" + type, type, Patterns.create(type, po), po);
  }

  private static void send(Pipe.End end, String text) {
    end.write(Frame.wrap(text.getBytes(), 0));
    end.flush();
  }

  @Test
  void aSessionPipesActivationIsAppliedInPlaceAndTheActorHearsOfItOnlyWhenASubscriberWaits() {
    Pipe pipe = Pipe.create(0, 0);
    Pipe.End engineSide = pipe.a();
    assertTrue(core.attach(pipe.b(), false, null, wakeUps.sessionPipes(), false, false));
    assertNull(core.recv(0)); // the reader sleeps
    send(engineSide, "one");
    assertEquals(List.of(), actor, "no actor message: the core took the activation on the writer's thread");
    assertEquals("one", core.recv(0).first().text());
    wakeUps.setReceiving(true);
    assertNull(core.recv(0));
    send(engineSide, "two");
    assertEquals(List.of("readable"), actor);
  }

  @Test
  void aSessionsTermIsAppliedAndTheActorDropsThePipeFromItsBooks() {
    Pipe pipe = Pipe.create(0, 0);
    Pipe.End engineSide = pipe.a();
    core.attach(pipe.b(), false, null, wakeUps.sessionPipes(), false, false);
    send(engineSide, "last");
    engineSide.closeWrite();
    assertEquals(List.of("terminated"), actor);
    Msg last = core.recv(0);
    assertNotNull(last, "nothing the session wrote before its term is lost");
    assertEquals("last", last.first().text());
    assertTrue(pipe.b().released() && engineSide.released(), "read to the delimiter: the handshake is over");
    assertTrue(core.pipesSnapshot().isEmpty(), "the core reaped the pipe");
  }

  @Test
  void anInprocActivationWhileTheCoreIsLockedByTheWriterGoesToTheActor() {
    Pipe pipe = Pipe.create(0, 0);
    Pipe.End peer = pipe.a();
    core.attach(pipe.b(), false, null, wakeUps.inprocPipes(), false, true);
    assertNull(core.recv(0));
    // the writer holds this core's lock (as an inproc peer inside its own socket's operation would)
    core.withLock(() -> send(peer, "held"));
    assertEquals(List.of("apply ActivateRead"), actor);
    core.apply(new Pipe.ActivateRead(pipe.b())); // what the actor then does
    assertEquals("held", core.recv(0).first().text());
  }
}
