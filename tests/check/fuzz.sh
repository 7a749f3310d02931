#!/bin/sh
# tests/check/fuzz.sh -- a short fuzzing run in make check: every libFuzzer
# harness of tests/fuzz/ for FUZZ_SECONDS (default 10) seconds from its
# seed corpus (tests/fuzz/run.sh).  Without clang this fails: a check
# that cannot run must not pass.
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
sh "$top/tests/fuzz/run.sh" "${FUZZ_SECONDS:-10}" > "$T_TMP/fuzz.out" 2>&1
rc=$?
cat "$T_TMP/fuzz.out"
T_PASS=$(grep -c '^PASS' "$T_TMP/fuzz.out")
T_FAIL=$(grep -c '^FAIL' "$T_TMP/fuzz.out")
[ $rc -eq 0 ] || [ "$T_FAIL" -gt 0 ] || bad "tests/fuzz/run.sh exited $rc"
finish
