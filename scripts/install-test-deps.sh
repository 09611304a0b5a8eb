#!/usr/bin/env bash
# Installs what the test suite needs beyond the Swift toolchain, into .deps/ (idempotent):
#   - the pyaeron 0.1.0 wheel's shared object: the real Aeron C 1.53 client and media driver for interop tests
#     (driven by Tests/Interop/aeron_peer.py through ctypes). The wheel itself is kept in .deps/wheels/ so
#     scripts/bench-aeron.sh can build the C anchors from it without downloading again.
# Prints the shared object's path as its last line. Fails loudly when something cannot be had.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEPS="$ROOT/.deps"
WHEEL_SHA256=6889d44b2aa2b5e8b653c29123717855cf114edf037490b0679ab7a156d7ec77
fail() { echo "install-test-deps: $*" >&2; exit 1; }

command -v python3 >/dev/null || fail "python3 is required (interop tests drive the real Aeron C library through ctypes)"
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' \
  || fail "python3 >= 3.9 is required, found $(python3 --version 2>&1)"
[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || fail "the pyaeron 0.1.0 wheel exists for x86_64 Linux only"
mkdir -p "$DEPS/wheels"

SO="$DEPS/pyaeron/_pyaeron.cpython-312-x86_64-linux-gnu.so"
if [ ! -f "$SO" ]; then
  whl=$(ls "$DEPS"/wheels/pyaeron-0.1.0-*.whl 2>/dev/null | head -1 || true)
  if [ -z "$whl" ]; then
    python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 \
        --platform manylinux_2_28_x86_64 -d "$DEPS/wheels" pyaeron==0.1.0 \
      || fail "could not download pyaeron==0.1.0 from PyPI (network? pip?)"
    whl=$(ls "$DEPS"/wheels/pyaeron-0.1.0-*.whl 2>/dev/null | head -1 || true)
    [ -n "$whl" ] || fail "pip reported success but no pyaeron-0.1.0 wheel is in $DEPS/wheels"
  fi
  echo "$WHEEL_SHA256  $whl" | sha256sum -c --quiet - || { rm -f "$whl"; fail "pyaeron wheel checksum mismatch ($whl removed)"; }
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$whl" "$DEPS"
fi
[ -f "$SO" ] || fail "$SO missing after install"
# The library must load into this python3 and export the C API the peer uses.
python3 - "$SO" <<'PY' || fail "python3 cannot load $SO with ctypes (see the error above)"
import ctypes, sys
lib = ctypes.CDLL(sys.argv[1], mode=ctypes.RTLD_GLOBAL)
for name in ("aeron_driver_init", "aeron_init", "aeron_fragment_assembler_create", "aeron_counters_reader_foreach_counter"):
    getattr(lib, name)
PY
echo "$SO"
