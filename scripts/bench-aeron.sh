#!/usr/bin/env bash
# Reference figures of the real Aeron C 1.53 client + media driver on this machine: runs the C anchors
# (shared/anchors/aeron_c/run.sh; see its README) so Swift benchmark figures can be compared with numbers taken
# in the same session. Run it and the Swift benchmarks one after the other, never in parallel.
#
# Env: ANCHORS=<dir of run.sh> (default: the first shared/anchors/aeron_c found next to or above the repo;
# in CI the shared folder is ../shared relative to the repo, read-only), plus run.sh's own knobs with quick
# defaults here: SECTIONS="tp pp" REPS=1 SECS=3 PP_N=200000. RESULTS_DIR defaults to <repo>/results.
#   scripts/bench-aeron.sh                                   # quick look (~1-2 min)
#   SECTIONS="tp tpmode pp frames large" REPS=3 SECS=10 PP_N=1000000 scripts/bench-aeron.sh   # the full anchor run
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "bench-aeron: $*" >&2; exit 1; }

if [ -z "${ANCHORS:-}" ]; then
  for candidate in "$ROOT/../shared/anchors/aeron_c" "$ROOT/../../shared/anchors/aeron_c"; do
    if [ -x "$candidate/run.sh" ]; then ANCHORS=$(cd "$candidate" && pwd); break; fi
  done
fi
[ -n "${ANCHORS:-}" ] && [ -x "$ANCHORS/run.sh" ] \
  || fail "C anchors not found: set ANCHORS to the folder holding run.sh (shared/anchors/aeron_c)"
command -v gcc >/dev/null || fail "gcc is required to build the C anchors"

# Reuse the wheel scripts/install-test-deps.sh keeps, so the anchors need no second download.
"$ROOT/scripts/install-test-deps.sh" >/dev/null || fail "scripts/install-test-deps.sh failed"
WHEEL=${WHEEL:-$(ls "$ROOT"/.deps/wheels/pyaeron-0.1.0-*.whl 2>/dev/null | head -1 || true)}
[ -n "$WHEEL" ] && export WHEEL

export SECTIONS=${SECTIONS:-"tp pp"} REPS=${REPS:-1} SECS=${SECS:-3} PP_N=${PP_N:-200000}
export RESULTS_DIR=${RESULTS_DIR:-$ROOT/results}
START=$(date +%s)
echo "bench-aeron: $ANCHORS/run.sh SECTIONS=\"$SECTIONS\" REPS=$REPS SECS=$SECS PP_N=$PP_N RESULTS_DIR=$RESULTS_DIR"
"$ANCHORS/run.sh"
echo "bench-aeron: done in $(( $(date +%s) - START )) s"
