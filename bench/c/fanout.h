/*
 * Fan-out (1 PUB -> N SUB) benchmark contract shared by pub_fanout.c and sub_fanout.c.
 * See bench/README.md, section "Fan-out contract"; the JeroMQ and pekko-zmq sides follow the same rules.
 */
#ifndef PEKKOZMQ_FANOUT_H
#define PEKKOZMQ_FANOUT_H

#include "perf_util.h"

/* First byte of every PUB message; the rest of the message-size bytes are zero. */
#define FANOUT_WARMUP 'W'
#define FANOUT_DATA 'D'
#define FANOUT_END 'E'
/* Sync channel messages (SUB process PUSH -> PUB process PULL), one byte each. */
#define FANOUT_READY 'R'
#define FANOUT_FINISHED 'F'

#define FANOUT_READY_TIMEOUT_MS 30000   /* both sides: give up waiting for subscribers / the publisher */
#define FANOUT_WARMUP_INTERVAL_MS 10    /* PUB sends one warm-up message this often until all are ready */
#define FANOUT_END_INTERVAL_MS 1        /* PUB resends the end marker this often */
#define FANOUT_FINISH_TIMEOUT_MS 10000  /* PUB stops resending end markers after this long */
#define FANOUT_IDLE_TIMEOUT_MS 5000     /* a ready SUB that receives nothing for this long stops */

/*
 * The sync endpoint, unless given explicitly: tcp://HOST:PORT -> tcp://HOST:(PORT+1),
 * ipc://PATH -> ipc://PATH.sync. Returns 0 on success.
 */
static inline int fanout_sync_endpoint(const char *data_ep, char *out, size_t out_len)
{
    if (strncmp(data_ep, "tcp://", 6) == 0) {
        const char *colon = strrchr(data_ep, ':');
        if (colon == NULL || colon < data_ep + 6)
            return -1;
        char *end = NULL;
        long port = strtol(colon + 1, &end, 10);
        if (end == colon + 1 || *end != '\0' || port <= 0 || port >= 65535)
            return -1;
        int n = snprintf(out, out_len, "%.*s:%ld", (int) (colon - data_ep), data_ep, port + 1);
        return (n > 0 && (size_t) n < out_len) ? 0 : -1;
    }
    if (strncmp(data_ep, "ipc://", 6) == 0) {
        int n = snprintf(out, out_len, "%s.sync", data_ep);
        return (n > 0 && (size_t) n < out_len) ? 0 : -1;
    }
    return -1;
}

#endif
