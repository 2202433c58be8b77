#!/usr/bin/env bash
# pzmq relay throughput next to our plain socket-to-socket throughput, in one run, 16-byte messages:
#   C remote_thr -> C local_thr                      (libzmq alone, for scale)
#   pzmq perf remote_thr -> pzmq perf local_thr      (ours, plain sockets)
#   C remote_thr -> pzmq perf local_thr              (ours receiving from libzmq)
#   C remote_thr -> pzmq relay PULL->PUSH -> C local_thr   (the relay between libzmq peers)
# Each number is the receiver's mean (libzmq's local_thr contract). Usage: bench/relay.sh [COUNT]
set -u -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-2000000}
T=${BENCH_TIMEOUT:-120}
BIN="$ROOT/bench/c/bin"
PZMQ="$ROOT/pzmq"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pzmq-relay-bench.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$TMP"' EXIT

for t in local_thr remote_thr; do
    if [ ! -x "$BIN/$t" ] || [ "$ROOT/bench/c/$t.c" -nt "$BIN/$t" ]; then
        mkdir -p "$BIN"
        cc -O2 -Wall -o "$BIN/$t" "$ROOT/bench/c/$t.c" -lzmq -lpthread \
            || { echo "cannot build $t (needs cc and libzmq3-dev)" >&2; exit 1; }
    fi
done

port() { # a free port on 127.0.0.1
    local p
    while :; do
        p=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
}
thr() { grep -m1 'mean throughput:.*msg/s' "$1" | sed -E 's/^[^:]*: *([0-9]+).*/\1/'; }
ready() { # wait (bounded) until FILE has a line starting with PREFIX
    local i
    for i in $(seq 1 300); do grep -q "^$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}

# pair LABEL "RECEIVER..." "SENDER...": the receiver binds first; prints the receiver's mean
pair() {
    local label=$1 recv=$2 send=$3 out="$TMP/$(echo "$1" | tr -c 'a-z0-9' _)"
    # shellcheck disable=SC2086
    timeout "$T" $recv >"$out.recv" 2>&1 & local r=$!
    # shellcheck disable=SC2086
    timeout "$T" $send >"$out.send" 2>&1
    wait $r
    printf '%-46s %12s msg/s\n' "$label" "$(thr "$out.recv")"
}

echo "16 B x $N, tcp, $(nproc) cores; $(date '+%Y-%m-%d %H:%M:%S')"
A=$(port); pair "C -> C" "$BIN/local_thr tcp://127.0.0.1:$A 16 $N" "$BIN/remote_thr tcp://127.0.0.1:$A 16 $N"
A=$(port); pair "pzmq -> pzmq (plain sockets)" "$PZMQ perf local_thr tcp://127.0.0.1:$A 16 $N" \
    "$PZMQ perf remote_thr tcp://127.0.0.1:$A 16 $N"
A=$(port); pair "C -> pzmq local_thr" "$PZMQ perf local_thr tcp://127.0.0.1:$A 16 $N" \
    "$BIN/remote_thr tcp://127.0.0.1:$A 16 $N"

A=$(port); B=$(port)
timeout "$T" "$BIN/local_thr" "tcp://127.0.0.1:$B" 16 "$N" >"$TMP/relay.recv" 2>&1 & r=$!
timeout "$T" "$PZMQ" relay --from-type PULL --from-bind "tcp://127.0.0.1:$A" --to-type PUSH \
    --to-connect "tcp://127.0.0.1:$B" --count "$N" >"$TMP/relay.out" 2>&1 & rl=$!
ready "$TMP/relay.out" "to " || { echo "relay did not start:" >&2; cat "$TMP/relay.out" >&2; exit 1; }
timeout "$T" "$BIN/remote_thr" "tcp://127.0.0.1:$A" 16 "$N" >/dev/null 2>&1
wait $r
wait $rl || { echo "relay failed:" >&2; cat "$TMP/relay.out" >&2; }
printf '%-46s %12s msg/s\n' "C -> pzmq relay (PULL->PUSH) -> C" "$(thr "$TMP/relay.recv")"
