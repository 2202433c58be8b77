package io.pekkozmq.actors.security;

import io.pekkozmq.actors.Socket;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZeroMQ;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import io.pekkozmq.engine.security.Certificate;
import io.pekkozmq.engine.security.CurveKeys;
import io.pekkozmq.engine.security.Z85;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The ZAP authenticator (RFC 27) as a typed actor: the feature set of czmq's {@code zauth} and
 * pyzmq's {@code zmq.auth}. It binds a ROUTER socket at {@code inproc://zeromq.zap.01} of one
 * context and answers every connection's ZAP request there, so each PLAIN or CURVE server socket
 * of that context (and each NULL one with a ZAP_DOMAIN) asks it before letting a peer in.
 *
 * <h2>Policy</h2>
 * As pyzmq's {@code Authenticator}, except that allow and deny may both be given (czmq's rule:
 * when any address is allowed, only allowed addresses pass the address check, and the deny list
 * is not consulted):
 * <ul>
 *   <li>Addresses: {@link Allow} (whitelist) and {@link Deny} (blacklist) by the peer's IP as the
 *       request carries it. An allowed address passes NULL at once; PLAIN and CURVE peers still
 *       prove who they are. A refused address gets 400 "Address not allowed" / "Address denied".</li>
 *   <li>NULL: passes unless its address was refused; user id "anonymous".</li>
 *   <li>PLAIN: the user name and password must match the domain's table ({@link ConfigurePlain},
 *       or a {@link ConfigurePlainFile} of {@code user=password} lines); user id = user name.</li>
 *   <li>CURVE: the client's long-term public key must be among the domain's keys
 *       ({@link ConfigureCurve}: a list of Z85 keys; {@link ConfigureCurveDirectory}: the public
 *       certificates of a directory, whose {@code metadata} section goes back as ZAP metadata, as
 *       czmq's does), or the domain allows any ({@link ConfigureCurveAllowAny}); user id = the
 *       client's key in Z85.</li>
 * </ul>
 * A domain's settings apply to requests for that ZAP_DOMAIN; domain {@code "*"} applies to every
 * domain that has none of its own (and to the empty domain). Status codes are 200 and 400, with
 * pyzmq's status texts ("OK", "Invalid password", "Unknown key", ...). A malformed request gets
 * 400 when it has a request id to answer, and is dropped otherwise.
 *
 * <h2>Protocol</h2>
 * Every command takes a {@code replyTo} (may be null) that hears {@link Done} once the change is in
 * force (requests handled after it see it) or {@link Failed} naming the problem (an unreadable
 * file, a bad key), in which case nothing changed. {@link WhenReady} answers once the handler is
 * bound, or with {@link Failed} if it could not be (another handler holds the name). {@link Reload}
 * reads the password files and certificate directories again. {@link Stop} unbinds and closes the
 * socket, answers, and stops the actor. {@link ZAuthenticator} is a blocking facade over it.
 */
public final class ZAuth extends AbstractBehavior<ZAuth.Command> {
  /** The endpoint libzmq's sessions ask. */
  public static final String ENDPOINT = "inproc://zeromq.zap.01";
  /** The domain whose settings apply to every domain without its own. */
  public static final String ANY_DOMAIN = "*";

  public sealed interface Command permits WhenReady, Allow, Deny, ConfigurePlain, ConfigurePlainFile, ConfigureCurve,
      ConfigureCurveDirectory, ConfigureCurveAllowAny, Reload, Stop, Bound, Received, Closed {}

  public sealed interface Reply permits Done, Failed {}

  /** The command took effect. */
  public record Done() implements Reply {}

  /** The command failed; nothing changed. */
  public record Failed(String reason) implements Reply {}

  /** Answers once the handler is bound (Done), or Failed if it could not be bound. */
  public record WhenReady(ActorRef<Reply> replyTo) implements Command {}

  /** Whitelists IP addresses (as the ZAP request gives them: {@code 127.0.0.1}, {@code ::1}). */
  public record Allow(List<String> addresses, ActorRef<Reply> replyTo) implements Command {}

  /** Blacklists IP addresses; consulted only while nothing is allowed. */
  public record Deny(List<String> addresses, ActorRef<Reply> replyTo) implements Command {}

  /** The PLAIN users of {@code domain}: user name to password (replaces the domain's table). */
  public record ConfigurePlain(String domain, Map<String, String> passwords, ActorRef<Reply> replyTo) implements Command {}

  /** The PLAIN users of {@code domain} from a file of {@code user=password} lines (czmq's zauth); re-read on Reload. */
  public record ConfigurePlainFile(String domain, Path file, ActorRef<Reply> replyTo) implements Command {}

  /** The CURVE client keys (Z85, 40 characters) allowed in {@code domain} (replaces the domain's CURVE setting). */
  public record ConfigureCurve(String domain, List<String> publicKeys, ActorRef<Reply> replyTo) implements Command {}

  /** The CURVE clients of {@code domain}: the public certificates in {@code directory}; re-read on Reload. */
  public record ConfigureCurveDirectory(String domain, Path directory, ActorRef<Reply> replyTo) implements Command {}

  /** Any CURVE client key passes in {@code domain} (pyzmq's CURVE_ALLOW_ANY); encryption still applies. */
  public record ConfigureCurveAllowAny(String domain, ActorRef<Reply> replyTo) implements Command {}

  /** Reads every configured password file and certificate directory again. */
  public record Reload(ActorRef<Reply> replyTo) implements Command {}

  /** Unbinds, closes the handler's socket, answers, then stops. */
  public record Stop(ActorRef<Reply> replyTo) implements Command {}

  private record Bound(Socket.Reply reply) implements Command {}

  private record Received(Socket.Delivery delivery) implements Command {}

  private record Closed(ActorRef<Reply> replyTo) implements Command {}

  private static final byte[] VERSION = "1.0".getBytes(StandardCharsets.US_ASCII);
  private static final int DEMAND = 64;

  /** PLAIN users of one domain, from a table or a file. */
  private record PlainUsers(Map<String, String> passwords, Path file) {}

  /** CURVE clients of one domain: any, or these keys (Z85) with their certificates' metadata. */
  private record CurveClients(boolean any, Map<String, Map<String, String>> keys, Path directory) {}

  private final ZSocket socket;
  private final ActorRef<Socket.Reply> boundAdapter;
  private boolean ready;
  private String bindFailure;
  private final List<ActorRef<Reply>> waiting = new ArrayList<>();
  private final Set<String> allowed = new LinkedHashSet<>();
  private final Set<String> denied = new LinkedHashSet<>();
  private final Map<String, PlainUsers> plain = new HashMap<>();
  private final Map<String, CurveClients> curve = new HashMap<>();
  private boolean stopping;

  private ZAuth(ActorContext<Command> ctx, ZeroMQ zmq) {
    super(ctx);
    this.socket = zmq.socket(SocketType.ROUTER);
    this.boundAdapter = ctx.messageAdapter(Socket.Reply.class, Bound::new);
    socket.actor().tell(new Socket.Bind(ENDPOINT, boundAdapter));
    socket.actor().tell(new Socket.StartReceiving(ctx.messageAdapter(Socket.Delivery.class, Received::new), DEMAND));
  }

  /** The authenticator of {@code zmq}'s context, to spawn where you like. */
  public static Behavior<Command> create(ZeroMQ zmq) {
    return Behaviors.setup(ctx -> new ZAuth(ctx, zmq));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Bound.class, this::onBound)
        .onMessage(WhenReady.class, w -> {
          if (ready || bindFailure != null) answerReady(w.replyTo());
          else waiting.add(w.replyTo());
          return this;
        })
        .onMessage(Received.class, this::onReceived)
        .onMessage(Allow.class, a -> configure(a.replyTo(), () -> allowed.addAll(checkedAddresses(a.addresses()))))
        .onMessage(Deny.class, d -> configure(d.replyTo(), () -> denied.addAll(checkedAddresses(d.addresses()))))
        .onMessage(ConfigurePlain.class, p -> configure(p.replyTo(), () ->
            plain.put(domainOf(p.domain()), new PlainUsers(Map.copyOf(p.passwords()), null))))
        .onMessage(ConfigurePlainFile.class, p -> configure(p.replyTo(), () ->
            plain.put(domainOf(p.domain()), new PlainUsers(readPasswords(p.file()), p.file()))))
        .onMessage(ConfigureCurve.class, c -> configure(c.replyTo(), () ->
            curve.put(domainOf(c.domain()), new CurveClients(false, checkedKeys(c.publicKeys()), null))))
        .onMessage(ConfigureCurveDirectory.class, c -> configure(c.replyTo(), () ->
            curve.put(domainOf(c.domain()), new CurveClients(false, readCertificates(c.directory()), c.directory()))))
        .onMessage(ConfigureCurveAllowAny.class, c -> configure(c.replyTo(), () ->
            curve.put(domainOf(c.domain()), new CurveClients(true, Map.of(), null))))
        .onMessage(Reload.class, r -> configure(r.replyTo(), this::reload))
        .onMessage(Stop.class, this::onStop)
        .onMessage(Closed.class, c -> {
          reply(c.replyTo(), new Done());
          return Behaviors.stopped();
        })
        .onSignal(PostStop.class, s -> {
          socket.close();
          return this;
        })
        .build();
  }

  // ---- lifecycle ---------------------------------------------------------------------------

  private Behavior<Command> onBound(Bound b) {
    if (b.reply() instanceof Socket.Failed f) {
      bindFailure = "cannot bind the ZAP handler at " + ENDPOINT + ": " + f.error().getMessage();
      getContext().getLog().warn(bindFailure);
    } else {
      ready = true;
    }
    waiting.forEach(this::answerReady);
    waiting.clear();
    if (bindFailure != null) return Behaviors.stopped();
    return this;
  }

  private void answerReady(ActorRef<Reply> to) {
    reply(to, bindFailure == null ? new Done() : new Failed(bindFailure));
  }

  private Behavior<Command> onStop(Stop s) {
    if (stopping) return this;
    stopping = true;
    socket.close();
    getContext().pipeToSelf(socket.whenClosed(), (v, e) -> new Closed(s.replyTo()));
    return this;
  }

  /** Applies a configuration change whole, or not at all, and answers. */
  private Behavior<Command> configure(ActorRef<Reply> replyTo, Change change) {
    try {
      change.apply();
      reply(replyTo, new Done());
    } catch (IOException | IllegalArgumentException e) {
      reply(replyTo, new Failed(e.getMessage()));
    }
    return this;
  }

  @FunctionalInterface
  private interface Change {
    void apply() throws IOException;
  }

  private static void reply(ActorRef<Reply> to, Reply r) {
    if (to != null) to.tell(r);
  }

  private void reload() throws IOException {
    Map<String, PlainUsers> p = new HashMap<>();
    for (Map.Entry<String, PlainUsers> e : plain.entrySet()) {
      PlainUsers u = e.getValue();
      p.put(e.getKey(), u.file() == null ? u : new PlainUsers(readPasswords(u.file()), u.file()));
    }
    Map<String, CurveClients> c = new HashMap<>();
    for (Map.Entry<String, CurveClients> e : curve.entrySet()) {
      CurveClients k = e.getValue();
      c.put(e.getKey(), k.directory() == null ? k : new CurveClients(false, readCertificates(k.directory()), k.directory()));
    }
    plain.putAll(p); // only once everything was read: a failed reload changes nothing
    curve.putAll(c);
  }

  private static String domainOf(String domain) {
    return domain == null || domain.isEmpty() ? ANY_DOMAIN : domain;
  }

  private static List<String> checkedAddresses(List<String> addresses) {
    for (String a : addresses) {
      if (a == null || a.isBlank()) throw new IllegalArgumentException("an empty address cannot be allowed or denied");
    }
    return addresses;
  }

  private static Map<String, Map<String, String>> checkedKeys(List<String> keys) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (String k : keys) out.put(Z85.encode(CurveKeys.parseKey("CURVE client key", k)), Map.of());
    return out;
  }

  /** czmq's zauth password file: {@code user=password} per line; blank lines and {@code #} comments skipped. */
  static Map<String, String> readPasswords(Path file) throws IOException {
    Map<String, String> out = new HashMap<>();
    int n = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      n++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) continue;
      int eq = t.indexOf('=');
      if (eq <= 0) throw new IOException(file + " line " + n + ": expected user=password");
      out.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
    }
    return out;
  }

  private static Map<String, Map<String, String>> readCertificates(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) throw new IOException("no certificate directory " + dir);
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (Certificate c : Certificate.loadDirectory(dir)) out.put(Z85.encode(c.publicKey()), c.metadata());
    return out;
  }

  // ---- ZAP ---------------------------------------------------------------------------------

  private Behavior<Command> onReceived(Received r) {
    List<Msg> messages = r.delivery().messages();
    for (Msg m : messages) {
      Msg answer = answer(m);
      if (answer != null) socket.trySend(answer); // ROUTER: never waits (ZAP pipes have no HWM)
    }
    if (!messages.isEmpty()) r.delivery().socket().tell(new Socket.Request(messages.size()));
    return this;
  }

  /** The reply to one request as the ROUTER received it ([peer, "", version, id, ...]); null to drop it. */
  private Msg answer(Msg m) {
    if (m.size() < 3 || m.frame(1).size() != 0) return null; // not a REQ-style envelope: nothing to answer
    Frame peer = m.frame(0);
    int n = m.size() - 2;
    if (n < 6) {
      return n < 2 ? null : reply(peer, m.frame(3), "400", "Not enough frames", "", null);
    }
    Frame requestId = m.frame(3);
    if (!Arrays.equals(m.frame(2).toByteArray(), VERSION)) return reply(peer, requestId, "400", "Invalid version", "", null);
    String domain = m.frame(4).text();
    String address = m.frame(5).text();
    String mechanism = m.frame(7).text();
    List<Frame> credentials = m.frames().subList(8, m.size());

    boolean allowedAddress = false;
    String refusal = null;
    if (!allowed.isEmpty()) {
      if (allowed.contains(address)) allowedAddress = true;
      else refusal = "Address not allowed";
    } else if (!denied.isEmpty() && denied.contains(address)) {
      refusal = "Address denied";
    }
    if (refusal != null) return reply(peer, requestId, "400", refusal, "", null);

    switch (mechanism) {
      case "NULL":
        return reply(peer, requestId, "200", "OK", "anonymous", null);
      case "PLAIN": {
        if (credentials.size() != 2) return reply(peer, requestId, "400", "Invalid credentials", "", null);
        String user = credentials.get(0).text();
        String password = credentials.get(1).text();
        String why = checkPlain(domain, user, password);
        return why == null ? reply(peer, requestId, "200", "OK", user, null) : reply(peer, requestId, "400", why, "", null);
      }
      case "CURVE": {
        if (credentials.size() != 1 || credentials.get(0).size() != CurveKeys.KEY_SIZE) {
          return reply(peer, requestId, "400", "Invalid credentials", "", null);
        }
        String key = Z85.encode(credentials.get(0).toByteArray());
        CurveClients clients = lookup(curve, domain);
        if (clients == null) return reply(peer, requestId, "400", "Unknown domain", "", null);
        if (clients.any()) return reply(peer, requestId, "200", "OK", key, null);
        Map<String, String> metadata = clients.keys().get(key);
        return metadata == null ? reply(peer, requestId, "400", "Unknown key", "", null)
            : reply(peer, requestId, "200", "OK", key, metadata);
      }
      default:
        return reply(peer, requestId, "400", allowedAddress ? "Unsupported mechanism" : "NO ACCESS", "", null);
    }
  }

  /** Null when the user may pass, else pyzmq's reason. */
  private String checkPlain(String domain, String user, String password) {
    if (plain.isEmpty()) return "No passwords defined";
    PlainUsers users = lookup(plain, domain);
    if (users == null) return "Invalid domain";
    String expected = users.passwords().get(user);
    if (expected == null) return "Invalid username";
    return java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8))
        ? null : "Invalid password";
  }

  private static <T> T lookup(Map<String, T> byDomain, String domain) {
    T t = byDomain.get(domain);
    return t != null ? t : byDomain.get(ANY_DOMAIN);
  }

  private static Msg reply(Frame peer, Frame requestId, String status, String text, String userId, Map<String, String> metadata) {
    return Msg.of(peer, Frame.EMPTY, Frame.wrap(VERSION), requestId, Frame.of(status), Frame.of(text), Frame.of(userId),
        Frame.wrap(encodeMetadata(metadata)));
  }

  /** ZMTP's property list (RFC 27's metadata frame): name length, name, 4-byte value length, value. */
  static byte[] encodeMetadata(Map<String, String> metadata) {
    if (metadata == null || metadata.isEmpty()) return new byte[0];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
      byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
      if (name.length == 0 || name.length > 255) continue;
      out.write(name.length);
      out.writeBytes(name);
      out.write(value.length >>> 24);
      out.write(value.length >>> 16);
      out.write(value.length >>> 8);
      out.write(value.length);
      out.writeBytes(value);
    }
    return out.toByteArray();
  }
}
