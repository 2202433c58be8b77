package io.pekkozmq.samples.bench.jeromq;

import io.pekkozmq.samples.bench.PerfReport;

import java.util.Arrays;

/**
 * The benchmark tools of {@code bench/} over JeroMQ 0.6.0, with the same arguments and the same output
 * lines as libzmq's perf tools (and as our C versions in {@code bench/c/}).
 *
 * <pre>
 * java -cp pzmq.jar io.pekkozmq.samples.bench.jeromq.JeromqPerf local_thr tcp://127.0.0.1:5555 16 1000000
 * </pre>
 *
 * The first argument names the tool; the rest are that tool's arguments.
 */
public final class JeromqPerf {

    private JeromqPerf() {
    }

    static final String USAGE = String.join("\n",
            "usage: JeromqPerf <tool> <args...>",
            "  local_thr  <bind-to> <message-size> <message-count>",
            "  remote_thr <connect-to> <message-size> <message-count>",
            "  local_lat  <bind-to> <message-size> <roundtrip-count>",
            "  remote_lat <connect-to> <message-size> <roundtrip-count>",
            "  inproc_thr <message-size> <message-count>",
            "  inproc_lat <message-size> <roundtrip-count>",
            "  pub_fanout <bind-to> <message-size> <message-count> <subscriber-count> [sync-endpoint]",
            "  sub_fanout <connect-to> <message-size> <message-count> <subscriber-count> [sync-endpoint]",
            "CURVE (local_thr, remote_thr, local_lat, remote_lat), before the tool's arguments:",
            "  binding side:    --curve-server --curve-secretkey <z85> --curve-publickey <z85>",
            "  connecting side: --curve-serverkey <z85>");

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.out.println(USAGE);
            System.exit(1);
        }
        String tool = argv[0];
        String[] args = Arrays.copyOfRange(argv, 1, argv.length);
        try {
            PerfReport.warmup(); // checked before any socket opens, as the other two columns' tools do
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        int rc;
        switch (tool) {
            case "local_thr" -> rc = Throughput.local(args);
            case "remote_thr" -> rc = Throughput.remote(args);
            case "inproc_thr" -> rc = Throughput.inproc(args);
            case "local_lat" -> rc = Latency.local(args);
            case "remote_lat" -> rc = Latency.remote(args);
            case "inproc_lat" -> rc = Latency.inproc(args);
            case "pub_fanout" -> rc = Fanout.publisher(args);
            case "sub_fanout" -> rc = Fanout.subscribers(args);
            default -> {
                System.out.println("unknown tool: " + tool);
                System.out.println(USAGE);
                rc = 1;
            }
        }
        System.out.flush();
        System.exit(rc);
    }

    /** Parses a positive integer argument, or ends the process with code 2. */
    static long positive(String text, String what) {
        try {
            long v = Long.parseLong(text);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        System.err.println("invalid " + what + ": '" + text + "' (expected a positive integer)");
        System.exit(2);
        return -1;
    }

    static long nowMicros() {
        return PerfReport.nowMicros();
    }

    static void printThroughput(long size, long count, long elapsedMicros) {
        PerfReport.throughput(size, count, elapsedMicros);
    }

    static void printLatency(long size, long roundtrips, long elapsedMicros) {
        PerfReport.latency(size, roundtrips, elapsedMicros);
    }

    static void checkSize(byte[] msg, long size) {
        if (msg == null) {
            throw new IllegalStateException("receive failed");
        }
        if (msg.length != size) {
            System.err.println("message of incorrect size received: " + msg.length + " instead of " + size);
            System.exit(1);
        }
    }

    static void usage(String line) {
        System.out.println("usage: " + line);
    }
}
