#!/usr/bin/env bash
# Descriptor latency of a paced frame stream (no queueing behind the previous read), C against ours, per round:
#   prototype  scripts/frames-layout/aeron_shm_frames_spec.c with the C prototype's layout (page-aligned slots,
#              32-byte descriptor, no slot header), paced with rate=RATE, on a fresh standalone C driver
#   spec-C     the same program with the spec's layout (off=64 desc=44 hdr=1)
#   swift      tp bench frames --rate RATE (embedded Swift driver)
# for each of SIZES, copy path, full reads, 4 slots, producer on CPU 0 and consumer on CPU 1 (PIN=0: unpinned).
# Prints the descriptor p50 (producer stamp after the copy -> descriptor at the consumer) of every run, then
# same-round ratios: swift / prototype, swift / spec-C per size, and each side's largest size / smallest size.
# Needs the C anchors built (shared/anchors/aeron_c/run.sh once: SECTIONS=tp REPS=1 SECS=1), libpython3.X and a
# release tp. Knobs: REPS=3 SECS=2 RATE=1000 SIZES="64 4194304" PIN=1 SPEC="off=64 desc=44 hdr=1" (the spec-C column's
# layout switches: one of them alone isolates its cost) ANCHORS=<dir> BUILD_DIR=<run.sh's build>
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPS=${REPS:-3}; SECS=${SECS:-2}; RATE=${RATE:-1000}; SIZES=${SIZES:-64 4194304}; PIN=${PIN:-1}
SPEC=${SPEC:-off=64 desc=44 hdr=1}
TP=${TP:-$ROOT/.build/release/tp}
. "$ROOT/scripts/lib/c-anchors.sh"
[ -x "$TP" ] || { echo "build it first: swift build -c release --product tp" >&2; exit 1; }
require_c_anchors aeron_ipc_bench
find_libpython
[ "$PIN" = 0 ] || [ "$(nproc)" -ge 2 ] || { echo "PIN=1 needs 2 CPUs (PIN=0 to run unpinned)" >&2; exit 1; }
T=$(mktemp -d); D=/dev/shm/frames-latency-$$; POOL=/frames-latency-pool-$$
cleanup() {
  for p in $(cat "$T/pids" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  rm -rf "$T" "$D" "/dev/shm$POOL"
}
trap cleanup EXIT
build_frames_spec "$T/spec"
on() { if [ "$PIN" = 0 ]; then "${@:2}"; else taskset -c "$1" "${@:2}"; fi; }

c_run() { # $1 bytes, $2 layout options -> descriptor p50 ns
  local DPID CPID p50
  start_c_driver "$D" "$T/driver.log" || return 1
  echo "$DPID" >> "$T/pids"
  # shellcheck disable=SC2086
  on 1 "$T/spec" consumer dir="$D" pool="$POOL" bytes="$1" slots=4 read=full stream=3020 $2 > "$T/consumer.log" 2>&1 & CPID=$!
  echo "$CPID" >> "$T/pids"
  for _ in $(seq 100); do grep -q 'consumer ready' "$T/consumer.log" && break; sleep 0.05; done
  # shellcheck disable=SC2086
  on 0 "$T/spec" producer dir="$D" pool="$POOL" bytes="$1" slots=4 write=copy read=full secs="$SECS" rate="$RATE" \
    stream=3020 $2 > "$T/producer.log" 2>&1 || true
  wait "$CPID" || true
  kill "$DPID"; wait "$DPID" 2>/dev/null || true; rm -rf "$D" "/dev/shm$POOL"
  p50=$(grep -o 'desc_latency_ns p50=[0-9]*' "$T/consumer.log" | cut -d= -f2 || true)
  [ -n "$p50" ] || { echo "the C run failed: $(cat "$T/producer.log" "$T/consumer.log")" >&2; return 1; }
  echo "$p50"
}
swift_run() { # $1 bytes -> descriptor p50 ns
  local pin=()
  [ "$PIN" = 0 ] || pin=(--pin)
  "$TP" bench frames --sizes "$1" --modes copy --reads full --seconds "$SECS" --repeats 1 --rate "$RATE" "${pin[@]}" \
    --no-c-prototype --json "$T/swift.json" > "$T/swift.txt" 2>&1 || { echo "tp bench frames failed: $(tail -5 "$T/swift.txt")" >&2; return 1; }
  python3 -c "import json,sys; print(int(json.load(open(sys.argv[1]))['cases'][0]['descriptorLatencyNs']['p50']))" "$T/swift.json"
}
echo "# $(date -Is) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) rate=$RATE secs=$SECS sizes=\"$SIZES\" pin=$PIN"
for r in $(seq "$REPS"); do
  for b in $SIZES; do
    echo "round $r bytes=$b prototype=$(c_run "$b" "") spec_c=$(c_run "$b" "$SPEC") swift=$(swift_run "$b") placement=$("$TP" bench placement --quiet)"
  done
done | tee "$T/rounds.txt"
python3 - "$T/rounds.txt" <<'PY'
import re, sys, statistics
rows = [dict(kv.split("=") for kv in re.findall(r"\w+=\d+", line)) | {"round": line.split()[1]}
        for line in open(sys.argv[1]) if line.startswith("round")]
sizes = sorted({int(r["bytes"]) for r in rows})
def med(xs): return f"{statistics.median(xs):.2f}  ({min(xs):.2f}..{max(xs):.2f})" if xs else "-"
print("\nsame-round ratios of descriptor p50, median (min..max)")
for b in sizes:
    rs = [r for r in rows if int(r["bytes"]) == b]
    print(f"  {b:>8} B  swift / prototype {med([int(r['swift']) / int(r['prototype']) for r in rs])}"
          f"   swift / spec-C {med([int(r['swift']) / int(r['spec_c']) for r in rs])}")
if len(sizes) > 1:
    lo, hi = sizes[0], sizes[-1]
    for side in ("prototype", "spec_c", "swift"):
        pairs = [(int(a[side]), int(b[side])) for a in rows for b in rows
                 if a["round"] == b["round"] and int(a["bytes"]) == hi and int(b["bytes"]) == lo]
        print(f"  {side:>9}: {hi} B / {lo} B {med([h / l for h, l in pairs])}")
PY
