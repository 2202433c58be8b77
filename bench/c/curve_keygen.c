/* curve_keygen: a CURVE key pair from zmq_curve_keypair, in the layout of libzmq's tools/curve_keygen
 * (without its introduction), so bench/curve.sh reads it as it reads `pzmq keygen`. */
#include "perf_util.h"

int main(void)
{
    char public_key[41];
    char secret_key[41];
    if (zmq_curve_keypair(public_key, secret_key) != 0)
        perf_fail("zmq_curve_keypair");
    printf("\n== CURVE PUBLIC KEY ==\n%s\n\n== CURVE SECRET KEY ==\n%s\n", public_key, secret_key);
    return 0;
}
