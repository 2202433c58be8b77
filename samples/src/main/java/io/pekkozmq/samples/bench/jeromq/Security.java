package io.pekkozmq.samples.bench.jeromq;

import java.util.Arrays;
import org.zeromq.ZMQ;

/**
 * The CURVE flags of the perf tools, with pzmq's names, taken off the front of a tool's arguments
 * (bench/curve.sh): {@code --curve-server --curve-secretkey K --curve-publickey K} on the binding
 * side (JeroMQ cannot derive a public key, so the server is given both), {@code --curve-serverkey K}
 * on the connecting side (a fresh client pair from {@code ZMQ.Curve.generateKeyPair()}). Without
 * flags nothing is set: the NULL runs are unchanged.
 */
final class Security {
    private boolean server;
    private byte[] secretKey;
    private byte[] publicKey;
    private byte[] serverKey;
    private String[] rest;

    private Security() {
    }

    /** Parses the leading {@code --curve-*} flags; ends the process with code 2 on a bad one. */
    static Security parse(String[] args) {
        Security s = new Security();
        int i = 0;
        while (i < args.length && args[i].startsWith("--curve-")) {
            String flag = args[i];
            if (flag.equals("--curve-server")) {
                s.server = true;
                i++;
                continue;
            }
            if (i + 1 >= args.length) {
                fail(flag + " needs a value");
            }
            byte[] key = key(flag, args[i + 1]);
            switch (flag) {
                case "--curve-secretkey" -> s.secretKey = key;
                case "--curve-publickey" -> s.publicKey = key;
                case "--curve-serverkey" -> s.serverKey = key;
                default -> fail("unknown flag " + flag);
            }
            i += 2;
        }
        s.rest = Arrays.copyOfRange(args, i, args.length);
        if (i == 0) {
            return s;
        }
        if (s.server == (s.serverKey != null)) {
            fail("give --curve-server --curve-secretkey K --curve-publickey K (binding side) or --curve-serverkey K");
        }
        if (s.server && (s.secretKey == null || s.publicKey == null)) {
            fail("--curve-server needs --curve-secretkey and --curve-publickey (JeroMQ does not derive the public key)");
        }
        if (!s.server && s.secretKey == null) {
            ZMQ.Curve.KeyPair pair = ZMQ.Curve.generateKeyPair();
            s.publicKey = ZMQ.Curve.z85Decode(pair.publicKey);
            s.secretKey = ZMQ.Curve.z85Decode(pair.secretKey);
        }
        return s;
    }

    /** The tool's own arguments, after the flags. */
    String[] rest() {
        return rest;
    }

    /** Sets the CURVE options, if any, on a socket before it binds or connects. */
    void apply(ZMQ.Socket socket) {
        if (secretKey == null) {
            return;
        }
        socket.setCurvePublicKey(publicKey);
        socket.setCurveSecretKey(secretKey);
        if (server) {
            socket.setCurveServer(true);
        } else {
            socket.setCurveServerKey(serverKey);
        }
    }

    private static byte[] key(String flag, String text) {
        byte[] key = text.length() == 40 ? ZMQ.Curve.z85Decode(text) : null;
        if (key == null || key.length != 32) {
            fail(flag + ": expected 40 characters of Z85, got '" + text + "'");
        }
        return key;
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(2);
    }
}
