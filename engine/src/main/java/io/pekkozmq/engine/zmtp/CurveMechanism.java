package io.pekkozmq.engine.zmtp;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.security.CryptoBox;
import io.pekkozmq.engine.security.CurveKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 26 (CurveZMQ) as libzmq 4.3.4's curve_client_t, curve_server_t and curve_mechanism_base_t.
 *
 * <pre>
 * C → S  HELLO    200 bytes: version 1.0, 72 zero bytes, C', short nonce, Box[64 zeros](C'→S)
 * S → C  WELCOME  168 bytes: 16-byte nonce, Box[S' + cookie](S→C'); cookie = nonce + SecretBox[C' + s'](t)
 * C → S  INITIATE cookie, short nonce, Box[C + vouch nonce + Box[C' + S](C→S') + metadata](C'→S')
 * S → C  READY    short nonce, Box[metadata](S'→C')
 * then   MESSAGE  short nonce, Box[flags + bytes](C'↔S'), for every frame and command
 * </pre>
 *
 * <p>Nonces: each side counts its short nonces from 1 (the client's HELLO is 1 and INITIATE 2, the
 * server's READY 1); a MESSAGE whose nonce is not above the last one seen (a replay, a reordering)
 * is ZMTP_INVALID_SEQUENCE. A box that does not open, a cookie that is not ours, a wrong-size
 * WELCOME (as libzmq's process_welcome) is ZMTP_CRYPTOGRAPHIC; a vouch for another short-term key
 * ZMTP_KEY_EXCHANGE; HELLO not 200 bytes or of another version ZMTP_MALFORMED_COMMAND_HELLO;
 * INITIATE under 257 bytes ZMTP_MALFORMED_COMMAND_INITIATE; READY under 30
 * ZMTP_MALFORMED_COMMAND_READY; MESSAGE under 33 ZMTP_MALFORMED_COMMAND_MESSAGE and anything but a
 * MESSAGE after the handshake ZMTP_UNEXPECTED_COMMAND. The MESSAGE plain text's flags byte is
 * libzmq's: bit 0 MORE, bit 1 COMMAND.
 *
 * <p>The precomputed key (crypto_box_beforenm of the short-term keys) is made once per connection
 * and its {@link CryptoBox} reused for INITIATE, READY and every MESSAGE in both directions.
 * MESSAGE boxes are opened in place in the received frame's array: the frame handed on is a slice
 * of the plain text, so decoding allocates nothing; encoding allocates the output box only.
 *
 * <p>ZAP, as curve_server.cpp: after a good INITIATE the server asks the handler (mechanism
 * "CURVE", the client's long-term public key) if ZAP_DOMAIN is set or ZAP_ENFORCE_DOMAIN is not;
 * with no handler bound it goes on without ZAP ("Stonehouse") unless ZAP_ENFORCE_DOMAIN is set,
 * which fails the handshake (HANDSHAKE_FAILED_NO_DETAIL, EFAULT).
 */
public final class CurveMechanism extends MechanismBase {
  static final byte[] MESSAGE = cmd("MESSAGE");
  private static final byte[] HELLO_PREFIX = ascii("CurveZMQHELLO---");
  private static final byte[] WELCOME_PREFIX = ascii("WELCOME-");
  private static final byte[] COOKIE_PREFIX = ascii("COOKIE--");
  private static final byte[] VOUCH_PREFIX = ascii("VOUCH---");
  private static final byte[] INITIATE_PREFIX = ascii("CurveZMQINITIATE");
  private static final byte[] READY_PREFIX = ascii("CurveZMQREADY---");
  private static final byte[] MESSAGE_C = ascii("CurveZMQMESSAGEC");
  private static final byte[] MESSAGE_S = ascii("CurveZMQMESSAGES");
  /** "\x07MESSAGE", short nonce, tag, flags. */
  static final int MESSAGE_OVERHEAD = 8 + 8 + CryptoBox.MAC_BYTES + 1;
  private static final int HELLO_SIZE = 200;
  private static final int WELCOME_SIZE = 168;
  private static final int INITIATE_MIN = 257;
  private static final int READY_MIN = 30;
  private static final SecureRandom RANDOM = new SecureRandom();

  private enum State { SEND_HELLO, WAIT_WELCOME, SEND_INITIATE, WAIT_READY,
    WAIT_HELLO, SEND_WELCOME, WAIT_INITIATE, WAIT_ZAP, SEND_READY, DONE }

  private final boolean server;
  private State state;
  private final byte[] publicKey;
  private final byte[] secretKey;
  private final byte[] serverKey;
  private final CurveKeys shortTerm = CurveKeys.generate();
  private byte[] peerShortTerm;
  private byte[] cookie;
  private byte[] cookieKey;
  private CryptoBox longTermBox;
  private CryptoBox precom;
  private long nonce = 1;
  private long peerNonce = 1;
  private final byte[] encodeNonce = new byte[CryptoBox.NONCE_BYTES];
  private final byte[] decodeNonce = new byte[CryptoBox.NONCE_BYTES];

  private CurveMechanism(ZmtpOptions options, boolean server) {
    super(options);
    this.server = server;
    var sec = options.security();
    this.secretKey = sec.curveSecretKey();
    this.publicKey = sec.curvePublicKey() != null ? sec.curvePublicKey() : CurveKeys.publicFromSecret(secretKey);
    this.serverKey = sec.curveServerKey();
    this.state = server ? State.WAIT_HELLO : State.SEND_HELLO;
    System.arraycopy(server ? MESSAGE_S : MESSAGE_C, 0, encodeNonce, 0, 16);
    System.arraycopy(server ? MESSAGE_C : MESSAGE_S, 0, decodeNonce, 0, 16);
  }

  public static CurveMechanism client(ZmtpOptions options) {
    return new CurveMechanism(options, false);
  }

  public static CurveMechanism server(ZmtpOptions options) {
    return new CurveMechanism(options, true);
  }

  @Override
  public String name() {
    return "CURVE";
  }

  @Override
  public boolean asServer() {
    return server;
  }

  @Override
  public boolean wrapsFrames() {
    return true;
  }

  // ---------------------------------------------------------------- handshake

  @Override
  public byte[] nextHandshakeCommand() {
    if (status != Status.HANDSHAKING) {
      return null;
    }
    try {
      switch (state) {
        case SEND_HELLO -> {
          state = State.WAIT_WELCOME;
          return hello();
        }
        case SEND_INITIATE -> {
          state = State.WAIT_READY;
          return initiate();
        }
        case SEND_WELCOME -> {
          state = State.WAIT_INITIATE;
          return welcome();
        }
        case SEND_READY -> {
          state = State.DONE;
          byte[] ready = ready();
          status = Status.READY;
          return ready;
        }
        default -> {
          return null;
        }
      }
    } catch (GeneralSecurityException e) {
      fail(ProtocolError.ZMTP_CRYPTOGRAPHIC, "CURVE key refused: " + e.getMessage(), null);
      return null;
    }
  }

  @Override
  public void processHandshakeCommand(byte[] b, int off, int len) {
    if (status != Status.HANDSHAKING) {
      fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "command after the handshake ended", null);
      return;
    }
    try {
      if (server) {
        switch (state) {
          case WAIT_HELLO -> processHello(b, off, len);
          case WAIT_INITIATE -> processInitiate(b, off, len);
          default -> fail(ProtocolError.ZMTP_UNSPECIFIED, "CURVE server got a command while it was not waiting for one", null);
        }
      } else if (startsWith(b, off, len, WELCOME)) {
        if (state != State.WAIT_WELCOME) {
          fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected WELCOME", null);
        } else {
          processWelcome(b, off, len);
        }
      } else if (startsWith(b, off, len, READY)) {
        if (state != State.WAIT_READY) {
          fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected READY", null);
        } else {
          processReady(b, off, len);
        }
      } else if (startsWith(b, off, len, ERROR)) {
        if (state != State.WAIT_WELCOME && state != State.WAIT_READY) {
          fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected ERROR", null);
        } else {
          peerError(b, off, len);
        }
      } else {
        fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "unexpected command during the CURVE handshake", null);
      }
    } catch (GeneralSecurityException e) {
      fail(ProtocolError.ZMTP_CRYPTOGRAPHIC, "CURVE key refused: " + e.getMessage(), null);
    }
  }

  private byte[] hello() throws GeneralSecurityException {
    byte[] h = new byte[HELLO_SIZE];
    System.arraycopy(HELLO, 0, h, 0, HELLO.length);
    h[6] = 1; // CurveZMQ 1.0
    h[7] = 0;
    System.arraycopy(shortTerm.publicKey(), 0, h, 80, 32);
    long n = nonce++;
    putLong(h, 112, n);
    longTermBox = CryptoBox.forKeys(serverKey, shortTerm.secretKey());
    longTermBox.seal(nonce(HELLO_PREFIX, h, 112, 8), new byte[64], 0, 64, h, 120);
    return h;
  }

  private void processHello(byte[] b, int off, int len) throws GeneralSecurityException {
    if (!basicStructure(b, off, len)) {
      return;
    }
    if (!startsWith(b, off, len, HELLO)) {
      fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "CURVE server expected HELLO", null);
      return;
    }
    if (len != HELLO_SIZE) {
      fail(ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO, "CURVE HELLO of " + len + " bytes, 200 expected", null);
      return;
    }
    if (b[off + 6] != 1 || b[off + 7] != 0) {
      fail(ProtocolError.ZMTP_MALFORMED_COMMAND_HELLO,
          "CURVE HELLO version " + b[off + 6] + "." + b[off + 7] + ", 1.0 expected", null);
      return;
    }
    peerShortTerm = Arrays.copyOfRange(b, off + 80, off + 112);
    peerNonce = getLong(b, off + 112);
    longTermBox = CryptoBox.forKeys(peerShortTerm, secretKey);
    if (!longTermBox.open(nonce(HELLO_PREFIX, b, off + 112, 8), b, off + 120, 80, new byte[64], 0)) {
      fail(ProtocolError.ZMTP_CRYPTOGRAPHIC, "cannot open the client's HELLO box (wrong server key?)", null);
      return;
    }
    state = State.SEND_WELCOME;
  }

  private byte[] welcome() {
    byte[] cookieNonce = random(16);
    cookieKey = random(32);
    byte[] cookiePlain = concat(peerShortTerm, shortTerm.secretKey());
    byte[] plain = new byte[128];
    System.arraycopy(shortTerm.publicKey(), 0, plain, 0, 32);
    System.arraycopy(cookieNonce, 0, plain, 32, 16);
    new CryptoBox(cookieKey).seal(nonce(COOKIE_PREFIX, cookieNonce, 0, 16), cookiePlain, 0, 64, plain, 48);
    Arrays.fill(cookiePlain, (byte) 0);
    byte[] w = new byte[WELCOME_SIZE];
    System.arraycopy(WELCOME, 0, w, 0, WELCOME.length);
    byte[] wn = random(16);
    System.arraycopy(wn, 0, w, 8, 16);
    longTermBox.seal(nonce(WELCOME_PREFIX, wn, 0, 16), plain, 0, 128, w, 24);
    longTermBox = null;
    return w;
  }

  private void processWelcome(byte[] b, int off, int len) throws GeneralSecurityException {
    if (len != WELCOME_SIZE) {
      fail(ProtocolError.ZMTP_CRYPTOGRAPHIC, "CURVE WELCOME of " + len + " bytes, 168 expected", null);
      return;
    }
    byte[] plain = new byte[128];
    if (!longTermBox.open(nonce(WELCOME_PREFIX, b, off + 8, 16), b, off + 24, 144, plain, 0)) {
      fail(ProtocolError.ZMTP_CRYPTOGRAPHIC, "cannot open the server's WELCOME box (wrong server key?)", null);
      return;
    }
    longTermBox = null;
    peerShortTerm = Arrays.copyOfRange(plain, 0, 32);
    cookie = Arrays.copyOfRange(plain, 32, 128);
    precom = CryptoBox.forKeys(peerShortTerm, shortTerm.secretKey());
    state = State.SEND_INITIATE;
  }

  private byte[] initiate() throws GeneralSecurityException {
    byte[] vouchNonce = random(16);
    byte[] md = ZmtpMetadata.encodeBasicProperties(options);
    byte[] plain = new byte[128 + md.length];
    System.arraycopy(publicKey, 0, plain, 0, 32);
    System.arraycopy(vouchNonce, 0, plain, 32, 16);
    CryptoBox.forKeys(peerShortTerm, secretKey)
        .seal(nonce(VOUCH_PREFIX, vouchNonce, 0, 16), concat(shortTerm.publicKey(), serverKey), 0, 64, plain, 48);
    System.arraycopy(md, 0, plain, 128, md.length);
    byte[] m = new byte[INITIATE_MIN + md.length];
    System.arraycopy(INITIATE, 0, m, 0, INITIATE.length);
    System.arraycopy(cookie, 0, m, 9, 96);
    long n = nonce++;
    putLong(m, 105, n);
    precom.seal(nonce(INITIATE_PREFIX, m, 105, 8), plain, 0, plain.length, m, 113);
    return m;
  }

  private void processInitiate(byte[] b, int off, int len) throws GeneralSecurityException {
    if (!basicStructure(b, off, len)) {
      return;
    }
    if (!startsWith(b, off, len, INITIATE)) {
      fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "CURVE server expected INITIATE", null);
      return;
    }
    if (len < INITIATE_MIN) {
      fail(ProtocolError.ZMTP_MALFORMED_COMMAND_INITIATE, "CURVE INITIATE of " + len + " bytes, at least 257 expected", null);
      return;
    }
    byte[] cookiePlain = new byte[64];
    if (!new CryptoBox(cookieKey).open(nonce(COOKIE_PREFIX, b, off + 9, 16), b, off + 25, 80, cookiePlain, 0)) {
      fail(ProtocolError.ZMTP_CRYPTOGRAPHIC, "cannot open the cookie in the client's INITIATE", null);
      return;
    }
    if (!Arrays.equals(cookiePlain, 0, 32, peerShortTerm, 0, 32)
        || !Arrays.equals(cookiePlain, 32, 64, shortTerm.secretKey(), 0, 32)) {
      fail(ProtocolError.ZMTP_CRYPTOGRAPHIC, "the cookie in the client's INITIATE is not this connection's", null);
      return;
    }
    Arrays.fill(cookiePlain, (byte) 0);
    peerNonce = getLong(b, off + 105);
    precom = CryptoBox.forKeys(peerShortTerm, shortTerm.secretKey());
    byte[] plain = new byte[len - 113 - CryptoBox.MAC_BYTES];
    if (!precom.open(nonce(INITIATE_PREFIX, b, off + 105, 8), b, off + 113, len - 113, plain, 0)) {
      fail(ProtocolError.ZMTP_CRYPTOGRAPHIC, "cannot open the client's INITIATE box", null);
      return;
    }
    byte[] clientKey = Arrays.copyOfRange(plain, 0, 32);
    byte[] vouch = new byte[64];
    CryptoBox vouchBox;
    try {
      vouchBox = CryptoBox.forKeys(clientKey, shortTerm.secretKey());
    } catch (GeneralSecurityException e) {
      fail(ProtocolError.ZMTP_CRYPTOGRAPHIC, "the client's long-term key is refused: " + e.getMessage(), null);
      return;
    }
    if (!vouchBox.open(nonce(VOUCH_PREFIX, plain, 32, 16), plain, 48, 80, vouch, 0)) {
      fail(ProtocolError.ZMTP_CRYPTOGRAPHIC, "cannot open the vouch in the client's INITIATE", null);
      return;
    }
    if (!Arrays.equals(vouch, 0, 32, peerShortTerm, 0, 32)) {
      fail(ProtocolError.ZMTP_KEY_EXCHANGE, "the client's vouch is for another short-term key", null);
      return;
    }
    var props = peerMetadata(plain, 128, plain.length - 128, ProtocolError.ZMTP_INVALID_METADATA);
    if (props == null) {
      return;
    }
    peerProperties = props;
    if (zap.required() || !zap.enforceDomain()) {
      if (zap.handlerPresent()) {
        zap.send("CURVE", clientKey);
        state = State.WAIT_ZAP;
      } else if (!zap.enforceDomain()) {
        state = State.SEND_READY; // Stonehouse: encryption without authentication
      } else {
        failNoHandler();
      }
    } else {
      state = State.SEND_READY;
    }
  }

  private byte[] ready() {
    byte[] md = ZmtpMetadata.encodeBasicProperties(options);
    byte[] r = new byte[14 + CryptoBox.MAC_BYTES + md.length];
    System.arraycopy(READY, 0, r, 0, READY.length);
    long n = nonce++;
    putLong(r, 6, n);
    precom.seal(nonce(READY_PREFIX, r, 6, 8), md, 0, md.length, r, 14);
    return r;
  }

  private void processReady(byte[] b, int off, int len) {
    if (len < READY_MIN) {
      fail(ProtocolError.ZMTP_MALFORMED_COMMAND_READY, "CURVE READY of " + len + " bytes, at least 30 expected", null);
      return;
    }
    peerNonce = getLong(b, off + 6);
    byte[] md = new byte[len - 14 - CryptoBox.MAC_BYTES];
    if (!precom.open(nonce(READY_PREFIX, b, off + 6, 8), b, off + 14, len - 14, md, 0)) {
      fail(ProtocolError.ZMTP_CRYPTOGRAPHIC, "cannot open the server's READY box", null);
      return;
    }
    var props = ZmtpMetadata.parse(md, 0, md.length);
    String bad = props == null ? "malformed metadata in the server's READY"
        : ZmtpMetadata.checkPeerSocketType(options.socketType(), props);
    if (bad != null) {
      fail(ProtocolError.ZMTP_INVALID_METADATA, bad, null);
      return;
    }
    peerProperties = props;
    state = State.DONE;
    status = Status.READY;
  }

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
      state = State.SEND_READY;
    } else {
      state = State.DONE;
      refusalSent = refusedByZap() != null;
    }
  }

  private boolean refusalSent;

  @Override
  public String errorReasonForPeer() {
    return refusalSent ? Integer.toString(zapFailureStatus()) : super.errorReasonForPeer();
  }

  // ---------------------------------------------------------------- MESSAGE

  @Override
  public Frame encode(Frame f) {
    int len = f.size();
    byte[] out = new byte[MESSAGE_OVERHEAD + len];
    System.arraycopy(MESSAGE, 0, out, 0, MESSAGE.length);
    long n = nonce++;
    putLong(out, 8, n);
    putLong(encodeNonce, 16, n);
    int flags = (f.flags() & Frame.MORE) | ((f.flags() & Frame.COMMAND) != 0 ? 2 : 0);
    precom.seal(encodeNonce, (byte) flags, f.array(), f.offset(), len, out, 16);
    return Frame.wrap(out);
  }

  @Override
  public Frame decode(Frame f) {
    byte[] a = f.array();
    int off = f.offset();
    int len = f.size();
    if (status != Status.READY) {
      return null;
    }
    if (len <= 1 || len <= (a[off] & 0xff)) {
      fail(ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED, "frame of " + len + " bytes after the CURVE handshake is not a command", null);
      return null;
    }
    if (!startsWith(a, off, len, MESSAGE)) {
      fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "a frame other than MESSAGE after the CURVE handshake", null);
      return null;
    }
    if (len < MESSAGE_OVERHEAD) {
      fail(ProtocolError.ZMTP_MALFORMED_COMMAND_MESSAGE, "CURVE MESSAGE of " + len + " bytes, at least 33 expected", null);
      return null;
    }
    long n = getLong(a, off + 8);
    if (Long.compareUnsigned(n, peerNonce) <= 0) {
      fail(ProtocolError.ZMTP_INVALID_SEQUENCE, "CURVE MESSAGE nonce " + Long.toUnsignedString(n)
          + " is not above the last one, " + Long.toUnsignedString(peerNonce) + " (replayed or reordered)", null);
      return null;
    }
    peerNonce = n;
    System.arraycopy(a, off + 8, decodeNonce, 16, 8);
    if (!precom.open(decodeNonce, a, off + 16, len - 16, a, off + 32)) {
      fail(ProtocolError.ZMTP_CRYPTOGRAPHIC, "a CURVE MESSAGE box does not open (forged or corrupted)", null);
      return null;
    }
    int fb = a[off + 32];
    int flags = (fb & 1) | ((fb & 2) != 0 ? Frame.COMMAND : 0);
    return Frame.slice(a, off + MESSAGE_OVERHEAD, len - MESSAGE_OVERHEAD, flags);
  }

  // ---------------------------------------------------------------- helpers

  private static byte[] nonce(byte[] prefix, byte[] src, int off, int n) {
    byte[] nonce = new byte[CryptoBox.NONCE_BYTES];
    System.arraycopy(prefix, 0, nonce, 0, prefix.length);
    System.arraycopy(src, off, nonce, prefix.length, n);
    return nonce;
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (56 - 8 * i));
    }
  }

  private static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }
}
