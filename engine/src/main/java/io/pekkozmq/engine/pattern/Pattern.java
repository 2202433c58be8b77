package io.pekkozmq.engine.pattern;

import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.Frame;
import io.pekkozmq.engine.Msg;
import io.pekkozmq.engine.SocketType;

/**
 * One socket type's behaviour: libzmq's socket_base_t x-methods in plain Java. The runtime calls
 * these from one thread at a time (the socket's data-plane lock), so implementations need no
 * synchronisation of their own.
 *
 * <p>Hot path methods return status codes, not exceptions: {@link #OK}, or an {@link Errno} via
 * {@link #lastError()}. Send takes and receive returns one frame at a time, with the MORE flag,
 * as libzmq's do; the runtime assembles whole messages for its users.
 */
public abstract class Pattern {
  /** Returned by {@link #send} on success. */
  public static final int OK = 0;
  /** Returned by {@link #send} on failure; {@link #lastError()} says why. */
  public static final int FAILED = -1;

  protected final PatternOptions options;
  private Errno lastError;

  protected Pattern(PatternOptions options) {
    this.options = options;
  }

  public abstract SocketType type();

  /** A pipe has completed its handshake and joins the socket. */
  public abstract void attach(PatternPipe pipe, boolean subscribeToAll, boolean locallyInitiated);

  /** A pipe has gone (peer disconnected or terminated). */
  public abstract void pipeTerminated(PatternPipe pipe);

  /** A pipe that reported no message now has one. */
  public abstract void readActivated(PatternPipe pipe);

  /**
   * The pipe's connection was lost and a new one will carry it (libzmq's hiccup): the peer behind
   * it is new. SUB and XSUB re-send their subscriptions; others need nothing.
   */
  public void hiccuped(PatternPipe pipe) {}

  /**
   * SERVER and PEER: the routing id ({@link io.pekkozmq.engine.Msg#routingId()}) of the message whose
   * frame {@link #send} takes next (libzmq reads it off the msg_t). The runtime sets it before every
   * send; other types ignore it.
   */
  public void routeTo(int routingId) {}

  /** SERVER and PEER: the routing id of the peer the frame {@link #recv} returned last came from; else 0. */
  public int receivedRoutingId() {
    return 0;
  }

  /** A pipe that reported full now has room. */
  public abstract void writeActivated(PatternPipe pipe);

  /** Sends one frame ({@link Frame#MORE} set on all but the last). OK or FAILED. */
  public abstract int send(Frame frame);

  /** Receives the next frame, or null with {@link #lastError()} set (EAGAIN, EFSM, ENOTSUP...). */
  public abstract Frame recv();

  /** Whether {@link #recv} would return a frame now. */
  public abstract boolean hasIn();

  /** Whether {@link #send} of a first frame would succeed now. */
  public abstract boolean hasOut();

  /** A socket option changed (e.g. XPUB_WELCOME_MSG); most patterns ignore it. */
  public void optionChanged(String name) {}

  /**
   * ZMQ_SUBSCRIBE. SUB sends the subscription upstream; XPUB in manual mode subscribes the pipe
   * of the last subscription message the user received (subscribe on its behalf). Others: EINVAL.
   * OK or FAILED.
   */
  public int subscribe(byte[] topic) {
    return fail(Errno.EINVAL);
  }

  /** ZMQ_UNSUBSCRIBE; as {@link #subscribe}. */
  public int unsubscribe(byte[] topic) {
    return fail(Errno.EINVAL);
  }

  // ---- RADIO/DISH (RFC 48): groups ------------------------------------------------------------

  /**
   * Called with each whole message before its frames go to {@link #send}: RADIO takes its group
   * and refuses a multipart message (EINVAL), as libzmq's radio_t reads them off msg_t. OK or
   * FAILED; others accept everything.
   */
  public int beginSend(Msg msg) {
    return OK;
  }

  /** The group of the message the last {@link #recv} completed (DISH), or null. */
  public String receivedGroup() {
    return null;
  }

  /** ZMQ's zmq_join (DISH); others: ENOTSUP, as libzmq's socket_base_t::xjoin. OK or FAILED. */
  public int join(String group) {
    return fail(Errno.ENOTSUP);
  }

  /** zmq_leave (DISH); as {@link #join}. */
  public int leave(String group) {
    return fail(Errno.ENOTSUP);
  }

  public Errno lastError() {
    return lastError;
  }

  protected int fail(Errno errno) {
    this.lastError = errno;
    return FAILED;
  }

  protected Frame failRecv(Errno errno) {
    this.lastError = errno;
    return null;
  }
}
