/* inproc_thr <message-size> <message-count>: PUSH thread -> PULL (main) over inproc:// in one process. */
#include "perf_util.h"
#include <pthread.h>

struct sender_args {
    void *ctx;
    long size;
    long count;
};

static void *sender(void *arg)
{
    struct sender_args *a = arg;
    void *push = zmq_socket(a->ctx, ZMQ_PUSH);
    if (!push)
        perf_fail("zmq_socket");
    if (zmq_connect(push, "inproc://pekkozmq_thr") != 0)
        perf_fail("zmq_connect");
    long total = a->count + perf_warmup();
    for (long i = 0; i < total; i++)
        perf_send_sized(push, a->size);
    zmq_close(push);
    return NULL;
}

int main(int argc, char *argv[])
{
    if (argc != 3) {
        printf("usage: inproc_thr <message-size> <message-count>\n");
        return 1;
    }
    struct sender_args args;
    args.size = perf_positive(argv[1], "message-size");
    args.count = perf_positive(argv[2], "message-count");

    args.ctx = zmq_ctx_new();
    if (!args.ctx)
        perf_fail("zmq_ctx_new");
    void *pull = zmq_socket(args.ctx, ZMQ_PULL);
    if (!pull)
        perf_fail("zmq_socket");
    if (zmq_bind(pull, "inproc://pekkozmq_thr") != 0)
        perf_fail("zmq_bind");

    pthread_t thread;
    if (pthread_create(&thread, NULL, sender, &args) != 0) {
        fprintf(stderr, "cannot start the sender thread\n");
        return 1;
    }

    zmq_msg_t msg;
    zmq_msg_init(&msg);
    for (long i = perf_warmup(); i > 0; i--)
        perf_recv_checked(pull, &msg, args.size);
    perf_recv_checked(pull, &msg, args.size);
    uint64_t start = perf_now_us();
    perf_cost_t cost = perf_cost_start();
    for (long i = 1; i < args.count; i++)
        perf_recv_checked(pull, &msg, args.size);
    uint64_t elapsed = perf_now_us() - start;
    zmq_msg_close(&msg);

    pthread_join(thread, NULL);
    perf_print_thr(args.size, args.count, elapsed);
    perf_cost_print(cost, args.count, "message");

    zmq_close(pull);
    zmq_ctx_term(args.ctx);
    return 0;
}
