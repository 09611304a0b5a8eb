#!/usr/bin/env bash
# Ping/pong of the Swift and C clients compared within one placement. This VM's two vCPUs move between a placement
# where a cache-line round trip takes ~80-130 ns and one where it takes ~500 ns, often for minutes, and every
# ping/pong figure follows it. This script probes the placement (`tp bench placement`) every few seconds and, once
# it reads at least MIN_RT ns (default 300: the slow one; MIN_RT=0 runs at once), runs one round of alternated
# ping/pong pairs, each on a fresh standalone C 1.53 driver: C ping + C pong, Swift + Swift, Swift ping + C pong,
# C ping + Swift pong. It prints the placement probed after each run next to its p50/p99, so a round that changed
# placement half way is visible. Knobs: ROUNDS=3 MAX_WAIT_S=1800 MIN_RT=300 N=200000 WARM=100000
# VARIANTS="cc ss sc cs" BUILD_DIR=<shared/anchors/aeron_c/run.sh's build> ANCHORS=<dir>.
# TIMING=1: the pongs time each echo (forward latency from the ping's stamp, echo duration in cycles): ours with
# `tp aeron pong --timing`, the C one is then scripts/pingpong-timing/aeron_pong_timed.c (the harness's pong with the
# same timing, built here); each run's line gains the pong's forward and echo p50 and the return hop (p50 round trip
# minus both).
# A second pong of each client can join the alternation: pong letter S is our pong run with SWIFT_ALT_ARGS (e.g.
# "--idle spin"), C is scripts/pingpong-timing/aeron_pong_timed.c run with C_ALT_ARGS (e.g. "variant=pause-when-idle"),
# timed only with TIMING=1: VARIANTS="cc cs cS cC" compares both against the harness's pong in the same rounds.
# Build first: swift build -c release --product tp; run shared/anchors/aeron_c/run.sh once (SECTIONS=tp REPS=1 SECS=1).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-3}; MAX_WAIT_S=${MAX_WAIT_S:-1800}; MIN_RT=${MIN_RT:-300}; N=${N:-200000}; WARM=${WARM:-100000}
VARIANTS=${VARIANTS:-cc ss sc cs}; TIMING=${TIMING:-0}; SWIFT_ALT_ARGS=${SWIFT_ALT_ARGS:-}; C_ALT_ARGS=${C_ALT_ARGS:-}
TP=${TP:-$ROOT/.build/release/tp}
. "$ROOT/scripts/lib/c-anchors.sh"
BIN=$ANCHOR_BUILD/aeron_ipc_bench
[ -x "$TP" ] || { echo "build it first: swift build -c release --product tp" >&2; exit 1; }
require_c_anchors aeron_ipc_bench
T=$(mktemp -d); DPID=; PONG=
C_PONG=("$BIN" pingpong role=pong); S_PONG_TIMING=()
case " $VARIANTS " in *[cs]C\ *) C_ALT=1 ;; *) C_ALT=0 ;; esac
if [ "$TIMING" = 1 ] || [ "$C_ALT" = 1 ]; then
  find_libpython
  build_c_program "$ROOT/scripts/pingpong-timing/aeron_pong_timed.c" "$T/pong_timed"
fi
if [ "$TIMING" = 1 ]; then C_PONG=("$T/pong_timed" count=$((N + WARM))); S_PONG_TIMING=(--timing); fi
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
    c) "${C_PONG[@]}" dir="$dir" > "$T/pong.log" 2>&1 & PONG=$! ;;
    s) "$TP" aeron pong --dir "$dir" --count $((N + WARM)) --idle-timeout-s 10 ${S_PONG_TIMING[@]+"${S_PONG_TIMING[@]}"} > "$T/pong.log" 2>&1 & PONG=$! ;;
    C) "$T/pong_timed" count=$((N + WARM)) timing="$TIMING" $C_ALT_ARGS dir="$dir" > "$T/pong.log" 2>&1 & PONG=$! ;;
    S) "$TP" aeron pong --dir "$dir" --count $((N + WARM)) --idle-timeout-s 10 ${S_PONG_TIMING[@]+"${S_PONG_TIMING[@]}"} $SWIFT_ALT_ARGS > "$T/pong.log" 2>&1 & PONG=$! ;;
    *) echo "unknown variant $1 (ping c|s, pong c|s|C|S)" >&2; exit 1 ;;
  esac
  for _ in $(seq 100); do grep -q ready "$T/pong.log" && break; sleep 0.1; done
  case ${1:0:1} in
    c) out=$(timeout -k 5 120 "$BIN" pingpong role=ping len=32 n="$N" warm="$WARM" dir="$dir" | grep RESULT || true) ;;
    s) out=$(timeout -k 5 120 "$TP" aeron ping --dir "$dir" --count "$N" --warmup "$WARM" --length 32 | grep '^result' || true) ;;
  esac
  local timing=
  if [ "$TIMING" = 1 ]; then # the pong prints its timing line when it has echoed N + WARM messages
    for _ in $(seq 50); do grep -q '^timing' "$T/pong.log" && break; sleep 0.1; done
    local line forward echo_ns p50
    line=$(grep '^timing' "$T/pong.log" || true); p50=$(echo "$out" | field p50)
    forward=$(echo "$line" | sed -n 's/.*forward_ns p50=\([0-9-]*\).*/\1/p'); echo_ns=$(echo "$line" | sed -n 's/.*echo_ns p50=\([0-9-]*\).*/\1/p')
    if [ -n "$forward" ] && [ -n "$echo_ns" ] && [ -n "$p50" ]; then
      timing=" pong_forward_p50=${forward} pong_echo_p50=${echo_ns} return_p50~$((p50 - forward - echo_ns))"
    else timing=" (no pong timing: $(tail -1 "$T/pong.log"))"; fi
  fi
  sleep 0.2; kill -9 "$PONG" 2>/dev/null || true; wait "$PONG" 2>/dev/null || true; PONG=
  kill "$DPID"; wait "$DPID" 2>/dev/null || true; DPID=; rm -rf "$dir"
  echo "$1 p50=$(echo "$out" | field p50) p99=$(echo "$out" | field p99)$timing placement_after=$("$TP" bench placement --quiet)ns"
}

echo "# $(date -Is) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) min_rt=$MIN_RT variants=\"$VARIANTS\" (ping then pong: c = C client, s = Swift; S = Swift with '$SWIFT_ALT_ARGS', C = timed C pong with '$C_ALT_ARGS')"
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
