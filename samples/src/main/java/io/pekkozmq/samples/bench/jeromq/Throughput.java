package io.pekkozmq.samples.bench.jeromq;

import io.pekkozmq.samples.bench.PerfReport;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** local_thr (PULL, binds), remote_thr (PUSH, connects) and inproc_thr (both in one process). */
final class Throughput {

    private Throughput() {
    }

    static int local(String[] argv) {
        Security security = Security.parse(argv);
        String[] args = security.rest();
        if (args.length != 3) {
            JeromqPerf.usage("local_thr <bind-to> <message-size> <message-count>");
            return 1;
        }
        long size = JeromqPerf.positive(args[1], "message-size");
        long count = JeromqPerf.positive(args[2], "message-count");
        ZMQ.Context ctx = ZMQ.context(1);
        ZMQ.Socket pull = ctx.socket(SocketType.PULL);
        security.apply(pull);
        pull.bind(args[0]);
        receiveAndPrint(pull, size, count);
        pull.close();
        ctx.term();
        return 0;
    }

    static int remote(String[] argv) {
        Security security = Security.parse(argv);
        String[] args = security.rest();
        if (args.length != 3) {
            JeromqPerf.usage("remote_thr <connect-to> <message-size> <message-count>");
            return 1;
        }
        long size = JeromqPerf.positive(args[1], "message-size");
        long count = JeromqPerf.positive(args[2], "message-count");
        ZMQ.Context ctx = ZMQ.context(1);
        ZMQ.Socket push = ctx.socket(SocketType.PUSH);
        security.apply(push);
        push.connect(args[0]);
        PerfReport.Cost cost = send(push, size, count);
        // default linger is infinite: close waits until every queued message is handed over
        push.close();
        cost.markAllocation(); // before term ends the I/O thread (at most HWM messages are still queued)
        ctx.term();
        cost.print(count);
        return 0;
    }

    static int inproc(String[] args) throws InterruptedException {
        if (args.length != 2) {
            JeromqPerf.usage("inproc_thr <message-size> <message-count>");
            return 1;
        }
        long size = JeromqPerf.positive(args[0], "message-size");
        long count = JeromqPerf.positive(args[1], "message-count");
        ZMQ.Context ctx = ZMQ.context(1);
        ZMQ.Socket pull = ctx.socket(SocketType.PULL);
        pull.bind("inproc://pekkozmq_thr");
        Thread sender = new Thread(() -> {
            ZMQ.Socket push = ctx.socket(SocketType.PUSH);
            push.connect("inproc://pekkozmq_thr");
            send(push, size, count);
            push.close();
        }, "inproc_thr-sender");
        sender.start();
        receiveAndPrint(pull, size, count);
        sender.join();
        pull.close();
        ctx.term();
        return 0;
    }

    /** The clock starts at the first message, so connection set-up is not measured. */
    private static void receiveAndPrint(ZMQ.Socket pull, long size, long count) {
        for (long i = PerfReport.warmup(); i > 0; i--) { // PERF_WARMUP messages before the clock
            JeromqPerf.checkSize(pull.recv(0), size);
        }
        JeromqPerf.checkSize(pull.recv(0), size);
        long start = JeromqPerf.nowMicros();
        PerfReport.Cost cost = PerfReport.Cost.start();
        for (long i = 1; i < count; i++) {
            JeromqPerf.checkSize(pull.recv(0), size);
        }
        long elapsed = JeromqPerf.nowMicros() - start;
        JeromqPerf.printThroughput(size, count, elapsed);
        cost.print(count);
    }

    /** The same (never modified) array is handed to every send; JeroMQ wraps it without copying. */
    private static PerfReport.Cost send(ZMQ.Socket push, long size, long count) {
        byte[] data = new byte[(int) size];
        for (long i = PerfReport.warmup(); i > 0; i--) {
            send(push, data);
        }
        PerfReport.Cost cost = PerfReport.Cost.start();
        for (long i = 0; i < count; i++) {
            send(push, data);
        }
        return cost;
    }

    private static void send(ZMQ.Socket push, byte[] data) {
        if (!push.send(data, 0)) {
            throw new IllegalStateException("send failed: errno " + push.errno());
        }
    }
}
