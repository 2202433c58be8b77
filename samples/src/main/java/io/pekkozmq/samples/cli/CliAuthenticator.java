package io.pekkozmq.samples.cli;

import io.pekkozmq.actors.ZContext;
import io.pekkozmq.actors.security.ZAuth;
import io.pekkozmq.actors.security.ZAuthenticator;
import io.pekkozmq.engine.security.Z85;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in authenticator ({@link ZAuthenticator}) set up from the command line's allow and deny
 * flags, for every ZAP domain ({@link ZAuth#ANY_DOMAIN}). It lives as long as the command's context.
 */
final class CliAuthenticator {
  private CliAuthenticator() {}

  static ZAuthenticator start(ZContext ctx, SecuritySpec flags, SecuritySpec.Keys keys) {
    ZAuthenticator auth = ZAuthenticator.start(ctx.zeroMQ());
    if (!flags.allowIp.isEmpty()) auth.allow(flags.allowIp.toArray(new String[0]));
    if (!flags.denyIp.isEmpty()) auth.deny(flags.denyIp.toArray(new String[0]));
    if (flags.curveServer) {
      if (keys.allowedClients().isEmpty()) {
        // only address rules were given: any client key passes, as without an authenticator
        auth.configureCurveAllowAny(ZAuth.ANY_DOMAIN);
      } else {
        auth.configureCurve(ZAuth.ANY_DOMAIN, keys.allowedClients().stream().map(Z85::encode).toArray(String[]::new));
      }
    }
    if (flags.plainServer) {
      Map<String, String> users = new LinkedHashMap<>();
      for (String[] up : keys.users()) users.put(up[0], up[1]);
      auth.configurePlain(ZAuth.ANY_DOMAIN, users);
    }
    return auth;
  }
}
