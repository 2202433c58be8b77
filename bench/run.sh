#!/usr/bin/env bash
# Side-by-side benchmark: libzmq (C) vs JeroMQ vs pekko-zmq on this machine, in one run.
# Prints a markdown table on stdout; progress goes to stderr; logs land in bench/out/<timestamp>/.
# See bench/README.md for what is measured and for the tool contracts.
set -u -o pipefail

usage() {
    cat <<'EOF'
usage: bench/run.sh [--quick] [--curve] [--only libzmq,jeromq,pekko] [--help]

  --quick        10x fewer messages / roundtrips than the defaults
  --curve        the security matrix instead: throughput 16 B and 1 KiB and REQ/REP latency over
                 tcp, each NULL and then CURVE (server key pair from libzmq's zmq_curve_keypair)
  --only LIST    comma-separated implementations to run (libzmq, jeromq, pekko); the others show "skipped"

environment (defaults in brackets; --quick divides them by 10):
  BENCH_MSGS_16        messages for the 16 B throughput tests   [2000000]
  BENCH_MSGS_1K        messages for the 1 KiB throughput tests  [500000]
  BENCH_MSGS_64K       messages for the 64 KiB throughput tests [20000]
  BENCH_MSGS_64K_INPROC  messages for the 64 KiB inproc one: 20,000 take 20-50 ms
                       there, too short to measure (a GC or a timer tick decides it) [200000]
  BENCH_LAT_ROUNDTRIPS roundtrips for the 16 B latency tests    [20000]
  BENCH_FANOUT_MSGS    messages published in each fan-out test  [500000]
  BENCH_STEADY_16      16 B messages timed in the steady-state rows, after
                       BENCH_WARMUP_16 untimed ones in the same processes [5000000, 3000000]
  BENCH_STEADY_1K      1 KiB messages timed there, after BENCH_WARMUP_1K   [1000000, 1000000]
  BENCH_STEADY_LAT     roundtrips timed there, after BENCH_WARMUP_LAT      [20000, 20000]
  BENCH_TIMEOUT        seconds allowed for one run (one cell)   [120]
  BENCH_REPS           runs of every cell, the implementations alternating
                       within each round; a cell shows the median run   [3; 1 with --quick]
  BENCH_JAVA_OPTS      extra JVM options for the JeroMQ side    []
  BENCH_PZMQ           the pekko-zmq launcher                   [./pzmq]
EOF
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
QUICK=0
CURVE=0
ONLY="libzmq,jeromq,pekko"

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --curve) CURVE=1 ;;
        --only) shift; ONLY="${1:-}" ;;
        --only=*) ONLY="${1#--only=}" ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
for impl in ${ONLY//,/ }; do
    case "$impl" in
        libzmq|jeromq|pekko) ;;
        *) echo "--only: unknown implementation '$impl' (use libzmq, jeromq, pekko)" >&2; exit 2 ;;
    esac
done
selected() { case ",$ONLY," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

scale() { # scale N: the count, divided by 10 under --quick (at least 1)
    local n=$1
    if [ "$QUICK" = 1 ]; then n=$((n / 10)); [ "$n" -lt 1 ] && n=1; fi
    echo "$n"
}
MSGS_16=$(scale "${BENCH_MSGS_16:-2000000}")
MSGS_1K=$(scale "${BENCH_MSGS_1K:-500000}")
MSGS_64K=$(scale "${BENCH_MSGS_64K:-20000}")
MSGS_64K_INPROC=$(scale "${BENCH_MSGS_64K_INPROC:-200000}")
LAT_RT=$(scale "${BENCH_LAT_ROUNDTRIPS:-20000}")
FANOUT_MSGS=$(scale "${BENCH_FANOUT_MSGS:-500000}")
STEADY_16=$(scale "${BENCH_STEADY_16:-5000000}")
WARMUP_16=$(scale "${BENCH_WARMUP_16:-3000000}")
STEADY_1K=$(scale "${BENCH_STEADY_1K:-1000000}")
WARMUP_1K=$(scale "${BENCH_WARMUP_1K:-1000000}")
STEADY_LAT=$(scale "${BENCH_STEADY_LAT:-20000}")
WARMUP_LAT=$(scale "${BENCH_WARMUP_LAT:-20000}")
# Every tool prints its process's CPU (and, on the JVM, heap bytes allocated) per message of its timed
# part (PerfReport.Cost, perf_cost_print); PERF_WARMUP (0 here) is set per row by measure_steady.
export PERF_COST=1 PERF_WARMUP=0
TIMEOUT="${BENCH_TIMEOUT:-120}"
REPS="${BENCH_REPS:-$([ "$QUICK" = 1 ] && echo 1 || echo 3)}"
case "$REPS" in ''|*[!0-9]*|0) echo "BENCH_REPS must be a positive number, not '$REPS'" >&2; exit 2 ;; esac
read -r -a JAVA_OPTS <<< "${BENCH_JAVA_OPTS:-}"

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

STAMP=$(date +%Y%m%d-%H%M%S)
OUT="$BENCH/out/$STAMP"
mkdir -p "$OUT"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pzmq-bench.XXXXXX")
RUNNING=()
cleanup() {
    local p
    for p in "${RUNNING[@]}"; do kill "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

for tool in timeout; do
    command -v "$tool" >/dev/null || { echo "bench: '$tool' (coreutils) is required" >&2; exit 1; }
done

declare -A REASON   # why an implementation's column is n/a
declare -A ENABLED

# ---------------------------------------------------------------------------------------- libzmq (C)
C_TOOLS="local_thr remote_thr local_lat remote_lat inproc_thr inproc_lat pub_fanout sub_fanout"
prepare_libzmq() {
    if ! command -v cc >/dev/null; then
        REASON[libzmq]="no C compiler: install one (Debian: apt-get install -y build-essential)"; return 1
    fi
    if ! echo '#include <zmq.h>' | cc -E - >/dev/null 2>&1; then
        REASON[libzmq]="libzmq headers missing (Debian: apt-get install -y libzmq3-dev)"; return 1
    fi
    mkdir -p "$BENCH/c/bin"
    local t
    for t in $C_TOOLS; do
        local bin="$BENCH/c/bin/$t" src="$BENCH/c/$t.c"
        if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ] || [ "$BENCH/c/perf_util.h" -nt "$bin" ] \
            || [ "$BENCH/c/fanout.h" -nt "$bin" ]; then
            log "building bench/c/bin/$t"
            if ! cc -O2 -Wall -o "$bin" "$src" -lzmq -lpthread >"$OUT/build-c-$t.log" 2>&1; then
                REASON[libzmq]="building $t failed (see $OUT/build-c-$t.log; is libzmq3-dev installed?)"
                return 1
            fi
        fi
    done
    if [ "$CURVE" = 1 ]; then
        # the same sources with the security flags compiled in (bench/c/curve.h); bin/<tool> stays NULL-only
        for t in curve_keygen curve_local_thr curve_remote_thr curve_local_lat curve_remote_lat; do
            local bin="$BENCH/c/bin/$t" src="$BENCH/c/${t#curve_}.c" defs="-DPERF_CURVE"
            [ "$t" = curve_keygen ] && src="$BENCH/c/curve_keygen.c"
            if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ] || [ "$BENCH/c/perf_util.h" -nt "$bin" ] \
                || [ "$BENCH/c/curve.h" -nt "$bin" ]; then
                log "building bench/c/bin/$t"
                if ! cc -O2 -Wall $defs -o "$bin" "$src" -lzmq -lpthread >"$OUT/build-c-$t.log" 2>&1; then
                    REASON[libzmq]="building $t failed (see $OUT/build-c-$t.log; is libzmq3-dev installed?)"
                    return 1
                fi
            fi
        done
    fi
    return 0
}

# ---------------------------------------------------------------------------------------- JeroMQ
JAR="$ROOT/samples/target/pzmq.jar"
JEROMQ_MAIN="io.pekkozmq.samples.bench.jeromq.JeromqPerf"
JEROMQ_CP=""
# grep reads all of unzip's output (no -q): an early exit would SIGPIPE unzip and fail the pipeline under pipefail
jar_has_perf() { unzip -l "$1" 2>/dev/null | grep 'io/pekkozmq/samples/bench/jeromq/JeromqPerf.class' >/dev/null; }
jar_is_stale() {
    [ -f "$JAR" ] || return 0
    local d
    for d in "$ROOT"/*/src/main "$ROOT"/pom.xml "$ROOT"/*/pom.xml; do
        [ -e "$d" ] || continue
        if [ -n "$(find "$d" -newer "$JAR" -type f -print -quit 2>/dev/null)" ]; then return 0; fi
    done
    return 1
}
prepare_jeromq() {
    if ! command -v java >/dev/null; then
        REASON[jeromq]="java not found (a JDK 17 is needed)"; return 1
    fi
    if jar_is_stale; then
        if command -v mvn >/dev/null; then
            log "building samples/target/pzmq.jar (mvn -B -q -pl samples -am package -DskipTests; log: $OUT/build-maven.log)"
            if ! (cd "$ROOT" && mvn -B -q -pl samples -am package -DskipTests) >"$OUT/build-maven.log" 2>&1; then
                log "maven build failed (see $OUT/build-maven.log)"
            fi
        else
            log "mvn not found; cannot rebuild samples/target/pzmq.jar"
        fi
    fi
    if [ -f "$JAR" ] && ! jar_is_stale && jar_has_perf "$JAR"; then
        JEROMQ_CP="$JAR"; return 0
    fi
    # Fallback: compile just the JeroMQ perf package against jeromq from the local Maven repository.
    local repo="${MAVEN_REPO:-$HOME/.m2/repository}"
    local jeromq_jar="$repo/org/zeromq/jeromq/0.6.0/jeromq-0.6.0.jar"
    # JeroMQ's CURVE needs jnacl (its dependency) at run time
    local jnacl_jar="$repo/eu/neilalexander/jnacl/1.0.0/jnacl-1.0.0.jar"
    if command -v javac >/dev/null && [ -f "$jeromq_jar" ]; then
        local classes="$BENCH/out/jeromq-classes"
        log "pzmq.jar unusable; compiling the JeroMQ perf tools with javac into bench/out/jeromq-classes"
        rm -rf "$classes" && mkdir -p "$classes"
        if javac -d "$classes" -cp "$jeromq_jar" \
            "$ROOT"/samples/src/main/java/io/pekkozmq/samples/bench/jeromq/*.java \
            "$ROOT"/samples/src/main/java/io/pekkozmq/samples/bench/PerfReport.java >"$OUT/build-javac.log" 2>&1; then
            JEROMQ_CP="$classes:$jeromq_jar:$jnacl_jar"; return 0
        fi
        REASON[jeromq]="javac fallback failed (see $OUT/build-javac.log)"; return 1
    fi
    REASON[jeromq]="no usable samples/target/pzmq.jar (maven build: $OUT/build-maven.log) and no jeromq-0.6.0.jar in $repo for the javac fallback"
    return 1
}

# ---------------------------------------------------------------------------------------- pekko-zmq
PZMQ="${BENCH_PZMQ:-$ROOT/pzmq}"   # BENCH_PZMQ: another launcher, e.g. to test the harness
prepare_pekko() {
    if [ ! -x "$PZMQ" ]; then REASON[pekko]="./pzmq launcher not found at the repository root"; return 1; fi
    return 0
}

for impl in libzmq jeromq pekko; do
    ENABLED[$impl]=0
    if selected "$impl"; then
        if "prepare_$impl"; then ENABLED[$impl]=1; else log "$impl: n/a — ${REASON[$impl]}"; fi
    else
        REASON[$impl]="skipped (--only $ONLY)"
    fi
done

# ---------------------------------------------------------------------------------------- CURVE keys
# One server key pair per run, from zmq_curve_keypair (bench/c/bin/curve_keygen) or else `pzmq keygen`;
# each client makes its own pair. Z85 keys hold shell glob characters: they only ever travel in arrays.
SECURE=0
SERVER_FLAGS=()
CLIENT_FLAGS=()
if [ "$CURVE" = 1 ]; then
    keygen_out=""
    if [ "${ENABLED[libzmq]}" = 1 ]; then
        keygen_out=$("$BENCH/c/bin/curve_keygen")
    elif [ "${ENABLED[pekko]}" = 1 ]; then
        keygen_out=$("$PZMQ" keygen)
    fi
    server_public=$(printf '%s\n' "$keygen_out" | sed -n '/== CURVE PUBLIC KEY ==/{n;p;}')
    server_secret=$(printf '%s\n' "$keygen_out" | sed -n '/== CURVE SECRET KEY ==/{n;p;}')
    if [ "${#server_public}" != 40 ] || [ "${#server_secret}" != 40 ]; then
        echo "bench: no CURVE key pair (needs bench/c/bin/curve_keygen or ./pzmq keygen)" >&2; exit 1
    fi
    SERVER_FLAGS=(--curve-server --curve-secretkey "$server_secret" --curve-publickey "$server_public")
    CLIENT_FLAGS=(--curve-serverkey "$server_public")
fi

# Command that runs TOOL for IMPL, as an array in CMD; with SECURE=1 a two-process tool gets the
# CURVE flags (server flags on the binding local_* side, client flags on the connecting remote_* side).
impl_cmd() {
    local impl=$1 tool=$2
    local flags=()
    if [ "$SECURE" = 1 ]; then
        case "$tool" in
            local_*) flags=("${SERVER_FLAGS[@]}") ;;
            remote_*) flags=("${CLIENT_FLAGS[@]}") ;;
        esac
    fi
    case "$impl" in
        libzmq) if [ "$SECURE" = 1 ]; then CMD=("$BENCH/c/bin/curve_$tool"); else CMD=("$BENCH/c/bin/$tool"); fi ;;
        jeromq) CMD=(java "${JAVA_OPTS[@]}" -cp "$JEROMQ_CP" "$JEROMQ_MAIN" "$tool") ;;
        pekko) CMD=("$PZMQ" perf "$tool") ;;
    esac
    CMD+=("${flags[@]}")
}

# ---------------------------------------------------------------------------------------- ports
declare -A USED_PORTS
port_busy() {
    local p=$1
    [ -n "${USED_PORTS[$p]:-}" ] && return 0
    if command -v ss >/dev/null; then
        [ -n "$(ss -Htan "( sport = :$p )" 2>/dev/null)" ] && return 0
        return 1
    fi
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && return 0
    return 1
}
free_port() { # free_port N: a port P with P..P+N-1 all free on 127.0.0.1
    local span=${1:-1} try p k ok
    for try in $(seq 1 500); do
        p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        ok=1
        for k in $(seq 0 $((span - 1))); do port_busy $((p + k)) && { ok=0; break; }; done
        if [ "$ok" = 1 ]; then
            for k in $(seq 0 $((span - 1))); do USED_PORTS[$((p + k))]=1; done
            echo "$p"; return 0
        fi
    done
    return 1
}

# ---------------------------------------------------------------------------------------- running
# Start a command in the background under a timeout; its pid in BG_PID.
start_bg() {
    local out=$1 err=$2; shift 2
    timeout -k 5 "$TIMEOUT" "$@" >"$out" 2>"$err" </dev/null &
    BG_PID=$!
    RUNNING+=("$BG_PID")
}

# run_pair ID IMPL LOCAL_TOOL "LOCAL_ARGS" REMOTE_TOOL "REMOTE_ARGS": the binding side first, then the
# connecting side, both under the timeout; if one fails, the other is stopped at once.
# Sets RC_LOCAL, RC_REMOTE; output in $OUT/ID.IMPL.{local,remote}.{out,err}.
run_pair() {
    local id=$1 impl=$2 ltool=$3 largs=$4 rtool=$5 rargs=$6 lp rp
    local base="$OUT/$id.$impl"
    impl_cmd "$impl" "$ltool"
    # shellcheck disable=SC2206
    start_bg "$base.local.out" "$base.local.err" "${CMD[@]}" $largs; lp=$BG_PID
    impl_cmd "$impl" "$rtool"
    # shellcheck disable=SC2206
    start_bg "$base.remote.out" "$base.remote.err" "${CMD[@]}" $rargs; rp=$BG_PID
    RC_LOCAL=""; RC_REMOTE=""
    while [ -z "$RC_LOCAL" ] || [ -z "$RC_REMOTE" ]; do
        if [ -z "$RC_LOCAL" ] && ! kill -0 "$lp" 2>/dev/null; then wait "$lp"; RC_LOCAL=$?; fi
        if [ -z "$RC_REMOTE" ] && ! kill -0 "$rp" 2>/dev/null; then wait "$rp"; RC_REMOTE=$?; fi
        if [ -n "$RC_LOCAL" ] && [ "$RC_LOCAL" != 0 ] && [ -z "$RC_REMOTE" ]; then kill "$rp" 2>/dev/null; fi
        if [ -n "$RC_REMOTE" ] && [ "$RC_REMOTE" != 0 ] && [ -z "$RC_LOCAL" ]; then kill "$lp" 2>/dev/null; fi
        [ -n "$RC_LOCAL" ] && [ -n "$RC_REMOTE" ] || sleep 0.1
    done
    RUNNING=()
}

# run_single ID IMPL TOOL "ARGS" (inproc tools). Sets RC_LOCAL; output in $OUT/ID.IMPL.local.{out,err}.
run_single() {
    local id=$1 impl=$2 tool=$3 args=$4
    local base="$OUT/$id.$impl"
    impl_cmd "$impl" "$tool"
    # shellcheck disable=SC2206
    start_bg "$base.local.out" "$base.local.err" "${CMD[@]}" $args
    wait "$BG_PID"; RC_LOCAL=$?; RC_REMOTE=0
    RUNNING=()
}

group3() { sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|[^0-9]\)/\1,\2\3/' -e 'ta'; }
field() { # field FILE REGEX: the first number on the first line matching REGEX
    grep -m1 -E "$2" "$1" 2>/dev/null | sed -E 's/^[^:]*: *([0-9.]+).*/\1/'
}

# Status of the last run (ID IMPL) as a cell, or empty if it succeeded.
failure_cell() {
    local rc
    for rc in "$RC_LOCAL" "$RC_REMOTE"; do
        if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then echo "timeout"; return; fi
    done
    # a tool that received a message of the wrong size says so (e.g. JeroMQ's CURVE at HWM, jeromq#1009)
    if [ "$RC_LOCAL" != 0 ] || [ "$RC_REMOTE" != 0 ]; then
        if cat "$OUT/$1.$2".*.out "$OUT/$1.$2".*.err 2>/dev/null | grep -q 'message of incorrect size'; then
            echo "failed: wrong-size message received"; return
        fi
    fi
    if [ "$RC_LOCAL" != 0 ] || [ "$RC_REMOTE" != 0 ]; then echo "n/a"; return; fi
    echo ""
}

declare -A CELL
ROWS=()

# cost_cells ID IMPL: the cost lines of a throughput pair's two processes into the rows
# "$COST_ROW, CPU per message" and "$COST_ROW, heap allocated per message" (sender / receiver).
cost_cells() {
    local id=$1 impl=$2 s r sa ra
    s=$(field "$OUT/$id.$impl.remote.out" '^cpu per message:')
    r=$(field "$OUT/$id.$impl.local.out" '^cpu per message:')
    sa=$(field "$OUT/$id.$impl.remote.out" '^allocated per message:')
    ra=$(field "$OUT/$id.$impl.local.out" '^allocated per message:')
    CELL["$COST_ROW, CPU per message (sender / receiver)|$impl"]="${s:-?} / ${r:-?} ns"
    if [ "$impl" = libzmq ]; then
        CELL["$COST_ROW, heap allocated per message (sender / receiver)|$impl"]="(C: malloc, not counted)"
    else
        CELL["$COST_ROW, heap allocated per message (sender / receiver)|$impl"]="${sa:-?} / ${ra:-?} B"
    fi
}

# measure_steady WARMUP ROW_LABEL KIND ...: measure with PERF_WARMUP=WARMUP in both processes: the
# warm-up messages (roundtrips) pass untimed before the clock starts (libzmq's contract stays the
# cold rows above). Same processes, same tools, same counts for all three implementations.
measure_steady() {
    local w=$1; shift
    export PERF_WARMUP=$w
    measure "$@"
    export PERF_WARMUP=0
}

# add_cost_rows ROW: the two cost rows filled by the thr measure just before (COST_ROW=ROW).
add_cost_rows() {
    local row impl
    for row in "$1, CPU per message (sender / receiver)" "$1, heap allocated per message (sender / receiver)"; do
        ROWS+=("$row")
        for impl in libzmq jeromq pekko; do
            [ -n "${CELL["$row|$impl"]:-}" ] || CELL["$row|$impl"]="n/a"
        done
    done
}
TOTAL_RUNS=0
RUN_NO=0

# measure ROW_LABEL KIND ...: runs the row for each implementation and fills CELL[ROW_LABEL|impl].
# A row runs BENCH_REPS rounds, each round libzmq, JeroMQ, then pekko-zmq, so a slow minute of the
# machine falls on all three; each cell is then its implementation's median run.
declare -A CELL_R VAL_R
measure() {
    local label=$1 kind=$2; shift 2
    ROWS+=("$label")
    local impl id cell t0 f val r base
    base=$(echo "$label" | tr -c 'A-Za-z0-9\n' '_' | tr -s '_')
    for r in $(seq 1 "$REPS"); do
    for impl in libzmq jeromq pekko; do
        if [ "${ENABLED[$impl]}" != 1 ]; then
            if selected "$impl"; then CELL["$label|$impl"]="n/a"; else CELL["$label|$impl"]="skipped"; fi
            continue
        fi
        RUN_NO=$((RUN_NO + 1))
        id=$base
        [ "$REPS" -gt 1 ] && id="$base.r$r"
        val=""
        t0=$(date +%s.%N)
        log "($RUN_NO/$TOTAL_RUNS) $label — $impl ..."
        case "$kind" in
            thr)
                local transport=$1 size=$2 count=$3 ep
                case "$transport" in
                    tcp) local p; p=$(free_port 1) || { CELL["$label|$impl"]="n/a"; continue; }
                         ep="tcp://127.0.0.1:$p" ;;
                    ipc) ep="ipc://$TMP/$id.$impl.sock" ;;
                esac
                if [ "$transport" = inproc ]; then
                    run_single "$id" "$impl" inproc_thr "$size $count"
                else
                    run_pair "$id" "$impl" local_thr "$ep $size $count" remote_thr "$ep $size $count"
                fi
                cell=$(failure_cell "$id" "$impl")
                if [ -z "$cell" ]; then
                    f="$OUT/$id.$impl.local.out"
                    local msgs mbs
                    msgs=$(field "$f" '^mean throughput: .*\[msg/s\]')
                    mbs=$(field "$f" '^mean throughput: .*\[Mb/s\]')
                    if [ -n "$msgs" ] && [ -n "$mbs" ]; then
                        cell="$(echo "$msgs" | group3) msg/s · $(printf '%.1f' "$mbs") Mb/s"; val=$msgs
                    else
                        cell="n/a"
                    fi
                fi
                ;;
            lat)
                local transport=$1 size=$2 count=$3 ep
                if [ "$transport" = inproc ]; then
                    run_single "$id" "$impl" inproc_lat "$size $count"
                    f="$OUT/$id.$impl.local.out"
                else
                    local p; p=$(free_port 1) || { CELL["$label|$impl"]="n/a"; continue; }
                    ep="tcp://127.0.0.1:$p"
                    run_pair "$id" "$impl" local_lat "$ep $size $count" remote_lat "$ep $size $count"
                    f="$OUT/$id.$impl.remote.out"
                fi
                cell=$(failure_cell "$id" "$impl")
                if [ -z "$cell" ]; then
                    local us; us=$(field "$f" '^average latency:')
                    if [ -n "$us" ]; then cell="$us µs"; val=$us; else cell="n/a"; fi
                fi
                ;;
            fanout)
                local size=$1 count=$2 subs=$3 p ep
                p=$(free_port 2) || { CELL["$label|$impl"]="n/a"; continue; }
                ep="tcp://127.0.0.1:$p"
                run_pair "$id" "$impl" pub_fanout "$ep $size $count $subs" sub_fanout "$ep $size $count $subs"
                cell=$(failure_cell "$id" "$impl")
                if [ -z "$cell" ]; then
                    f="$OUT/$id.$impl.remote.out"
                    local rate ratio
                    rate=$(field "$f" '^delivered: .*\[msg/s\]')
                    ratio=$(field "$f" '^delivered ratio:')
                    if [ -n "$rate" ] && [ -n "$ratio" ]; then
                        cell="$(echo "$rate" | group3) msg/s ($(printf '%.1f' "$ratio")% delivered)"; val=$rate
                    else
                        cell="n/a"
                    fi
                fi
                ;;
        esac
        CELL_R["$label|$impl|$r"]="$cell"; VAL_R["$label|$impl|$r"]="$val"; CELL_R["$label|$impl|$r|id"]="$id"
        log "($RUN_NO/$TOTAL_RUNS) $label — $impl: $cell ($(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s)"
    done
    done
    # each implementation's cell: its median successful run (of BENCH_REPS), else its first run's failure
    local ok chosen n
    for impl in libzmq jeromq pekko; do
        [ "${ENABLED[$impl]}" = 1 ] || continue
        ok=$(for r in $(seq 1 "$REPS"); do
                 [ -n "${VAL_R["$label|$impl|$r"]:-}" ] && echo "${VAL_R["$label|$impl|$r"]} $r"
             done | sort -g)
        n=$(printf '%s\n' "$ok" | grep -c . || true)
        if [ "$n" = 0 ]; then
            CELL["$label|$impl"]="${CELL_R["$label|$impl|1"]:-n/a}"; continue
        fi
        chosen=$(printf '%s\n' "$ok" | sed -n "$(( (n + 1) / 2 ))p" | awk '{ print $2 }')
        CELL["$label|$impl"]="${CELL_R["$label|$impl|$chosen"]}"
        [ "$n" -lt "$REPS" ] && CELL["$label|$impl"]+=" (median of the $n of $REPS runs that worked)"
        if [ "$kind" = thr ] && [ -n "${COST_ROW:-}" ] && [ "$1" != inproc ]; then
            cost_cells "${CELL_R["$label|$impl|$chosen|id"]}" "$impl"
        fi
    done
}

# ---------------------------------------------------------------------------------------- the matrix
ENABLED_COUNT=0
for impl in libzmq jeromq pekko; do [ "${ENABLED[$impl]}" = 1 ] && ENABLED_COUNT=$((ENABLED_COUNT + 1)); done
if [ "$CURVE" = 1 ]; then
    # each NULL row next to its CURVE row, so the cost of the encryption reads off one table
    TOTAL_RUNS=$((ENABLED_COUNT * 6 * REPS))
    for size in 16 1024; do
        case $size in 16) n=$MSGS_16; h="16 B" ;; 1024) n=$MSGS_1K; h="1 KiB" ;; esac
        SECURE=0; measure "throughput $h tcp, NULL" thr tcp "$size" "$n"
        SECURE=1; measure "throughput $h tcp, CURVE" thr tcp "$size" "$n"
    done
    SECURE=0; measure "latency 16 B tcp, NULL" lat tcp 16 "$LAT_RT"
    SECURE=1; measure "latency 16 B tcp, CURVE" lat tcp 16 "$LAT_RT"
    SECURE=0
else
TOTAL_RUNS=$((ENABLED_COUNT * (9 + 2 + 3 + 4) * REPS))

COST_ROW=""
for size in 16 1024 65536; do
    case $size in 16) n=$MSGS_16; h="16 B" ;; 1024) n=$MSGS_1K; h="1 KiB" ;; 65536) n=$MSGS_64K; h="64 KiB" ;; esac
    for transport in tcp ipc inproc; do
        if [ "$size" = 16 ] && [ "$transport" = tcp ]; then COST_ROW="16 B tcp, cold"; fi
        if [ "$size" = 65536 ] && [ "$transport" = inproc ]; then
            measure "throughput $h $transport ($(echo "$MSGS_64K_INPROC" | group3) messages)" thr "$transport" "$size" "$MSGS_64K_INPROC"
            continue
        fi
        measure "throughput $h $transport" thr "$transport" "$size" "$n"
        if [ -n "$COST_ROW" ]; then add_cost_rows "$COST_ROW"; COST_ROW=""; fi
    done
done
measure "latency 16 B tcp" lat tcp 16 "$LAT_RT"
measure "latency 16 B inproc" lat inproc 16 "$LAT_RT"
for subs in 1 10 100; do
    measure "fan-out 16 B tcp, 1 PUB → $subs SUB" fanout 16 "$FANOUT_MSGS" "$subs"
done
# Steady state: the same pair after an untimed warm-up in the same processes (a separate, labelled
# row: the JVMs' JIT has compiled the hot path by then; libzmq has nothing to warm).
w16=$(echo "$WARMUP_16" | group3); w1k=$(echo "$WARMUP_1K" | group3); wlat=$(echo "$WARMUP_LAT" | group3)
COST_ROW="16 B tcp, steady"
measure_steady "$WARMUP_16" "throughput 16 B tcp, steady (after $w16 untimed)" thr tcp 16 "$STEADY_16"
add_cost_rows "$COST_ROW"
COST_ROW=""
measure_steady "$WARMUP_16" "throughput 16 B ipc, steady (after $w16 untimed)" thr ipc 16 "$STEADY_16"
measure_steady "$WARMUP_1K" "throughput 1 KiB tcp, steady (after $w1k untimed)" thr tcp 1024 "$STEADY_1K"
measure_steady "$WARMUP_LAT" "latency 16 B tcp, steady (after $wlat untimed roundtrips)" lat tcp 16 "$STEADY_LAT"
fi

# ---------------------------------------------------------------------------------------- the table
cpu=$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | sed 's/^model name[[:space:]]*:[[:space:]]*//')
zmqver=$(pkg-config --modversion libzmq 2>/dev/null || echo "?")
javaver=$(java -version 2>&1 | head -1 || true)
{
    echo "## pekko-zmq $([ "$CURVE" = 1 ] && echo "CURVE ")benchmark — $(date '+%Y-%m-%d %H:%M:%S %Z')"
    echo
    echo "- machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr)"
    echo "- libzmq ${zmqver} (C tools in bench/c), JeroMQ 0.6.0, ${javaver:-no java}"
    if [ "$CURVE" = 1 ]; then
        echo "- counts: 16 B ${MSGS_16}, 1 KiB ${MSGS_1K} messages; latency ${LAT_RT} roundtrips$([ "$QUICK" = 1 ] && echo " (--quick)")"
        echo "- CURVE: one server key pair (zmq_curve_keypair), each client its own; no authenticator (any client key passes)"
    else
    echo "- counts: 16 B ${MSGS_16}, 1 KiB ${MSGS_1K}, 64 KiB ${MSGS_64K} (inproc ${MSGS_64K_INPROC}) messages; latency ${LAT_RT} roundtrips; fan-out ${FANOUT_MSGS} messages$([ "$QUICK" = 1 ] && echo " (--quick)")"
    echo "- steady rows: 16 B ${STEADY_16} after ${WARMUP_16}, 1 KiB ${STEADY_1K} after ${WARMUP_1K}, latency ${STEADY_LAT} after ${WARMUP_LAT} roundtrips, untimed, in the same processes (PERF_WARMUP); every other row is libzmq's contract: cold processes, timed from the first message"
    [ "$REPS" -gt 1 ] && echo "- every cell: the median of ${REPS} runs (each row ${REPS} rounds of libzmq, JeroMQ, pekko-zmq in turn)"
    echo "- cost rows: CPU time of the whole process (all threads: JIT and GC included on the JVM) and heap bytes allocated by all threads, over the timed part, per message"
    fi
    if [ "$CURVE" = 1 ]; then
        echo "- throughput: receiver-side mean (libzmq local_thr); latency: half the mean roundtrip (remote_lat)"
    else
    echo "- throughput: receiver-side mean (libzmq local_thr); latency: half the mean roundtrip (remote_lat); fan-out: messages delivered to all SUBs per second, PUB dropping at HWM"
    fi
    echo
    echo "| test | libzmq (C) | JeroMQ | pekko-zmq |"
    echo "|---|---:|---:|---:|"
    for row in "${ROWS[@]}"; do
        echo "| $row | ${CELL["$row|libzmq"]} | ${CELL["$row|jeromq"]} | ${CELL["$row|pekko"]} |"
    done
    echo
    for impl in libzmq jeromq pekko; do
        if [ -n "${REASON[$impl]:-}" ]; then echo "- $impl: ${REASON[$impl]}"; fi
    done
    echo "- logs: ${OUT#"$ROOT"/}/"
} | tee "$OUT/results.md"
