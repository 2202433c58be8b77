/* remote_thr <connect-to> <message-size> <message-count>: PUSH side of the throughput test. */
#include "perf_util.h"

int main(int argc, char *argv[])
{
    PERF_SECURITY_ARGS(argc, argv);
    if (argc != 4) {
        printf("usage: remote_thr <connect-to> <message-size> <message-count>\n");
        return 1;
    }
    const char *connect_to = argv[1];
    long size = perf_positive(argv[2], "message-size");
    long count = perf_positive(argv[3], "message-count");

    void *ctx = zmq_ctx_new();
    if (!ctx)
        perf_fail("zmq_ctx_new");
    void *push = zmq_socket(ctx, ZMQ_PUSH);
    if (!push)
        perf_fail("zmq_socket");
    PERF_SECURITY_APPLY(push);
    if (zmq_connect(push, connect_to) != 0)
        perf_fail("zmq_connect");

    for (long i = perf_warmup(); i > 0; i--)
        perf_send_sized(push, size);
    perf_cost_t cost = perf_cost_start();
    for (long i = 0; i < count; i++)
        perf_send_sized(push, size);

    /* libzmq 4.3.x may drop the tail of an ipc:// stream when the sender closes right after its last send,
     * default (infinite) linger notwithstanding (zeromq/libzmq#4660). Give the I/O thread time to flush;
     * this does not affect the result, which local_thr measures from its first to its last message. */
    if (strncmp(connect_to, "ipc://", 6) == 0)
        perf_sleep_ms(1000);

    /* Default linger (infinite): closing waits until every queued message is handed over. */
    zmq_close(push);
    zmq_ctx_term(ctx);
    perf_cost_print(cost, count, "message");
    return 0;
}
