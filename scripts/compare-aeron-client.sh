#!/usr/bin/env bash
# Alternated Swift-vs-C comparison of the Aeron client on the real C 1.53 media driver, in one run:
#   - IPC throughput, 32 and 64 B, exclusive / concurrent / tryClaim: `tp aeron throughput` on a standalone C driver
#     then `aeron_ipc_bench throughput` (embedded C driver), pair after pair;
#   - ping/pong round trip, 32 B, three processes on a fresh standalone C driver per run: Swift+Swift then C+C.
# On a shared 2-vCPU VM two runs of the same case differ by up to 2x: read the medians and the pair ratios, never a
# single pair. Build first: swift build -c release --product tp. The C harness is shared/anchors/aeron_c (run its
# run.sh once so .build/aeron_ipc_bench exists). Knobs: REPS=5 SECS=2 PP_N=1000000 PP_WARM=200000 ANCHORS=<dir>
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPS=${REPS:-5}; SECS=${SECS:-2}; PP_N=${PP_N:-1000000}; PP_WARM=${PP_WARM:-200000}
TP=${TP:-$ROOT/.build/release/tp}
ANCHORS=${ANCHORS:-$ROOT/../shared/anchors/aeron_c}
BIN=$ANCHORS/.build/aeron_ipc_bench
[ "$SECS" -ge 2 ] || { echo "SECS must be at least 2 (both harnesses drop their first second)" >&2; exit 1; }
[ -x "$TP" ] || { echo "build it first: swift build -c release --product tp" >&2; exit 1; }
[ -x "$BIN" ] || { echo "no C harness at $BIN: run $ANCHORS/run.sh once (SECTIONS=tp REPS=1 SECS=1)" >&2; exit 1; }
SO=$("$ROOT/scripts/install-test-deps.sh" | tail -n 1)
T=$(mktemp -d); D=/dev/shm/compare-aeron-$$; DPID=
cleanup() { [ -n "$DPID" ] && { kill "$DPID" 2>/dev/null || true; wait "$DPID" 2>/dev/null || true; }; rm -rf "$T" /dev/shm/compare-aeron-$$*; }
trap cleanup EXIT
field() { grep -o "$1=[0-9]*" | head -1 | cut -d= -f2; }
echo "# $(date -Is) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)"

python3 "$ROOT/Tests/Interop/aeron_peer.py" driver --so "$SO" --dir "$D" --threading shared --idle backoff --no-stdin-watch > "$T/driver.log" 2>&1 &
DPID=$!
for _ in $(seq 100); do grep -q '"ready"' "$T/driver.log" && break; sleep 0.1; done
k=0
for _ in $(seq "$REPS"); do for len in 32 64; do for pub in exclusive concurrent claim; do
  k=$((k + 1))
  s=$("$TP" aeron throughput --dir "$D" --length "$len" --pub "$pub" --secs "$SECS" --stream $((5000 + k)) | field msgs_per_s_median)
  c=$("$BIN" throughput len="$len" pub="$pub" secs="$SECS" threading=shared idle=backoff dir="$D-c$k" 2>/dev/null | field msgs_per_s_median)
  rm -rf "$D-c$k"
  echo "throughput $len $pub swift=$s c=$c"
done; done; done | tee "$T/tp.txt"
kill "$DPID"; wait "$DPID" 2>/dev/null || true; DPID=

pingpong() { # swift|c -> p50 and p99 of one run on a fresh driver
  local dir=$D-pp$RANDOM pong
  "$BIN" driver dir="$dir" threading=shared idle=backoff > "$T/ppdriver.log" 2>&1 & DPID=$!
  for _ in $(seq 100); do grep -q 'driver ready' "$T/ppdriver.log" && break; sleep 0.1; done
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
for _ in $(seq "$REPS"); do pingpong swift; pingpong c; done | tee "$T/pp.txt"

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
PY
