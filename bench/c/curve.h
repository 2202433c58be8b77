/*
 * CURVE flags for the perf tools, compiled in only with -DPERF_CURVE (bench/curve.sh builds
 * bin/curve_<tool> that way; the NULL tools in bin/<tool> are built without it and are unchanged).
 * The flags come before the tool's usual arguments, with the names pzmq uses:
 *   --curve-server --curve-secretkey <z85> [--curve-publickey <z85>]
 *                                            the binding side (the public key is derived, and
 *                                            checked against --curve-publickey when given)
 *   --curve-serverkey <z85> [--curve-secretkey <z85>]
 *                                            the connecting side; without a secret key it makes a
 *                                            fresh pair with zmq_curve_keypair
 */
#ifndef PEKKOZMQ_CURVE_H
#define PEKKOZMQ_CURVE_H

static struct {
    int server;
    char secret[41];
    char public_key[41];
    char server_key[41];
    char given_public[41];
} perf_curve;

static inline void perf_curve_key(char *into, const char *flag, const char *text)
{
    uint8_t raw[32];
    if (strlen(text) != 40 || zmq_z85_decode(raw, text) == NULL) {
        fprintf(stderr, "%s: expected 40 characters of Z85, got '%s'\n", flag, text);
        exit(2);
    }
    memcpy(into, text, 41);
}

/* Takes the leading --curve-* flags off argv (argv[0] stays), so the tool sees its usual arguments. */
static inline void perf_curve_args(int *argc, char ***argv)
{
    int i = 1;
    while (i < *argc && strncmp((*argv)[i], "--curve-", 8) == 0) {
        const char *flag = (*argv)[i];
        if (strcmp(flag, "--curve-server") == 0) {
            perf_curve.server = 1;
            i += 1;
            continue;
        }
        if (i + 1 >= *argc) {
            fprintf(stderr, "%s needs a value\n", flag);
            exit(2);
        }
        if (strcmp(flag, "--curve-secretkey") == 0)
            perf_curve_key(perf_curve.secret, flag, (*argv)[i + 1]);
        else if (strcmp(flag, "--curve-publickey") == 0)
            perf_curve_key(perf_curve.given_public, flag, (*argv)[i + 1]);
        else if (strcmp(flag, "--curve-serverkey") == 0)
            perf_curve_key(perf_curve.server_key, flag, (*argv)[i + 1]);
        else {
            fprintf(stderr, "unknown flag %s\n", flag);
            exit(2);
        }
        i += 2;
    }
    if (perf_curve.server == (perf_curve.server_key[0] != '\0')) {
        fprintf(stderr, "give --curve-server --curve-secretkey K (binding side) or --curve-serverkey K (connecting side)\n");
        exit(2);
    }
    if (perf_curve.server && perf_curve.secret[0] == '\0') {
        fprintf(stderr, "--curve-server needs --curve-secretkey\n");
        exit(2);
    }
    if (perf_curve.given_public[0] != '\0' && perf_curve.secret[0] == '\0') {
        fprintf(stderr, "--curve-publickey needs its --curve-secretkey\n");
        exit(2);
    }
    if (perf_curve.secret[0] == '\0') {
        if (zmq_curve_keypair(perf_curve.public_key, perf_curve.secret) != 0)
            perf_fail("zmq_curve_keypair");
    } else if (zmq_curve_public(perf_curve.public_key, perf_curve.secret) != 0) {
        perf_fail("zmq_curve_public");
    }
    if (perf_curve.given_public[0] != '\0' && strcmp(perf_curve.given_public, perf_curve.public_key) != 0) {
        fprintf(stderr, "--curve-publickey does not belong to --curve-secretkey (its public key is %s)\n",
                perf_curve.public_key);
        exit(2);
    }
    (*argv)[i - 1] = (*argv)[0];
    *argv += i - 1;
    *argc -= i - 1;
}

/* Sets the CURVE options on a socket before it binds or connects. */
static inline void perf_curve_apply(void *sock)
{
    if (zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, perf_curve.public_key, 40) != 0)
        perf_fail("zmq_setsockopt(ZMQ_CURVE_PUBLICKEY)");
    if (zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, perf_curve.secret, 40) != 0)
        perf_fail("zmq_setsockopt(ZMQ_CURVE_SECRETKEY)");
    if (perf_curve.server) {
        int one = 1;
        if (zmq_setsockopt(sock, ZMQ_CURVE_SERVER, &one, sizeof one) != 0)
            perf_fail("zmq_setsockopt(ZMQ_CURVE_SERVER)");
    } else if (zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, perf_curve.server_key, 40) != 0) {
        perf_fail("zmq_setsockopt(ZMQ_CURVE_SERVERKEY)");
    }
}

#endif
