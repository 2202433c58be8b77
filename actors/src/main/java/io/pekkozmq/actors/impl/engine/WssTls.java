package io.pekkozmq.actors.impl.engine;

import io.pekkozmq.actors.impl.SocketOptions;
import io.pekkozmq.engine.Errno;
import io.pekkozmq.engine.ZmqException;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The JDK's TLS for wss:// (libzmq's wss_engine uses GnuTLS), built from the WSS_* options as
 * libzmq reads them: a server presents WSS_CERT_PEM with WSS_KEY_PEM; a client trusts
 * WSS_TRUST_PEM (and the JDK's trust store with WSS_TRUST_SYSTEM) and checks the server's
 * certificate against WSS_HOSTNAME, or the endpoint's host when that is unset, as HTTPS does
 * (a DNS name or IP address in the certificate's subjectAltName). Nothing here is our own
 * cryptography: the JDK's {@link SSLEngine} does it all.
 */
public final class WssTls {
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

  private WssTls() {}

  /**
   * Checks that the options can serve wss (at bind, so a missing or broken certificate fails the
   * bind, not every later connection).
   */
  public static void checkServer(SocketOptions o, String endpoint) {
    if (o.wssCertPem.isEmpty() || o.wssKeyPem.isEmpty()) {
      throw new ZmqException(Errno.EINVAL, "cannot bind " + endpoint + ": wss needs WSS_CERT_PEM and WSS_KEY_PEM");
    }
    serverContext(o);
  }

  static SSLEngine engine(SocketOptions o, boolean client, String host, int port) {
    if (!client) {
      SSLEngine e = serverContext(o).createSSLEngine();
      e.setUseClientMode(false);
      return e;
    }
    String name = o.wssHostname.isEmpty() ? host : o.wssHostname;
    SSLEngine e = clientContext(o).createSSLEngine(name, port);
    e.setUseClientMode(true);
    SSLParameters p = e.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name `name`
    if (!isIpLiteral(name)) p.setServerNames(List.of(new SNIHostName(name)));
    e.setSSLParameters(p);
    return e;
  }

  private static SSLContext serverContext(SocketOptions o) {
    try {
      List<Certificate> chain = certificates(o.wssCertPem, "WSS_CERT_PEM");
      if (chain.isEmpty()) throw invalid("WSS_CERT_PEM holds no certificate");
      PrivateKey key = privateKey(o.wssKeyPem);
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] pass = new char[0];
      ks.setKeyEntry("wss", key, pass, chain.toArray(new Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pass);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw invalid("WSS_CERT_PEM/WSS_KEY_PEM cannot serve TLS: " + e.getMessage());
    }
  }

  private static SSLContext clientContext(SocketOptions o) {
    try {
      List<TrustManager> managers = new ArrayList<>();
      List<Certificate> trusted = certificates(o.wssTrustPem, "WSS_TRUST_PEM");
      if (!trusted.isEmpty() || !o.wssTrustSystem) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < trusted.size(); i++) ks.setCertificateEntry("trusted-" + i, trusted.get(i));
        managers.add(trustManager(ks));
      }
      if (o.wssTrustSystem) managers.add(trustManager(null));
      SSLContext ctx = SSLContext.getInstance("TLS");
      // the JDK consults only the first X509TrustManager: with both, trusting either must pass
      TrustManager tm = managers.size() == 1 ? managers.get(0)
          : new EitherTrust((X509TrustManager) managers.get(0), (X509TrustManager) managers.get(1));
      ctx.init(null, new TrustManager[] {tm}, null);
      return ctx;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw invalid("WSS_TRUST_PEM cannot be used: " + e.getMessage());
    }
  }

  private static TrustManager trustManager(KeyStore ks) throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    for (TrustManager t : tmf.getTrustManagers()) {
      if (t instanceof X509TrustManager) return t;
    }
    throw new GeneralSecurityException("no X509 trust manager");
  }

  private static List<Certificate> certificates(String pem, String option) throws GeneralSecurityException {
    if (pem.isEmpty()) return List.of();
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    Collection<? extends Certificate> certs = cf.generateCertificates(
        new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    return new ArrayList<>(certs);
  }

  /** PKCS#8 ({@code BEGIN PRIVATE KEY}) RSA, EC or EdDSA keys, as openssl and keytool write them. */
  private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    Matcher m = PEM.matcher(pem);
    while (m.find()) {
      String label = m.group(1);
      if (label.equals("PRIVATE KEY")) {
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
          try {
            return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
          } catch (GeneralSecurityException wrongAlgorithm) {
            // try the next one
          }
        }
        throw invalid("WSS_KEY_PEM holds a PKCS#8 key of an algorithm the JDK cannot read");
      }
      if (label.endsWith("PRIVATE KEY")) {
        throw invalid("WSS_KEY_PEM is '" + label + "'; give the key as PKCS#8 (BEGIN PRIVATE KEY), e.g. "
            + "openssl pkcs8 -topk8 -nocrypt");
      }
    }
    throw invalid("WSS_KEY_PEM holds no PEM private key");
  }

  private static boolean isIpLiteral(String host) {
    if (host.contains(":")) return true;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c != '.' && (c < '0' || c > '9')) return false;
    }
    try {
      InetAddress.getByName(host);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static ZmqException invalid(String why) {
    return new ZmqException(Errno.EINVAL, why);
  }

  /** Trusts a chain either manager trusts (WSS_TRUST_PEM and the system's together). */
  private record EitherTrust(X509TrustManager a, X509TrustManager b) implements X509TrustManager {
    @Override
    public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      try {
        a.checkClientTrusted(chain, authType);
      } catch (java.security.cert.CertificateException e) {
        b.checkClientTrusted(chain, authType);
      }
    }

    @Override
    public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      try {
        a.checkServerTrusted(chain, authType);
      } catch (java.security.cert.CertificateException e) {
        b.checkServerTrusted(chain, authType);
      }
    }

    @Override
    public java.security.cert.X509Certificate[] getAcceptedIssuers() {
      java.security.cert.X509Certificate[] x = a.getAcceptedIssuers();
      java.security.cert.X509Certificate[] y = b.getAcceptedIssuers();
      java.security.cert.X509Certificate[] all = java.util.Arrays.copyOf(x, x.length + y.length);
      System.arraycopy(y, 0, all, x.length, y.length);
      return all;
    }
  }
}
