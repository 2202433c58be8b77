/* local_lat <bind-to> <message-size> <roundtrip-count>: REP side (echo) of the latency test. */
#include "perf_util.h"

int main(int argc, char *argv[])
{
    PERF_SECURITY_ARGS(argc, argv);
    if (argc != 4) {
        printf("usage: local_lat <bind-to> <message-size> <roundtrip-count>\n");
        return 1;
    }
    const char *bind_to = argv[1];
    long size = perf_positive(argv[2], "message-size");
    long roundtrips = perf_positive(argv[3], "roundtrip-count");

    void *ctx = zmq_ctx_new();
    if (!ctx)
        perf_fail("zmq_ctx_new");
    void *rep = zmq_socket(ctx, ZMQ_REP);
    if (!rep)
        perf_fail("zmq_socket");
    PERF_SECURITY_APPLY(rep);
    if (zmq_bind(rep, bind_to) != 0)
        perf_fail("zmq_bind");

    zmq_msg_t msg;
    zmq_msg_init(&msg);
    long total = roundtrips + perf_warmup();
    for (long i = 0; i < total; i++) {
        perf_recv_checked(rep, &msg, size);
        if (zmq_msg_send(&msg, rep, 0) < 0)
            perf_fail("zmq_msg_send");
    }
    zmq_msg_close(&msg);

    zmq_close(rep);
    zmq_ctx_term(ctx);
    return 0;
}
