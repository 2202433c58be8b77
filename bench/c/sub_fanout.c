/*
 * sub_fanout <connect-to> <message-size> <message-count> <subscriber-count> [sync-endpoint]
 * Subscriber side of the fan-out test: one process, one thread and one SUB socket per subscriber.
 * See fanout.h and bench/README.md.
 */
#include "fanout.h"
#include <pthread.h>
#include <stdatomic.h>

struct subscriber {
    void *ctx;
    const char *connect_to;
    long size;
    atomic_int *ready_total;
    atomic_int *finished_total;
    int ready;
    long received;      /* data messages */
    uint64_t first_us;  /* arrival of the first data message */
    uint64_t last_us;   /* arrival of the last data message */
};

static void *subscriber_run(void *arg)
{
    struct subscriber *s = arg;
    void *sub = zmq_socket(s->ctx, ZMQ_SUB);
    if (!sub)
        perf_fail("zmq_socket");
    int timeout = 100, zero = 0;
    zmq_setsockopt(sub, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt(sub, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0);
    if (zmq_connect(sub, s->connect_to) != 0)
        perf_fail("zmq_connect");

    zmq_msg_t msg;
    zmq_msg_init(&msg);
    uint64_t deadline = perf_now_us() + FANOUT_READY_TIMEOUT_MS * 1000ull;
    for (;;) {
        if (zmq_msg_recv(&msg, sub, 0) < 0) {
            if (zmq_errno() != EAGAIN)
                perf_fail("zmq_msg_recv");
            if (perf_now_us() >= deadline)
                break; /* publisher never came, or went silent */
            continue;
        }
        uint64_t now = perf_now_us();
        if (s->ready)
            deadline = now + FANOUT_IDLE_TIMEOUT_MS * 1000ull;
        if (zmq_msg_size(&msg) < 1)
            continue;
        char tag = ((const char *) zmq_msg_data(&msg))[0];
        if (tag == FANOUT_DATA) {
            if ((long) zmq_msg_size(&msg) != s->size) {
                fprintf(stderr, "message of incorrect size received: %zu\n", zmq_msg_size(&msg));
                exit(1);
            }
            if (s->received++ == 0)
                s->first_us = now;
            s->last_us = now;
        } else if (tag == FANOUT_END) {
            break;
        } else if (tag == FANOUT_WARMUP && !s->ready) {
            s->ready = 1;
            deadline = now + FANOUT_IDLE_TIMEOUT_MS * 1000ull;
            atomic_fetch_add(s->ready_total, 1);
        }
    }
    zmq_msg_close(&msg);
    zmq_close(sub);
    atomic_fetch_add(s->finished_total, 1);
    return NULL;
}

static void send_notice(void *push, char tag)
{
    if (zmq_send(push, &tag, 1, 0) < 0 && zmq_errno() != EAGAIN)
        perf_fail("zmq_send (sync)");
}

int main(int argc, char *argv[])
{
    if (argc != 5 && argc != 6) {
        printf("usage: sub_fanout <connect-to> <message-size> <message-count> <subscriber-count> [sync-endpoint]\n");
        return 1;
    }
    const char *connect_to = argv[1];
    long size = perf_positive(argv[2], "message-size");
    long count = perf_positive(argv[3], "message-count");
    long n = perf_positive(argv[4], "subscriber-count");
    char sync_ep[512];
    if (argc == 6)
        snprintf(sync_ep, sizeof sync_ep, "%s", argv[5]);
    else if (fanout_sync_endpoint(connect_to, sync_ep, sizeof sync_ep) != 0) {
        fprintf(stderr, "cannot derive a sync endpoint from '%s'; pass one explicitly\n", connect_to);
        return 2;
    }

    void *ctx = zmq_ctx_new();
    if (!ctx)
        perf_fail("zmq_ctx_new");
    /* The sync PUSH belongs to the main thread only; subscriber threads report through counters. */
    void *push = zmq_socket(ctx, ZMQ_PUSH);
    if (!push)
        perf_fail("zmq_socket");
    int linger = 2000, sndtimeo = 1000;
    zmq_setsockopt(push, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(push, ZMQ_SNDTIMEO, &sndtimeo, sizeof sndtimeo);
    if (zmq_connect(push, sync_ep) != 0)
        perf_fail("zmq_connect (sync)");

    atomic_int ready_total = 0, finished_total = 0;
    struct subscriber *subs = calloc((size_t) n, sizeof *subs);
    pthread_t *threads = calloc((size_t) n, sizeof *threads);
    for (long i = 0; i < n; i++) {
        subs[i].ctx = ctx;
        subs[i].connect_to = connect_to;
        subs[i].size = size;
        subs[i].ready_total = &ready_total;
        subs[i].finished_total = &finished_total;
        if (pthread_create(&threads[i], NULL, subscriber_run, &subs[i]) != 0) {
            fprintf(stderr, "cannot start subscriber thread %ld\n", i);
            return 1;
        }
    }

    /* Forward one READY per ready subscriber and one FINISHED per finished subscriber. */
    int ready_sent = 0, finished_sent = 0;
    while (finished_sent < n) {
        int r = atomic_load(&ready_total), f = atomic_load(&finished_total);
        for (; ready_sent < r; ready_sent++)
            send_notice(push, FANOUT_READY);
        for (; finished_sent < f; finished_sent++)
            send_notice(push, FANOUT_FINISHED);
        if (finished_sent < n)
            perf_sleep_ms(1);
    }

    long delivered = 0, ready = 0;
    uint64_t first = UINT64_MAX, last = 0;
    for (long i = 0; i < n; i++) {
        pthread_join(threads[i], NULL);
        ready += subs[i].ready;
        delivered += subs[i].received;
        if (subs[i].received > 0) {
            if (subs[i].first_us < first)
                first = subs[i].first_us;
            if (subs[i].last_us > last)
                last = subs[i].last_us;
        }
    }
    uint64_t elapsed = (delivered > 0 && last > first) ? last - first : 1;
    double rate = delivered > 1 ? (double) delivered / (double) elapsed * 1000000.0 : 0.0;

    printf("message size: %d [B]\n", (int) size);
    printf("message count: %d\n", (int) count);
    printf("subscriber count: %d\n", (int) n);
    printf("subscribers ready: %d\n", (int) ready);
    printf("delivered count: %ld\n", delivered);
    printf("delivered ratio: %.3f [%%]\n", 100.0 * (double) delivered / ((double) count * (double) n));
    printf("delivered: %ld [msg/s]\n", (long) rate);

    free(subs);
    free(threads);
    zmq_close(push);
    zmq_ctx_term(ctx);
    return ready == n ? 0 : 3;
}
