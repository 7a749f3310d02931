#!/bin/sh
# tests/integration/bad-input.sh -- every command of "smadm help --list"
# given malformed arguments (an unknown option, garbage bytes, format
# strings, an empty word, a 100 KB word, missing, unreadable and
# directory files), tables and an mc made of binary garbage or of one
# 10 MB line, and profiles (-r DIR) that point at nonsense.  Each run must
# end with a status below 128 (no signal, no "Segmentation fault"), with
# no sanitizer report, and, when it fails, with a message; and the
# sandbox's files must be exactly what they were before (checksums).
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
etc=$dir/etc
cd "$T_TMP" || exit 1
mkdir -p "$T_TMP/in"
IN=$T_TMP/in

# Inputs.
head -c 4096 /dev/urandom > "$IN/garbage"
printf '\001\377\033[31m\000zz\n\r\t' > "$IN/ctl"
python3 - "$IN" <<'PY'
import sys
d = sys.argv[1]
with open(d + "/huge-line", "w") as f:
    f.write("From:" + "x" * (10 * 1024 * 1024) + "\tREJECT")
with open(d + "/huge-mc", "w") as f:
    f.write("define(`confFOO', `" + "y" * (10 * 1024 * 1024) + "')dnl")
PY
mkdir -p "$IN/a-directory"
echo keep > "$IN/a-directory/not-empty"
long=$(head -c 100000 /dev/zero | tr '\0' 'k')
garb=$(printf '\001\377\033]0;x\007%%s%%n')

# The sandbox's files, as checksums (the lock file's text is excluded: it
# only says who took the lock last).
sums() {
	find "$1" -type f ! -path '*/log/*' ! -path '*/run/*' \
	    ! -path '*/.smadm/lock' ! -path '*/ns/*' -print0 |
	    LC_ALL=C sort -z | xargs -0 sha256sum
}
sums "$dir" > "$T_TMP/sums.before"

crashed=0 silent=0 runs=0
: > "$T_TMP/report"
# try WHAT CMD...: one run; judged on its status and output
try() {
	what=$1
	shift
	runs=$((runs + 1))
	timeout 60 "$@" < /dev/null > "$T_TMP/try.out" 2>&1
	rc=$?
	if [ $rc -ge 124 ] || grep -qE 'Segmentation fault|AddressSanitizer|LeakSanitizer|runtime error:|core dumped' "$T_TMP/try.out"; then
		crashed=$((crashed + 1))
		{ echo "CRASH ($rc): $what"; head -c 600 "$T_TMP/try.out"; echo; } >> "$T_TMP/report"
	elif [ $rc -ne 0 ] && ! grep -q . "$T_TMP/try.out"; then
		silent=$((silent + 1))
		echo "SILENT ($rc): $what" >> "$T_TMP/report"
	fi
	echo "$rc $what" >> "$T_TMP/statuses"
}

# --- global options
try "--bogus" "$SMADM" --bogus
try "-r without DIR" "$SMADM" -r
try "-r ''" "$SMADM" -r "" status
try "unknown command" "$SMADM" -r "$dir" "$garb"
try "--json on a command without it" "$SMADM" --json -r "$dir" map build
try "--version" "$SMADM" --version
try "--help" "$SMADM" --help

# --- every command with bad arguments, against the sandbox
"$SMADM" help --list > "$T_TMP/commands"
check "smadm help --list lists the commands" test "$(wc -l < "$T_TMP/commands")" -gt 30
while read -r cmd; do
	# shellcheck disable=SC2086
	set -- $cmd
	try "$cmd --bogus-option" "$SMADM" -r "$dir" "$@" --bogus-option
	try "$cmd garbage" "$SMADM" -r "$dir" "$@" "$garb" "$garb"
	try "$cmd empty" "$SMADM" -r "$dir" "$@" "" ""
	try "$cmd long" "$SMADM" -r "$dir" "$@" "$long" "$long"
	try "$cmd missing file" "$SMADM" -r "$dir" "$@" "$T_TMP/no/such/file"
	try "$cmd directory" "$SMADM" -r "$dir" "$@" "$IN/a-directory"
	try "$cmd garbage file" "$SMADM" -r "$dir" "$@" "$IN/garbage"
	try "$cmd --yes --bogus" "$SMADM" -y -r "$dir" "$@" --bogus "$garb"
done < "$T_TMP/commands"
sums "$dir" > "$T_TMP/sums.args"
check "bad arguments to every command changed nothing" cmp "$T_TMP/sums.before" "$T_TMP/sums.args"
diff "$T_TMP/sums.before" "$T_TMP/sums.args" | head -10

# Commands with their usual arguments but nonsense values.
for a in "map show $garb" "map show access --json --bogus" "map set access" \
    "map set $garb k v" "map set access $garb v" "map set access k" \
    "map del access $garb" "map rename access a" "map lookup access" \
    "map dump $garb" "mc get $garb" "mc set $garb v" "mc set confFOO" \
    "mc unset $garb" "mc feature $garb on" "mc feature nouucp maybe" \
    "loglevel $garb" "loglevel -5" "loglevel 99999999999999999999" \
    "log tail -n $garb" "log tail -n -1" "log trace $garb" \
    "log search --bogus" "queue show $garb" "queue list --sort $garb" \
    "queue list --filter $garb" "queue hold --filter $garb" \
    "queue delete ../../../etc/passwd" "queue summary --queue $garb" \
    "rollback $garb" "rollback ../../etc" "wizard --answers" \
    "wizard --answers $IN/garbage" "wizard --answers $IN/a-directory" \
    "wizard --answers $T_TMP/no/such" "wizard --answers $IN/huge-line" \
    "sandbox create" "sandbox destroy $IN/a-directory" \
    "sandbox destroy /" "sandbox exec" "sandbox exec relative/prog" \
    "test-address" "help $garb" "daemon start --bogus"; do
	# shellcheck disable=SC2086
	set -- $a
	try "$a" "$SMADM" -y -r "$dir" "$@"
done
sums "$dir" > "$T_TMP/sums.values"
check "nonsense values changed nothing (checksums)" cmp "$T_TMP/sums.before" "$T_TMP/sums.values"
diff "$T_TMP/sums.before" "$T_TMP/sums.values" | head -10

# --- tables and mc made of garbage or of one 10 MB line
for kind in garbage ctl huge-line; do
	cp "$etc/access" "$T_TMP/access.keep"
	cp "$IN/$kind" "$etc/access"
	sums "$dir" > "$T_TMP/sums.t"
	for c in "map show access" "map check access" "map list" \
	    "map build access" "map set access From:x.example OK" \
	    "map del access From:x.example" "map lookup access x" "status"; do
		# shellcheck disable=SC2086
		set -- $c
		try "access is $kind: $c" "$SMADM" -r "$dir" "$@"
	done
	sums "$dir" > "$T_TMP/sums.t2"
	check "access made of $kind: refused without changing anything" cmp "$T_TMP/sums.t" "$T_TMP/sums.t2"
	diff "$T_TMP/sums.t" "$T_TMP/sums.t2" | head -5
	cp "$T_TMP/access.keep" "$etc/access"
done
for kind in garbage ctl huge-mc; do
	cp "$etc/sendmail.mc" "$T_TMP/mc.keep"
	cp "$IN/$kind" "$etc/sendmail.mc"
	sums "$dir" > "$T_TMP/sums.t"
	for c in "mc show" "mc get confFOO" "mc set confMAX_HOP 30" \
	    "mc unset confFOO" "cf build" "cf diff" "apply" "cf install"; do
		# shellcheck disable=SC2086
		set -- $c
		try "mc is $kind: $c" "$SMADM" -y -r "$dir" "$@"
	done
	sums "$dir" > "$T_TMP/sums.t2"
	check "mc made of $kind: refused without changing anything" cmp "$T_TMP/sums.t" "$T_TMP/sums.t2"
	diff "$T_TMP/sums.t" "$T_TMP/sums.t2" | head -5
	cp "$T_TMP/mc.keep" "$etc/sendmail.mc"
done
# An unreadable table: a directory in its place (root reads anything).
mv "$etc/mailertable" "$T_TMP/mt.keep"
mkdir "$etc/mailertable"
for c in "map show mailertable" "map check" "map build mailertable" \
    "map set mailertable x.example smtp:[127.0.0.1]" "map list"; do
	# shellcheck disable=SC2086
	set -- $c
	try "mailertable is a directory: $c" "$SMADM" -r "$dir" "$@"
done
check "a directory for a table: named in the message" sh -c \
    "'$SMADM' -r '$dir' map show mailertable 2>&1 | grep -q 'mailertable: not a regular file'"
check "map list: a directory for a table is unreadable, not missing" sh -c \
    "'$SMADM' -r '$dir' map list 2>&1 | grep -q 'mailertable (unreadable)'"
rmdir "$etc/mailertable"
mv "$T_TMP/mt.keep" "$etc/mailertable"
# Unreadable for a user who is not root (setpriv), if there is one.
if command -v setpriv > /dev/null 2>&1 && id nobody > /dev/null 2>&1; then
	chmod 000 "$etc/virtusertable"
	chmod 755 "$dir" "$etc" 2>/dev/null
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$SMADM" -r "$dir" \
	    map show virtusertable > "$T_TMP/priv.out" 2>&1
	check "chmod 000 table, read as nobody: Permission denied, named" \
	    grep -q 'virtusertable: Permission denied' "$T_TMP/priv.out"
	try "chmod 000 table as nobody" setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups "$SMADM" -r "$dir" map check virtusertable
	chmod 644 "$etc/virtusertable"
fi

# --- profiles pointing at nonsense
mkp() {	# mkp NAME TEXT: a profile directory
	mkdir -p "$T_TMP/prof-$1"
	printf '%s\n' "$2" > "$T_TMP/prof-$1/smadm.conf"
}
mkp garbage "$(head -c 300 /dev/urandom | tr -d '\000')"
mkp unknown "frobnicate = 1"
# Paths at directories, devices and files of the wrong kind, all inside
# the test's directory (a profile is trusted: smadm writes where it says).
nd=$T_TMP/nonsense
mkdir -p "$nd/adir" "$nd/queue"
ln -s /dev/null "$nd/devnull"
printf '#!/bin/sh\nexit 3\n' > "$nd/notm4"
mkp dirs "mc = $nd/adir
cf = $nd
access = $nd/adir
aliases = $nd/devnull
pid_file = $nd/adir
mail_log = $nd/adir
queue_dirs = $nd/nonexistent $nd/notm4
sendmail = /bin/false
m4 = $nd/notm4
namespace = $nd/adir"
mkp relative "sendmail = sendmail"
mkp empty ""
mkp huge "$(head -c 200000 /dev/zero | tr '\0' 'x')"
mkdir -p "$T_TMP/prof-noconf"
cp "$IN/garbage" "$T_TMP/prof-binary.conf" 2>/dev/null
mkdir -p "$T_TMP/prof-binary" && cp "$IN/garbage" "$T_TMP/prof-binary/smadm.conf"
mkdir -p "$T_TMP/prof-confdir/smadm.conf"
for p in garbage unknown dirs relative empty huge noconf binary confdir missing; do
	pd=$T_TMP/prof-$p
	while read -r cmd; do
		case $cmd in "sandbox "*|help|version) continue ;; esac
		# shellcheck disable=SC2086
		set -- $cmd
		try "profile $p: $cmd" "$SMADM" -r "$pd" "$@"
	done < "$T_TMP/commands"
	try "profile $p: console" "$SMADM" -r "$pd"
done
check "nonsense profiles: the profile is named in the refusal" sh -c \
    "'$SMADM' -r '$T_TMP/prof-unknown' status 2>&1 | grep -q 'smadm.conf:1: unknown key'"

sums "$dir" > "$T_TMP/sums.after"
check "the sandbox is unchanged at the end" cmp "$T_TMP/sums.before" "$T_TMP/sums.after"
echo "bad-input: $runs runs, $crashed crashed, $silent failed without a message"
cat "$T_TMP/report" | head -60
check "no run crashed ($crashed of $runs)" test "$crashed" -eq 0
check "no run failed silently ($silent of $runs)" test "$silent" -eq 0
finish
