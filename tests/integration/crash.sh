#!/bin/sh
# tests/integration/crash.sh -- a short crash-injection run (see
# tests/crash/crash-lib.sh): smadm killed with SIGKILL at random points of
# map builds, aliases rebuilds, table edits, apply, cf install and queue
# actions; every file old or new, the daemon on the old or new config, the
# next run recovers and leaves no temporary file.  bench/crash.sh does the
# same with hundreds of kills.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../crash/crash-lib.sh"

c_all "${CRASH_KILLS:-5}"
finish
