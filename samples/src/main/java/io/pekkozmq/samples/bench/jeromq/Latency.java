package io.pekkozmq.samples.bench.jeromq;

import io.pekkozmq.samples.bench.PerfReport;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** local_lat (REP echo, binds), remote_lat (REQ, connects, prints) and inproc_lat (both in one process). */
final class Latency {

    private Latency() {
    }

    static int local(String[] argv) {
        Security security = Security.parse(argv);
        String[] args = security.rest();
        if (args.length != 3) {
            JeromqPerf.usage("local_lat <bind-to> <message-size> <roundtrip-count>");
            return 1;
        }
        long size = JeromqPerf.positive(args[1], "message-size");
        long roundtrips = JeromqPerf.positive(args[2], "roundtrip-count");
        ZMQ.Context ctx = ZMQ.context(1);
        ZMQ.Socket rep = ctx.socket(SocketType.REP);
        security.apply(rep);
        rep.bind(args[0]);
        echo(rep, size, roundtrips);
        rep.close();
        ctx.term();
        return 0;
    }

    static int remote(String[] argv) {
        Security security = Security.parse(argv);
        String[] args = security.rest();
        if (args.length != 3) {
            JeromqPerf.usage("remote_lat <connect-to> <message-size> <roundtrip-count>");
            return 1;
        }
        long size = JeromqPerf.positive(args[1], "message-size");
        long roundtrips = JeromqPerf.positive(args[2], "roundtrip-count");
        ZMQ.Context ctx = ZMQ.context(1);
        ZMQ.Socket req = ctx.socket(SocketType.REQ);
        security.apply(req);
        req.connect(args[0]);
        pingAndPrint(req, size, roundtrips);
        req.close();
        ctx.term();
        return 0;
    }

    static int inproc(String[] args) throws InterruptedException {
        if (args.length != 2) {
            JeromqPerf.usage("inproc_lat <message-size> <roundtrip-count>");
            return 1;
        }
        long size = JeromqPerf.positive(args[0], "message-size");
        long roundtrips = JeromqPerf.positive(args[1], "roundtrip-count");
        ZMQ.Context ctx = ZMQ.context(1);
        ZMQ.Socket req = ctx.socket(SocketType.REQ);
        req.bind("inproc://pekkozmq_lat");
        Thread echoer = new Thread(() -> {
            ZMQ.Socket rep = ctx.socket(SocketType.REP);
            rep.connect("inproc://pekkozmq_lat");
            echo(rep, size, roundtrips);
            rep.close();
        }, "inproc_lat-echo");
        echoer.start();
        pingAndPrint(req, size, roundtrips);
        echoer.join();
        req.close();
        ctx.term();
        return 0;
    }

    private static void echo(ZMQ.Socket rep, long size, long roundtrips) {
        long total = roundtrips + PerfReport.warmup();
        for (long i = 0; i < total; i++) {
            byte[] msg = rep.recv(0);
            JeromqPerf.checkSize(msg, size);
            if (!rep.send(msg, 0)) {
                throw new IllegalStateException("send failed: errno " + rep.errno());
            }
        }
    }

    private static void pingAndPrint(ZMQ.Socket req, long size, long roundtrips) {
        byte[] msg = new byte[(int) size];
        for (long i = PerfReport.warmup(); i > 0; i--) { // PERF_WARMUP roundtrips before the clock
            msg = roundtrip(req, msg, size);
        }
        long start = JeromqPerf.nowMicros();
        PerfReport.Cost cost = PerfReport.Cost.start();
        for (long i = 0; i < roundtrips; i++) {
            msg = roundtrip(req, msg, size);
        }
        long elapsed = JeromqPerf.nowMicros() - start;
        JeromqPerf.printLatency(size, roundtrips, elapsed);
        cost.print(roundtrips, "roundtrip");
    }

    private static byte[] roundtrip(ZMQ.Socket req, byte[] msg, long size) {
        if (!req.send(msg, 0)) {
            throw new IllegalStateException("send failed: errno " + req.errno());
        }
        byte[] reply = req.recv(0);
        JeromqPerf.checkSize(reply, size);
        return reply;
    }
}
