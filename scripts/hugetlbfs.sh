#!/usr/bin/env bash
# Provides a hugetlbfs directory with at least NEED (default 16) free 2 MiB hugepages for the hugepage tests, and
# prints its path as the last line. Uses TP_HUGETLBFS_DIR or an existing 2 MiB hugetlbfs mount when there is one,
# else mounts one on /dev/hugepages; raises vm.nr_hugepages only as far as NEED requires (never lowers it). Both
# need root; without it, or without kernel support, it fails and says why.
set -euo pipefail
NEED=${NEED:-16}
fail() { echo "hugetlbfs: $*" >&2; exit 1; }
[ "$(uname -s)" = Linux ] || fail "hugetlbfs is Linux only"
grep -qw hugetlbfs /proc/filesystems || fail "this kernel has no hugetlbfs (CONFIG_HUGETLBFS)"
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
[ "$(meminfo Hugepagesize)" = 2048 ] || fail "the default hugepage size is $(meminfo Hugepagesize) KiB, the tests expect 2048"

is_hugetlbfs() { [ -d "$1" ] && [ "$(stat -f -c %T "$1" 2>/dev/null)" = hugetlbfs ]; }
DIR=${TP_HUGETLBFS_DIR:-}
if [ -n "$DIR" ]; then
  is_hugetlbfs "$DIR" || fail "TP_HUGETLBFS_DIR=$DIR is not a hugetlbfs directory"
else
  DIR=$(awk '$3 == "hugetlbfs" && ($4 ~ /pagesize=2M/ || $4 !~ /pagesize=/) { print $2; exit }' /proc/mounts)
  if [ -z "$DIR" ]; then
    DIR=/dev/hugepages
    [ "$(id -u)" = 0 ] || fail "no hugetlbfs is mounted and mounting one needs root (as root: mkdir -p $DIR && mount -t hugetlbfs -o pagesize=2M,mode=1777 hugetlbfs $DIR)"
    mkdir -p "$DIR"
    mount -t hugetlbfs -o pagesize=2M,mode=1777 hugetlbfs "$DIR" || fail "mount -t hugetlbfs on $DIR failed"
  fi
fi
[ -w "$DIR" ] || fail "$DIR is not writable by $(id -un)"

free=$(meminfo HugePages_Free)
if [ "$free" -lt "$NEED" ]; then
  [ "$(id -u)" = 0 ] || fail "$free free hugepages, the tests need $NEED; as root: echo $(( $(meminfo HugePages_Total) + NEED - free )) > /proc/sys/vm/nr_hugepages"
  echo $(( $(meminfo HugePages_Total) + NEED - free )) > /proc/sys/vm/nr_hugepages
  free=$(meminfo HugePages_Free)
  [ "$free" -ge "$NEED" ] || fail "raised vm.nr_hugepages but only $free hugepages are free (memory too fragmented or too small?), need $NEED"
fi
echo "hugetlbfs: $DIR, $free free 2 MiB hugepages" >&2
echo "$DIR"
