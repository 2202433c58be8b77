#!/usr/bin/env bash
# The cluster gateway (pzmq cluster-node --serve) measured with libzmq clients (pyzmq,
# bench/cluster_client.py), on 127.0.0.1:
#   1. requests/s through the gateway, 1 member and 3 members, CLIENTS libzmq DEALERs (one python
#      process) each keeping WINDOW requests outstanding; and through a plain pzmq ROUTER echo
#   2. round-trip latency, one REQ, one request at a time: plain pzmq ROUTER echo, the gateway's own
#      member's worker (no cluster hop), another member's worker (one Artery hop each way)
#   3. failover: SIGKILL the gateway's member of 3, time until a lazy-pirate client is answered
#      by the new gateway
# Usage: bench/cluster.sh [SECONDS] [CLIENTS] [WINDOW]    (defaults 10, 10, 10)
set -u -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECS=${1:-10}
CLIENTS=${2:-10}
WINDOW=${3:-10}
PZMQ="$ROOT/pzmq"
PY=/usr/bin/python3
CLIENT="$ROOT/bench/cluster_client.py"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pzmq-cluster-bench.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT

"$PZMQ" --version >/dev/null || exit 1   # builds the jar once, before anything is timed

port() { # a free port on 127.0.0.1
    local p
    while :; do
        p=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
}
await() { # await FILE TEXT [SECONDS]: until FILE has a line containing TEXT (bounded)
    local i
    for i in $(seq 1 $((${3:-90} * 10))); do grep -q -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    echo "timed out waiting for '$2' in $1:" >&2; cat "$1" >&2; exit 1
}
node() { # node NAME PORT SEED EP: starts a member in the background, its pid in $TMP/NAME.pid
    "$PZMQ" cluster-node --port "$2" --seed-port "$3" --serve "$4" >"$TMP/$1.out" 2>"$TMP/$1.err" &
    echo $! >"$TMP/$1.pid"
}
stop() { # stop NAME...: SIGTERM, wait
    local n
    for n in "$@"; do kill "$(cat "$TMP/$n.pid")" 2>/dev/null; done
    for n in "$@"; do wait "$(cat "$TMP/$n.pid")" 2>/dev/null; done
}
ms() { date +%s%3N; }

echo "pzmq cluster gateway, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(date '+%Y-%m-%d %H:%M:%S')"
echo "clients: libzmq $($PY -c 'import zmq; print(zmq.zmq_version())') (pyzmq), $CLIENTS DEALERs x $WINDOW outstanding, ${SECS} s"

# plain ROUTER echo (one pzmq process, no cluster)
EP="tcp://127.0.0.1:$(port)"
"$PZMQ" echo --type ROUTER --bind "$EP" >/dev/null 2>"$TMP/echo.err" & echo $! >"$TMP/echo.pid"
$PY "$CLIENT" lat "$EP" 200 >/dev/null   # waits for the bind
printf '%-34s %s\n' "plain ROUTER echo:" "$($PY "$CLIENT" thr "$EP" "$CLIENTS" "$SECS" "$WINDOW")"
ECHO_LAT=$($PY "$CLIENT" lat "$EP" 5000)
stop echo

# one member
A=$(port); EP="tcp://127.0.0.1:$(port)"
node a "$A" "$A" "$EP"
await "$TMP/a.out" "gateway bound at"
printf '%-34s %s\n' "gateway, 1 member:" "$($PY "$CLIENT" thr "$EP" "$CLIENTS" "$SECS" "$WINDOW")"
ONE_LAT=$($PY "$CLIENT" lat "$EP" 5000)
stop a

# three members
A=$(port); B=$(port); C=$(port); EP="tcp://127.0.0.1:$(port)"
node a "$A" "$A" "$EP"
await "$TMP/a.out" "gateway bound at"
node b "$B" "$A" "$EP"; node c "$C" "$A" "$EP"
await "$TMP/a.out" "gateway: 3 worker(s) reachable"
printf '%-34s %s\n' "gateway, 3 members:" "$($PY "$CLIENT" thr "$EP" "$CLIENTS" "$SECS" "$WINDOW")"
THREE_LAT=$($PY "$CLIENT" lat "$EP" 6000)

echo "round trip, one REQ, one request at a time (16 B):"
echo "$ECHO_LAT" | sed 's/^LAT echo/  plain ROUTER echo:      /'
echo "$ONE_LAT" | sed 's/^LAT local/  gateway, 1 member:      /'
echo "$THREE_LAT" | sed -e 's/^LAT local/  3 members, local worker: /' -e 's/^LAT remote/  3 members, remote worker:/'

# failover: kill the gateway's member
$PY -u "$CLIENT" failover "$EP" >"$TMP/failover.out" 2>&1 & echo $! >"$TMP/client.pid"
await "$TMP/failover.out" "GATEWAY $A "
kill -9 "$(cat "$TMP/a.pid")"; KILLED=$(ms)
NEW=
for i in $(seq 1 600); do
    NEW=$(grep -v "^GATEWAY $A " "$TMP/failover.out" | grep -m1 '^GATEWAY ') && break
    sleep 0.1
done
[ -n "$NEW" ] || { echo "no new gateway within 60 s" >&2; cat "$TMP"/b.out >&2; exit 1; }
read -r _ NEWPORT NEWMS <<<"$NEW"
echo "failover: SIGKILL of the gateway's member -> first answer from gateway $NEWPORT after $((NEWMS - KILLED)) ms"
kill "$(cat "$TMP/client.pid")"
T0=$(ms); stop b c
echo "SIGTERM of the two survivors together: both gone after $(( $(ms) - T0 )) ms"
