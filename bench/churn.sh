#!/usr/bin/env bash
# The churn harness (actors' ChurnHarnessTest) at a larger scale: more rounds of churn and stable
# phases per pattern and transport. Usage: bench/churn.sh [SCALE] [SEED]
#   SCALE  rounds multiplier (default 10; the suite runs 1)
#   SEED   replay a run's random choices (default: a new one, printed first)
# Extra Maven arguments go in CHURN_MVN_ARGS (e.g. CHURN_MVN_ARGS=-o for offline); CHURN_TESTS
# selects tests (surefire's -Dtest syntax, default the whole class), e.g. 'ChurnHarnessTest#pub*'.
# Builds with -am so the engine's test-jar (the python peer kit) is the one of this tree.
set -u -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCALE=${1:-10}
SEED=${2:-}
ARGS=(-B -pl actors -am verify "-Dtest=${CHURN_TESTS:-ChurnHarnessTest}" -Dsurefire.failIfNoSpecifiedTests=false
      "-Dchurn.scale=$SCALE")
[ -n "$SEED" ] && ARGS+=("-Dchurn.seed=$SEED")
# shellcheck disable=SC2206
[ -n "${CHURN_MVN_ARGS:-}" ] && ARGS+=(${CHURN_MVN_ARGS})

OUT="$ROOT/bench/out/churn-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
echo "churn harness at scale $SCALE${SEED:+, seed $SEED}; log: $OUT/mvn.log" >&2
cd "$ROOT" || exit 1
mvn "${ARGS[@]}" >"$OUT/mvn.log" 2>&1
rc=$?
# the seed, each scenario's one-line summary, and what failed (surefire's report, without stacks)
grep -E '^churn |^\[ERROR\] (Tests run|.*Harness)|AssertionError|^\[[A-Z0-9/ -]+ over ' "$OUT/mvn.log" | tee "$OUT/summary.txt"
exit $rc
