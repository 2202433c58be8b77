package io.pekkozmq.actors.security;

import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.ZmqException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * A blocking facade over the {@link ZAuth} actor, as {@code ZSocket} is over a socket: for plain
 * Java and the CLI (never call it from inside an actor; talk to {@link #actor()} there). Each call
 * returns once the change is in force for the next ZAP request, and throws
 * {@code ZmqException(EINVAL)} naming the problem when it was refused.
 *
 * <pre>{@code
 * try (ZAuthenticator auth = ZAuthenticator.start(zmq)) {
 *   auth.allow("127.0.0.1");
 *   auth.configureCurve("*", clientPublicKeyZ85);
 *   ... CURVE_SERVER sockets of zmq's context now let in only that client ...
 * }
 * }</pre>
 */
public final class ZAuthenticator implements AutoCloseable {
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final ZeroMQ zmq;
  private final ActorRef<ZAuth.Command> actor;

  private ZAuthenticator(ZeroMQ zmq, ActorRef<ZAuth.Command> actor) {
    this.zmq = zmq;
    this.actor = actor;
  }

  /**
   * Starts an authenticator for {@code zmq}'s context and waits until it is bound at
   * {@link ZAuth#ENDPOINT}; throws ZmqException(EADDRINUSE) if another handler is bound there.
   */
  public static ZAuthenticator start(ZeroMQ zmq) {
    ActorRef<ZAuth.Command> ref = zmq.system().systemActorOf(ZAuth.create(zmq), "pzmq-zauth-" + NAMES.incrementAndGet(),
        Props.empty());
    ZAuthenticator auth = new ZAuthenticator(zmq, ref);
    ZAuth.Reply r = auth.askRaw(ZAuth.WhenReady::new);
    if (r instanceof ZAuth.Failed f) throw new ZmqException(Errno.EADDRINUSE, f.reason());
    return auth;
  }

  public ActorRef<ZAuth.Command> actor() {
    return actor;
  }

  public void allow(String... addresses) {
    ask(to -> new ZAuth.Allow(List.of(addresses), to));
  }

  public void deny(String... addresses) {
    ask(to -> new ZAuth.Deny(List.of(addresses), to));
  }

  public void configurePlain(String domain, Map<String, String> passwords) {
    ask(to -> new ZAuth.ConfigurePlain(domain, passwords, to));
  }

  public void configurePlainFile(String domain, Path file) {
    ask(to -> new ZAuth.ConfigurePlainFile(domain, file, to));
  }

  public void configureCurve(String domain, String... publicKeysZ85) {
    ask(to -> new ZAuth.ConfigureCurve(domain, List.of(publicKeysZ85), to));
  }

  public void configureCurveDirectory(String domain, Path directory) {
    ask(to -> new ZAuth.ConfigureCurveDirectory(domain, directory, to));
  }

  public void configureCurveAllowAny(String domain) {
    ask(to -> new ZAuth.ConfigureCurveAllowAny(domain, to));
  }

  /** Reads the password files and certificate directories again. */
  public void reload() {
    ask(ZAuth.Reload::new);
  }

  /** Unbinds the handler and waits until it is gone (a new one may bind right after). */
  @Override
  public void close() {
    try {
      askRaw(ZAuth.Stop::new);
    } catch (ZmqException alreadyStopped) {
      // stopped before (bind failure, a second close): nothing is bound
    }
  }

  private void ask(Function<ActorRef<ZAuth.Reply>, ZAuth.Command> make) {
    ZAuth.Reply r = askRaw(make);
    if (r instanceof ZAuth.Failed f) throw new ZmqException(Errno.EINVAL, f.reason());
  }

  private ZAuth.Reply askRaw(Function<ActorRef<ZAuth.Reply>, ZAuth.Command> make) {
    Duration timeout = zmq.settings().commandTimeout();
    try {
      return AskPattern.<ZAuth.Command, ZAuth.Reply>ask(actor, make::apply, timeout, zmq.system().scheduler())
          .toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ZmqException(Errno.EINTR, "interrupted while waiting for the authenticator");
    } catch (ExecutionException | TimeoutException e) {
      throw new ZmqException(Errno.ETERM, "the authenticator did not answer within " + timeout, e);
    }
  }
}
