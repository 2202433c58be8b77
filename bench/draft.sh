#!/usr/bin/env bash
# The draft types and transports next to what they stand beside, in one run, on our own perf tools
# (Debian's libzmq 4.3.4 has no draft API and no ws, and JeroMQ's perf tools here speak PUSH/PULL
# only, so there is no libzmq or JeroMQ column):
#   - tcp 16 B: PUSH/PULL, DEALER/ROUTER and CLIENT/SERVER (libzmq's local_thr/remote_thr contract)
#   - PUSH/PULL 16 B and 1 KiB: tcp next to ws://
#   - RADIO -> DISH over udp loopback, 16 B: received msg/s and loss at a few sender rates
# Prints a markdown table on stdout; progress on stderr; logs in bench/out/draft-<timestamp>/.
# usage: bench/draft.sh [--quick]   (--quick: 10x fewer messages)
set -u -o pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PZMQ=${BENCH_PZMQ:-$ROOT/pzmq}
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
N16=${BENCH_MSGS_16:-2000000}
N1K=${BENCH_MSGS_1K:-500000}
NUDP=${BENCH_MSGS_UDP:-200000}
if [ "$QUICK" = 1 ]; then N16=$((N16 / 10)); N1K=$((N1K / 10)); NUDP=$((NUDP / 10)); fi
OUT="$ROOT/bench/out/draft-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
"$PZMQ" --help >/dev/null || { echo "cannot run $PZMQ" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# thr NAME ENDPOINT SIZE COUNT [--pattern P]: one local_thr/remote_thr pair; prints msg/s or "failed"
thr() {
    local name=$1 ep=$2 size=$3 count=$4; shift 4
    local log="$OUT/$name.log"
    timeout 180 "$PZMQ" perf local_thr "$@" "$ep" "$size" "$count" >"$log" 2>&1 &
    local lp=$!
    timeout 180 "$PZMQ" perf remote_thr "$@" "$ep" "$size" "$count" >"$OUT/$name.remote.log" 2>&1
    wait "$lp"
    local v
    v=$(sed -n 's/^mean throughput: \([0-9]*\) \[msg\/s\].*/\1/p' "$log")
    echo "${v:-failed}"
}

row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4"; }
echo "progress: tcp 16 B patterns" >&2
echo "| test | size | messages | msg/s |"
echo "|---|---:|---:|---:|"
for p in PUSH_PULL DEALER_ROUTER CLIENT_SERVER; do
    row "tcp $p" "16 B" "$N16" "$(thr "tcp-$p" "tcp://127.0.0.1:$(free_port)" 16 "$N16" --pattern "$p")"
done
echo "progress: tcp next to ws" >&2
for size in 16 1024; do
    n=$N16; [ "$size" = 1024 ] && n=$N1K
    label="$size B"; [ "$size" = 1024 ] && label="1 KiB"
    row "tcp PUSH_PULL" "$label" "$n" "$(thr "tcp-$size" "tcp://127.0.0.1:$(free_port)" "$size" "$n")"
    row "ws PUSH_PULL" "$label" "$n" "$(thr "ws-$size" "ws://127.0.0.1:$(free_port)/thr" "$size" "$n")"
done
echo
echo "progress: udp RADIO/DISH" >&2
echo "| RADIO -> DISH, udp, 16 B | sent | received | loss | received msg/s |"
echo "|---|---:|---:|---:|---:|"
for rate in 10000 50000 100000 0; do
    log="$OUT/udp-$rate.log"
    timeout 180 "$PZMQ" perf udp_radio_dish --rate "$rate" 16 "$NUDP" >"$log" 2>&1
    label="$rate/s"; [ "$rate" = 0 ] && label="unpaced"
    # the tool prints "received: R", "loss: L [%]" and "mean throughput: T [msg/s]"
    recv=$(sed -n 's/^received: \([0-9]*\)$/\1/p' "$log")
    loss=$(sed -n 's/^loss: \([0-9.]*\) \[%\]$/\1/p' "$log")
    rps=$(sed -n 's/^mean throughput: \([0-9]*\) \[msg\/s\]$/\1/p' "$log")
    printf '| sender at %s | %s | %s | %s %% | %s |\n' "$label" "$NUDP" "${recv:-?}" "${loss:-?}" "${rps:-?}"
done
echo "logs: $OUT" >&2
