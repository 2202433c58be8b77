package io.pekkozmq.engine.zmtp;

import java.util.List;

/**
 * RFC 24's PLAIN mechanism, client and server, as libzmq 4.3.4's plain_client_t / plain_server_t.
 *
 * <p>Client: HELLO (user name, password) → WELCOME (exactly the 8-byte name, else
 * ZMTP_MALFORMED_COMMAND_WELCOME) → INITIATE (metadata) → READY (metadata; a bad list is
 * ZMTP_INVALID_METADATA). An ERROR in either wait ends it; one carrying a ZAP status reports it as
 * {@link #zapFailureStatus()}. The ERROR may come in RFC 23's form or in libzmq 4.3.4's "^RROR"
 * form ({@link MechanismBase#LIBZMQ_PLAIN_ERROR}); we send only the RFC form.
 *
 * <p>Server: HELLO (a structure check, then ZMTP_UNEXPECTED_COMMAND for another command and
 * ZMTP_MALFORMED_COMMAND_HELLO for bad lengths or trailing bytes) → a ZAP request with the user
 * name and password; there is no point to PLAIN without ZAP, so with no handler bound the handshake
 * fails (HANDSHAKE_FAILED_NO_DETAIL, EFAULT) whatever ZAP_ENFORCE_DOMAIN says. 200 → WELCOME,
 * INITIATE → READY; 300 → closed silently; 400/500 → ERROR with the code. A command while the
 * server waits for ZAP is ZMTP_UNSPECIFIED, as libzmq's state check.
 */
public final class PlainMechanism extends MechanismBase {
  private enum State { SEND_HELLO, WAIT_WELCOME, SEND_INITIATE, WAIT_READY,
    WAIT_HELLO, WAIT_ZAP, SEND_WELCOME, WAIT_INITIATE, SEND_READY, DONE }

  private final boolean server;
  private State state;

  private PlainMechanism(ZmtpOptions options, boolean server) {
    super(options);
    this.server = server;
    this.state = server ? State.WAIT_HELLO : State.SEND_HELLO;
  }

  public static PlainMechanism client(ZmtpOptions options) {
    return new PlainMechanism(options, false);
  }

  public static PlainMechanism server(ZmtpOptions options) {
    return new PlainMechanism(options, true);
  }

  @Override
  public String name() {
    return "PLAIN";
  }

  @Override
  public boolean asServer() {
    return server;
  }

  @Override
  public byte[] nextHandshakeCommand() {
    if (status != Status.HANDSHAKING) {
      return null;
    }
    switch (state) {
      case SEND_HELLO -> {
        state = State.WAIT_WELCOME;
        byte[] user = orEmpty(options.security().plainUsername());
        byte[] pass = orEmpty(options.security().plainPassword());
        byte[] b = new byte[HELLO.length + 2 + user.length + pass.length];
        System.arraycopy(HELLO, 0, b, 0, HELLO.length);
        int p = HELLO.length;
        b[p++] = (byte) user.length;
        System.arraycopy(user, 0, b, p, user.length);
        p += user.length;
        b[p++] = (byte) pass.length;
        System.arraycopy(pass, 0, b, p, pass.length);
        return b;
      }
      case SEND_INITIATE -> {
        state = State.WAIT_READY;
        return concat(INITIATE, ZmtpMetadata.encodeBasicProperties(options));
      }
      case SEND_WELCOME -> {
        state = State.WAIT_INITIATE;
        return WELCOME.clone();
      }
      case SEND_READY -> {
        state = State.DONE;
        status = Status.READY;
        return concat(READY, ZmtpMetadata.encodeBasicProperties(options));
      }
      default -> {
        return null;
      }
    }
  }

  @Override
  public void processHandshakeCommand(byte[] b, int off, int len) {
    if (status != Status.HANDSHAKING) {
      fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "command after the handshake ended", null);
    } else if (server) {
      switch (state) {
        case WAIT_HELLO -> processHello(b, off, len);
        case WAIT_INITIATE -> processInitiate(b, off, len);
        default -> fail(ProtocolError.ZMTP_UNSPECIFIED, "PLAIN server got a command while it was not waiting for one", null);
      }
    } else if (startsWith(b, off, len, WELCOME)) {
      if (state != State.WAIT_WELCOME) {
        fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected WELCOME", null);
      } else if (len != WELCOME.length) {
        fail(ProtocolError.ZMTP_MALFORMED_COMMAND_WELCOME, "PLAIN WELCOME of " + len + " bytes, 8 expected", null);
      } else {
        state = State.SEND_INITIATE;
      }
    } else if (startsWith(b, off, len, READY)) {
      if (state != State.WAIT_READY) {
        fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected READY", null);
        return;
      }
      var props = ZmtpMetadata.parse(b, off + READY.length, len - READY.length);
      if (props == null) {
        fail(ProtocolError.ZMTP_INVALID_METADATA, "malformed metadata in the server's READY", null);
        return;
      }
      String bad = ZmtpMetadata.checkPeerSocketType(options.socketType(), props);
      if (bad != null) {
        fail(ProtocolError.ZMTP_INVALID_METADATA, bad, null);
        return;
      }
      peerProperties = props;
      state = State.DONE;
      status = Status.READY;
    } else if (startsWith(b, off, len, ERROR) || startsWith(b, off, len, LIBZMQ_PLAIN_ERROR)) {
      // libzmq 4.3.4's PLAIN server writes "^RROR" (see LIBZMQ_PLAIN_ERROR): the same ERROR to us.
      // Our server, like libzmq's plain_server_t, takes no ERROR from a client in either form.
      if (state != State.WAIT_WELCOME && state != State.WAIT_READY) {
        fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected ERROR", null);
      } else {
        peerError(b, off, len);
      }
    } else {
      fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected command during the PLAIN handshake", null);
    }
  }

  private void processHello(byte[] b, int off, int len) {
    if (!basicStructure(b, off, len)) {
      return;
    }
    if (!startsWith(b, off, len, HELLO)) {
      fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "PLAIN server expected HELLO", null);
      return;
    }
    int p = off + HELLO.length;
    int left = len - HELLO.length;
    if (left < 1) {
      fail(ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO, "PLAIN HELLO without a user name", null);
      return;
    }
    int ul = b[p++] & 0xff;
    left--;
    if (left < ul) {
      fail(ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO, "PLAIN HELLO user name runs past the command", null);
      return;
    }
    byte[] user = java.util.Arrays.copyOfRange(b, p, p + ul);
    p += ul;
    left -= ul;
    if (left < 1) {
      fail(ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO, "PLAIN HELLO without a password", null);
      return;
    }
    int pl = b[p++] & 0xff;
    left--;
    if (left != pl) {
      fail(ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO,
          "PLAIN HELLO password length " + pl + " does not match the " + left + " bytes left", null);
      return;
    }
    byte[] pass = java.util.Arrays.copyOfRange(b, p, p + pl);
    if (!zap.handlerPresent()) {
      failNoHandler();
      return;
    }
    zap.send("PLAIN", user, pass);
    state = State.WAIT_ZAP;
  }

  private void processInitiate(byte[] b, int off, int len) {
    if (!startsWith(b, off, len, INITIATE)) {
      fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "PLAIN server expected INITIATE", null);
      return;
    }
    var props = peerMetadata(b, off + INITIATE.length, len - INITIATE.length, ProtocolError.ZMTP_INVALID_METADATA);
    if (props != null) {
      peerProperties = props;
      state = State.SEND_READY;
    }
  }

  private byte[] pendingError;

  @Override
  public void zapReply(List<byte[]> frames) {
    if (state != State.WAIT_ZAP || status != Status.HANDSHAKING) {
      return;
    }
    if (!zap.receive(frames)) {
      fail(zap.error(), zap.errorDetail(), null);
      return;
    }
    if (zap.status() == 200) {
      state = State.SEND_WELCOME;
    } else {
      state = State.DONE;
      pendingError = refusedByZap();
    }
  }

  /** The ERROR a refusal sends, queued by the connection as the mechanism's reason. */
  @Override
  public String errorReasonForPeer() {
    return pendingError != null ? Integer.toString(zapFailureStatus()) : super.errorReasonForPeer();
  }

  private static byte[] orEmpty(byte[] b) {
    return b == null ? new byte[0] : b;
  }
}
