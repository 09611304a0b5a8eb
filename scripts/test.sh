#!/usr/bin/env bash
# The project's test command (README, .ci/run): installs test prerequisites, then builds and runs every test.
# Interop tests need python3 and the real Aeron C library (scripts/install-test-deps.sh), hugepage tests a hugetlbfs
# mount (scripts/hugetlbfs.sh); without them this script stops here with the reason instead of letting those tests
# fail one by one.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
START=$(date +%s)
fail() { echo "test: $*" >&2; exit 1; }
finish() {
  local rc=$?
  echo "test: $([ $rc -eq 0 ] && echo passed || echo FAILED) (exit $rc) in $(( $(date +%s) - START )) s"
}
trap finish EXIT

command -v swift >/dev/null || fail "swift toolchain not found on PATH"
command -v python3 >/dev/null || fail "python3 not found on PATH: interop tests drive the real Aeron C library through it"
# (assignment separate from export: `export X=$(cmd)` would hide cmd's failure)
SO=$("$ROOT/scripts/install-test-deps.sh" | tail -n 1) \
  || fail "scripts/install-test-deps.sh failed: the real Aeron C library (pyaeron wheel) is not available"
[ -f "$SO" ] || fail "scripts/install-test-deps.sh did not produce the shared object (got '$SO')"
export TP_PYAERON_SO=$SO
echo "test: TP_PYAERON_SO=$TP_PYAERON_SO"
# Hugepage tests need a hugetlbfs mount with free hugepages (scripts/hugetlbfs.sh sets one up, as root).
if [ "${TP_HUGETLBFS_DIR:-}" = off ]; then
  echo "test: hugepage tests turned off (TP_HUGETLBFS_DIR=off)"
else
  HUGE=$("$ROOT/scripts/hugetlbfs.sh" | tail -n 1) \
    || fail "scripts/hugetlbfs.sh could not provide a hugetlbfs directory (reason above); TP_HUGETLBFS_DIR=off skips the hugepage tests"
  export TP_HUGETLBFS_DIR=$HUGE
  echo "test: TP_HUGETLBFS_DIR=$TP_HUGETLBFS_DIR"
fi

swift build --build-tests
swift test --skip-build 2>&1 | tee "${TMPDIR:-/tmp}/tp-test-output.txt"
