/* inproc_lat <message-size> <roundtrip-count>: REQ (main) <-> REP echo thread over inproc:// in one process. */
#include "perf_util.h"
#include <pthread.h>

struct echo_args {
    void *ctx;
    long size;
    long roundtrips;
};

static void *echo(void *arg)
{
    struct echo_args *a = arg;
    void *rep = zmq_socket(a->ctx, ZMQ_REP);
    if (!rep)
        perf_fail("zmq_socket");
    if (zmq_connect(rep, "inproc://pekkozmq_lat") != 0)
        perf_fail("zmq_connect");
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    long total = a->roundtrips + perf_warmup();
    for (long i = 0; i < total; i++) {
        perf_recv_checked(rep, &msg, a->size);
        if (zmq_msg_send(&msg, rep, 0) < 0)
            perf_fail("zmq_msg_send");
    }
    zmq_msg_close(&msg);
    zmq_close(rep);
    return NULL;
}

int main(int argc, char *argv[])
{
    if (argc != 3) {
        printf("usage: inproc_lat <message-size> <roundtrip-count>\n");
        return 1;
    }
    struct echo_args args;
    args.size = perf_positive(argv[1], "message-size");
    args.roundtrips = perf_positive(argv[2], "roundtrip-count");

    args.ctx = zmq_ctx_new();
    if (!args.ctx)
        perf_fail("zmq_ctx_new");
    void *req = zmq_socket(args.ctx, ZMQ_REQ);
    if (!req)
        perf_fail("zmq_socket");
    if (zmq_bind(req, "inproc://pekkozmq_lat") != 0)
        perf_fail("zmq_bind");

    pthread_t thread;
    if (pthread_create(&thread, NULL, echo, &args) != 0) {
        fprintf(stderr, "cannot start the echo thread\n");
        return 1;
    }

    zmq_msg_t msg;
    if (zmq_msg_init_size(&msg, (size_t) args.size) != 0)
        perf_fail("zmq_msg_init_size");
    memset(zmq_msg_data(&msg), 0, (size_t) args.size);

    for (long i = perf_warmup(); i > 0; i--) {
        if (zmq_msg_send(&msg, req, 0) < 0)
            perf_fail("zmq_msg_send");
        perf_recv_checked(req, &msg, args.size);
    }
    uint64_t start = perf_now_us();
    perf_cost_t cost = perf_cost_start();
    for (long i = 0; i < args.roundtrips; i++) {
        if (zmq_msg_send(&msg, req, 0) < 0)
            perf_fail("zmq_msg_send");
        perf_recv_checked(req, &msg, args.size);
    }
    uint64_t elapsed = perf_now_us() - start;
    zmq_msg_close(&msg);

    pthread_join(thread, NULL);
    perf_print_lat(args.size, args.roundtrips, elapsed);
    perf_cost_print(cost, args.roundtrips, "roundtrip");

    zmq_close(req);
    zmq_ctx_term(args.ctx);
    return 0;
}
