package io.pekkozmq.engine;

/** An operation failed with one of libzmq's error numbers; the message says what and why. */
public class ZmqException extends RuntimeException {
  private final Errno errno;

  public ZmqException(Errno errno, String message) {
    super(message + " (" + errno.name() + ": " + errno.text() + ")");
    this.errno = errno;
  }

  public ZmqException(Errno errno, String message, Throwable cause) {
    super(message + " (" + errno.name() + ": " + errno.text() + ")", cause);
    this.errno = errno;
  }

  public Errno errno() {
    return errno;
  }
}
