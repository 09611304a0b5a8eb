#!/usr/bin/env bash
# Installs what the test suite needs beyond the Swift toolchain, into .deps/ (idempotent):
#   - the pyaeron 0.1.0 wheel's shared object: the real Aeron C 1.53 client and media driver for interop tests.
# Fails loudly when something cannot be had.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEPS="$ROOT/.deps"
WHEEL_SHA256=6889d44b2aa2b5e8b653c29123717855cf114edf037490b0679ab7a156d7ec77
mkdir -p "$DEPS"

command -v python3 >/dev/null || { echo "install-test-deps: python3 is required (interop tests drive the real Aeron C library through ctypes)" >&2; exit 1; }

SO="$DEPS/pyaeron/_pyaeron.cpython-312-x86_64-linux-gnu.so"
if [ ! -f "$SO" ]; then
  [ "$(uname -m)" = x86_64 ] || { echo "install-test-deps: the pyaeron wheel exists for x86_64 Linux only" >&2; exit 1; }
  tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 \
      --platform manylinux_2_28_x86_64 -d "$tmp" pyaeron==0.1.0
  whl=$(ls "$tmp"/pyaeron-0.1.0-*.whl)
  echo "$WHEEL_SHA256  $whl" | sha256sum -c --quiet - || { echo "install-test-deps: pyaeron wheel checksum mismatch" >&2; exit 1; }
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$whl" "$DEPS"
  rm -rf "$tmp"
fi
[ -f "$SO" ] || { echo "install-test-deps: $SO missing after install" >&2; exit 1; }
echo "$SO"
