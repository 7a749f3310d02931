#!/bin/sh
# tests/fuzz/run.sh -- build the libFuzzer harnesses (clang) and run each
# for SECONDS against a copy of its seed corpus (tests/fuzz/corpus/NAME,
# real files from a sandbox smadm created: tables, mc, qf, mail log
# lines, smadm.conf, proto.m4/cf.README excerpts, argument lists,
# m4 stderr with smadm's message markers, known_hosts files from ssh-keygen, terminal control sequences, answers and frames of "smadm remote serve",
# lines typed at the console's ":" prompt, a host's table with the
# wizard's entries to merge into it).
# Prints one line per harness with its executions; any crash, leak,
# sanitizer report or timeout fails.  New corpus entries and crash inputs
# go to OUT (default: a temporary directory), never into the tree.
#
#	sh tests/fuzz/run.sh [SECONDS] [OUT]
#
# tests/check/fuzz.sh runs it for a few seconds each in make check;
# run it for hours with a large SECONDS (and look at OUT afterwards).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-10}
out=${2:-}
cd "$top" || exit 1
if ! command -v clang > /dev/null 2>&1; then
	echo "FAIL  clang is not installed: the fuzzers cannot be built (tools/install-deps installs clang and libclang-rt-14-dev)"
	exit 1
fi
if [ ! -f Makefile ]; then
	echo "FAIL  run ./configure first"
	exit 1
fi
if ! make -s fuzz > "${TMPDIR:-/tmp}/smadm-fuzz-build.$$" 2>&1; then
	echo "FAIL  make fuzz failed:"
	tail -20 "${TMPDIR:-/tmp}/smadm-fuzz-build.$$"
	rm -f "${TMPDIR:-/tmp}/smadm-fuzz-build.$$"
	exit 1
fi
rm -f "${TMPDIR:-/tmp}/smadm-fuzz-build.$$"
made_out=0
if [ -z "$out" ]; then
	out=$(mktemp -d /tmp/smadm-fuzz-XXXXXX)
	made_out=1
fi
fails=0
total=0
# every harness: tests/fuzz/fuzz-NAME.c with its seeds in corpus/NAME
for name in $(cd tests/fuzz && ls fuzz-*.c | sed 's/^fuzz-//; s/\.c$//'); do
	bin=tests/fuzz/fuzz-$name
	mkdir -p "$out/$name/corpus" "$out/$name/crashes"
	cp tests/fuzz/corpus/"$name"/* "$out/$name/corpus/" 2>/dev/null
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$out/$name/crashes/" \
	    "$out/$name/corpus" > "$out/$name/log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$name/log" | tail -1)
	total=$((total + ${runs:-0}))
	# Sanitizer and libFuzzer reports only: the fuzzer's own lines may
	# quote inputs that hold "*** ERROR: " (the cf macros' messages).
	if [ $rc -ne 0 ] || grep -qE '^==[0-9]+== ?ERROR: |runtime error:|^SUMMARY: ' "$out/$name/log"; then
		echo "FAIL  fuzz-$name: exit $rc after ${runs:-?} runs:"
		grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$out/$name/log" | head -8 | sed 's/^/      | /'
		fails=$((fails + 1))
		made_out=0
	else
		echo "PASS  fuzz-$name: ${runs:-?} runs in ${secs} s, no crash, leak or sanitizer report"
	fi
done
echo "fuzz: $total runs in all"
if [ "$made_out" = 1 ]; then rm -rf "$out"; else echo "fuzz: logs and inputs kept in $out"; fi
[ "$fails" -eq 0 ]
