#!/bin/sh
# escapes.sh -- terminal control sequences from outside never reach the
# admin's terminal.  A sandbox's mail log, a real queued message (its qf
# edited: sender and last error; the subject as sendmail stored it) and
# the access table get OSC 52 (clipboard write), OSC 0 (window title),
# ESC [ 2 J (clear screen), C1 as raw bytes and as UTF-8, and a bidi
# override.  log tail/trace/search, queue list/show and map show/check
# must print them escaped (\x1b, \x9b, \u009b, \u202e) with no raw
# control byte, as valid UTF-8, and "Müller" intact; --json must be valid
# JSON that gives the control characters back as \u001b escapes; the
# final "smadm: ..." error quoting a table line is escaped too.  Over
# SSH (a private sshd on loopback) the same: the remote mail log, queue
# and table, and a remote profile whose bad line is quoted in the error.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ssh-lib.sh"

dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
log=$dir/log/mail.log
cf=$dir/etc/sendmail.cf

# clean FILE: no C0 but LF and TAB, no DEL, valid UTF-8, no U+0080..U+009F.
cat > "$T_TMP/clean.py" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
bad = [hex(b) for b in d if (b < 0x20 and b not in (9, 10)) or b == 0x7f]
try:
    t = d.decode('utf-8')
except UnicodeDecodeError as e:
    sys.exit('not UTF-8: %s' % e)
c1 = [hex(ord(c)) for c in t if 0x80 <= ord(c) <= 0x9f or 0x202a <= ord(c) <= 0x202e]
if bad or c1:
    sys.exit('control characters: %s %s' % (bad[:8], c1[:8]))
PY
clean() { python3 "$T_TMP/clean.py" "$1"; }
# jsoncheck.py FILE: one JSON document or one per line, in which some string
# holds the log's ESC ] 0 sequence and "Müller" as they were.
cat > "$T_TMP/jsoncheck.py" <<'PY'
import json, sys
t = open(sys.argv[1], 'rb').read().decode('utf-8')
try:
    docs = [json.loads(t)]
except ValueError:
    docs = [json.loads(l) for l in t.splitlines() if l.strip()]
found = []
def walk(v):
    if isinstance(v, str):
        found.append(v)
    elif isinstance(v, list):
        for x in v: walk(x)
    elif isinstance(v, dict):
        for x in v.values(): walk(x)
walk(docs)
if not any('\x1b]0;pwned\x07' in s and 'M\u00fcller' in s for s in found):
    sys.exit('the log line is not in the JSON as it was')
PY
# shows FILE TEXT: TEXT (fixed string) is in FILE
shows() { grep -qF -- "$2" "$1"; }

# --- the mail log
qid=6B7AbcDE000001
printf '%s\n' \
    "2026-12-07T04:00:00.000000+00:00 vm sm-mta[4242]: $qid: from=<ev$(printf '\033]52;c;cHduZWQ=\007')il@x.example>, size=10, class=0, nrcpts=1, msgid=<a@b>, proto=ESMTP, daemon=MTA, relay=[127.0.0.1]" \
    "2026-12-07T04:00:01.000000+00:00 vm sm-mta[4243]: $qid: to=<u@x.example>, delay=00:00:01, mailer=esmtp, stat=Deferred: $(printf '\033[2J\033]0;pwned\007 c1=\302\233 raw=\233 bidi=\342\200\256 M\303\274ller')" \
    >> "$log"

for c in "log tail" "log trace $qid" "log search pwned"; do
	# shellcheck disable=SC2086
	sm $c > "$T_TMP/out" 2>&1
	check "$c: no raw control byte, valid UTF-8" clean "$T_TMP/out"
	check "$c: ESC shown as \\x1b" shows "$T_TMP/out" '\x1b]0;pwned\x07'
	check "$c: C1 shown as \\u009b and \\x9b" sh -c "grep -qF 'c1=\\u009b raw=\\x9b' '$T_TMP/out'"
	check "$c: bidi override shown as \\u202e, UTF-8 kept" shows "$T_TMP/out" 'bidi=\u202e Müller'
	# shellcheck disable=SC2086
	sm --json $c > "$T_TMP/json" 2>&1
	check "$c --json: valid JSON, no raw control byte, bytes given back" \
	    sh -c "python3 '$T_TMP/clean.py' '$T_TMP/json' && python3 '$T_TMP/jsoncheck.py' '$T_TMP/json'"
	check "$c --json: ESC written as \\u001b" shows "$T_TMP/json" '\u001b[2J\u001b]0;pwned\u0007'
done

# --- a queued message: the subject as sendmail stores it, sender and
# last error put into its qf (a remote host's reply lands there)
printf 'From: x@y\nSubject: hi %s M\303\274ller\nTo: bob@deferred.example\n\nbody %s\n' \
    "$(printf '\033]52;c;cHduZWQ=\007 \033[2J \302\233')" "$(printf '\033[2J')" |
	sm sandbox exec /usr/sbin/sendmail -C "$cf" -odq -f alice@vm.sandbox.example \
	    bob@deferred.example
qf=$(ls "$dir"/queue/qf* 2>/dev/null | head -n1)
check "a message is queued" test -f "$qf"
id=${qf##*/qf}
python3 - "$qf" <<'PY'
import sys
p = sys.argv[1]
d = open(p, 'rb').read()
d = d.replace(b'\nSalice@vm.sandbox.example\n',
    b'\nSev\x1b]52;c;cHduZWQ=\x07il\xc2\x9b@vm.sandbox.example\n'
    b'M451 4.3.0 remote says \x1b]0;owned\x07\x1b[2J\x9b31m\n', 1)
open(p, 'wb').write(d)
PY
check "the qf carries ESC in its sender" grep -q "$(printf '^Sev\033')" "$qf"
for c in "queue list" "queue list --long" "queue show $id"; do
	# shellcheck disable=SC2086
	sm $c > "$T_TMP/out" 2>&1
	check "$c: no raw control byte, valid UTF-8" clean "$T_TMP/out"
	check "$c: sender escaped" shows "$T_TMP/out" 'ev\x1b]52;c;cHduZWQ=\x07il\u009b@'
	check "$c: the remote error escaped" shows "$T_TMP/out" 'remote says \x1b]0;owned\x07\x1b[2J\x9b31m'
done
sm queue show "$id" > "$T_TMP/out" 2>&1
check "queue show: subject escaped, UTF-8 kept" shows "$T_TMP/out" 'Subject: hi \x1b]52;c;cHduZWQ=\x07 \x1b[2J \u009b Müller'
sm queue list --long > "$T_TMP/out" 2>&1
check "queue list --long: subject escaped" shows "$T_TMP/out" 'subject hi \x1b]52;c;cHduZWQ=\x07 \x1b[2J \u009b Müller'
sm --json queue list > "$T_TMP/json" 2>&1
check "queue list --json: valid JSON, no raw control byte" sh -c "python3 '$T_TMP/clean.py' '$T_TMP/json' && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' '$T_TMP/json'"
check "queue list --json: sender and subject given back exactly" python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))[0]
assert m["sender"] == "ev\x1b]52;c;cHduZWQ=\x07il\x9b@vm.sandbox.example", m["sender"]
assert m["subject"].startswith("hi \x1b]52;c;cHduZWQ=\x07 \x1b[2J \x9b"), m["subject"]
assert m["subject"].endswith(" M\u00fcller"), m["subject"]
' "$T_TMP/json"
check "queue list --json: ESC written as \\u001b" shows "$T_TMP/json" '"ev\u001b]52;c;cHduZWQ=\u0007il\u009b@'


# --- a table someone else edited: a comment, a value and a key
printf '# owner: %s\nFrom:evil.example\tREJ%sECT\nConnect:%sbad.example\tOK\n' \
    "$(printf '\033]52;c;cHduZWQ=\007')" "$(printf '\033]0;t\007\302\233')" \
    "$(printf '\033[2J')" >> "$dir/etc/access"
sm map show access > "$T_TMP/out" 2>&1
check "map show: no raw control byte" clean "$T_TMP/out"
check "map show: value escaped" shows "$T_TMP/out" 'REJ\x1b]0;t\x07\u009bECT'
sm map check access > "$T_TMP/out" 2>&1
check "map check: no raw control byte (stdout and the smadm: error)" clean "$T_TMP/out"
check "map check: the quoted line escaped" shows "$T_TMP/out" 'unknown action "REJ\x1b]0;t\x07\u009bECT"'
sm map build access > "$T_TMP/out" 2>&1
check "map build: the refusal escaped" clean "$T_TMP/out"

# --- a profile with a bad line: its text is quoted in the error
mkdir -p "$T_TMP/badprof"
{ cat "$dir/smadm.conf"; printf 'bogus\033]0;pwned\007key = 1\n'; } > "$T_TMP/badprof/smadm.conf"
"$SMADM" -r "$T_TMP/badprof" status > "$T_TMP/out" 2>&1
check "a bad profile line: the error escaped" shows "$T_TMP/out" 'unknown key "bogus\x1b]0;pwned\x07key"'
check "a bad profile line: no raw control byte" clean "$T_TMP/out"

# --- the same over SSH: remote files, remote errors
if ssh_start; then
	# the daemon and the queued message log lines of their own since the
	# hostile ones went in: tail far enough back to hold them
	for c in "log tail -n 500" "log search pwned" "queue list --long" "queue show $id" "map check access"; do
		# shellcheck disable=SC2086
		sm_remote -r "$dir" $c > "$T_TMP/out" 2>&1
		check "over SSH, $c: no raw control byte, valid UTF-8" clean "$T_TMP/out"
		check "over SSH, $c: ESC shown as \\x1b" shows "$T_TMP/out" '\x1b]'
	done
	sm_remote -r "$T_TMP/badprof" status > "$T_TMP/out" 2>&1
	check "over SSH, a remote profile's bad line: the error escaped" shows "$T_TMP/out" 'bogus\x1b]0;pwned\x07key'
	check "over SSH, a remote profile's bad line: no raw control byte" clean "$T_TMP/out"
	sm_remote -r "$dir" --json log tail -n 500 > "$T_TMP/json" 2>&1
	check "over SSH, log tail --json: valid JSON, bytes given back" \
	    sh -c "python3 '$T_TMP/clean.py' '$T_TMP/json' && python3 '$T_TMP/jsoncheck.py' '$T_TMP/json'"
else
	bad "private sshd did not start"
fi

# --- a raw command says so and passes bytes on
check "sandbox exec is documented as passing bytes on" sh -c "'$SMADM' help sandbox exec | grep -q 'byte for byte'"
sm sandbox exec /usr/bin/printf 'raw\033[0m\n' > "$T_TMP/out" 2>&1
check "sandbox exec output is passed on unchanged" grep -q "$(printf 'raw\033\\[0m')" "$T_TMP/out"
finish
