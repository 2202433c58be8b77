package io.pekkozmq.engine.zmtp;

import java.util.List;

/**
 * RFC 23's NULL mechanism: each side sends READY with its metadata and waits for the peer's READY.
 * The peer may send ERROR instead. Error codes follow libzmq 4.3.4's null_mechanism_t: anything but
 * one READY or ERROR is ZMTP_UNEXPECTED_COMMAND. Where libzmq closes without a code (a bad
 * Socket-Type, a malformed property list) we report ZMTP_INVALID_METADATA and
 * ZMTP_MALFORMED_COMMAND_READY.
 *
 * <p>ZAP, as null_mechanism.cpp: only when ZAP_DOMAIN is set (on either side of the connection).
 * Our READY then waits for the handler's reply; with no handler bound the handshake goes on without
 * ZAP unless ZAP_ENFORCE_DOMAIN is set, which fails it (HANDSHAKE_FAILED_NO_DETAIL, EFAULT). A
 * refusal sends ERROR with the status code (400, 500) or nothing (300).
 */
public final class NullMechanism extends MechanismBase {
  public static final Factory FACTORY = NullMechanism::new;

  private boolean readySent;
  private boolean peerReady;
  private boolean zapDone;

  public NullMechanism(ZmtpOptions options) {
    super(options);
  }

  @Override
  public String name() {
    return "NULL";
  }

  @Override
  public byte[] nextHandshakeCommand() {
    if (readySent || status != Status.HANDSHAKING) {
      return null;
    }
    if (zap.required() && !zapDone) {
      if (zap.waiting()) {
        return null;
      }
      if (zap.handlerPresent()) {
        zap.send("NULL");
        return null;
      }
      if (zap.enforceDomain()) {
        failNoHandler();
        return null;
      }
      zapDone = true; // no handler, domain not enforced: as libzmq, go on without ZAP
    }
    if (zap.status() != 0 && zap.status() != 200) {
      return refusedByZap();
    }
    readySent = true;
    byte[] cmd = concat(READY, ZmtpMetadata.encodeBasicProperties(options));
    updateStatus();
    return cmd;
  }

  @Override
  public void zapReply(List<byte[]> frames) {
    if (!zap.waiting() || status != Status.HANDSHAKING) {
      return;
    }
    if (!zap.receive(frames)) {
      fail(zap.error(), zap.errorDetail(), null);
      return;
    }
    zapDone = true;
  }

  @Override
  public void processHandshakeCommand(byte[] b, int off, int len) {
    if (status != Status.HANDSHAKING || peerReady) {
      fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected command after the peer's READY", null);
    } else if (startsWith(b, off, len, READY)) {
      var props = peerMetadata(b, off + READY.length, len - READY.length, ProtocolError.ZMTP_MALFORMED_COMMAND_READY);
      if (props == null) {
        return;
      }
      peerProperties = props;
      peerReady = true;
      updateStatus();
    } else if (startsWith(b, off, len, ERROR)) {
      peerError(b, off, len);
    } else {
      fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected command during NULL handshake", null);
    }
  }

  private void updateStatus() {
    if (status == Status.HANDSHAKING && readySent && peerReady) {
      status = Status.READY;
    }
  }
}
