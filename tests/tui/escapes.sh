#!/bin/sh
# tests/tui/escapes.sh -- the console shows terminal control sequences
# from outside as the CLI does (\x1b, \u009b, \x9b, \u202e) and never
# passes them to the terminal.  A sandbox's mail log, a queued message
# (sender, last error, subject) and the access table (a comment and a
# value) carry OSC 52, OSC 0 (window title), ESC [ 2 J, C1 both ways and
# a bidi override.  In an 80x24 tmux: the log view, the queue view, the
# message viewer and the table view show the escapes, "Müller" intact,
# and tmux's pane title is never set by the OSC 0 in them.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

tui_need_tmux
dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
cf=$dir/etc/sendmail.cf

printf '%s\n' \
    "2026-12-07T04:00:00.000000+00:00 vm sm-mta[4242]: 6B7AbcDE000001: $(printf '\033]0;pwned\007\033[2J') hello" \
    "2026-12-07T04:00:01.000000+00:00 vm sm-mta[4243]: 6B7AbcDE000001: to=<u@x.example>, delay=00:00:01, mailer=esmtp, stat=Deferred: $(printf '\033]0;pwned\007\033[2J c1=\302\233 raw=\233 bidi=\342\200\256 M\303\274ller')" \
    >> "$dir/log/mail.log"
printf 'From: x@y\nSubject: hi %s M\303\274ller\n\nbody\n' \
    "$(printf '\033]0;pwned\007 \302\233')" |
	"$SMADM" -r "$dir" sandbox exec /usr/sbin/sendmail -C "$cf" -odq \
	    -f alice@vm.sandbox.example bob@deferred.example
qf=$(ls "$dir"/queue/qf* 2>/dev/null | head -n1)
check "a message is queued" test -f "$qf"
python3 - "$qf" <<'PY'
import sys
p = sys.argv[1]
d = open(p, 'rb').read()
d = d.replace(b'\nSalice@vm.sandbox.example\n',
    b'\nSev\x1b]52;c;cHduZWQ=\x07il@vm.sandbox.example\n'
    b'M451 remote \x1b]0;pwned\x07\x9b31m\n', 1)
open(p, 'wb').write(d)
PY
printf '# owner: %s\nFrom:evil.example\tREJECT %s\n' \
    "$(printf '\033]0;pwned\007 \302\233')" "$(printf '\033[2J')" >> "$dir/etc/access"

tui_console escapes 80 24
# nothing raw: no C1 or bidi control on the screen, title untouched
clean_screen() {
	if screen | python3 -c '
import sys
t = sys.stdin.buffer.read().decode("utf-8")
sys.exit(any(0x80 <= ord(c) <= 0x9f or 0x202a <= ord(c) <= 0x202e for c in t))'
	then ok "$1: no C1 or bidi control on the screen"
	else bad "$1: a C1 or bidi control is on the screen"; screen | sed 's/^/      | /'; fi
	if $TM display -p -t "$s" '#{pane_title}' | grep -q pwned; then
		bad "$1: the log set the terminal's title"
	else ok "$1: the terminal's title is untouched"; fi
}

see "dashboard" "smadm - Dashboard"
keys l
see "l opens the log" "Time     Queue id       Message"
see "log view: OSC 0 and ESC [ 2 J shown as \\x1b" '] \x1b]0;pwned\x07\x1b[2J hello'
keys End
keys Right Right Right Right Right Right Right Right Right Right Right
see "log view: C1 shown as \\u009b and \\x9b" 'c1=\u009b raw=\x9b'
see "log view: bidi shown as \\u202e, UTF-8 kept" 'bidi=\u202e Müller'
clean_screen "log view"
keys q
see "back on the dashboard" "smadm - Dashboard"

keys Q
see "Q opens the queue" "smadm - Queue"
see "queue view: the sender escaped" 'ev\x1b]52;c;cHdu'
clean_screen "queue view"
keys g Enter
see "Enter shows the message" "smadm - queue show"
see "message view: the remote error escaped" 'Last error    451 remote \x1b]0;pwned\x07\x9b31m'
keys / "Subject: hi" Enter
see "message view: the subject escaped, UTF-8 kept" 'Subject: hi \x1b]0;pwned\x07 \u009b Müller'
clean_screen "message view"
keys q q
see "back on the dashboard again" "smadm - Dashboard"

keys m
see "m opens the tables" "smadm - Tables"
keys / access Enter Enter
see "access opens" "smadm - Table access"
keys / evil Enter
see "table view: the value escaped" 'REJECT \x1b[2J'
keys c
see "table view: the comment escaped" '# owner: \x1b]0;pwned\x07 \u009b'
clean_screen "table view"
keys q q q
finish
