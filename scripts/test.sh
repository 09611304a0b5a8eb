#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs test prerequisites, then builds and runs every test.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
command -v swift >/dev/null || { echo "test: swift toolchain not found on PATH" >&2; exit 1; }
export TP_PYAERON_SO=$("$ROOT/scripts/install-test-deps.sh" | tail -n 1)
swift build --build-tests
swift test --skip-build --parallel 2>&1 | tee "${TMPDIR:-/tmp}/tp-test-output.txt"
