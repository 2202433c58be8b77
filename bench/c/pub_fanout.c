/*
 * pub_fanout <bind-to> <message-size> <message-count> <subscriber-count> [sync-endpoint]
 * Publisher side of the fan-out test; see fanout.h and bench/README.md.
 */
#include "fanout.h"

/* Drain the sync channel, counting ready and finished notices; waits up to timeout_ms for the first. */
static void drain_sync(void *pull, int timeout_ms, long *ready, long *finished)
{
    zmq_pollitem_t item = { pull, 0, ZMQ_POLLIN, 0 };
    if (zmq_poll(&item, 1, timeout_ms) <= 0)
        return;
    char buf[8];
    int n;
    while ((n = zmq_recv(pull, buf, sizeof buf, ZMQ_DONTWAIT)) >= 0) {
        if (n >= 1 && buf[0] == FANOUT_READY)
            (*ready)++;
        else if (n >= 1 && buf[0] == FANOUT_FINISHED)
            (*finished)++;
    }
}

int main(int argc, char *argv[])
{
    if (argc != 5 && argc != 6) {
        printf("usage: pub_fanout <bind-to> <message-size> <message-count> <subscriber-count> [sync-endpoint]\n");
        return 1;
    }
    const char *bind_to = argv[1];
    long size = perf_positive(argv[2], "message-size");
    long count = perf_positive(argv[3], "message-count");
    long subscribers = perf_positive(argv[4], "subscriber-count");
    char sync_ep[512];
    if (argc == 6)
        snprintf(sync_ep, sizeof sync_ep, "%s", argv[5]);
    else if (fanout_sync_endpoint(bind_to, sync_ep, sizeof sync_ep) != 0) {
        fprintf(stderr, "cannot derive a sync endpoint from '%s'; pass one explicitly\n", bind_to);
        return 2;
    }

    void *ctx = zmq_ctx_new();
    if (!ctx)
        perf_fail("zmq_ctx_new");
    void *pub = zmq_socket(ctx, ZMQ_PUB);
    void *pull = zmq_socket(ctx, ZMQ_PULL);
    if (!pub || !pull)
        perf_fail("zmq_socket");
    int zero = 0;
    zmq_setsockopt(pub, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(pull, ZMQ_LINGER, &zero, sizeof zero);
    if (zmq_bind(pub, bind_to) != 0)
        perf_fail("zmq_bind (data)");
    if (zmq_bind(pull, sync_ep) != 0)
        perf_fail("zmq_bind (sync)");

    char *warmup = calloc(1, (size_t) size);
    char *data = calloc(1, (size_t) size);
    char *end = calloc(1, (size_t) size);
    warmup[0] = FANOUT_WARMUP;
    data[0] = FANOUT_DATA;
    end[0] = FANOUT_END;

    /* 1. Warm-up: until every subscriber has seen a warm-up message (so its subscription is active). */
    long ready = 0, finished = 0;
    uint64_t deadline = perf_now_us() + FANOUT_READY_TIMEOUT_MS * 1000ull;
    while (ready < subscribers && perf_now_us() < deadline) {
        zmq_send(pub, warmup, (size_t) size, ZMQ_DONTWAIT);
        drain_sync(pull, FANOUT_WARMUP_INTERVAL_MS, &ready, &finished);
    }
    if (ready < subscribers)
        fprintf(stderr, "pub_fanout: only %ld of %ld subscribers ready after %d ms\n",
                ready, subscribers, FANOUT_READY_TIMEOUT_MS);

    /* 2. Data: as fast as possible; PUB drops for subscribers whose queue is at the high-water mark. */
    uint64_t start = perf_now_us();
    for (long i = 0; i < count; i++)
        if (zmq_send(pub, data, (size_t) size, 0) < 0)
            perf_fail("zmq_send");
    uint64_t elapsed = perf_now_us() - start;

    /* 3. End: resend the end marker until every subscriber has reported, bounded in time. */
    deadline = perf_now_us() + FANOUT_FINISH_TIMEOUT_MS * 1000ull;
    while (finished < subscribers && perf_now_us() < deadline) {
        zmq_send(pub, end, (size_t) size, ZMQ_DONTWAIT);
        drain_sync(pull, FANOUT_END_INTERVAL_MS, &ready, &finished);
    }

    if (elapsed == 0)
        elapsed = 1;
    printf("message size: %d [B]\n", (int) size);
    printf("message count: %d\n", (int) count);
    printf("subscriber count: %d\n", (int) subscribers);
    printf("subscribers ready: %d\n", (int) ready);
    printf("subscribers finished: %d\n", (int) finished);
    printf("send throughput: %d [msg/s]\n", (int) ((double) count / (double) elapsed * 1000000.0));

    free(warmup);
    free(data);
    free(end);
    zmq_close(pub);
    zmq_close(pull);
    zmq_ctx_term(ctx);
    return ready == subscribers ? 0 : 3;
}
