# tests/tui/logs.sh -- the log screen and the daemon panel in a real
# terminal (80x24 tmux on a private server), over a sandbox whose real
# daemon logs into its mail log: live follow while keys keep working,
# colours by outcome, the filter prompt, search, Enter to the trace of a
# message, pause, and reload from the daemon panel with its confirmation.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

ESC=$(printf '\033')
tui_need_tmux

smtp() {	# smtp PORT FROM TO: prints the queue id
	python3 - "$@" <<'PY'
import smtplib, sys
port, frm, to = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = smtplib.SMTP(timeout=30)
s.connect("127.0.0.1", port)   # loopback only
s.ehlo("client.sandbox.example")
s.mail(frm); s.rcpt(to)
code, reply = s.data("Subject: t\r\n\r\nbody\r\n")
print(reply.decode().split()[1] if code == 250 else "refused")
s.quit()
PY
}

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
port=$(sed -n 's/^listen = 127\.0\.0\.1://p' "$dir/smadm.conf")
log=$dir/log/mail.log
"$SMADM" -r "$dir" daemon start > /dev/null 2>&1 || { bad "daemon start"; finish; exit 1; }
pid1=$(head -n1 "$dir/run/sendmail.pid")
q_sent=$(smtp "$port" tester@sandbox.example root)
q_def=$(smtp "$port" tester@sandbox.example "far$$@deferred.example")
wait_for 10 grep -q "$q_def: to=<far$$" "$log" || bad "deferral not logged"
wait_for 10 grep -q "$q_sent: to=<root>.*stat=Sent" "$log" || bad "delivery not logged"

tui_console logs 80 24
# the SGR sequence in front of TEXT on the screen (colour of a line)
sgr_of() {
	$TM capture-pane -e -p -t "$s" | grep -F -- "$1" | head -n1 |
	    sed "s/$ESC\[0*m//g" | grep -o "$ESC\[[0-9;]*m" | head -n1
}

see "dashboard" "smadm - Dashboard"
see "dashboard key bar names l and d" "l Log  d Daemon"
keys l
see "l opens the log, following" "- following"
see "log: column titles" "Time     Queue id       Message"
see "log: the deferral of $q_def" "to=<far$$@deferred.example>"
see "log: the delivery of $q_sent" "to=<root>, delay="
check "nothing wider than 80 columns" sh -c "[ \$($TM capture-pane -p -t $s | wc -L) -le 80 ]"
c_def=$(sgr_of "to=<far$$@deferred.example>")
c_sent=$(sgr_of "to=<root>, delay=")
c_conn=$(sgr_of "connect from")
[ -n "$c_def" ] && [ -n "$c_sent" ] && [ "$c_def" != "$c_sent" ] &&
    ok "deferred and sent lines have their own colours ($c_def / $c_sent)" ||
    bad "no distinct colours: deferred '$c_def' sent '$c_sent'"
[ "$c_sent" != "$c_conn" ] && ok "a sent line is not coloured like a connect line" ||
    bad "sent coloured like connect ($c_sent)"

# live: a new message appears without a key, and keys still work
q_new=$(smtp "$port" tester@sandbox.example "live$$@deferred.example")
see "a new message appears by itself" "to=<live$$@deferred.example>"
keys /
see "search prompt while following" "/"
keys "live$$" Enter
see "search lands on the line" "to=<live$$@deferred.example>"

# pause: scrolled up, new lines are counted, not scrolled in
keys g
see "g scrolls to the top: paused" "paused"
q_p=$(smtp "$port" tester@sandbox.example "paused$$@deferred.example")
if wait_for 5 sh -c "$TM capture-pane -p -t $s | sed -n 1p | grep -qE 'paused, [1-9][0-9]* new'"; then
	ok "title counts new lines while paused"
else bad "no count of new lines"; screen | sed -n 1p; fi
keys G
see "G follows again" "- following"
see "G shows the newest lines" "to=<paused$$@deferred.example>"

# filter
keys f
see "f asks for a filter" "filter:"
keys "status:deferred" Enter
see "the filter is in the title" "[status:deferred]"
see "the filter keeps deferrals" "to=<far$$@deferred.example>"
not_see "the filter hides deliveries" "stat=Sent"
not_see "the filter hides connect lines" "connect from"

# Enter: the trace of the message under the cursor
keys f C-u "qid:$q_def" Enter
see "filtered to one id" "[qid:$q_def]"
keys G Enter
see "Enter opens the trace" "Trace $q_def"
see "trace: its connect line" "connect from"
see "trace: its from= line" "from=<tester@sandbox.example>"
see "trace: its deferral" "to=<far$$@deferred.example>"
keys Right Right Right Right Right Right Right Right Right Right Right Right Right Right Right Right
see "Right scrolls to the end of long lines" "stat=Deferred"
keys Left Left Left Left Left Left Left Left Left Left Left Left Left Left Left Left
not_see "trace: no other message" "$q_sent"
keys Escape
see "Esc back to the log" "[qid:$q_def]"
# Q: from a line to its message in the queue (the deferred one is queued)
keys G Q
see "Q opens the queue screen" "smadm - Queue"
see "filtered to the line's message" "filter id:$q_def"
see "the queued message is listed" "$q_def"
keys q
see "q back to the log" "[qid:$q_def]"
keys f C-u Enter
see "an empty filter shows everything again" "- following"
keys q
see "q back to the dashboard" "smadm - Dashboard"

# daemon panel
keys d
see "d opens the daemon panel" "smadm - Daemon"
see "panel: running with the pid" "running, pid $pid1"
see "panel: LogLevel 12" "12"
see "panel: the control socket answer" "children (max 20)"
see "panel: key bar" "R Reload"
keys R
see "reload asks first" "Reload the sendmail daemon of the sandbox?"
keys n
see "no: cancelled" "cancelled"
check "... and the pid is unchanged" [ "$(head -n1 "$dir/run/sendmail.pid")" = "$pid1" ]
keys R
see "reload asks again" "Reload the sendmail daemon"
keys y
if wait_for 20 sh -c "[ \"\$(head -n1 '$dir/run/sendmail.pid')\" != '$pid1' ]"; then
	ok "y reloads: new pid"
else bad "pid unchanged after reload"; fi
pid2=$(head -n1 "$dir/run/sendmail.pid")
see "reload reports old -> new" "reloaded sendmail: pid $pid1 -> $pid2"
keys q
see "the panel shows the new pid" "running, pid $pid2"
keys l
see "l from the panel opens the log" "- following"
see "the log shows the restart" "restarting /usr/sbin/sendmail due to sig"
keys q q q
if wait_for 5 has "EXITED 0"; then ok "q q q quits with status 0"
else bad "did not quit"; screen | tail -3; fi

finish
