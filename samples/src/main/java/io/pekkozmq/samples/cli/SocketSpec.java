package io.pekkozmq.samples.cli;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The socket options every messaging command shares, and opening the socket they describe. */
public final class SocketSpec {
  private static final Pattern ENDPOINT = Pattern.compile("^(tcp://[^:/]+:(\\*|\\d{1,5})|ipc://.+|inproc://.+"
      + "|udp://([^;/]+;)?[^:/;]+:(\\*|\\d{1,5}))$");
  /** ws://HOST:PORT[/PATH] and wss://, HOST a name, an address or [IPv6] (RFC 45 endpoints). */
  private static final Pattern WS_ENDPOINT = Pattern.compile("^wss?://(\\[[^\\]/]+\\]|[^:/\\[\\]]+):(\\*|\\d{1,5})(/\\S*)?$");

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--type", paramLabel = "TYPE",
      description = "Socket type: PAIR, PUB, SUB, REQ, REP, DEALER, ROUTER, PULL, PUSH, XPUB, XSUB, STREAM"
          + " (raw TCP or ipc: messages are [peer id, bytes]; [id, empty] announces a peer's arrival or departure);"
          + " draft, single-frame: CLIENT, SERVER (echo replies by routing id), SCATTER, GATHER, CHANNEL, PEER"
          + " (its --connect is a connect-peer; send goes to the last peer it connected), RADIO (sends to --group),"
          + " DISH (joins every --group).")
  String type;

  @Option(names = "--bind", paramLabel = "EP", description = "Bind to an endpoint (repeatable).")
  List<String> binds = new ArrayList<>();

  @Option(names = "--connect", paramLabel = "EP", description = "Connect to an endpoint (repeatable).")
  List<String> connects = new ArrayList<>();

  @Option(names = "--format", paramLabel = "text|hex", defaultValue = "text",
      description = "text: frames separated by TAB; hex: lowercase hex per frame, separated by spaces, empty frame '-'.")
  FrameFormat format = FrameFormat.TEXT;

  @Option(names = "--subscribe", paramLabel = "PREFIX",
      description = "SUB/XSUB subscription prefix (repeatable; hex in hex format; \"\" for everything). As in ZeroMQ, a SUB without one receives nothing.")
  List<String> subscriptions = new ArrayList<>();

  @Option(names = "--group", paramLabel = "G",
      description = "RADIO: the group every message is sent to; DISH: a group to join (repeatable). At most 255 bytes.")
  List<String> groups = new ArrayList<>();

  @Option(names = "--routing-id", paramLabel = "ID", description = "ROUTING_ID of this socket (hex in hex format).")
  String routingId;

  @Option(names = "--connect-routing-id", paramLabel = "ID",
      description = "CONNECT_ROUTING_ID: how ROUTER or STREAM names the peer of the first --connect (hex in hex format).")
  String connectRoutingId;

  @Option(names = "--hwm", paramLabel = "N", description = "Send and receive high-water mark.")
  Integer hwm;

  @Option(names = "--linger", paramLabel = "MS", description = "LINGER in ms (-1: until delivered, the default).")
  Integer linger;

  @Mixin
  SecuritySpec security = new SecuritySpec();

  /** PEER: the routing id of the peer its last --connect named (0: none), where send sends. */
  int peerRoutingId;

  @Option(names = "--events", paramLabel = "FILE|-",
      description = "Write monitor events, one per line 'NAME value local remote', to FILE or stdout (-).")
  String events;

  SocketType socketType(SocketType fallback) {
    return type == null ? fallback : parseType(mixee.commandLine(), "--type", type);
  }

  /** The socket type {@code name} names; a usage error naming {@code option} when it names none. */
  static SocketType parseType(CommandLine cl, String option, String name) {
    try {
      return SocketType.parse(name);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cl, option + ": " + e.getMessage());
    }
  }

  /** Checks the arguments before anything starts, so usage errors exit 2 quickly. */
  void validate(boolean needsEndpoint) {
    checkEndpoints(mixee.commandLine(), "--", binds, connects, needsEndpoint);
    if (hwm != null && hwm < 0) throw new ParameterException(mixee.commandLine(), "--hwm: must be >= 0, got " + hwm);
    try {
      for (String s : subscriptions) format.bytes(s);
      if (routingId != null) format.bytes(routingId);
      if (connectRoutingId != null) format.bytes(connectRoutingId);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(mixee.commandLine(), "--subscribe/--routing-id/--connect-routing-id: " + e.getMessage());
    }
    if (!groups.isEmpty()) {
      SocketType t = socketType(SocketType.PUSH);
      if (!t.groupsMessages()) {
        throw new ParameterException(mixee.commandLine(), "--group: only RADIO (sends to it) and DISH (joins it) have groups, not " + t);
      }
      if (t == SocketType.RADIO && groups.size() > 1) {
        throw new ParameterException(mixee.commandLine(), "--group: a RADIO sends to one group, got " + groups.size());
      }
      for (String g : groups) {
        try {
          Msg.checkGroup(g);
        } catch (RuntimeException e) {
          throw new ParameterException(mixee.commandLine(), "--group: " + e.getMessage());
        }
      }
    }
    security.validate(mixee.commandLine());
  }

  /** RADIO: {@code m} sent to the --group (none: libzmq's empty group); other types: {@code m}. */
  Msg grouped(Msg m, SocketType t) {
    return t == SocketType.RADIO && !groups.isEmpty() ? m.withGroup(groups.get(0)) : m;
  }

  /**
   * Checks the endpoints of options {@code prefix + "bind"} and {@code prefix + "connect"}; when
   * {@code required}, at least one must be given.
   */
  static void checkEndpoints(CommandLine cl, String prefix, List<String> binds, List<String> connects,
      boolean required) {
    for (String ep : binds) checkEndpoint(cl, prefix + "bind", ep);
    for (String ep : connects) checkEndpoint(cl, prefix + "connect", ep);
    if (required && binds.isEmpty() && connects.isEmpty()) {
      throw new ParameterException(cl, "give at least one " + prefix + "bind or " + prefix + "connect endpoint");
    }
  }

  /** A usage error naming {@code option} unless {@code ep} looks like tcp://HOST:PORT, ipc://PATH, inproc://NAME or ws(s)://HOST:PORT/PATH. */
  static void checkEndpoint(CommandLine cl, String option, String ep) {
    if (!ENDPOINT.matcher(ep).matches() && !WS_ENDPOINT.matcher(ep).matches()) {
      throw new ParameterException(cl, option + ": malformed endpoint '" + ep
          + "' (expected tcp://HOST:PORT, ipc://PATH, inproc://NAME, ws://HOST:PORT/PATH or udp://[IFACE;]HOST:PORT)");
    }
  }

  /** An opened socket and, when asked for, its event log. */
  record Opened(ZSocket socket, SocketType type, EventLog events) {}

  /**
   * Creates the socket, applies options, subscribes the monitor and then binds and connects.
   * SUB subscribes through the SUBSCRIBE option; XSUB sends its subscriptions as messages.
   */
  Opened open(ZContext ctx, SocketType fallback, boolean countHandshakes) {
    SocketType t = socketType(fallback);
    ZSocket s = ctx.socket(t);
    if (hwm != null) {
      s.setOption(ZmqOption.SNDHWM, hwm);
      s.setOption(ZmqOption.RCVHWM, hwm);
    }
    if (linger != null) s.setOption(ZmqOption.LINGER, linger);
    if (routingId != null) s.setOption(ZmqOption.ROUTING_ID, format.bytes(routingId));
    if (connectRoutingId != null) s.setOption(ZmqOption.CONNECT_ROUTING_ID, format.bytes(connectRoutingId));
    security.apply(s);
    security.startAuthenticator(ctx);
    EventLog log = null;
    if (events != null || countHandshakes || security.securedClient()) {
      String command = mixee.commandLine().getCommandName();
      log = EventLog.attach(ctx, s, eventStream(), "", e -> security.onEvent(command, e));
    }
    if (t == SocketType.SUB) {
      for (String p : subscriptions) s.subscribe(format.bytes(p));
    } else if (t == SocketType.XSUB) {
      for (String p : subscriptions) s.send(Msg.of(Frame.wrap(subscription(format.bytes(p)))));
    }
    if (t == SocketType.DISH) {
      for (String g : groups) s.join(g);
    }
    for (String ep : binds) s.bind(ep);
    for (String ep : connects) {
      if (t.connectsPeers()) {
        peerRoutingId = s.connectPeer(ep);
      } else {
        s.connect(ep);
      }
    }
    return new Opened(s, t, log);
  }

  private static byte[] subscription(byte[] topic) {
    byte[] b = new byte[topic.length + 1];
    b[0] = 1;
    System.arraycopy(topic, 0, b, 1, topic.length);
    return b;
  }

  private PrintStream eventStream() {
    if (events == null) return null;
    if (events.equals("-")) return System.out;
    try {
      return new PrintStream(new FileOutputStream(events, true), true, StandardCharsets.UTF_8);
    } catch (FileNotFoundException e) {
      throw new ParameterException(mixee.commandLine(), "--events: cannot open '" + events + "': " + e.getMessage());
    }
  }
}
