/* remote_thr <connect-to> <message-size> <message-count>: PUSH side of the throughput test. */
#include "perf_util.h"

int main(int argc, char *argv[])
{
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
    if (zmq_connect(push, connect_to) != 0)
        perf_fail("zmq_connect");

    for (long i = 0; i < count; i++)
        perf_send_sized(push, size);

    /* Default linger (infinite): closing waits until every queued message is handed over. */
    zmq_close(push);
    zmq_ctx_term(ctx);
    return 0;
}
