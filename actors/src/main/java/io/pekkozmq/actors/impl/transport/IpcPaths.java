package io.pekkozmq.actors.impl.transport;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which bind of this process made the socket file at each ipc path. A listener that closes after
 * the same path has been bound again (a socket closed and reopened, an unbind and rebind) must not
 * remove the newer file: comparing file keys is not enough, since the new file may reuse the old
 * inode. The owner token is the bound server channel. Any thread.
 */
public final class IpcPaths {
  private static final ConcurrentHashMap<Path, Object> OWNERS = new ConcurrentHashMap<>();

  private IpcPaths() {}

  /** {@code owner} has just bound {@code path} (and so replaced any older file there). */
  public static void claim(Path path, Object owner) {
    OWNERS.put(path.toAbsolutePath().normalize(), owner);
  }

  /** Gives the path up; true if {@code owner} still held it (so the file there is its own). */
  static boolean release(Path path, Object owner) {
    return OWNERS.remove(path.toAbsolutePath().normalize(), owner);
  }
}
