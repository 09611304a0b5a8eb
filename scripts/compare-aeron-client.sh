#!/usr/bin/env bash
# Alternated Swift-vs-C comparison of the Aeron client on the real C 1.53 media driver, in one run:
#   - IPC throughput, 32 and 64 B, exclusive / concurrent / tryClaim: `tp aeron throughput` then `aeron_ipc_bench
#     throughput embedded=0`, pair after pair, each run on a fresh standalone C driver (the C harness's stream id is
#     fixed, and a dead client's subscription would hold the next run's publisher back for the client timeout);
#   - ping/pong round trip, 32 B, three processes on a fresh standalone C driver per run: Swift+Swift then C+C.
# Placement: with 2 CPUs the publisher, the subscriber and the driver's conductor (never idle while the stream moves)
# share two CPUs, and where the scheduler puts them swings one run's rate by 2x for either client. PIN=1 (default)
# puts both clients' publishers on CPU 0 and subscribers on CPU 1 (the C harness's pin=1) and the driver on
# DRIVER_CPU (default 1); PIN=0 leaves all of it to the scheduler. Read the medians and the pair ratios, never a
# single pair. Build first: swift build -c release --product tp; run shared/anchors/aeron_c/run.sh once (SECTIONS=tp
# REPS=1 SECS=1) for its aeron_ipc_bench. Knobs: REPS=5 SECS=3 PIN=1 DRIVER_CPU=1 LENGTHS="32 64"
# KINDS="exclusive concurrent claim" PP_REPS=$REPS (0: no ping/pong) PP_N=1000000 PP_WARM=200000 ANCHORS=<dir>
# BUILD_DIR=<run.sh's build folder>
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPS=${REPS:-5}; SECS=${SECS:-3}; PP_N=${PP_N:-1000000}; PP_WARM=${PP_WARM:-200000}; PIN=${PIN:-1}; DRIVER_CPU=${DRIVER_CPU:-1}
LENGTHS=${LENGTHS:-32 64}; KINDS=${KINDS:-exclusive concurrent claim}; PP_REPS=${PP_REPS:-$REPS}
TP=${TP:-$ROOT/.build/release/tp}
. "$ROOT/scripts/lib/c-anchors.sh"
BIN=$ANCHOR_BUILD/aeron_ipc_bench
[ "$SECS" -ge 2 ] || { echo "SECS must be at least 2 (both harnesses drop their first second)" >&2; exit 1; }
[ -x "$TP" ] || { echo "build it first: swift build -c release --product tp" >&2; exit 1; }
require_c_anchors aeron_ipc_bench
[ "$PIN" = 0 ] || [ "$(nproc)" -ge 2 ] || { echo "PIN=1 needs 2 CPUs (PIN=0 to run unpinned)" >&2; exit 1; }
T=$(mktemp -d); D=/dev/shm/compare-aeron-$$; DPID=
cleanup() { [ -n "$DPID" ] && { kill "$DPID" 2>/dev/null || true; wait "$DPID" 2>/dev/null || true; }; rm -rf "$T" /dev/shm/compare-aeron-$$*; }
trap cleanup EXIT
field() { grep -o "$1=[0-9]*" | head -1 | cut -d= -f2; }
echo "# $(date -Is) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) pin=$PIN driver_cpu=$([ "$PIN" = 0 ] && echo any || echo "$DRIVER_CPU")"

start_driver() { # a fresh standalone C driver in $1, pinned with PIN=1
  local pin=()
  [ "$PIN" = 0 ] || pin=(taskset -c "$DRIVER_CPU")
  start_c_driver "$1" "$T/driver.log" "${pin[@]}" || exit 1
}
stop_driver() { kill "$DPID"; wait "$DPID" 2>/dev/null || true; DPID=; rm -rf "$1"; }

SWIFT_PIN=(); [ "$PIN" = 0 ] || SWIFT_PIN=(--pin-publisher 0 --pin-subscriber 1)
k=0
for _ in $(seq "$REPS"); do for len in $LENGTHS; do for pub in $KINDS; do
  k=$((k + 1))
  start_driver "$D-s$k"
  s=$("$TP" aeron throughput --dir "$D-s$k" --length "$len" --pub "$pub" --secs "$SECS" "${SWIFT_PIN[@]}" | field msgs_per_s_median)
  stop_driver "$D-s$k"
  start_driver "$D-c$k"
  c=$("$BIN" throughput len="$len" pub="$pub" secs="$SECS" dir="$D-c$k" embedded=0 pin="$PIN" 2>/dev/null | field msgs_per_s_median)
  stop_driver "$D-c$k"
  echo "throughput $len $pub swift=$s c=$c"
done; done; done | tee "$T/tp.txt"

pingpong() { # swift|c -> p50 and p99 of one run on a fresh driver
  local dir=$D-pp$RANDOM pong
  start_c_driver "$dir" "$T/ppdriver.log" || exit 1
  if [ "$1" = swift ]; then "$TP" aeron pong --dir "$dir" --count $((PP_N + PP_WARM)) > "$T/pong.log" 2>&1 & pong=$!
  else "$BIN" pingpong role=pong dir="$dir" > "$T/pong.log" 2>&1 & pong=$!; fi
  for _ in $(seq 100); do grep -q ready "$T/pong.log" && break; sleep 0.1; done
  local out
  if [ "$1" = swift ]; then out=$("$TP" aeron ping --dir "$dir" --count "$PP_N" --warmup "$PP_WARM" --length 32 | grep '^result')
  else out=$("$BIN" pingpong role=ping len=32 n="$PP_N" warm="$PP_WARM" dir="$dir" | grep RESULT); fi
  sleep 0.2; kill -9 "$pong" 2>/dev/null || true; wait "$pong" 2>/dev/null || true
  kill "$DPID"; wait "$DPID" 2>/dev/null || true; DPID=; rm -rf "$dir"
  echo "pingpong $1 p50=$(echo "$out" | field p50) p99=$(echo "$out" | field p99)"
}
for _ in $(seq "$PP_REPS"); do pingpong swift; pingpong c; done | tee "$T/pp.txt"

python3 - "$T/tp.txt" "$T/pp.txt" <<'PY'
import sys, collections
med = lambda xs: sorted(xs)[len(xs) // 2]
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    _, length, pub, s, c = line.split()
    rows[(int(length), pub)].append((int(s.split('=')[1]), int(c.split('=')[1])))
print("\ncase              swift median    C median  median/median  pair-ratio median  swift>=C pairs")
for (length, pub), v in sorted(rows.items()):
    ratios = [a / b for a, b in v if b]
    if not ratios:
        print(f"{length:>3} B {pub:<11} no complete pair"); continue
    print(f"{length:>3} B {pub:<11} {med([a for a, _ in v]) / 1e6:9.1f} M {med([b for _, b in v]) / 1e6:9.1f} M"
          f" {med([a for a, _ in v]) / max(med([b for _, b in v]), 1):14.2f} {med(ratios):18.2f} {sum(r >= 1 for r in ratios):>8}/{len(ratios)}")
pp = collections.defaultdict(list)
for line in open(sys.argv[2]):
    _, who, p50, p99 = line.split()
    pp[who].append((int(p50.split('=')[1]), int(p99.split('=')[1])))
if pp.get("swift") and pp.get("c"):
    mean = lambda xs: sum(xs) / len(xs)
    s50, c50 = mean([a for a, _ in pp["swift"]]), mean([a for a, _ in pp["c"]])
    s99, c99 = mean([b for _, b in pp["swift"]]), mean([b for _, b in pp["c"]])
    print(f"\nping/pong 32 B over {len(pp['swift'])} alternated runs: p50 swift {s50:.1f} ns vs C {c50:.1f} ns ({s50 / c50:.2f}x),"
          f" p99 {s99:.0f} vs {c99:.0f} ns ({s99 / c99:.2f}x) (means of per-run percentiles; the clock ticks in 10 ns)")
    # A placement switch between the two runs of a pair moves one side's p50 by 2-4x; the pair ratios' median
    # is not moved by one such pair.
    pairs = list(zip(pp["swift"], pp["c"]))
    print(f"ping/pong pair ratios (swift / C), median of {len(pairs)}: p50 {med([a[0] / b[0] for a, b in pairs]):.2f}x,"
          f" p99 {med([a[1] / b[1] for a, b in pairs]):.2f}x")
PY
