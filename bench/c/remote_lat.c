/* remote_lat <connect-to> <message-size> <roundtrip-count>: REQ side of the latency test; prints the result. */
#include "perf_util.h"

int main(int argc, char *argv[])
{
    PERF_SECURITY_ARGS(argc, argv);
    if (argc != 4) {
        printf("usage: remote_lat <connect-to> <message-size> <roundtrip-count>\n");
        return 1;
    }
    const char *connect_to = argv[1];
    long size = perf_positive(argv[2], "message-size");
    long roundtrips = perf_positive(argv[3], "roundtrip-count");

    void *ctx = zmq_ctx_new();
    if (!ctx)
        perf_fail("zmq_ctx_new");
    void *req = zmq_socket(ctx, ZMQ_REQ);
    if (!req)
        perf_fail("zmq_socket");
    PERF_SECURITY_APPLY(req);
    if (zmq_connect(req, connect_to) != 0)
        perf_fail("zmq_connect");

    zmq_msg_t msg;
    if (zmq_msg_init_size(&msg, (size_t) size) != 0)
        perf_fail("zmq_msg_init_size");
    memset(zmq_msg_data(&msg), 0, (size_t) size);

    for (long i = perf_warmup(); i > 0; i--) { /* PERF_WARMUP roundtrips before the clock */
        if (zmq_msg_send(&msg, req, 0) < 0)
            perf_fail("zmq_msg_send");
        perf_recv_checked(req, &msg, size);
    }
    uint64_t start = perf_now_us();
    perf_cost_t cost = perf_cost_start();
    for (long i = 0; i < roundtrips; i++) {
        if (zmq_msg_send(&msg, req, 0) < 0)
            perf_fail("zmq_msg_send");
        perf_recv_checked(req, &msg, size);
    }
    uint64_t elapsed = perf_now_us() - start;
    zmq_msg_close(&msg);

    perf_print_lat(size, roundtrips, elapsed);
    perf_cost_print(cost, roundtrips, "roundtrip");

    zmq_close(req);
    zmq_ctx_term(ctx);
    return 0;
}
