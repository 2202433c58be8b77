/* local_thr <bind-to> <message-size> <message-count>: PULL side of the throughput test. */
#include "perf_util.h"

int main(int argc, char *argv[])
{
    PERF_SECURITY_ARGS(argc, argv);
    if (argc != 4) {
        printf("usage: local_thr <bind-to> <message-size> <message-count>\n");
        return 1;
    }
    const char *bind_to = argv[1];
    long size = perf_positive(argv[2], "message-size");
    long count = perf_positive(argv[3], "message-count");

    void *ctx = zmq_ctx_new();
    if (!ctx)
        perf_fail("zmq_ctx_new");
    void *pull = zmq_socket(ctx, ZMQ_PULL);
    if (!pull)
        perf_fail("zmq_socket");
    PERF_SECURITY_APPLY(pull);
    if (zmq_bind(pull, bind_to) != 0)
        perf_fail("zmq_bind");

    zmq_msg_t msg;
    zmq_msg_init(&msg);
    /* PERF_WARMUP messages go by untimed (the steady-state rows; 0 by default). */
    for (long i = perf_warmup(); i > 0; i--)
        perf_recv_checked(pull, &msg, size);
    /* The clock starts at the first message, so connection set-up is not measured. */
    perf_recv_checked(pull, &msg, size);
    uint64_t start = perf_now_us();
    perf_cost_t cost = perf_cost_start();
    for (long i = 1; i < count; i++)
        perf_recv_checked(pull, &msg, size);
    uint64_t elapsed = perf_now_us() - start;
    zmq_msg_close(&msg);

    perf_print_thr(size, count, elapsed);
    perf_cost_print(cost, count, "message");

    zmq_close(pull);
    zmq_ctx_term(ctx);
    return 0;
}
