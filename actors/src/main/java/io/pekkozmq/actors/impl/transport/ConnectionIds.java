package io.pekkozmq.actors.impl.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The one source of connection ids: a stable number per listener, connection attempt and accepted
 * connection, reported in monitor events where libzmq reports the file descriptor. Any thread.
 */
public final class ConnectionIds {
  private static final AtomicLong NEXT = new AtomicLong();

  private ConnectionIds() {}

  public static long next() {
    return NEXT.incrementAndGet();
  }
}
