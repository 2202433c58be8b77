package io.pekkozmq.engine.security;

import io.pekkozmq.engine.zmtp.Mechanism;

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

  /** Creates the mechanism for one connection. */
  public Mechanism.Factory mechanismFactory() {
    throw new UnsupportedOperationException("contract stub: sec-engine implements this");
  }
}
