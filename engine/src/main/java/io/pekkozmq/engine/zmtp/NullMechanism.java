package io.pekkozmq.engine.zmtp;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * RFC 23's NULL mechanism: each side sends READY with its metadata and waits for the peer's READY.
 * The peer may send ERROR instead. Error codes follow libzmq 4.3.4's null_mechanism_t: anything but
 * one READY or ERROR is ZMTP_UNEXPECTED_COMMAND. Where libzmq closes without a code (a bad
 * Socket-Type, a malformed property list) we report ZMTP_INVALID_METADATA and
 * ZMTP_MALFORMED_COMMAND_READY.
 */
public final class NullMechanism implements Mechanism {
  public static final Factory FACTORY = NullMechanism::new;

  private static final byte[] READY = {5, 'R', 'E', 'A', 'D', 'Y'};
  private static final byte[] ERROR = {5, 'E', 'R', 'R', 'O', 'R'};

  private final ZmtpOptions options;
  private boolean readySent;
  private boolean peerReady;
  private Status status = Status.HANDSHAKING;
  private ProtocolError error;
  private String errorDetail;
  private boolean errorFromPeer;
  private String reasonForPeer;
  private Map<String, byte[]> peerProperties = Map.of();

  public NullMechanism(ZmtpOptions options) {
    this.options = options;
  }

  @Override
  public String name() {
    return "NULL";
  }

  @Override
  public byte[] nextHandshakeCommand() {
    if (readySent || status == Status.ERROR) {
      return null;
    }
    readySent = true;
    byte[] props = ZmtpMetadata.encodeBasicProperties(options);
    byte[] cmd = new byte[READY.length + props.length];
    System.arraycopy(READY, 0, cmd, 0, READY.length);
    System.arraycopy(props, 0, cmd, READY.length, props.length);
    updateStatus();
    return cmd;
  }

  @Override
  public void processHandshakeCommand(byte[] b, int off, int len) {
    if (status != Status.HANDSHAKING || peerReady) {
      fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected command after the peer's READY", null);
    } else if (startsWith(b, off, len, READY)) {
      Map<String, byte[]> props = ZmtpMetadata.parse(b, off + READY.length, len - READY.length);
      if (props == null) {
        fail(ProtocolError.ZMTP_MALFORMED_COMMAND_READY, "malformed metadata in peer READY", null);
        return;
      }
      String bad = ZmtpMetadata.checkPeerSocketType(options.socketType(), props);
      if (bad != null) {
        fail(ProtocolError.ZMTP_INVALID_METADATA, bad, "Invalid socket type");
        return;
      }
      peerProperties = props;
      peerReady = true;
      updateStatus();
    } else if (startsWith(b, off, len, ERROR)) {
      int fixed = ERROR.length + 1;
      if (len < fixed || (b[off + ERROR.length] & 0xff) > len - fixed) {
        fail(ProtocolError.ZMTP_MALFORMED_COMMAND_ERROR, "malformed ERROR command from peer", null);
        return;
      }
      int reasonLen = b[off + ERROR.length] & 0xff;
      fail(ProtocolError.ZMTP_UNSPECIFIED,
          "peer sent ERROR: " + new String(b, off + fixed, reasonLen, StandardCharsets.UTF_8), null);
      errorFromPeer = true;
    } else {
      fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected command during NULL handshake", null);
    }
  }

  private static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
    if (len < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[off + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private void fail(ProtocolError e, String detail, String reason) {
    status = Status.ERROR;
    error = e;
    errorDetail = detail;
    reasonForPeer = reason;
  }

  private void updateStatus() {
    if (status == Status.HANDSHAKING && readySent && peerReady) {
      status = Status.READY;
    }
  }

  @Override
  public Status status() {
    return status;
  }

  @Override
  public ProtocolError error() {
    return error;
  }

  @Override
  public String errorDetail() {
    return errorDetail;
  }

  @Override
  public boolean errorFromPeer() {
    return errorFromPeer;
  }

  @Override
  public String errorReasonForPeer() {
    return reasonForPeer;
  }

  @Override
  public Map<String, byte[]> peerProperties() {
    return peerProperties;
  }
}
