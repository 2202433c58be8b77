package io.pekkozmq.engine;

/** libzmq's error numbers as the API reports them (values as on Linux). */
public enum Errno {
  EAGAIN(11, "resource temporarily unavailable"),
  EINVAL(22, "invalid argument"),
  EADDRINUSE(98, "address already in use"),
  EADDRNOTAVAIL(99, "cannot assign requested address"),
  ECONNREFUSED(111, "connection refused"),
  EHOSTUNREACH(113, "host unreachable"),
  ENOTSUP(95, "operation not supported"),
  EPROTONOSUPPORT(93, "protocol not supported"),
  ENOENT(2, "no such file or directory"),
  EINTR(4, "interrupted system call"),
  EMSGSIZE(90, "message too long"),
  ENOTSOCK(88, "not a socket"),
  EFAULT(14, "bad address"),
  EFSM(156384763, "operation cannot be accomplished in current state"),
  ENOCOMPATPROTO(156384764, "the protocol is not compatible with the socket type"),
  ETERM(156384765, "context was terminated"),
  EMTHREAD(156384766, "no thread available");

  private final int code;
  private final String text;

  Errno(int code, String text) {
    this.code = code;
    this.text = text;
  }

  public int code() {
    return code;
  }

  public String text() {
    return text;
  }
}
