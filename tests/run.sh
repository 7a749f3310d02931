#!/bin/sh
# tests/run.sh -- the whole suite: unit tests, source checks, integration
# tests against a real sendmail, terminal tests in tmux.  Ends with one
# "N passed, N failed" line; exits non-zero if anything failed.
#
#	sh tests/run.sh [PATTERN]	only scripts whose name contains PATTERN
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
: "${SMADM:=$top/smadm}"
: "${UNIT:=$top/tests/unit/unit-tests}"
export SMADM UNIT
SMADM_FIXTURES=$top/tests/fixtures
export SMADM_FIXTURES
pattern=${1:-}
out=$top/tests/out
mkdir -p "$out"
total_pass=0
total_fail=0

tally() {	# tally LOGFILE: add the script's "N passed, N failed" line
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
	p=$(printf '%s\n' "$line" | sed -E 's/^(.*[^0-9])?([0-9]+) passed.*/\2/')
	f=$(printf '%s\n' "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	if [ -z "$line" ]; then p=0; f=1; echo "  (no summary line: counted as a failure)"; fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

run_one() {	# run_one NAME CMD...
	name=$1; shift
	case $name in *"$pattern"*) ;; *) return ;; esac
	echo "== $name"
	"$@" > "$out/$name.log" 2>&1
	rc=$?
	grep -E '^(PASS|FAIL) ' "$out/$name.log" | sed 's/^/  /'
	if [ $rc -ne 0 ]; then
		grep -vE '^(PASS|FAIL) ' "$out/$name.log" | tail -25 | sed 's/^/  | /'
	fi
	tally "$out/$name.log"
	if [ $rc -ne 0 ] && ! grep -qE ' [1-9][0-9]* failed' "$out/$name.log"; then
		total_fail=$((total_fail + 1))
		echo "  $name exited $rc"
	fi
}

run_one unit "$UNIT"
for t in tests/check/*.sh tests/integration/*.sh tests/tui/*.sh; do
	[ -f "$t" ] || continue
	run_one "$(basename "$(dirname "$t")")-$(basename "$t" .sh)" sh "$t"
done

echo
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
