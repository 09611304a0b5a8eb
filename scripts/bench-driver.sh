#!/usr/bin/env bash
# Benchmarks the Swift IPC media driver (`tp driver`, release build) against the real Aeron C 1.53 media driver,
# one after the other (never in parallel), with the same real C clients (the C anchor harness
# /work/shared/anchors/aeron_c/aeron_ipc_bench.c, external-driver mode). Prints RESULT lines and ratios.
#   SECS=5 REPS=3 LEN=32 PP_N=200000 PP_WARM=20000 PUBS="exclusive concurrent"
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ANCHOR=${ANCHOR:-/work/shared/anchors/aeron_c}
SECS=${SECS:-5}; REPS=${REPS:-3}; LEN=${LEN:-32}; PP_N=${PP_N:-200000}; PP_WARM=${PP_WARM:-20000}
PUBS=${PUBS:-"exclusive concurrent"}
SO=$("$ROOT/scripts/install-test-deps.sh" | tail -n 1)
B=${TMPDIR:-/tmp}/tp-driver-bench-$(id -u); mkdir -p "$B"
cp -f "$SO" "$B/libaeron_pyaeron.so"
LIBPY=$(ls /usr/lib/x86_64-linux-gnu/libpython3.*.so /usr/lib/x86_64-linux-gnu/libpython3.*.so.1.0 2>/dev/null | head -1)
[ -n "$LIBPY" ] || { echo "bench-driver: need libpython3.X.so (apt-get install libpython3.11)" >&2; exit 1; }
gcc -O2 -Wall -o "$B/aeron_ipc_bench" "$ANCHOR/aeron_ipc_bench.c" -I"$ANCHOR" -L"$B" -laeron_pyaeron "$LIBPY" -lpthread -Wl,-rpath,"$B"
(cd "$ROOT" && swift build -c release --product tp >/dev/null)
TP="$ROOT/.build/release/tp"
BIN="$B/aeron_ipc_bench"
D=/dev/shm/tp-driver-bench-$$
DPID=
cleanup() { if [ -n "$DPID" ]; then kill "$DPID" 2>/dev/null || true; wait "$DPID" 2>/dev/null || true; fi; rm -rf "$D"; }
trap cleanup EXIT

start_driver() { # start_driver swift|c
  rm -rf "$D"
  if [ "$1" = swift ]; then "$TP" driver --dir "$D" > "$B/driver.log" 2>&1 & DPID=$!
  else "$BIN" driver dir="$D" > "$B/driver.log" 2>&1 & DPID=$!; fi
  for _ in $(seq 100); do [ -f "$D/cnc.dat" ] && grep -q "ready" "$B/driver.log" && return 0; sleep 0.1; done
  echo "driver $1 did not start: $(cat "$B/driver.log")" >&2; exit 1
}
stop_driver() { kill "$DPID" 2>/dev/null || true; wait "$DPID" 2>/dev/null || true; DPID=; }

LOG=$B/bench-$(date +%Y%m%d-%H%M%S).log
exec > >(tee "$LOG") 2>&1
echo "# $(date -Is) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) secs=$SECS reps=$REPS len=$LEN pp_n=$PP_N"
for rep in $(seq "$REPS"); do
  for drv in c swift; do
    # A fresh driver per case: the harness reuses one stream id, and a lingering image of the previous case
    # would be joined by the next subscriber (same with either driver).
    for pub in $PUBS; do
      start_driver $drv
      r=$("$BIN" throughput embedded=0 dir="$D" len="$LEN" pub="$pub" secs="$SECS" 2>&1 | grep '^RESULT' || true)
      echo "$drv rep=$rep $r"
      stop_driver
    done
    start_driver $drv
    timeout 300 "$BIN" pingpong role=pong dir="$D" > "$B/pong.log" 2>&1 & PONG=$!
    for _ in $(seq 100); do grep -q 'pong ready' "$B/pong.log" && break; sleep 0.1; done
    r=$(timeout 300 "$BIN" pingpong role=ping dir="$D" len="$LEN" n="$PP_N" warm="$PP_WARM" 2>&1 | grep '^RESULT' || true)
    echo "$drv rep=$rep $r"
    wait "$PONG" 2>/dev/null || true
    stop_driver
  done
done

echo "# medians (msgs/s, rtt p50 ns) per driver; ratios swift/c"
python3 - "$LOG" <<'PY'
import re, statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if " RESULT " in l]
def med(drv, kind, key, pub=None):
    vals = []
    for r in rows:
        if r[0] != drv or r[3] != kind: continue
        kv = dict(t.split("=", 1) for t in r[4:] if "=" in t)
        if pub and kv.get("pub") != pub: continue
        if key in kv: vals.append(float(kv[key]))
    return statistics.median(vals) if vals else float("nan")
for pub in "exclusive concurrent".split():
    c, s = med("c", "aeron_c_ipc_throughput", "msgs_per_s_median", pub), med("swift", "aeron_c_ipc_throughput", "msgs_per_s_median", pub)
    print(f"throughput pub={pub} c={c:.0f} swift={s:.0f} ratio={s / c if c else float('nan'):.3f}")
c, s = med("c", "aeron_c_ipc_pingpong", "p50"), med("swift", "aeron_c_ipc_pingpong", "p50")
print(f"pingpong rtt_p50_ns c={c:.0f} swift={s:.0f} ratio={s / c if c else float('nan'):.3f}")
PY
