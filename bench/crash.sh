#!/bin/sh
# bench/crash.sh -- the long crash-injection run: smadm killed with SIGKILL
# at random points (SMADM_CRASH_AT=N and random delays, alternating) of map
# builds, aliases rebuilds, table edits, apply, cf install and queue
# actions, KILLS runs of each (default 60: several hundred kills in all).
# The checks are those of tests/integration/crash.sh (tests/crash/
# crash-lib.sh).  Prints the smadm runs and kills counted.
#
#	sh bench/crash.sh [KILLS]
top=$(cd "$(dirname "$0")/.." && pwd)
SMADM=${SMADM:-$top/smadm}
export SMADM
# lib.sh takes the script's name and directory from $0.
set -- "${1:-60}"
. "$top/tests/lib.sh"
. "$top/tests/crash/crash-lib.sh"
start=$(date +%s)
c_all "$1"
echo "crash: $(( $(date +%s) - start )) s"
finish
