package io.pekkozmq.samples.bench.jeromq;

import io.pekkozmq.samples.bench.PerfReport;

import java.util.concurrent.atomic.AtomicInteger;

import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * pub_fanout / sub_fanout: 1 PUB to N SUB, following the fan-out contract of {@code bench/README.md}
 * (the same as {@code bench/c/fanout.h}).
 *
 * <p>PUB messages are message-size bytes whose first byte is a tag: W (warm-up), D (data) or E (end).
 * A sync channel (SUB process PUSH connects, PUB process PULL binds) carries one-byte R (a subscriber is
 * ready: it has seen a warm-up message) and F (a subscriber has finished) notices. Every wait is bounded.
 */
final class Fanout {

    static final byte WARMUP = 'W';
    static final byte DATA = 'D';
    static final byte END = 'E';
    static final byte READY = 'R';
    static final byte FINISHED = 'F';

    static final int READY_TIMEOUT_MS = 30_000;
    static final int WARMUP_INTERVAL_MS = 10;
    static final int END_INTERVAL_MS = 1;
    static final int FINISH_TIMEOUT_MS = 10_000;
    static final int IDLE_TIMEOUT_MS = 5_000;

    private Fanout() {
    }

    /** tcp://HOST:PORT becomes tcp://HOST:(PORT+1); ipc://PATH becomes ipc://PATH.sync; else null. */
    static String syncEndpoint(String dataEndpoint) {
        if (dataEndpoint.startsWith("tcp://")) {
            int colon = dataEndpoint.lastIndexOf(':');
            if (colon < 6) {
                return null;
            }
            try {
                int port = Integer.parseInt(dataEndpoint.substring(colon + 1));
                if (port <= 0 || port >= 65535) {
                    return null;
                }
                return dataEndpoint.substring(0, colon) + ":" + (port + 1);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (dataEndpoint.startsWith("ipc://")) {
            return dataEndpoint + ".sync";
        }
        return null;
    }

    private static String syncArg(String[] args) {
        String ep = args.length == 5 ? args[4] : syncEndpoint(args[0]);
        if (ep == null) {
            System.err.println("cannot derive a sync endpoint from '" + args[0] + "'; pass one explicitly");
            System.exit(2);
        }
        return ep;
    }

    private static byte[] tagged(long size, byte tag) {
        byte[] msg = new byte[(int) size];
        msg[0] = tag;
        return msg;
    }

    // ------------------------------------------------------------------------------------------ publisher

    static int publisher(String[] args) {
        if (args.length != 4 && args.length != 5) {
            JeromqPerf.usage("pub_fanout <bind-to> <message-size> <message-count> <subscriber-count> [sync-endpoint]");
            return 1;
        }
        long size = JeromqPerf.positive(args[1], "message-size");
        long count = JeromqPerf.positive(args[2], "message-count");
        long subscribers = JeromqPerf.positive(args[3], "subscriber-count");
        String syncEp = syncArg(args);

        ZMQ.Context ctx = ZMQ.context(1);
        ZMQ.Socket pub = ctx.socket(SocketType.PUB);
        ZMQ.Socket pull = ctx.socket(SocketType.PULL);
        pub.setLinger(0);
        pull.setLinger(0);
        pub.bind(args[0]);
        pull.bind(syncEp);

        byte[] warmup = tagged(size, WARMUP);
        byte[] data = tagged(size, DATA);
        byte[] end = tagged(size, END);
        long[] ready = {0};
        long[] finished = {0};

        // 1. warm-up until every subscriber has seen a warm-up message (its subscription is active)
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (ready[0] < subscribers && System.currentTimeMillis() < deadline) {
            pub.send(warmup, ZMQ.DONTWAIT);
            drainSync(pull, WARMUP_INTERVAL_MS, ready, finished);
        }
        if (ready[0] < subscribers) {
            System.err.println("pub_fanout: only " + ready[0] + " of " + subscribers + " subscribers ready after "
                    + READY_TIMEOUT_MS + " ms");
        }

        // 2. data, as fast as possible; PUB drops for subscribers whose queue is at the high-water mark
        long start = JeromqPerf.nowMicros();
        for (long i = 0; i < count; i++) {
            pub.send(data, 0);
        }
        long elapsed = Math.max(1L, JeromqPerf.nowMicros() - start);

        // 3. resend the end marker until every subscriber has reported, bounded in time
        deadline = System.currentTimeMillis() + FINISH_TIMEOUT_MS;
        while (finished[0] < subscribers && System.currentTimeMillis() < deadline) {
            pub.send(end, ZMQ.DONTWAIT);
            drainSync(pull, END_INTERVAL_MS, ready, finished);
        }

        PerfReport.publisher(size, count, subscribers, ready[0], finished[0], elapsed);

        pub.close();
        pull.close();
        ctx.term();
        return ready[0] == subscribers ? 0 : 3;
    }

    /** Waits up to timeoutMs for a first notice, then takes whatever else is already there. */
    private static void drainSync(ZMQ.Socket pull, int timeoutMs, long[] ready, long[] finished) {
        pull.setReceiveTimeOut(timeoutMs);
        byte[] notice = pull.recv(0);
        while (notice != null) {
            if (notice.length >= 1 && notice[0] == READY) {
                ready[0]++;
            } else if (notice.length >= 1 && notice[0] == FINISHED) {
                finished[0]++;
            }
            notice = pull.recv(ZMQ.DONTWAIT);
        }
    }

    // ------------------------------------------------------------------------------------------ subscribers

    /** One subscriber: its own thread and SUB socket; reports through the shared counters. */
    private static final class Subscriber implements Runnable {
        final ZMQ.Context ctx;
        final String connectTo;
        final long size;
        final AtomicInteger readyTotal;
        final AtomicInteger finishedTotal;
        volatile boolean ready;
        long received;
        long firstMicros;
        long lastMicros;

        Subscriber(ZMQ.Context ctx, String connectTo, long size, AtomicInteger readyTotal,
                AtomicInteger finishedTotal) {
            this.ctx = ctx;
            this.connectTo = connectTo;
            this.size = size;
            this.readyTotal = readyTotal;
            this.finishedTotal = finishedTotal;
        }

        @Override
        public void run() {
            ZMQ.Socket sub = ctx.socket(SocketType.SUB);
            try {
                sub.setReceiveTimeOut(100);
                sub.setLinger(0);
                sub.subscribe(new byte[0]);
                sub.connect(connectTo);
                long deadline = JeromqPerf.nowMicros() + READY_TIMEOUT_MS * 1000L;
                while (true) {
                    byte[] msg = sub.recv(0);
                    long now = JeromqPerf.nowMicros();
                    if (msg == null) {
                        if (now >= deadline) {
                            break; // publisher never came, or went silent
                        }
                        continue;
                    }
                    if (ready) {
                        deadline = now + IDLE_TIMEOUT_MS * 1000L;
                    }
                    if (msg.length < 1) {
                        continue;
                    }
                    byte tag = msg[0];
                    if (tag == DATA) {
                        if (msg.length != size) {
                            System.err.println("message of incorrect size received: " + msg.length);
                            System.exit(1);
                        }
                        if (received++ == 0) {
                            firstMicros = now;
                        }
                        lastMicros = now;
                    } else if (tag == END) {
                        break;
                    } else if (tag == WARMUP && !ready) {
                        ready = true;
                        deadline = now + IDLE_TIMEOUT_MS * 1000L;
                        readyTotal.incrementAndGet();
                    }
                }
            } finally {
                sub.close();
                finishedTotal.incrementAndGet();
            }
        }
    }

    static int subscribers(String[] args) throws InterruptedException {
        if (args.length != 4 && args.length != 5) {
            JeromqPerf.usage("sub_fanout <connect-to> <message-size> <message-count> <subscriber-count> [sync-endpoint]");
            return 1;
        }
        long size = JeromqPerf.positive(args[1], "message-size");
        long count = JeromqPerf.positive(args[2], "message-count");
        int n = (int) JeromqPerf.positive(args[3], "subscriber-count");
        String syncEp = syncArg(args);

        ZMQ.Context ctx = ZMQ.context(1);
        // the sync PUSH belongs to the main thread only; subscriber threads report through counters
        ZMQ.Socket push = ctx.socket(SocketType.PUSH);
        push.setLinger(2000);
        push.setSendTimeOut(1000);
        push.connect(syncEp);

        AtomicInteger readyTotal = new AtomicInteger();
        AtomicInteger finishedTotal = new AtomicInteger();
        Subscriber[] subs = new Subscriber[n];
        Thread[] threads = new Thread[n];
        for (int i = 0; i < n; i++) {
            subs[i] = new Subscriber(ctx, args[0], size, readyTotal, finishedTotal);
            threads[i] = new Thread(subs[i], "sub_fanout-" + i);
            threads[i].start();
        }

        byte[] readyNotice = {READY};
        byte[] finishedNotice = {FINISHED};
        int readySent = 0;
        int finishedSent = 0;
        while (finishedSent < n) {
            int r = readyTotal.get();
            int f = finishedTotal.get();
            for (; readySent < r; readySent++) {
                push.send(readyNotice, 0);
            }
            for (; finishedSent < f; finishedSent++) {
                push.send(finishedNotice, 0);
            }
            if (finishedSent < n) {
                Thread.sleep(1);
            }
        }

        long delivered = 0;
        int ready = 0;
        long first = Long.MAX_VALUE;
        long last = 0;
        for (int i = 0; i < n; i++) {
            threads[i].join();
            Subscriber s = subs[i];
            ready += s.ready ? 1 : 0;
            delivered += s.received;
            if (s.received > 0) {
                first = Math.min(first, s.firstMicros);
                last = Math.max(last, s.lastMicros);
            }
        }
        PerfReport.subscribers(size, count, n, ready, delivered, first, last);

        push.close();
        ctx.term();
        return ready == n ? 0 : 3;
    }
}
