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
