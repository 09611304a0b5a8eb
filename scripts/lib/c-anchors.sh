# Sourced by the scripts that run the C anchors (shared/anchors/aeron_c) next to our code: finds what run.sh built
# and the libpython its library needs, or stops the script with what to do.
#   ANCHORS    the folder holding run.sh (default: shared/anchors/aeron_c next to the repository)
#   BUILD_DIR  run.sh's build folder, when it was given one
# Sets ANCHORS and ANCHOR_BUILD; require_c_anchors BINARY... checks the library and the named binaries in it;
# find_libpython sets LIBPY.
ANCHORS=${ANCHORS:-$ROOT/../shared/anchors/aeron_c}
# Where run.sh put its build: BUILD_DIR, else the anchors' own .build, else its fallback for a read-only anchors folder.
ANCHOR_BUILD=${BUILD_DIR:-$ANCHORS/.build}
[ -n "${BUILD_DIR:-}" ] || [ -f "$ANCHOR_BUILD/libaeron_pyaeron.so" ] || ANCHOR_BUILD=${TMPDIR:-/tmp}/aeron-anchor-build-$(id -u)

require_c_anchors() {
  local missing=
  [ -f "$ANCHOR_BUILD/libaeron_pyaeron.so" ] || missing=libaeron_pyaeron.so
  for binary in "$@"; do [ -x "$ANCHOR_BUILD/$binary" ] || missing="$missing $binary"; done
  [ -z "$missing" ] || { echo "no C anchors in $ANCHOR_BUILD (missing:$missing): run $ANCHORS/run.sh once (SECTIONS=tp REPS=1 SECS=1)" >&2; exit 1; }
}

find_libpython() {
  LIBPY=$(ls /usr/lib/x86_64-linux-gnu/libpython3.*.so /usr/lib64/libpython3.*.so 2>/dev/null | head -1 || true)
  [ -n "$LIBPY" ] || { echo "need a libpython3.X shared library (e.g. apt-get install libpython3.11)" >&2; exit 1; }
}

# start_c_driver DIR LOG [PREFIX...]: a fresh standalone C media driver (the harness's aeron_ipc_bench, shared
# threading, backoff idle) in DIR, logging to LOG, launched through PREFIX (e.g. taskset -c 1). Sets DPID and returns
# once the driver is ready; if it is not within 5 s, stops it, says why and returns 1.
start_c_driver() {
  local dir=$1 log=$2
  shift 2
  "$@" "$ANCHOR_BUILD/aeron_ipc_bench" driver dir="$dir" threading=shared idle=backoff > "$log" 2>&1 & DPID=$!
  for _ in $(seq 100); do grep -q 'driver ready' "$log" && return 0; sleep 0.05; done
  kill "$DPID" 2>/dev/null || true
  echo "the C driver did not start: $(cat "$log")" >&2
  return 1
}

# build_c_program SOURCE OUT: compiles one of our C programs that drive the anchors' Aeron library (the frame-path
# layouts, the timed pong) to OUT. Needs find_libpython first.
build_c_program() {
  gcc -O2 -Wall -o "$2" "$1" -I"$ANCHORS" -L"$ANCHOR_BUILD" -laeron_pyaeron "$LIBPY" -lpthread -lrt -Wl,-rpath,"$ANCHOR_BUILD"
}

# build_frames_spec OUT: scripts/frames-layout/aeron_shm_frames_spec.c (the C prototype of the frame path with a
# choice of layouts) to OUT.
build_frames_spec() {
  build_c_program "$ROOT/scripts/frames-layout/aeron_shm_frames_spec.c" "$1"
}
