#!/usr/bin/env bash
# First-touch cost of a fresh region-sized mapping on tmpfs and, when given a hugetlbfs directory, on hugetlbfs:
# with and without posix_fallocate first (regions are created with it). Usage: scripts/first-touch.sh [HUGETLBFS_DIR]
# (the hugetlbfs run needs 48 free 2 MiB hugepages). Figures: docs/TUNING.md, "Prefaulting regions".
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
gcc -O2 -o "$T/first_touch" "$ROOT/scripts/first-touch/first_touch.c"
for dir in /dev/shm ${1:+"$1"}; do
  for fa in "" fallocate; do "$T/first_touch" "$dir/tp-first-touch-$$" $fa; done
done
