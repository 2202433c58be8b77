package io.pekkozmq.samples.cli;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.ZSocket;
import io.pekkozmq.actors.ZmqOption;
import io.pekkozmq.engine.event.EventType;
import io.pekkozmq.engine.event.SocketEvent;
import io.pekkozmq.engine.security.CurveKeys;
import io.pekkozmq.engine.security.Z85;
import io.pekkozmq.streams.ZmqSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The security flags every command that opens a socket shares (libzmq's PLAIN_*, CURVE_* and ZAP_*
 * options), and the built-in authenticator's allow and deny lists.
 *
 * <p>What passes, as in libzmq 4.3: a CURVE server with no authenticator flag accepts any client key
 * (no ZAP handler runs); a PLAIN server always needs its users (libzmq refuses every PLAIN client
 * when no ZAP handler answers); a NULL socket asks ZAP only when it has a ZAP domain.
 */
public final class SecuritySpec {
  @Option(names = "--curve-server", description = "Be a CURVE server (needs --curve-secretkey).")
  boolean curveServer;

  @Option(names = "--curve-secretkey", paramLabel = "KEY", description = "Our CURVE secret key (40 characters of Z85).")
  String curveSecretKey;

  @Option(names = "--curve-publickey", paramLabel = "KEY",
      description = "Our CURVE public key (Z85); derived from --curve-secretkey when omitted.")
  String curvePublicKey;

  @Option(names = "--curve-serverkey", paramLabel = "KEY",
      description = "Be a CURVE client of the server with this public key (Z85). Without --curve-secretkey a fresh"
          + " client key pair is made.")
  String curveServerKey;

  @Option(names = "--plain-server", description = "Be a PLAIN server (give the users with --allow-plain).")
  boolean plainServer;

  @Option(names = "--plain-username", paramLabel = "USER", description = "Be a PLAIN client with this user name.")
  String plainUsername;

  @Option(names = "--plain-password", paramLabel = "PASSWORD", description = "The PLAIN client's password (default empty).")
  String plainPassword;

  @Option(names = "--zap-domain", paramLabel = "DOMAIN", description = "ZAP_DOMAIN sent to the authenticator.")
  String zapDomain;

  @Option(names = "--allow-curve", paramLabel = "KEY",
      description = "A client public key the CURVE server accepts (repeatable; none given: any key passes).")
  List<String> allowCurve = new ArrayList<>();

  @Option(names = "--allow-plain", paramLabel = "USER:PASSWORD", description = "A user the PLAIN server accepts (repeatable).")
  List<String> allowPlain = new ArrayList<>();

  @Option(names = "--allow-ip", paramLabel = "ADDRESS",
      description = "Accept peers from this address only (repeatable; with --deny-ip, the allow list wins).")
  List<String> allowIp = new ArrayList<>();

  @Option(names = "--deny-ip", paramLabel = "ADDRESS", description = "Refuse peers from this address (repeatable).")
  List<String> denyIp = new ArrayList<>();

  @Option(names = "--wss-cert", paramLabel = "FILE",
      description = "wss:// server: its certificate chain, a PEM file (WSS_CERT_PEM; needs --wss-key).")
  java.nio.file.Path wssCert;

  @Option(names = "--wss-key", paramLabel = "FILE",
      description = "wss:// server: its private key, a PKCS#8 PEM file (WSS_KEY_PEM).")
  java.nio.file.Path wssKey;

  @Option(names = "--wss-trust", paramLabel = "FILE",
      description = "wss:// client: the certificates it trusts, a PEM file (WSS_TRUST_PEM).")
  java.nio.file.Path wssTrust;

  @Option(names = "--wss-hostname", paramLabel = "NAME",
      description = "wss:// client: the name the server's certificate must carry (WSS_HOSTNAME; default: the endpoint's host).")
  String wssHostname;

  /** The wss PEM texts read from their files by {@link #validate}, or null. */
  private String wssCertPem, wssKeyPem, wssTrustPem;

  /** What {@link #validate()} made of the flags. */
  private Keys keys;

  /** The parsed keys and credentials: raw 32-byte keys, or null where not given. */
  record Keys(byte[] secret, byte[] publicKey, byte[] server, List<byte[]> allowedClients,
      List<String[]> users) {}

  boolean curve() {
    return curveServer || curveServerKey != null;
  }

  boolean plain() {
    return plainServer || plainUsername != null || plainPassword != null;
  }

  /** A client of a secured server: a refused handshake ends the command. */
  boolean securedClient() {
    return curveServerKey != null || plainUsername != null;
  }

  /** Whether any authenticator flag was given (then the built-in authenticator runs). */
  boolean authenticates() {
    return !allowCurve.isEmpty() || !allowPlain.isEmpty() || !allowIp.isEmpty() || !denyIp.isEmpty();
  }

  /** Checks the flags and parses the keys, so a bad one exits 2 naming its flag before anything starts. */
  Keys validate(CommandLine cl) {
    if (keys != null) return keys;
    if (curve() && plain()) throw new ParameterException(cl, "choose CURVE (--curve-*) or PLAIN (--plain-*), not both");
    if (curveServer && curveServerKey != null) {
      throw new ParameterException(cl, "--curve-server and --curve-serverkey: a socket is the CURVE server or a client, not both");
    }
    if (curveServer && curveSecretKey == null) throw new ParameterException(cl, "--curve-server needs --curve-secretkey");
    if (!curve() && (curveSecretKey != null || curvePublicKey != null)) {
      throw new ParameterException(cl, "--curve-secretkey/--curve-publickey: give --curve-server or --curve-serverkey too");
    }
    if (curvePublicKey != null && curveSecretKey == null) {
      throw new ParameterException(cl, "--curve-publickey needs its --curve-secretkey");
    }
    if (plainServer && (plainUsername != null || plainPassword != null)) {
      throw new ParameterException(cl, "--plain-server and --plain-username/--plain-password: a socket is the PLAIN server or a client, not both");
    }
    if (plainPassword != null && plainUsername == null) throw new ParameterException(cl, "--plain-password needs --plain-username");
    if (plainUsername != null) credential(cl, "--plain-username", plainUsername, 1);
    if (plainPassword != null) credential(cl, "--plain-password", plainPassword, 0);
    if (!allowCurve.isEmpty() && !curveServer) throw new ParameterException(cl, "--allow-curve needs --curve-server");
    if (!allowPlain.isEmpty() && !plainServer) throw new ParameterException(cl, "--allow-plain needs --plain-server");
    if (plainServer && allowPlain.isEmpty()) {
      throw new ParameterException(cl, "--plain-server: give the accepted users with --allow-plain USER:PASSWORD"
          + " (libzmq's PLAIN server refuses every client when no authenticator answers)");
    }
    boolean ipRules = !allowIp.isEmpty() || !denyIp.isEmpty();
    if (ipRules && !curveServer && !plainServer && (zapDomain == null || zapDomain.isEmpty())) {
      throw new ParameterException(cl, "--allow-ip/--deny-ip on a NULL socket need --zap-domain"
          + " (libzmq asks the authenticator about NULL peers only when ZAP_DOMAIN is set)");
    }
    if (ipRules && (curveServerKey != null || plainUsername != null)) {
      throw new ParameterException(cl, "--allow-ip/--deny-ip are for the server side, not a CURVE or PLAIN client");
    }
    for (String a : allowIp) address(cl, "--allow-ip", a);
    if ((wssCert == null) != (wssKey == null)) throw new ParameterException(cl, "--wss-cert and --wss-key go together");
    wssCertPem = pem(cl, "--wss-cert", wssCert);
    wssKeyPem = pem(cl, "--wss-key", wssKey);
    wssTrustPem = pem(cl, "--wss-trust", wssTrust);
    if (wssHostname != null && wssHostname.isBlank()) throw new ParameterException(cl, "--wss-hostname: empty name");
    for (String a : denyIp) address(cl, "--deny-ip", a);

    byte[] secret = curveSecretKey == null ? null : key(cl, "--curve-secretkey", curveSecretKey);
    byte[] pub = null;
    if (secret != null) {
      byte[] derived = CurveKeys.publicFromSecret(secret);
      if (curvePublicKey != null) {
        pub = key(cl, "--curve-publickey", curvePublicKey);
        if (!java.util.Arrays.equals(pub, derived)) {
          throw new ParameterException(cl, "--curve-publickey does not belong to --curve-secretkey (its public key is "
              + Z85.encode(derived) + ")");
        }
      } else {
        pub = derived;
      }
    }
    byte[] server = curveServerKey == null ? null : key(cl, "--curve-serverkey", curveServerKey);
    if (server != null && secret == null) {
      // a client needs a long-term pair of its own; one made now is as good as any when the server allows any key
      CurveKeys fresh = CurveKeys.generate();
      secret = fresh.secretKey();
      pub = fresh.publicKey();
    }
    List<byte[]> clients = new ArrayList<>();
    for (String k : allowCurve) clients.add(key(cl, "--allow-curve", k));
    List<String[]> users = new ArrayList<>();
    for (String u : allowPlain) {
      int colon = u.indexOf(':');
      if (colon <= 0) throw new ParameterException(cl, "--allow-plain: expected USER:PASSWORD, got '" + u + "'");
      String[] up = {u.substring(0, colon), u.substring(colon + 1)};
      credential(cl, "--allow-plain user", up[0], 1);
      credential(cl, "--allow-plain password", up[1], 0);
      users.add(up);
    }
    keys = new Keys(secret, pub, server, clients, users);
    return keys;
  }

  private Keys checked() {
    if (keys == null) throw new IllegalStateException("SecuritySpec.validate was not called");
    return keys;
  }

  /** Sets the security options on a socket about to bind or connect; the mechanism's switch goes last. */
  void apply(ZSocket s) {
    Keys k = checked();
    if (wssCertPem != null) s.setOption(ZmqOption.WSS_CERT_PEM, wssCertPem);
    if (wssKeyPem != null) s.setOption(ZmqOption.WSS_KEY_PEM, wssKeyPem);
    if (wssTrustPem != null) s.setOption(ZmqOption.WSS_TRUST_PEM, wssTrustPem);
    if (wssHostname != null) s.setOption(ZmqOption.WSS_HOSTNAME, wssHostname);
    if (zapDomain != null) s.setOption(ZmqOption.ZAP_DOMAIN, zapDomain);
    if (curve()) {
      s.setOption(ZmqOption.CURVE_PUBLICKEY, k.publicKey());
      s.setOption(ZmqOption.CURVE_SECRETKEY, k.secret());
      if (curveServer) {
        s.setOption(ZmqOption.CURVE_SERVER, true);
      } else {
        s.setOption(ZmqOption.CURVE_SERVERKEY, k.server());
      }
    } else if (plainServer) {
      s.setOption(ZmqOption.PLAIN_SERVER, true);
    } else if (plainUsername != null) {
      s.setOption(ZmqOption.PLAIN_USERNAME, plainUsername.getBytes(StandardCharsets.UTF_8));
      s.setOption(ZmqOption.PLAIN_PASSWORD, (plainPassword == null ? "" : plainPassword).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The same options on a stream stage's settings (pzmq relay). */
  ZmqSettings apply(ZmqSettings settings) {
    Keys k = checked();
    ZmqSettings s = settings;
    if (wssCertPem != null) s = s.withOption(ZmqOption.WSS_CERT_PEM, wssCertPem);
    if (wssKeyPem != null) s = s.withOption(ZmqOption.WSS_KEY_PEM, wssKeyPem);
    if (wssTrustPem != null) s = s.withOption(ZmqOption.WSS_TRUST_PEM, wssTrustPem);
    if (wssHostname != null) s = s.withOption(ZmqOption.WSS_HOSTNAME, wssHostname);
    if (zapDomain != null) s = s.withZapDomain(zapDomain);
    if (curve()) {
      s = s.withCurvePublicKey(k.publicKey()).withCurveSecretKey(k.secret());
      s = curveServer ? s.withCurveServer(true) : s.withCurveServerKey(k.server());
    } else if (plainServer) {
      s = s.withPlainServer(true);
    } else if (plainUsername != null) {
      s = s.withPlainUsername(plainUsername).withPlainPassword(plainPassword == null ? "" : plainPassword);
    }
    return s;
  }

  /**
   * Starts the built-in authenticator in {@code ctx} when any allow or deny flag was given; it
   * answers for every ZAP domain.
   */
  void startAuthenticator(ZContext ctx) {
    checked();
    if (!authenticates()) return;
    CliAuthenticator.start(ctx, this, keys);
  }

  /**
   * What a secured client does on a refused handshake: it names the peer and the reason and ends the
   * command (exit 1), where libzmq would retry for ever.
   */
  void onEvent(String command, SocketEvent e) {
    if (!securedClient()) return;
    if (e.type() != EventType.HANDSHAKE_FAILED_AUTH && e.type() != EventType.HANDSHAKE_FAILED_PROTOCOL) return;
    String why = e.type() == EventType.HANDSHAKE_FAILED_AUTH
        ? "the server refused our " + (curve() ? "key" : "user name or password") + " (ZAP status " + e.value() + ")"
        : "protocol error 0x" + Long.toHexString(e.value()) + (curve() ? " (is --curve-serverkey the server's key?)" : "");
    Pzmq.abort("pzmq " + command + ": handshake with " + e.endpoint() + " failed: " + e.type() + ": " + why, Pzmq.FAILED);
  }

  /** A PEM file's text; a missing or unreadable file, or one with no PEM block, names its flag. */
  private static String pem(CommandLine cl, String flag, java.nio.file.Path file) {
    if (file == null) return null;
    String text;
    try {
      text = java.nio.file.Files.readString(file, StandardCharsets.US_ASCII);
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      throw new ParameterException(cl, flag + ": cannot read " + file + " (" + e.getMessage() + ")");
    }
    if (!text.contains("-----BEGIN ")) throw new ParameterException(cl, flag + ": " + file + " holds no PEM block");
    return text;
  }

  private static byte[] key(CommandLine cl, String flag, String text) {
    try {
      return CurveKeys.parseKey(flag, text);
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      throw new ParameterException(cl, m != null && m.startsWith(flag) ? m : flag + ": " + m);
    }
  }

  private static void credential(CommandLine cl, String flag, String value, int min) {
    int n = value.getBytes(StandardCharsets.UTF_8).length;
    if (n < min || n > 255) {
      throw new ParameterException(cl, flag + ": must be " + min + " to 255 bytes, got " + n);
    }
  }

  /** An IP address literal, as the ZAP request carries it; never a host name (no DNS lookups here). */
  private static void address(CommandLine cl, String flag, String a) {
    boolean v4 = a.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    if (v4) {
      for (String octet : a.split("\\.")) {
        if (Integer.parseInt(octet) > 255) v4 = false;
      }
    }
    boolean v6 = !v4 && a.contains(":") && a.matches("[0-9A-Fa-f:.]+");
    if (!v4 && !v6) throw new ParameterException(cl, flag + ": expected an IP address, got '" + a + "'");
  }
}
