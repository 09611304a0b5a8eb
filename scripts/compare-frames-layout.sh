#!/usr/bin/env bash
# Where the C prototype and our frame path differ: per round, three closed-loop runs of the same size (copy, full
# reads, 4 slots), one after the other:
#   prototype  shared/anchors/aeron_c's aeron_shm_frames layout (page-aligned slots, 32-byte descriptor, no header)
#   spec-C     the same C program with the spec's layout (scripts/frames-layout/aeron_shm_frames_spec.c: off=64
#              desc=44 hdr=1: payload after the 64-byte superblock, 44-byte SBE descriptor, seqlock slot header)
#   swift      tp bench frames (embedded Swift driver, no C reference)
# and prints frames/s per round with the same-round ratios. The two C runs use a fresh standalone C driver each.
# Needs the C anchors built (run shared/anchors/aeron_c/run.sh once: SECTIONS=tp REPS=1 SECS=1), libpython3.X and a
# release tp. Knobs: REPS=5 SECS=2 BYTES=65536 VARIANT="off=64 desc=44 hdr=1" ANCHORS=<dir> BUILD_DIR=<run.sh's build>
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPS=${REPS:-5}; SECS=${SECS:-2}; BYTES=${BYTES:-65536}; VARIANT=${VARIANT:-off=64 desc=44 hdr=1}
TP=${TP:-$ROOT/.build/release/tp}
. "$ROOT/scripts/lib/c-anchors.sh"
[ -x "$TP" ] || { echo "build it first: swift build -c release --product tp" >&2; exit 1; }
require_c_anchors aeron_ipc_bench aeron_shm_frames
find_libpython
T=$(mktemp -d); D=/dev/shm/frames-layout-$$; POOL=/frames-layout-pool-$$
# c_run runs in a command substitution (a subshell): its processes are listed in a file so that this trap, in the
# parent, can stop them whatever failed.
cleanup() {
  for p in $(cat "$T/pids" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  rm -rf "$T" "$D" "/dev/shm$POOL"
}
trap cleanup EXIT
build_frames_spec "$T/spec"

c_run() { # $1: extra options (empty: the prototype's layout) -> frames/s
  local DPID CPID fps
  start_c_driver "$D" "$T/driver.log" || return 1
  echo "$DPID" >> "$T/pids"
  # shellcheck disable=SC2086
  "$T/spec" consumer dir="$D" pool="$POOL" bytes="$BYTES" slots=4 read=full stream=3010 $1 > "$T/consumer.log" 2>&1 & CPID=$!
  echo "$CPID" >> "$T/pids"
  for _ in $(seq 100); do grep -q 'consumer ready' "$T/consumer.log" && break; sleep 0.05; done
  # shellcheck disable=SC2086
  fps=$("$T/spec" producer dir="$D" pool="$POOL" bytes="$BYTES" slots=4 write=copy read=full secs="$SECS" stream=3010 $1 \
    2> "$T/producer.err" | grep -o 'fps=[0-9]*' | cut -d= -f2 || true)
  wait "$CPID" || true
  kill "$DPID"; wait "$DPID" 2>/dev/null || true; rm -rf "$D" "/dev/shm$POOL"
  [ -n "$fps" ] || { echo "the C run failed: $(cat "$T/producer.err" "$T/consumer.log")" >&2; return 1; }
  grep -q 'torn=0' "$T/consumer.log" || echo "torn reads in the C run: $(grep CONSUMER "$T/consumer.log")" >&2
  echo "$fps"
}
swift_run() {
  "$TP" bench frames --sizes "$BYTES" --modes copy --reads full --seconds "$SECS" --repeats 1 --no-c-prototype \
    --json "$T/swift.json" > "$T/swift.txt" 2>&1
  python3 -c "import json,sys; print(int(json.load(open(sys.argv[1]))['cases'][0]['framesPerSecond']))" "$T/swift.json"
}
echo "# $(date -Is) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) bytes=$BYTES secs=$SECS spec-C=\"$VARIANT\""
for r in $(seq "$REPS"); do
  p=$(c_run ""); s=$(c_run "$VARIANT"); w=$(swift_run)
  echo "round $r prototype=$p spec_c=$s swift=$w"
done | tee "$T/rounds.txt"
python3 - "$T/rounds.txt" <<'PY'
import sys
rows = [dict(kv.split('=') for kv in line.split()[2:]) for line in open(sys.argv[1])]
med = lambda xs: sorted(xs)[len(xs) // 2]
def ratio(a, b): return [int(r[a]) / int(r[b]) for r in rows if int(r[b]) > 0]
print(f"\nsame-round ratios, median of {len(rows)} rounds (each: min..max)")
for a, b in [("spec_c", "prototype"), ("swift", "prototype"), ("swift", "spec_c")]:
    v = ratio(a, b)
    print(f"  {a:>7} / {b:<9} {med(v):.2f}  ({min(v):.2f}..{max(v):.2f})")
PY
