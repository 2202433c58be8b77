package io.pekkozmq.engine.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CURVE certificate in the czmq/pyzmq ZPL text format ({@code metadata} and {@code curve}
 * sections with {@code public-key} and, in the secret file, {@code secret-key}), so the files of
 * {@code zmq.auth.create_certificates} load here and ours load there.
 *
 * <p>Reading follows ZPL (ZeroMQ RFC 4) as czmq writes it and pyzmq reads it: {@code #} comments,
 * top-level section names, entries indented under them as {@code name = value} with the value
 * quoted ({@code "..."} or {@code '...'}) or bare. Writing produces exactly pyzmq's layout (banner,
 * {@code metadata} with its entries, {@code curve} with the Z85 keys in double quotes); the secret
 * file is made readable by its owner only where the file system allows.
 *
 * @param publicKey 32 bytes
 * @param secretKey 32 bytes, or null for a public certificate
 * @param metadata the {@code metadata} section, in file order
 */
public record Certificate(byte[] publicKey, byte[] secretKey, Map<String, String> metadata) {

  public Certificate {
    if (publicKey == null || publicKey.length != CurveKeys.KEY_SIZE) {
      throw new IllegalArgumentException("a certificate's public key is 32 bytes");
    }
    if (secretKey != null && secretKey.length != CurveKeys.KEY_SIZE) {
      throw new IllegalArgumentException("a certificate's secret key is 32 bytes");
    }
    publicKey = publicKey.clone();
    secretKey = secretKey == null ? null : secretKey.clone();
    metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** A certificate for a key pair. */
  public static Certificate of(CurveKeys keys, Map<String, String> metadata) {
    return new Certificate(keys.publicKey(), keys.secretKey(), metadata);
  }

  /** Loads one certificate file (public or secret). */
  public static Certificate load(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String section = null;
    String pub = null;
    String sec = null;
    Map<String, String> md = new LinkedHashMap<>();
    int lineNo = 0;
    for (String raw : lines) {
      lineNo++;
      String line = stripComment(raw);
      if (line.isBlank()) {
        continue;
      }
      int indent = 0;
      while (indent < line.length() && (line.charAt(indent) == ' ' || line.charAt(indent) == '\t')) {
        indent++;
      }
      String body = line.trim();
      int eq = body.indexOf('=');
      if (indent == 0) {
        section = eq < 0 ? body : null;
        continue;
      }
      if (eq < 0) {
        continue; // a deeper section name: not part of the certificate format
      }
      String name = body.substring(0, eq).trim();
      String value = unquote(body.substring(eq + 1).trim());
      if ("curve".equals(section)) {
        if (name.equals("public-key")) {
          pub = value;
        } else if (name.equals("secret-key")) {
          sec = value;
        }
      } else if ("metadata".equals(section)) {
        md.put(name, value);
      }
    }
    if (pub == null) {
      throw new IOException(file + ": no curve/public-key in the certificate");
    }
    try {
      byte[] p = CurveKeys.parseKey("public-key", pub);
      byte[] s = sec == null || sec.isEmpty() ? null : CurveKeys.parseKey("secret-key", sec);
      return new Certificate(p, s, md);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Every public certificate in a directory (files that fail to parse are skipped, as czmq). */
  public static List<Certificate> loadDirectory(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p) && !p.getFileName().toString().endsWith("_secret")) {
          files.add(p);
        }
      }
    }
    Collections.sort(files);
    List<Certificate> certs = new ArrayList<>();
    for (Path p : files) {
      try {
        Certificate c = load(p);
        certs.add(new Certificate(c.publicKey, null, c.metadata));
      } catch (IOException | RuntimeException e) {
        // not a certificate: skipped, as czmq's zcertstore does
      }
    }
    return certs;
  }

  /**
   * Writes {@code base} (public key only) and, if there is a secret key, {@code base + "_secret"},
   * as pyzmq's {@code create_certificates} names them ({@code name.key}, {@code name.key_secret}).
   */
  public void save(Path base) throws IOException {
    String now = LocalDateTime.now().toString().replace('T', ' ');
    Files.writeString(base, publicBanner(now) + body(false), StandardCharsets.UTF_8);
    if (secretKey != null) {
      Path secret = base.resolveSibling(base.getFileName() + "_secret");
      Files.deleteIfExists(secret);
      Files.createFile(secret);
      try {
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
      Files.writeString(secret, secretBanner(now) + body(true), StandardCharsets.UTF_8);
    }
  }

  /** The public key as Z85. */
  public String publicZ85() {
    return Z85.encode(publicKey);
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] secretKey() {
    return secretKey == null ? null : secretKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Certificate c && java.util.Arrays.equals(c.publicKey, publicKey)
        && java.util.Arrays.equals(c.secretKey, secretKey) && c.metadata.equals(metadata);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "Certificate[public=" + publicZ85() + (secretKey == null ? "" : ", secret=<hidden>")
        + ", metadata=" + metadata + "]";
  }

  private String body(boolean withSecret) {
    StringBuilder sb = new StringBuilder("metadata\n");
    for (Map.Entry<String, String> e : metadata.entrySet()) { // in both files, as czmq
      sb.append("    ").append(e.getKey()).append(" = \"").append(e.getValue()).append("\"\n");
    }
    sb.append("curve\n");
    sb.append("    public-key = \"").append(Z85.encode(publicKey)).append("\"\n");
    if (withSecret) {
      sb.append("    secret-key = \"").append(Z85.encode(secretKey)).append("\"\n");
    }
    return sb.toString();
  }

  private static String publicBanner(String now) {
    return "#   ****  Generated on " + now + " by pekko-zmq  ****\n"
        + "#   ZeroMQ CURVE Public Certificate\n"
        + "#   Exchange securely, or use a secure mechanism to verify the contents\n"
        + "#   of this file after exchange. Store public certificates in your home\n"
        + "#   directory, in the .curve subdirectory.\n\n";
  }

  private static String secretBanner(String now) {
    return "#   ****  Generated on " + now + " by pekko-zmq  ****\n"
        + "#   ZeroMQ CURVE **Secret** Certificate\n"
        + "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n\n";
  }

  /** Drops a {@code #} comment that is not inside quotes. */
  private static String stripComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#') {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'')) {
      int end = v.indexOf(v.charAt(0), 1);
      return end < 0 ? v.substring(1) : v.substring(1, end);
    }
    int ws = 0;
    while (ws < v.length() && !Character.isWhitespace(v.charAt(ws))) {
      ws++;
    }
    return v.substring(0, ws);
  }
}
