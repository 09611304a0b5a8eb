#!/usr/bin/env bash
# Release-build figures of the Swift Aeron client (tp aeron throughput, tp aeron ping/pong) on the real C 1.53
# media driver (standalone, SHARED threading, backoff idle), in the same units as shared/anchors/aeron_c/run.sh.
# Run it and the C anchor one after the other, never in parallel, on an otherwise quiet machine:
#   scripts/bench-aeron-client.sh
#   SECTIONS="tp pp" REPS=1 SECS=3 PP_N=200000 /work/shared/anchors/aeron_c/run.sh
# Knobs: SECS=3 TP_LENS="32 64" PP_N=200000 PP_WARM=100000 TP=<tp binary, default .build/release/tp>
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=${SECS:-3}
TP_LENS=${TP_LENS:-"32 64"}
PP_N=${PP_N:-200000}
PP_WARM=${PP_WARM:-100000}
TP=${TP:-$ROOT/.build/release/tp}
[ -x "$TP" ] || { echo "build it first: swift build -c release --product tp" >&2; exit 1; }
SO=$("$ROOT/scripts/install-test-deps.sh" | tail -n 1)
D=/dev/shm/tp-bench-aeron-client-$$
T=$(mktemp -d)
DPID=
cleanup() {
  if [ -n "$DPID" ]; then kill "$DPID" 2>/dev/null || true; wait "$DPID" 2>/dev/null || true; fi
  rm -rf "$D" "$T"
}
trap cleanup EXIT
echo "# $(date -Is) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) swift client on the real C 1.53 driver (shared, backoff)"
python3 "$ROOT/Tests/Interop/aeron_peer.py" driver --so "$SO" --dir "$D" --threading shared --idle backoff --no-stdin-watch > "$T/driver.log" 2>&1 &
DPID=$!
for _ in $(seq 100); do grep -q '"ready"' "$T/driver.log" && break; sleep 0.1; done
grep -q '"ready"' "$T/driver.log" || { echo "driver did not start: $(cat "$T/driver.log")" >&2; exit 1; }
for len in $TP_LENS; do
  for pub in exclusive concurrent claim; do
    "$TP" aeron throughput --dir "$D" --length "$len" --pub "$pub" --secs "$SECS" --stream $((4000 + len)) | grep '^result' \
      | sed "s/^result/RESULT swift_ipc_throughput/"
  done
done
"$TP" aeron pong --dir "$D" --count $((PP_N + PP_WARM)) > "$T/pong.log" 2>&1 &
PONG=$!
for _ in $(seq 100); do grep -q ready "$T/pong.log" && break; sleep 0.1; done
"$TP" aeron ping --dir "$D" --count "$PP_N" --warmup "$PP_WARM" --length 32 | grep '^result' | sed "s/^result/RESULT swift_ipc_pingpong/"
wait "$PONG" || true
