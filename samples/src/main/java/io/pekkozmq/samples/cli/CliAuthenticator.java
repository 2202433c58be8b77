package io.pekkozmq.samples.cli;

import io.pekkozmq.actors.ZContext;

/** The built-in authenticator (io.pekkozmq.actors.security) configured from the command line's allow and deny flags. */
final class CliAuthenticator {
  private CliAuthenticator() {}

  static void start(ZContext ctx, SecuritySpec flags, SecuritySpec.Keys keys) {
    throw new UnsupportedOperationException("the built-in authenticator (branch sec-actors) is not merged yet");
  }
}
