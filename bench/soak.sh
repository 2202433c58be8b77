#!/usr/bin/env bash
# The soak (minutes; not part of the test suite): one JVM, thousands of connect/close, connect/
# disconnect and unbind/rebind cycles and millions of messages; fds, threads, heap and direct
# memory must stay flat and every message must arrive. Prints one line per sample, a table and a
# verdict; exits 1 if something grew or went missing. See bench/README.md, "Soak".
#   bench/soak.sh                  # 3 minutes
#   bench/soak.sh --quick          # about 20 s
#   bench/soak.sh --minutes 5 | --cycles 20000 [--sample-every N] [--batch N] [--stream-rate MSGS_PER_S]
# Builds samples/target/pzmq.jar as ./pzmq does, when it is missing or older than a source or pom.
# SOAK_JAVA_OPTS replaces the JVM bounds below (small on purpose: a leak should fail, not swap).
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
JAR="$ROOT/samples/target/pzmq.jar"

stale() {
    [ -f "$JAR" ] || return 0
    local d
    for d in "$ROOT"/*/src "$ROOT"/pom.xml "$ROOT"/*/pom.xml; do
        [ -e "$d" ] || continue
        if [ -n "$(find "$d" -newer "$JAR" -type f -print -quit 2>/dev/null)" ]; then return 0; fi
    done
    return 1
}

if stale; then
    echo "soak: building samples/target/pzmq.jar (mvn -B -q -pl samples -am package -DskipTests)" >&2
    (cd "$ROOT" && mvn -B -q -pl samples -am package -DskipTests) >&2 || {
        echo "soak: build failed" >&2; exit 1; }
fi

echo "soak: $(date '+%Y-%m-%d %H:%M:%S'), $(nproc) cores, $(java -version 2>&1 | head -1)"
exec java ${SOAK_JAVA_OPTS:--Xmx512m -XX:MaxDirectMemorySize=256m} -cp "$JAR" io.pekkozmq.samples.bench.Soak "$@"
