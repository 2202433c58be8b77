package io.pekkozmq.engine.security;

import io.pekkozmq.engine.zmtp.CurveMechanism;
import io.pekkozmq.engine.zmtp.Mechanism;
import io.pekkozmq.engine.zmtp.NullMechanism;
import io.pekkozmq.engine.zmtp.PlainMechanism;

/**
 * One connection's security settings, as libzmq's options give them. The actor layer builds it
 * from the socket's options; {@link #mechanismFactory()} creates the mechanism for each connection.
 *
 * @param kind NULL, PLAIN or CURVE (the last option set decides, as in libzmq)
 * @param server PLAIN_SERVER or CURVE_SERVER; sets the greeting's as-server bit (always 0 for NULL)
 * @param plainUsername PLAIN client's user name (UTF-8 bytes, up to 255), or null
 * @param plainPassword PLAIN client's password (up to 255 bytes), or null
 * @param curvePublicKey our long-term public key (32 bytes), or null
 * @param curveSecretKey our long-term secret key (32 bytes), or null
 * @param curveServerKey the server's public key a CURVE client expects (32 bytes), or null
 * @param zapDomain ZAP_DOMAIN, "" if unset
 * @param zapEnforceDomain ZAP_ENFORCE_DOMAIN
 */
public record SecurityOptions(
    Kind kind,
    boolean server,
    byte[] plainUsername,
    byte[] plainPassword,
    byte[] curvePublicKey,
    byte[] curveSecretKey,
    byte[] curveServerKey,
    String zapDomain,
    boolean zapEnforceDomain) {

  /** The mechanism names as the greeting carries them. */
  public enum Kind { NULL, PLAIN, CURVE }

  public static final SecurityOptions NULL =
      new SecurityOptions(Kind.NULL, false, null, null, null, null, null, "", false);

  /** The greeting's as-server bit: 1 only for a PLAIN or CURVE server (RFC 23, libzmq). */
  public boolean asServer() {
    return server && kind != Kind.NULL;
  }

  public SecurityOptions {
    java.util.Objects.requireNonNull(kind, "kind");
    zapDomain = zapDomain == null ? "" : zapDomain;
    if (plainUsername != null && plainUsername.length > 255) {
      throw new IllegalArgumentException("PLAIN_USERNAME is " + plainUsername.length + " bytes, at most 255 allowed");
    }
    if (plainPassword != null && plainPassword.length > 255) {
      throw new IllegalArgumentException("PLAIN_PASSWORD is " + plainPassword.length + " bytes, at most 255 allowed");
    }
    checkKey("CURVE_PUBLICKEY", curvePublicKey);
    checkKey("CURVE_SECRETKEY", curveSecretKey);
    checkKey("CURVE_SERVERKEY", curveServerKey);
  }

  private static void checkKey(String what, byte[] key) {
    if (key != null && key.length != CurveKeys.KEY_SIZE) {
      throw new IllegalArgumentException(what + " is " + key.length + " bytes, a CURVE key is 32");
    }
  }

  /** PLAIN, client (with user name and password) or server. */
  public static SecurityOptions plain(boolean server, byte[] username, byte[] password) {
    return new SecurityOptions(Kind.PLAIN, server, username, password, null, null, null, "", false);
  }

  /** A CURVE server with its long-term key pair. */
  public static SecurityOptions curveServer(CurveKeys keys) {
    return new SecurityOptions(Kind.CURVE, true, null, null, keys.publicKey(), keys.secretKey(), null, "", false);
  }

  /** A CURVE client with its long-term key pair and the server's public key. */
  public static SecurityOptions curveClient(CurveKeys keys, byte[] serverKey) {
    return new SecurityOptions(Kind.CURVE, false, null, null, keys.publicKey(), keys.secretKey(), serverKey, "", false);
  }

  /** The same settings with ZAP_DOMAIN and ZAP_ENFORCE_DOMAIN. */
  public SecurityOptions withZap(String domain, boolean enforceDomain) {
    return new SecurityOptions(kind, server, plainUsername, plainPassword, curvePublicKey, curveSecretKey,
        curveServerKey, domain, enforceDomain);
  }

  /**
   * Creates the mechanism for one connection.
   *
   * @throws IllegalArgumentException naming the missing option: a CURVE server needs
   *     CURVE_SECRETKEY, a CURVE client CURVE_SECRETKEY and CURVE_SERVERKEY (CURVE_PUBLICKEY is
   *     derived from the secret key when unset)
   */
  public Mechanism.Factory mechanismFactory() {
    return switch (kind) {
      case NULL -> NullMechanism.FACTORY;
      case PLAIN -> server ? PlainMechanism::server : PlainMechanism::client;
      case CURVE -> {
        if (curveSecretKey == null) {
          throw new IllegalArgumentException("CURVE " + (server ? "server" : "client") + " needs CURVE_SECRETKEY");
        }
        if (!server && curveServerKey == null) {
          throw new IllegalArgumentException("CURVE client needs CURVE_SERVERKEY");
        }
        yield server ? CurveMechanism::server : CurveMechanism::client;
      }
    };
  }
}
