package io.pekkozmq.engine.security;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A CURVE certificate in the czmq/pyzmq ZPL text format ({@code metadata} and {@code curve}
 * sections with {@code public-key} and, in the secret file, {@code secret-key}), so the files of
 * {@code zmq.auth.create_certificates} load here and ours load there.
 *
 * @param publicKey 32 bytes
 * @param secretKey 32 bytes, or null for a public certificate
 * @param metadata the {@code metadata} section, in file order
 */
public record Certificate(byte[] publicKey, byte[] secretKey, Map<String, String> metadata) {

  /** Loads one certificate file (public or secret). */
  public static Certificate load(Path file) throws IOException {
    throw new UnsupportedOperationException("contract stub: sec-engine implements this");
  }

  /** Every public certificate in a directory (files that fail to parse are skipped, as czmq). */
  public static List<Certificate> loadDirectory(Path dir) throws IOException {
    throw new UnsupportedOperationException("contract stub: sec-engine implements this");
  }

  /**
   * Writes {@code base} (public key only) and, if there is a secret key, {@code base + "_secret"},
   * as pyzmq's {@code create_certificates} names them ({@code name.key}, {@code name.key_secret}).
   */
  public void save(Path base) throws IOException {
    throw new UnsupportedOperationException("contract stub: sec-engine implements this");
  }
}
