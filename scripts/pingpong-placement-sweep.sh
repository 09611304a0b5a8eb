#!/usr/bin/env bash
# Ping/pong of the Swift and C clients compared within one placement. This VM's two vCPUs move between a placement
# where a cache-line round trip takes ~80-130 ns and one where it takes ~500 ns, often for minutes, and every
# ping/pong figure follows it. This script probes the placement (`tp bench placement`) every few seconds and, once
# it reads at least MIN_RT ns (default 300: the slow one; MIN_RT=0 runs at once), runs one round of alternated
# ping/pong pairs, each on a fresh standalone C 1.53 driver: C ping + C pong, Swift + Swift, Swift ping + C pong,
# C ping + Swift pong. It prints the placement probed after each run next to its p50/p99, so a round that changed
# placement half way is visible. Knobs: ROUNDS=3 MAX_WAIT_S=1800 MIN_RT=300 N=200000 WARM=100000
# VARIANTS="cc ss sc cs" BUILD_DIR=<shared/anchors/aeron_c/run.sh's build> ANCHORS=<dir>.
# Build first: swift build -c release --product tp; run shared/anchors/aeron_c/run.sh once (SECTIONS=tp REPS=1 SECS=1).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-3}; MAX_WAIT_S=${MAX_WAIT_S:-1800}; MIN_RT=${MIN_RT:-300}; N=${N:-200000}; WARM=${WARM:-100000}
VARIANTS=${VARIANTS:-cc ss sc cs}
TP=${TP:-$ROOT/.build/release/tp}
. "$ROOT/scripts/lib/c-anchors.sh"
BIN=$ANCHOR_BUILD/aeron_ipc_bench
[ -x "$TP" ] || { echo "build it first: swift build -c release --product tp" >&2; exit 1; }
require_c_anchors aeron_ipc_bench
T=$(mktemp -d); DPID=; PONG=
cleanup() {
  for p in $PONG $DPID; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$T" /dev/shm/pp-sweep-$$-*
}
trap cleanup EXIT
field() { grep -o "$1=[0-9]*" | head -1 | cut -d= -f2; }

run() { # variant: <ping><pong>, c or s each
  local dir=/dev/shm/pp-sweep-$$-$RANDOM out
  start_c_driver "$dir" "$T/driver.log" || exit 1
  case ${1:1:1} in
    c) "$BIN" pingpong role=pong dir="$dir" > "$T/pong.log" 2>&1 & PONG=$! ;;
    s) "$TP" aeron pong --dir "$dir" --count $((N + WARM)) --idle-timeout-s 10 > "$T/pong.log" 2>&1 & PONG=$! ;;
  esac
  for _ in $(seq 100); do grep -q ready "$T/pong.log" && break; sleep 0.1; done
  case ${1:0:1} in
    c) out=$(timeout -k 5 120 "$BIN" pingpong role=ping len=32 n="$N" warm="$WARM" dir="$dir" | grep RESULT || true) ;;
    s) out=$(timeout -k 5 120 "$TP" aeron ping --dir "$dir" --count "$N" --warmup "$WARM" --length 32 | grep '^result' || true) ;;
  esac
  sleep 0.2; kill -9 "$PONG" 2>/dev/null || true; wait "$PONG" 2>/dev/null || true; PONG=
  kill "$DPID"; wait "$DPID" 2>/dev/null || true; DPID=; rm -rf "$dir"
  echo "$1 p50=$(echo "$out" | field p50) p99=$(echo "$out" | field p99) placement_after=$("$TP" bench placement --quiet)ns"
}

echo "# $(date -Is) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) min_rt=$MIN_RT variants=\"$VARIANTS\" (ping then pong: c = C client, s = Swift)"
deadline=$(( $(date +%s) + MAX_WAIT_S )); round=0
while [ "$round" -lt "$ROUNDS" ]; do
  rt=$("$TP" bench placement --quiet)
  if [ "$rt" -lt "$MIN_RT" ]; then
    [ "$(date +%s)" -lt "$deadline" ] || { echo "# gave up: the placement stayed below $MIN_RT ns for $MAX_WAIT_S s"; exit 0; }
    sleep 5; continue
  fi
  round=$((round + 1)); echo "round $round placement=${rt}ns"
  for v in $VARIANTS; do echo "  $(run "$v")"; done
done
