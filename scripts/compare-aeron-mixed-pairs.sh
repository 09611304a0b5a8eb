#!/usr/bin/env bash
# Mixed Swift/C throughput pairs: each side in its own process (`tp aeron throughput --role pub|sub` and
# scripts/mixed-pairs/aeron_one_side.c on the real C client), on one standalone C 1.53 driver, the four pairings
# alternated per round. Tells on which side a gap between the clients is. Needs the C anchors built
# (shared/anchors/aeron_c/run.sh: the wheel's library and its aeron_api.h) and libpython3.11 (the library's Py*
# symbols). Knobs: REPS=4 SECS=4 PUB=claim|offer LENGTH=32 ANCHORS=<dir> BUILD_DIR=<run.sh's build folder>
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPS=${REPS:-4}; SECS=${SECS:-4}; PUB=${PUB:-claim}; LENGTH=${LENGTH:-32}
TP=${TP:-$ROOT/.build/release/tp}
. "$ROOT/scripts/lib/c-anchors.sh"
LIB=$ANCHOR_BUILD
[ "$SECS" -ge 2 ] || { echo "SECS must be at least 2 (the first second is dropped)" >&2; exit 1; }
[ -x "$TP" ] || { echo "build it first: swift build -c release --product tp" >&2; exit 1; }
require_c_anchors aeron_ipc_bench
find_libpython
T=$(mktemp -d); D=/dev/shm/mixed-pairs-$$; DPID=; SPID=
cleanup() {
  for p in $SPID $DPID; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$T" "$D"
}
trap cleanup EXIT
gcc -O2 -Wall -o "$T/aeron_one_side" "$ROOT/scripts/mixed-pairs/aeron_one_side.c" -I"$ANCHORS" -L"$LIB" -laeron_pyaeron \
  "$LIBPY" -lpthread -Wl,-rpath,"$LIB"
[ "$PUB" = claim ] && CLAIM=1 || CLAIM=0
start_c_driver "$D" "$T/driver.log" || exit 1
field() { grep -o "msgs_per_s_median=[0-9]*" "$1" | cut -d= -f2; }
echo "# $(date -Is) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) pub=$PUB length=$LENGTH secs=$SECS"
k=0
for _ in $(seq "$REPS"); do for pair in "c c" "swift c" "c swift" "swift swift"; do
  set -- $pair; k=$((k + 1)); stream=$((9000 + k))
  # The subscriber starts first and counts from the moment the publisher's image appears.
  if [ "$2" = swift ]; then "$TP" aeron throughput --dir "$D" --stream "$stream" --role sub --secs $((SECS + 1)) > "$T/sub.log" 2>&1 & SPID=$!
  else "$T/aeron_one_side" sub "$D" "$stream" $((SECS + 1)) > "$T/sub.log" 2>&1 & SPID=$!; fi
  sleep 0.3
  if [ "$1" = swift ]; then "$TP" aeron throughput --dir "$D" --stream "$stream" --role pub --pub "$([ "$PUB" = claim ] && echo claim || echo exclusive)" --length "$LENGTH" --secs "$SECS" > "$T/pub.log" 2>&1
  else "$T/aeron_one_side" pub "$D" "$stream" "$SECS" "$CLAIM" "$LENGTH" > "$T/pub.log" 2>&1; fi
  wait "$SPID"; SPID=
  echo "pair $1 $2 publisher=$(field "$T/pub.log") subscriber=$(field "$T/sub.log")"
done; done | tee "$T/pairs.txt"
python3 - "$T/pairs.txt" <<'PY'
import sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    _, pub, sub, p, _s = line.split()
    rows[(pub, sub)].append(int(p.split('=')[1] or 0))
print("\npublisher -> subscriber   publisher msgs/s per round (M)            median")
for key in [("c", "c"), ("swift", "c"), ("c", "swift"), ("swift", "swift")]:
    v = rows.get(key, [])
    if v:
        print(f"{key[0]:>5} -> {key[1]:<6}           {' '.join(f'{x / 1e6:6.1f}' for x in v):<40} {sorted(v)[len(v) // 2] / 1e6:6.1f} M")
PY
