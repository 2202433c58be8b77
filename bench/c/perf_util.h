/*
 * Shared helpers for the pekko-zmq benchmark tools (libzmq side).
 * Written for this project; follows the command-line and output contract of
 * libzmq's perf/ tools so that the numbers can be compared line by line.
 */
#ifndef PEKKOZMQ_PERF_UTIL_H
#define PEKKOZMQ_PERF_UTIL_H

#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <zmq.h>

/* Monotonic clock in microseconds. */
static inline uint64_t perf_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
}

static inline void perf_sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* Report a failed libzmq call and stop the process with a non-zero code. */
static inline void perf_fail(const char *call)
{
    fprintf(stderr, "error in %s: %s\n", call, zmq_strerror(zmq_errno()));
    exit(1);
}

/* Parse a positive integer argument or stop with a usage hint. */
static inline long perf_positive(const char *text, const char *what)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v <= 0) {
        fprintf(stderr, "invalid %s: '%s' (expected a positive integer)\n", what, text);
        exit(2);
    }
    return v;
}

static inline void perf_print_thr(long size, long count, uint64_t elapsed_us)
{
    if (elapsed_us == 0)
        elapsed_us = 1;
    unsigned long throughput = (unsigned long) ((double) count / (double) elapsed_us * 1000000.0);
    double megabits = (double) throughput * (double) size * 8.0 / 1000000.0;
    printf("message size: %d [B]\n", (int) size);
    printf("message count: %d\n", (int) count);
    printf("mean throughput: %d [msg/s]\n", (int) throughput);
    printf("mean throughput: %.3f [Mb/s]\n", megabits);
}

static inline void perf_print_lat(long size, long roundtrips, uint64_t elapsed_us)
{
    double latency = (double) elapsed_us / ((double) roundtrips * 2.0);
    printf("message size: %d [B]\n", (int) size);
    printf("roundtrip count: %d\n", (int) roundtrips);
    printf("average latency: %.3f [us]\n", latency);
}

/* Receive one message into msg and check its size; stops the process on error. */
static inline void perf_recv_checked(void *sock, zmq_msg_t *msg, long size)
{
    if (zmq_msg_recv(msg, sock, 0) < 0)
        perf_fail("zmq_msg_recv");
    if ((long) zmq_msg_size(msg) != size) {
        fprintf(stderr, "message of incorrect size received: %zu instead of %ld\n",
                zmq_msg_size(msg), size);
        exit(1);
    }
}

/* Messages (or roundtrips) before the clock starts, from PERF_WARMUP (default 0: libzmq's contract).
 * Both sides of a pair read it: the sender sends that many more, the receiver lets them go by. */
static inline long perf_warmup(void)
{
    const char *v = getenv("PERF_WARMUP");
    if (v == NULL || *v == '\0')
        return 0;
    char *end = NULL;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno != 0 || end == v || *end != '\0' || n < 0) {
        fprintf(stderr, "PERF_WARMUP must be a number of messages (0 or more), not '%s'\n", v);
        exit(2);
    }
    return n;
}

/* CPU time of the whole process (all its threads, libzmq's I/O thread included), in ns. */
static inline uint64_t perf_cpu_ns(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ((uint64_t) ru.ru_utime.tv_sec + (uint64_t) ru.ru_stime.tv_sec) * 1000000000u
        + ((uint64_t) ru.ru_utime.tv_usec + (uint64_t) ru.ru_stime.tv_usec) * 1000u;
}

/* The timed part's CPU per message (or roundtrip: unit), printed when PERF_COST=1 (as the Java tools' PerfReport.Cost). */
typedef struct {
    int on;
    uint64_t cpu0;
} perf_cost_t;

static inline perf_cost_t perf_cost_start(void)
{
    const char *v = getenv("PERF_COST");
    perf_cost_t c = { v != NULL && strcmp(v, "1") == 0, 0 };
    if (c.on)
        c.cpu0 = perf_cpu_ns();
    return c;
}

static inline void perf_cost_print(perf_cost_t c, long messages, const char *unit)
{
    if (!c.on)
        return;
    printf("cpu per %s: %.0f [ns]\n", unit, (double) (perf_cpu_ns() - c.cpu0) / (double) (messages > 0 ? messages : 1));
    fflush(stdout);
}

/* Send a fresh message of the given size (content left as allocated, as libzmq's tools do). */
static inline void perf_send_sized(void *sock, long size)
{
    zmq_msg_t msg;
    if (zmq_msg_init_size(&msg, (size_t) size) != 0)
        perf_fail("zmq_msg_init_size");
    if (zmq_msg_send(&msg, sock, 0) < 0)
        perf_fail("zmq_msg_send");
}

/* Security flags: compiled in only for the CURVE tools (-DPERF_CURVE, see curve.h); in the NULL
 * tools these expand to nothing. */
#ifdef PERF_CURVE
#include "curve.h"
#define PERF_SECURITY_ARGS(argc, argv) perf_curve_args(&(argc), &(argv))
#define PERF_SECURITY_APPLY(sock) perf_curve_apply(sock)
#else
#define PERF_SECURITY_ARGS(argc, argv) ((void) 0)
#define PERF_SECURITY_APPLY(sock) ((void) 0)
#endif

#endif
