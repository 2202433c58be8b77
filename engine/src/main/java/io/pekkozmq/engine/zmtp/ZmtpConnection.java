package io.pekkozmq.engine.zmtp;

import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.SocketType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One ZMTP 3.1 connection's protocol state: greeting, security handshake, framing, and the commands
 * that follow (PING/PONG, SUBSCRIBE/CANCEL). Single-threaded: owned by one engine, which moves bytes
 * between the socket and {@link #consume} / {@link #produce}. No I/O, no clock, no threads here.
 *
 * <h2>Greeting</h2>
 * Exchanged in libzmq 4.3.4's steps, so we interoperate with peers that wait for each step: we send
 * the 10-byte signature ({@code FF}, an 8-byte field holding routing-id length + 1 as libzmq does,
 * {@code 7F}); once the peer's signature has arrived we send our major version (3); once the peer's
 * major version has arrived we send the remaining 53 bytes (minor 1, mechanism, as-server, filler).
 *
 * <h2>Old peers</h2>
 * Peers speaking ZMTP 1.0 (no {@code FF} signature, or bit 0 of byte 9 clear) or announcing major
 * version 1 or 2 (ZMTP 2.0) are refused with a clean close: {@link Status#ERROR} with
 * {@link ProtocolError#ZMTP_UNSPECIFIED} and a detail naming the version. libzmq would fall back to
 * those protocols; we do not implement them. Majors above 3 are treated as 3.1, as libzmq does.
 *
 * <h2>Errors</h2>
 * Hostile input never throws and never allocates by an announced size (see {@link FrameDecoder}).
 * Codes follow libzmq where it reports one: a different mechanism is ZMTP_MECHANISM_MISMATCH; data or
 * any command but READY/ERROR during the NULL handshake is ZMTP_UNEXPECTED_COMMAND. Where libzmq
 * just disconnects we pick: a bad peer Socket-Type is ZMTP_INVALID_METADATA (and we send an ERROR
 * command first, as RFC 37 asks), a malformed property list ZMTP_MALFORMED_COMMAND_READY, a
 * malformed command after the handshake ZMTP_MALFORMED_COMMAND_UNSPECIFIED, and a frame that is too
 * large (libzmq's EMSGSIZE: above maxMsgSize, top bit set, or beyond a Java array) ZMTP_UNSPECIFIED.
 * After {@link Status#ERROR}, {@link #produce} still yields queued protocol output (the ERROR
 * command) so the engine may flush it before closing.
 *
 * <h2>Security</h2>
 * The greeting's as-server bit is the mechanism's: 1 only for a PLAIN or CURVE server, 0 for NULL
 * (RFC 23; libzmq 4.3.4 always sends 0 and never reads it, zmtp_engine.cpp). A different mechanism
 * is ZMTP_MECHANISM_MISMATCH (zmtp_engine.cpp handshake_v3_x); so is a peer that claims the server
 * role when we are the PLAIN or CURVE server (libzmq cannot send that, so no libzmq peer is
 * refused). Two clients fail on the first command (ZMTP_UNEXPECTED_COMMAND); two servers wait for
 * each other's HELLO until the engine's handshake timer ends it, as with libzmq. A ZMTP 3.0 peer
 * may use PLAIN and CURVE (libzmq's handshake_v3_0); its subscriptions then travel as 01/00 data
 * (inside MESSAGE boxes under CURVE). After a CURVE handshake every frame and command (PING, PONG,
 * SUBSCRIBE, CANCEL) travels as a MESSAGE box, as libzmq 4.3 sends them: outgoing commands are
 * boxed when queued, incoming frames are opened before commands are dispatched. NULL and PLAIN
 * skip all of it on one cached flag.
 *
 * <p>ZAP (RFC 27): when the mechanism needs the handler, {@link #takeZapRequest()} yields the
 * request and the handshake waits for {@link #zapReply}. The peer's properties then also hold
 * {@code User-Id} and the reply's metadata (ZAP's win over the peer's own), and {@code Peer-Address}
 * when {@link ZmtpOptions#peerAddress()} is known, as libzmq's message metadata.
 *
 * <h2>ZWS 2.0 (ZeroMQ over WebSocket, RFC 45)</h2>
 * With {@link ZmtpOptions#zws()} set there is no greeting: the client's HTTP upgrade request and
 * the server's 101 reply ({@link WsHandshake}) come first, then every frame and command travels
 * as one binary WebSocket message whose payload starts with a flags byte (MORE 1, COMMAND 2);
 * the client masks what it sends and the server refuses unmasked frames ({@link WsFrameDecoder}).
 * The agreed protocol picks the handshake: {@code ZWS2.0/NULL}, {@code /PLAIN} or {@code /CURVE}
 * run the mechanism's commands as they run over ZMTP; the bare {@code ZWS2.0} runs none and each
 * side's first message is its routing id. Subscriptions travel as {@code 01}/{@code 00}+topic
 * data (as to a ZMTP 3.0 peer), heartbeats as WebSocket pings (answered with pongs), and a
 * WebSocket close is echoed and ends the connection ({@link #peerClosedWebSocket()}). Upgrade and
 * framing faults are {@link ProtocolError#WS_UNSPECIFIED}, as libzmq reports a bad upgrade.
 *
 * <h2>Commands after the handshake</h2>
 * As libzmq 4.3.4: PING is answered with PONG echoing up to 16 bytes of context; PONG counts only
 * as traffic; SUBSCRIBE/CANCEL go to the sink as legacy {@code 01}/{@code 00}+topic frames flagged
 * {@link Frame#SUBSCRIBE}/{@link Frame#CANCEL}; JOIN/LEAVE (RFC 48) go to a RADIO's sink as they
 * are, flagged {@link Frame#COMMAND} (a group over 255 bytes fails the connection); every other
 * command (including a late ERROR or READY) is ignored. A DISH checks that each message is a group
 * frame then one body frame, and a RADIO drops data frames, as libzmq 4.3's dish/radio sessions.
 */
public final class ZmtpConnection {

  public enum Status {
    /** All input consumed. */
    OK,
    /** The sink refused a frame; it is kept. Call again later with the same or more input. */
    BLOCKED,
    /** Close the connection; see {@link #error()}. */
    ERROR
  }

  private enum Phase { GREETING, UPGRADE, HANDSHAKE, ROUTING_ID, TRAFFIC, FAILED }

  static final int GREETING_SIZE = 64;
  static final int SIGNATURE_SIZE = 10;
  /** Longest header the encoder writes before a body: flags, 8 size bytes, "\x09SUBSCRIBE". */
  private static final int MAX_HEADER = 1 + 8 + 10;
  private static final byte[] SUBSCRIBE = {9, 'S', 'U', 'B', 'S', 'C', 'R', 'I', 'B', 'E'};
  private static final byte[] CANCEL = {6, 'C', 'A', 'N', 'C', 'E', 'L'};
  private static final byte[] PING = {4, 'P', 'I', 'N', 'G'};
  private static final byte[] JOIN = {4, 'J', 'O', 'I', 'N'};
  private static final byte[] LEAVE = {5, 'L', 'E', 'A', 'V', 'E'};
  private static final byte[] PONG = {4, 'P', 'O', 'N', 'G'};
  private static final int MAX_PING_CONTEXT = 16;
  /** The property libzmq's engine adds for the peer's address ({@code ZMQ_MSG_PROPERTY_PEER_ADDRESS}). */
  public static final String PEER_ADDRESS = "Peer-Address";

  private final ZmtpOptions options;
  private final Mechanism mechanism;
  private final boolean wrapsFrames;
  private final FrameDecoder decoder;
  // ZWS 2.0 (RFC 45), null for ZMTP: see the class comment
  private final ZwsOptions zws;
  private final WsFrameDecoder wsDecoder;
  private final boolean masks;
  private WsHandshake upgrade;
  private boolean peerClosedWs;

  private Phase phase = Phase.GREETING;
  private final byte[] greeting = new byte[GREETING_SIZE];
  private int greetingGot;
  private boolean sentMajor;
  private boolean sentRest;
  private int peerMinor;
  private PeerInfo peer;

  private final ArrayDeque<byte[]> protocolOut = new ArrayDeque<>();
  private int protocolPos;

  // A data frame whose body did not fit in the last output buffer.
  private byte[] partArray;
  private int partPos;
  private int partEnd;
  // its WebSocket mask and the payload position it continues at (a client masks what it sends)
  private int partMask;
  private long partMaskPos;

  private Frame refused;
  private boolean refusedIsSlice;
  private boolean retainsInput;
  private boolean sawTraffic;
  private long lastPeerPingTtlMillis;
  private int peerPings;

  /** DISH: the next data frame is a message's body (its group frame has come). */
  private boolean dishBodyNext;

  private ProtocolError error;
  private String errorDetail;
  private boolean errorFromPeer;

  public ZmtpConnection(ZmtpOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.mechanism = options.mechanism().create(options);
    this.wrapsFrames = mechanism.wrapsFrames();
    this.decoder = new FrameDecoder(options.maxMsgSize(), options.copyThreshold());
    this.zws = options.zws();
    this.masks = zws != null && zws.client();
    if (zws != null) {
      // no ZMTP greeting: the HTTP upgrade, then the mechanism's commands as WebSocket messages
      this.wsDecoder = new WsFrameDecoder(!zws.client(), options.maxMsgSize(), options.copyThreshold());
      this.upgrade = new WsHandshake(zws.client(), mechanism.name());
      this.phase = Phase.UPGRADE;
      if (zws.client()) protocolOut.add(upgrade.request(zws.host(), zws.path()));
      return;
    }
    this.wsDecoder = null;
    byte[] signature = new byte[SIGNATURE_SIZE];
    signature[0] = (byte) 0xff;
    putLong(signature, 1, options.routingIdUnsafe().length + 1L);
    signature[9] = 0x7f;
    protocolOut.add(signature);
  }

  // ---------------------------------------------------------------- output

  /**
   * Fills {@code out} with pending protocol output, then (after the handshake) data frames from
   * {@code source} until {@code out} is full or the source returns null. A frame larger than the
   * space left is continued on the next call. Returns true if output is still pending.
   */
  public boolean produce(ByteBuffer out, FrameSource source) {
    if (partArray != null && !continuePart(out)) {
      return true;
    }
    while (!protocolOut.isEmpty()) {
      byte[] head = protocolOut.peek();
      int n = Math.min(out.remaining(), head.length - protocolPos);
      out.put(head, protocolPos, n);
      protocolPos += n;
      if (protocolPos < head.length) {
        return true;
      }
      protocolOut.poll();
      protocolPos = 0;
    }
    if (phase != Phase.TRAFFIC) {
      return false;
    }
    while (true) {
      if (out.remaining() < MAX_HEADER) {
        return true;
      }
      Frame f = source.poll();
      if (f == null) {
        return false;
      }
      encode(f, out);
      if (partArray != null) {
        return true;
      }
    }
  }

  private boolean continuePart(ByteBuffer out) {
    int n = Math.min(out.remaining(), partEnd - partPos);
    if (masks) {
      WsMask.putMasked(out, partArray, partPos, n, partMask, partMaskPos);
      partMaskPos += n;
    } else {
      out.put(partArray, partPos, n);
    }
    partPos += n;
    if (partPos < partEnd) {
      return false;
    }
    partArray = null;
    return true;
  }

  private void encode(Frame f, ByteBuffer out) {
    if (wrapsFrames) {
      f = mechanism.encode(commandForm(f));
    }
    if (zws != null) {
      encodeWs(f, out);
      return;
    }
    int flags = f.flags();
    byte[] a = f.array();
    int off = f.offset();
    int len = f.size();
    byte[] name = null;
    int wire;
    if ((flags & (Frame.SUBSCRIBE | Frame.CANCEL)) != 0 && peerMinor >= 1) {
      name = (flags & Frame.SUBSCRIBE) != 0 ? SUBSCRIBE : CANCEL;
      if (len > 0) { // skip the legacy 01/00 byte
        off++;
        len--;
      }
      wire = FrameDecoder.WIRE_COMMAND;
    } else {
      wire = flags & (Frame.MORE | Frame.COMMAND);
    }
    int total = name == null ? len : len + name.length;
    if (total > 255) {
      out.put((byte) (wire | FrameDecoder.WIRE_LONG));
      long t = total;
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.put((byte) (t >>> shift));
      }
    } else {
      out.put((byte) wire);
      out.put((byte) total);
    }
    if (name != null) {
      out.put(name);
    }
    int n = Math.min(len, out.remaining());
    out.put(a, off, n);
    if (n < len) {
      partArray = a;
      partPos = off + n;
      partEnd = off + len;
    }
  }

  /**
   * One ZeroMQ frame as one binary WebSocket message (RFC 45): the flags byte (MORE 1, COMMAND 2),
   * then the body, masked on the client. Subscriptions travel as {@code 01}/{@code 00}+topic data,
   * as libzmq's ws_encoder sends them (ZWS has no SUBSCRIBE command).
   */
  private void encodeWs(Frame f, ByteBuffer out) {
    int flags = f.flags();
    byte[] a = f.array();
    int off = f.offset();
    int len = f.size();
    int zf = (flags & Frame.COMMAND) != 0 ? WsFrameDecoder.ZWS_COMMAND : (flags & Frame.MORE) != 0 ? WsFrameDecoder.ZWS_MORE : 0;
    int mask = putWsHeader(out, WsFrameDecoder.OP_BINARY, len + 1L);
    out.put((byte) (masks ? zf ^ (mask >>> 24) : zf));
    int n = Math.min(len, out.remaining());
    if (masks) {
      WsMask.putMasked(out, a, off, n, mask, 1);
    } else {
      out.put(a, off, n);
    }
    if (n < len) {
      partArray = a;
      partPos = off + n;
      partEnd = off + len;
      partMask = mask;
      partMaskPos = 1L + n;
    }
  }

  /** A WebSocket frame header (FIN set); returns the mask key it wrote, 0 on the server. */
  private int putWsHeader(ByteBuffer out, int opcode, long payload) {
    out.put((byte) (0x80 | opcode));
    int maskBit = masks ? 0x80 : 0;
    if (payload <= 125) {
      out.put((byte) (maskBit | payload));
    } else if (payload <= 0xffff) {
      out.put((byte) (maskBit | 126));
      out.putShort((short) payload);
    } else {
      out.put((byte) (maskBit | 127));
      out.putLong(payload);
    }
    if (!masks) return 0;
    // RFC 6455 asks for an unpredictable key; it guards proxies' caches, not secrets (libzmq
    // uses its generate_random the same way)
    int mask = java.util.concurrent.ThreadLocalRandom.current().nextInt();
    out.putInt(mask);
    return mask;
  }

  /** A whole WebSocket message as protocol output: a ZWS frame ({@code zwsFlags} >= 0) or a control frame. */
  private byte[] wsMessage(int opcode, int zwsFlags, byte[] body, int off, int len) {
    long payload = len + (zwsFlags >= 0 ? 1L : 0L);
    ByteBuffer b = ByteBuffer.allocate(14 + (int) payload);
    int mask = putWsHeader(b, opcode, payload);
    long pos = 0;
    if (zwsFlags >= 0) {
      b.put((byte) (masks ? zwsFlags ^ (mask >>> 24) : zwsFlags));
      pos = 1;
    }
    if (masks) {
      WsMask.putMasked(b, body, off, len, mask, pos);
    } else {
      b.put(body, off, len);
    }
    return Arrays.copyOf(b.array(), b.position());
  }

  /**
   * A frame as the mechanism boxes it: a subscription becomes the SUBSCRIBE/CANCEL command for a
   * ZMTP 3.1 peer and stays {@code 01}/{@code 00}+topic data for a 3.0 peer (libzmq's
   * downgrade_sub); other frames pass as they are.
   */
  private Frame commandForm(Frame f) {
    int flags = f.flags();
    if ((flags & (Frame.SUBSCRIBE | Frame.CANCEL)) == 0) {
      return f;
    }
    if (peerMinor < 1) {
      return f.withFlags(flags & Frame.MORE);
    }
    byte[] name = (flags & Frame.SUBSCRIBE) != 0 ? SUBSCRIBE : CANCEL;
    int skip = f.size() > 0 ? 1 : 0;
    byte[] b = new byte[name.length + f.size() - skip];
    System.arraycopy(name, 0, b, 0, name.length);
    System.arraycopy(f.array(), f.offset() + skip, b, name.length, f.size() - skip);
    return Frame.wrap(b, Frame.COMMAND);
  }

  /** True if protocol output (greeting, handshake commands, PONG, PING, ERROR) or a partly written frame waits. */
  public boolean hasPendingOutput() {
    return !protocolOut.isEmpty() || partArray != null;
  }

  /**
   * Queues a heartbeat PING with a TTL in deciseconds (0 = none) and up to 16 bytes of context.
   * Ignored before the handshake completes, since NULL would treat it as an unexpected command.
   */
  public void queuePing(byte[] context, int ttlDeciseconds) {
    byte[] ctx = context == null ? new byte[0] : context;
    if (ctx.length > MAX_PING_CONTEXT) {
      throw new IllegalArgumentException("PING context is " + ctx.length + " bytes, at most 16 allowed");
    }
    if (ttlDeciseconds < 0 || ttlDeciseconds > 0xffff) {
      throw new IllegalArgumentException("PING TTL " + ttlDeciseconds + " deciseconds is outside 0..65535");
    }
    if (phase != Phase.TRAFFIC) {
      return;
    }
    if (zws != null) {
      // ZWS heartbeats are WebSocket pings, as libzmq's ws_engine sends them (no TTL, no context)
      protocolOut.add(wsMessage(WsFrameDecoder.OP_PING, -1, ctx, 0, 0));
      return;
    }
    byte[] body = new byte[PING.length + 2 + ctx.length];
    System.arraycopy(PING, 0, body, 0, PING.length);
    body[PING.length] = (byte) (ttlDeciseconds >>> 8);
    body[PING.length + 1] = (byte) ttlDeciseconds;
    System.arraycopy(ctx, 0, body, PING.length + 2, ctx.length);
    queueCommand(body);
  }

  private void queueCommand(byte[] body) {
    if (wrapsFrames && phase == Phase.TRAFFIC) {
      queueWire(mechanism.encode(Frame.wrap(body, Frame.COMMAND)));
      return;
    }
    if (zws != null) {
      protocolOut.add(wsMessage(WsFrameDecoder.OP_BINARY, WsFrameDecoder.ZWS_COMMAND, body, 0, body.length));
      return;
    }
    boolean big = body.length > 255;
    int header = big ? 9 : 2;
    byte[] cmd = new byte[header + body.length];
    if (big) {
      cmd[0] = FrameDecoder.WIRE_COMMAND | FrameDecoder.WIRE_LONG;
      putLong(cmd, 1, body.length);
    } else {
      cmd[0] = FrameDecoder.WIRE_COMMAND;
      cmd[1] = (byte) body.length;
    }
    System.arraycopy(body, 0, cmd, header, body.length);
    protocolOut.add(cmd);
  }

  /** Queues an already mechanism-encoded frame (a MESSAGE box) as protocol output. */
  private void queueWire(Frame f) {
    if (zws != null) {
      int zf = (f.flags() & Frame.COMMAND) != 0 ? WsFrameDecoder.ZWS_COMMAND : (f.flags() & Frame.MORE) != 0 ? WsFrameDecoder.ZWS_MORE : 0;
      protocolOut.add(wsMessage(WsFrameDecoder.OP_BINARY, zf, f.array(), f.offset(), f.size()));
      return;
    }
    int len = f.size();
    boolean big = len > 255;
    int header = big ? 9 : 2;
    byte[] w = new byte[header + len];
    int wire = f.flags() & (Frame.MORE | Frame.COMMAND);
    if (big) {
      w[0] = (byte) (wire | FrameDecoder.WIRE_LONG);
      putLong(w, 1, len);
    } else {
      w[0] = (byte) wire;
      w[1] = (byte) len;
    }
    System.arraycopy(f.array(), f.offset(), w, header, len);
    protocolOut.add(w);
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (56 - 8 * i));
    }
  }

  // ---------------------------------------------------------------- input

  /**
   * Consumes bytes from {@code in}; after the handshake, data frames go to {@code sink}. Under CURVE
   * the MESSAGE boxes are opened in place, in {@code in}'s backing array: the caller must not read
   * consumed bytes again (the engine reads each into a buffer it owns).
   */
  public Status consume(ByteBuffer in, FrameSink sink) {
    retainsInput = false;
    if (phase == Phase.FAILED) {
      return Status.ERROR;
    }
    if (in.hasRemaining()) {
      sawTraffic = true;
    }
    if (phase == Phase.UPGRADE) {
      consumeUpgrade(in);
      if (phase == Phase.FAILED) {
        return Status.ERROR;
      }
      if (phase == Phase.UPGRADE) {
        return Status.OK;
      }
    }
    if (phase == Phase.GREETING) {
      consumeGreeting(in);
      if (phase == Phase.FAILED) {
        return Status.ERROR;
      }
      if (phase == Phase.GREETING) {
        return Status.OK;
      }
    }
    if (refused != null) {
      if (!sink.offer(refused)) {
        retainsInput = refusedIsSlice;
        return Status.BLOCKED;
      }
      retainsInput = refusedIsSlice;
      refused = null;
    }
    while (true) {
      Frame f = zws != null ? wsDecoder.next(in) : decoder.next(in);
      if (f == null) {
        break;
      }
      if (!handle(f, sink)) {
        if (phase == Phase.FAILED) {
          retainsInput |= takeSliced();
          return Status.ERROR;
        }
        refusedIsSlice = takeSliced();
        retainsInput |= refusedIsSlice;
        return Status.BLOCKED;
      }
    }
    retainsInput |= takeSliced();
    ProtocolError decodeError = zws != null ? wsDecoder.error() : decoder.error();
    if (decodeError != null) {
      fail(decodeError, zws != null ? wsDecoder.errorDetail() : decoder.errorDetail());
      return Status.ERROR;
    }
    return Status.OK;
  }

  private boolean takeSliced() {
    return zws != null ? wsDecoder.takeSliced() : decoder.takeSliced();
  }

  /**
   * ZWS: the HTTP upgrade. Then the agreed protocol decides what follows: {@code ZWS2.0/<mechanism>}
   * runs the mechanism's handshake over WebSocket messages; the bare {@code ZWS2.0} (NULL only) has
   * none, each side's first message is its routing id (libzmq's routing_id_msg), and the peer's
   * socket type is never told.
   */
  private void consumeUpgrade(ByteBuffer in) {
    WsHandshake.Status st = upgrade.consume(in);
    if (st == WsHandshake.Status.NEED_MORE) {
      return;
    }
    if (upgrade.response() != null) {
      protocolOut.add(upgrade.response());
    }
    if (st == WsHandshake.Status.ERROR) {
      fail(ProtocolError.WS_UNSPECIFIED, upgrade.error());
      return;
    }
    peerMinor = 0; // subscriptions as 01/00 data, as libzmq's ws_encoder sends them
    if (upgrade.protocol().equals(WsHandshake.BARE)) {
      byte[] id = options.routingIdUnsafe();
      protocolOut.add(wsMessage(WsFrameDecoder.OP_BINARY, 0, id, 0, id.length));
      phase = Phase.ROUTING_ID;
    } else {
      phase = Phase.HANDSHAKE;
      pumpMechanism();
    }
    upgrade = null;
  }

  /** WebSocket control frames: a ping is answered with a pong of its payload, a close with a close. */
  private boolean handleControl(Frame f) {
    int flags = f.flags();
    if ((flags & WsFrameDecoder.PING) != 0) {
      peerPings++;
      protocolOut.add(wsMessage(WsFrameDecoder.OP_PONG, -1, f.array(), f.offset(), f.size()));
      return true;
    }
    if ((flags & WsFrameDecoder.CLOSE) != 0) {
      int echo = Math.min(2, f.size()); // the status code, if the peer sent one (RFC 6455 5.5.1)
      protocolOut.add(wsMessage(WsFrameDecoder.OP_CLOSE, -1, f.array(), f.offset(), echo));
      int code = f.size() >= 2 ? ((f.array()[f.offset()] & 0xff) << 8) | (f.array()[f.offset() + 1] & 0xff) : 1005;
      peerClosedWs = true;
      errorFromPeer = true;
      fail(ProtocolError.WS_UNSPECIFIED, "peer closed the WebSocket (status " + code + ")");
      return false;
    }
    return true; // a pong: traffic only
  }

  /** ZWS: the peer sent a WebSocket close (a clean end of the connection, not a fault). */
  public boolean peerClosedWebSocket() {
    return peerClosedWs;
  }

  private void consumeGreeting(ByteBuffer in) {
    int n = Math.min(in.remaining(), GREETING_SIZE - greetingGot);
    in.get(greeting, greetingGot, n);
    greetingGot += n;
    if (greetingGot >= 1 && greeting[0] != (byte) 0xff) {
      fail(ProtocolError.ZMTP_UNSPECIFIED, "peer speaks unversioned ZMTP 1.0 (no FF signature); not supported");
      return;
    }
    if (greetingGot < SIGNATURE_SIZE) {
      return;
    }
    if ((greeting[9] & 1) == 0) {
      fail(ProtocolError.ZMTP_UNSPECIFIED, "peer speaks unversioned ZMTP 1.0 (signature byte 9 has bit 0 clear); not supported");
      return;
    }
    if (!sentMajor) {
      sentMajor = true;
      protocolOut.add(new byte[] {3});
    }
    if (greetingGot <= SIGNATURE_SIZE) {
      return;
    }
    int major = greeting[10] & 0xff;
    if (major < 3) {
      String version = major == 0 ? "1.0" : major == 1 ? "2.0" : major + ".x";
      fail(ProtocolError.ZMTP_UNSPECIFIED, "peer greeting announces ZMTP " + version + "; only 3.0 and above are supported");
      return;
    }
    if (!sentRest) {
      sentRest = true;
      protocolOut.add(greetingRest());
    }
    if (greetingGot < GREETING_SIZE) {
      return;
    }
    peerMinor = major == 3 && greeting[11] == 0 ? 0 : 1;
    byte[] ours = mechanismField();
    if (!Arrays.equals(greeting, 12, 32, ours, 0, 20)) {
      fail(ProtocolError.ZMTP_MECHANISM_MISMATCH, "peer greeting asks for mechanism "
          + new String(greeting, 12, 20, StandardCharsets.US_ASCII).replace("\0", "") + ", we use " + mechanism.name());
      return;
    }
    if (mechanism.asServer() && (greeting[32] & 1) != 0) {
      fail(ProtocolError.ZMTP_MECHANISM_MISMATCH, "both sides claim the " + mechanism.name() + " server role");
      return;
    }
    phase = Phase.HANDSHAKE;
    pumpMechanism();
  }

  private byte[] greetingRest() {
    byte[] rest = new byte[GREETING_SIZE - SIGNATURE_SIZE - 1];
    rest[0] = 1; // minor version
    System.arraycopy(mechanismField(), 0, rest, 1, 20);
    rest[21] = (byte) (mechanism.asServer() ? 1 : 0);
    return rest;
  }

  private byte[] mechanismField() {
    byte[] field = new byte[20];
    byte[] name = mechanism.name().getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, field, 0, Math.min(20, name.length));
    return field;
  }

  private void pumpMechanism() {
    byte[] cmd;
    while ((cmd = mechanism.nextHandshakeCommand()) != null) {
      queueCommand(cmd);
    }
    switch (mechanism.status()) {
      case ERROR -> {
        String reason = mechanism.errorReasonForPeer();
        if (reason != null) {
          byte[] r = reason.getBytes(StandardCharsets.UTF_8);
          int rl = Math.min(255, r.length);
          byte[] body = new byte[7 + rl];
          System.arraycopy(new byte[] {5, 'E', 'R', 'R', 'O', 'R'}, 0, body, 0, 6);
          body[6] = (byte) rl;
          System.arraycopy(r, 0, body, 7, rl);
          queueCommand(body);
        }
        errorFromPeer = mechanism.errorFromPeer();
        fail(mechanism.error(), mechanism.errorDetail());
      }
      case READY -> {
        var zmtp = mechanism.peerProperties();
        byte[] type = zmtp.get(ZmtpMetadata.SOCKET_TYPE);
        SocketType peerType = type == null ? null : SocketType.fromWire(type, 0, type.length);
        Map<String, byte[]> zap = mechanism.zapProperties();
        Map<String, byte[]> props = zmtp;
        if (!zap.isEmpty() || !options.peerAddress().isEmpty()) {
          // libzmq's order of precedence: Peer-Address, then ZAP's properties, then the peer's
          Map<String, byte[]> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
          all.putAll(zmtp);
          all.putAll(zap);
          if (!options.peerAddress().isEmpty()) {
            all.put(PEER_ADDRESS, options.peerAddress().getBytes(StandardCharsets.UTF_8));
          }
          props = java.util.Collections.unmodifiableMap(all);
        }
        peer = new PeerInfo(peerType, peerMinor, ZmtpMetadata.peerRoutingId(zmtp), props);
        phase = Phase.TRAFFIC;
      }
      case HANDSHAKING -> { }
    }
  }

  /** Returns false if the frame was refused by the sink or the connection failed. */
  private boolean handle(Frame f, FrameSink sink) {
    if (zws != null && (f.flags() & WsFrameDecoder.CONTROL) != 0) {
      return handleControl(f);
    }
    if (phase == Phase.ROUTING_ID) {
      if (f.isCommand()) {
        return true; // the bare protocol has no commands yet; libzmq ignores them
      }
      byte[] id = f.toByteArray();
      Map<String, byte[]> props = Map.of();
      if (!options.peerAddress().isEmpty()) {
        Map<String, byte[]> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.put(PEER_ADDRESS, options.peerAddress().getBytes(StandardCharsets.UTF_8));
        props = java.util.Collections.unmodifiableMap(all);
      }
      peer = new PeerInfo(null, 0, id, props);
      phase = Phase.TRAFFIC;
      return true;
    }
    if (phase == Phase.HANDSHAKE) {
      if (!f.isCommand()) {
        fail(ProtocolError.ZMTP_UNEXPECTED_COMMAND, "peer sent a data frame before the handshake completed");
        return false;
      }
      mechanism.processHandshakeCommand(f.array(), f.offset(), f.size());
      pumpMechanism();
      return phase != Phase.FAILED;
    }
    if (wrapsFrames && (f = unwrap(f)) == null) {
      return false;
    }
    if (f.isCommand()) {
      return handleCommand(f, sink);
    }
    if (options.socketType() == SocketType.DISH && !checkDishFrame(f)) {
      return false;
    }
    if (options.socketType() == SocketType.RADIO) {
      return true; // a RADIO reads only JOIN/LEAVE; data from a DISH is dropped, as libzmq's radio_t does
    }
    if (!sink.offer(f)) {
      refused = f;
      return false;
    }
    return true;
  }

  /**
   * RFC 48 over ZMTP, as libzmq 4.3's dish_session_t: each message is a group frame (MORE, at most
   * 255 bytes) then one body frame. Anything else fails the connection.
   */
  private boolean checkDishFrame(Frame f) {
    if (!dishBodyNext) {
      if (!f.hasMore()) {
        fail(ProtocolError.ZMTP_UNSPECIFIED, "RADIO peer sent a message without a group frame (a lone frame of "
            + f.size() + " bytes)");
        return false;
      }
      if (f.size() > io.pekkozmq.engine.Msg.GROUP_MAX_LENGTH) {
        fail(ProtocolError.ZMTP_UNSPECIFIED, "RADIO peer sent a group of " + f.size() + " bytes; at most "
            + io.pekkozmq.engine.Msg.GROUP_MAX_LENGTH + " allowed");
        return false;
      }
      dishBodyNext = true;
      return true;
    }
    if (f.hasMore()) {
      fail(ProtocolError.ZMTP_UNSPECIFIED, "RADIO peer sent a multipart body; RADIO/DISH messages have one frame");
      return false;
    }
    dishBodyNext = false;
    return true;
  }

  private Frame unwrap(Frame f) {
    Frame d = mechanism.decode(f);
    if (d == null) {
      fail(mechanism.error() == null ? ProtocolError.ZMTP_CRYPTOGRAPHIC : mechanism.error(), mechanism.errorDetail());
    }
    return d;
  }

  private boolean handleCommand(Frame f, FrameSink sink) {
    byte[] a = f.array();
    int off = f.offset();
    int len = f.size();
    if (len < 1 || len < 1 + (a[off] & 0xff)) {
      fail(ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED, "command frame of " + len + " bytes is shorter than its name");
      return false;
    }
    if (startsWith(a, off, len, PING)) {
      if (len < PING.length + 2) {
        fail(ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED, "PING command without a TTL");
        return false;
      }
      int ttl = ((a[off + 5] & 0xff) << 8) | (a[off + 6] & 0xff);
      lastPeerPingTtlMillis = ttl * 100L;
      peerPings++;
      int ctx = Math.min(len - PING.length - 2, MAX_PING_CONTEXT);
      byte[] pong = new byte[PONG.length + ctx];
      System.arraycopy(PONG, 0, pong, 0, PONG.length);
      System.arraycopy(a, off + PING.length + 2, pong, PONG.length, ctx);
      queueCommand(pong);
      return true;
    }
    if (startsWith(a, off, len, SUBSCRIBE)) {
      return deliverSubscription(f, sink, SUBSCRIBE.length, (byte) 1, Frame.SUBSCRIBE);
    }
    if (startsWith(a, off, len, CANCEL)) {
      return deliverSubscription(f, sink, CANCEL.length, (byte) 0, Frame.CANCEL);
    }
    if (options.socketType() == SocketType.RADIO && (startsWith(a, off, len, JOIN) || startsWith(a, off, len, LEAVE))) {
      int group = len - (a[off] + 1);
      if (group > io.pekkozmq.engine.Msg.GROUP_MAX_LENGTH) {
        fail(ProtocolError.ZMTP_MALFORMED_COMMAND_UNSPECIFIED, (a[off] == 4 ? "JOIN" : "LEAVE") + " command with a group of "
            + group + " bytes; at most " + io.pekkozmq.engine.Msg.GROUP_MAX_LENGTH + " allowed");
        return false;
      }
      // to the RADIO as it is (libzmq's radio_session_t turns it into a join/leave message)
      if (!sink.offer(f)) {
        refused = f;
        return false;
      }
      return true;
    }
    return true; // PONG and unknown commands (JOIN/LEAVE at any type but RADIO): traffic only, as libzmq
  }

  private boolean deliverSubscription(Frame f, FrameSink sink, int nameLen, byte legacy, int flag) {
    int topic = f.size() - nameLen;
    byte[] b = new byte[1 + topic];
    b[0] = legacy;
    System.arraycopy(f.array(), f.offset() + nameLen, b, 1, topic);
    Frame sub = Frame.wrap(b, flag);
    if (!sink.offer(sub)) {
      refused = sub;
      return false;
    }
    return true;
  }

  private static boolean startsWith(byte[] a, int off, int len, byte[] prefix) {
    return len >= prefix.length && Arrays.equals(a, off, off + prefix.length, prefix, 0, prefix.length);
  }

  private void fail(ProtocolError e, String detail) {
    if (phase != Phase.FAILED) {
      phase = Phase.FAILED;
      error = e;
      errorDetail = detail;
    }
  }

  // ---------------------------------------------------------------- ZAP (RFC 27)

  /**
   * The ZAP request the handshake waits on, as frames for the handler socket, starting with the
   * empty delimiter frame (so a REP handler works, as libzmq sends it); null if none. Each request
   * is returned once. The engine sends it to the handler at {@code inproc://zeromq.zap.01} and
   * hands the reply to {@link #zapReply}; until then the handshake does not progress.
   */
  public List<byte[]> takeZapRequest() {
    return phase == Phase.FAILED ? null : mechanism.takeZapRequest();
  }

  /**
   * The handler's reply frames, starting with the empty delimiter. A malformed reply fails the
   * connection with libzmq's ZAP_* {@link ProtocolError}; a status other than 200 fails it with
   * {@link #zapFailureStatus()} set. Call {@link #produce} afterwards: the handshake goes on.
   */
  public void zapReply(List<byte[]> frames) {
    if (phase != Phase.HANDSHAKE) {
      return; // the connection failed meanwhile: a late reply changes nothing
    }
    mechanism.zapReply(frames);
    pumpMechanism();
  }

  /**
   * The ZAP status code (300, 400 or 500) when the handler refused the peer, the value of
   * HANDSHAKE_FAILED_AUTH; 0 otherwise.
   */
  public int zapFailureStatus() {
    return mechanism.zapFailureStatus();
  }

  /**
   * Non-zero when the handshake failed in a way libzmq reports as HANDSHAKE_FAILED_NO_DETAIL with
   * this errno instead of a protocol code: EFAULT (14) when ZAP is required (a PLAIN server, or
   * ZAP_ENFORCE_DOMAIN) and {@link ZmtpOptions#zapHandlerPresent()} says no handler is bound.
   * {@link #error()} is then ZAP_UNSPECIFIED, not to be reported as a protocol error.
   */
  public int failureErrno() {
    return mechanism.failureErrno();
  }

  /** Whether the handshake waits for a ZAP reply (a request was made and no reply came yet). */
  public boolean awaitingZap() {
    return phase == Phase.HANDSHAKE && mechanism instanceof MechanismBase m && m.zap.waiting();
  }

  // ---------------------------------------------------------------- state

  /**
   * True iff frames handed to the sink during the last {@link #consume} (or a refused frame kept for
   * the next call) point into the input's backing array: the caller must then read into a fresh
   * buffer rather than overwrite that one.
   */
  public boolean retainsInput() {
    return retainsInput;
  }

  public boolean handshakeComplete() {
    return phase == Phase.TRAFFIC;
  }

  /**
   * The peer as the handshake described it; null before the handshake completes. Its properties
   * also hold {@code User-Id} and ZAP's metadata when ZAP was used (libzmq has no User-Id
   * otherwise: {@code zmq_msg_gets} fails), and {@code Peer-Address} when known, as libzmq's
   * {@code zmq_msg_gets} sees them.
   */
  public PeerInfo peer() {
    return peer;
  }

  /** Why the connection failed; null unless {@link Status#ERROR} was returned. */
  public ProtocolError error() {
    return error;
  }

  /** A readable reason for {@link #error()}, or the text of the peer's ERROR command. */
  public String errorDetail() {
    return errorDetail;
  }

  /** True if the failure is the peer's ERROR command rather than a fault we detected. */
  public boolean errorFromPeer() {
    return errorFromPeer;
  }

  /** The TTL of the peer's last PING in milliseconds, 0 if none. */
  public long lastPeerPingTtlMillis() {
    return lastPeerPingTtlMillis;
  }

  /**
   * PINGs received so far (wrapping). The engine compares it with the count it saw last to learn
   * that the peer pinged, without a callback per command.
   */
  public int peerPings() {
    return peerPings;
  }

  /** Whether any bytes were consumed since the last call; resets. Any traffic counts as life. */
  public boolean sawTrafficSinceLastCheck() {
    boolean s = sawTraffic;
    sawTraffic = false;
    return s;
  }
}
