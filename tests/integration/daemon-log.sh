# tests/integration/daemon-log.sh -- a sandbox daemon at LogLevel 12
# receives mail over SMTP on loopback: one message deferred to the dead
# loopback port, one delivered locally, one rejected by the access map.
# The trace of each shows the real lines of the log; the daemon's control
# socket answers STATUS; reload changes the pid and the daemon keeps
# serving; at LogLevel 15 the trace holds the SMTP conversation; log tail
# -f follows; stop leaves no process.
. "$(dirname "$0")/../lib.sh"

# smtp PORT FROM TO: one message over loopback; prints the queue id from
# the reply to DATA, or "refused CODE" when the server says no.
smtp() {
	python3 - "$@" <<'PY'
import smtplib, sys
port, frm, to = int(sys.argv[1]), sys.argv[2], sys.argv[3]
s = smtplib.SMTP(timeout=30)
s.connect("127.0.0.1", port)   # loopback only, always
s.ehlo("client.sandbox.example")
code, _ = s.mail(frm)
if code != 250:
    print("refused", code); s.quit(); sys.exit(0)
code, _ = s.rcpt(to)
if code != 250:
    print("refused", code); s.quit(); sys.exit(0)
code, reply = s.data("From: %s\r\nTo: %s\r\nSubject: t\r\n\r\nbody\r\n" % (frm, to))
print(reply.decode().split()[1] if code == 250 else "refused %d" % code)
s.quit()
PY
}
alive() {
	[ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}
sm() { "$SMADM" -r "$dir" "$@"; }

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
port=$(sed -n 's/^listen = 127\.0\.0\.1://p' "$dir/smadm.conf")
log=$dir/log/mail.log
check "the sandbox cf runs LogLevel 12" grep -qx 'O LogLevel=12' "$dir/etc/sendmail.cf"
check "the sandbox cf names a control socket" grep -qx "O ControlSocketName=$dir/run/control" "$dir/etc/sendmail.cf"
check "access: reject a sender" sm map set access From:spammer@reject.example REJECT
check "access: rebuild the map" sm map build access
check_not "reload refuses when nothing runs" sm -y daemon reload

check "daemon start" sm daemon start
pid1=$(head -n1 "$dir/run/sendmail.pid")
sm daemon status > "$T_TMP/st" 2>&1
check "status: LogLevel 12 from the cf" grep -q '^  loglevel: *12 ' "$T_TMP/st"
check "status: the daemon's own STATUS answer" grep -qE '^  control: +[0-9]+ child(ren)? \(at most 20\), load [0-9]+, [0-9]+ blocks free' "$T_TMP/st"
check "status: its process list names the daemon" grep -q "^    $pid1 accepting connections" "$T_TMP/st"
sm --json daemon status > "$T_TMP/stj" 2>&1
check "status --json: loglevel and control" python3 -c "
import json
d = json.load(open('$T_TMP/stj'))
assert d['loglevel'] == 12 and d['control']['max_children'] == 20, d
assert d['control']['error'] is None"
sm loglevel > "$T_TMP/ll" 2>&1
check "loglevel shows 12, in effect" sh -c "grep -q '^LogLevel: 12 ' '$T_TMP/ll' && grep -q 'in effect in the running daemon' '$T_TMP/ll'"
check_not "loglevel refuses a level above 99" sm -y loglevel 100
check "... and changed nothing" grep -qx 'O LogLevel=12' "$dir/etc/sendmail.cf"

# --- three messages
q_local=$(smtp "$port" tester@sandbox.example root)
q_def=$(smtp "$port" tester@sandbox.example "away$$@deferred.example")
r_rej=$(smtp "$port" spammer@reject.example root)
case $q_local in *[!0-9A-Za-x]*|'') bad "local message accepted: $q_local" ;; *) ok "local message accepted as $q_local" ;; esac
case $q_def in *[!0-9A-Za-x]*|'') bad "remote message accepted: $q_def" ;; *) ok "remote message accepted as $q_def" ;; esac
check "the spammer was refused" [ "$r_rej" = "refused 550" ]
check "log: local delivery logged" wait_for 10 grep -q "$q_local: to=<root>,.*stat=Sent" "$log"
check "log: deferral logged" wait_for 10 grep -q "$q_def: to=<away$$@deferred.example>,.*stat=Deferred" "$log"
check "log: rejection logged" wait_for 10 grep -q 'reject=550 5.7.1 <spammer@reject.example>' "$log"

sm log trace "$q_local" > "$T_TMP/t1" 2>&1
check "trace local: the session's connect line" grep -q "sm-mta\[[0-9]*\]: NOQUEUE: connect from" "$T_TMP/t1"
check "trace local: from=" grep -q "$q_local: from=<tester@sandbox.example>" "$T_TMP/t1"
check "trace local: stat=Sent" grep -q "$q_local: to=<root>,.*stat=Sent" "$T_TMP/t1"
check "trace local: every line is in the log, in order" sh -c "grep -Fxf '$T_TMP/t1' '$log' | cmp -s - '$T_TMP/t1'"
check "trace local: only its own lines" sh -c "! grep -v -e '$q_local' -e 'connect from' -e 'AUTH:' '$T_TMP/t1' | grep -q ."
sm log trace "$q_def" > "$T_TMP/t2" 2>&1
check "trace deferred: stat=Deferred" grep -q "$q_def: to=<away$$@deferred.example>,.*dsn=4.4.1, stat=Deferred: Connection refused by \[127.0.0.1\]" "$T_TMP/t2"
check_not "trace deferred: not the local message" grep -q "$q_local" "$T_TMP/t2"
sm --json log search kind:reject addr:spammer@reject.example > "$T_TMP/s1" 2>&1
q_rej=$(python3 -c "
import json
d = json.load(open('$T_TMP/s1'))
l = d['lines'][0]
assert l['outcome'] == 'rejected' and l['fields']['ruleset'] == 'check_mail'
print(l['qid'])")
check "search finds the rejection as JSON: $q_rej" [ -n "$q_rej" ]
sm log trace "$q_rej" > "$T_TMP/t3" 2>&1
check "trace rejected: reject= line" grep -q "$q_rej: ruleset=check_mail, arg1=<spammer@reject.example>, relay=.*reject=550 5.7.1" "$T_TMP/t3"
check "trace rejected: its connect line" grep -q 'connect from' "$T_TMP/t3"
check_not "trace of an unknown id fails" sm log trace 6AM2zzzz099999
sm log search status:deferred > "$T_TMP/s2" 2>&1
check "search status:deferred: the deferral only" sh -c "grep -q '$q_def' '$T_TMP/s2' && ! grep -q 'stat=Sent' '$T_TMP/s2'"
sm log tail -n 3 --filter "qid:$q_local" > "$T_TMP/tail" 2>&1
check "tail --filter: the last 3 lines of that id" sh -c "[ \$(wc -l < '$T_TMP/tail') -eq 3 ] && ! grep -v '$q_local' '$T_TMP/tail' | grep -q ."

# --- follow while mail comes in
"$SMADM" -r "$dir" log tail -f -n 0 --filter "to:follow$$" > "$T_TMP/follow" 2>&1 &
fpid=$!
track_pid "$fpid"
sleep 0.5
q_f=$(smtp "$port" tester@sandbox.example "follow$$@deferred.example")
check "tail -f shows the new message's deferral" wait_for 10 grep -q "$q_f: to=<follow$$@deferred.example>" "$T_TMP/follow"
kill "$fpid" 2>/dev/null

# --- reload
sm -y daemon reload > "$T_TMP/reload" 2>&1
check "reload" test $? -eq 0
pid2=$(head -n1 "$dir/run/sendmail.pid")
check "reload: the pid changed ($pid1 -> $pid2)" [ "$pid1" != "$pid2" ]
check "reload: reported old -> new" grep -q "pid $pid1 -> $pid2" "$T_TMP/reload"
check "reload: the old daemon is gone" sh -c "! [ -d /proc/$pid1 ] || grep -q '^State:.*Z' /proc/$pid1/status"
check "reload: the new one is alive" alive "$pid2"
check "log: restarting due to signal" grep -q "sm-mta\[$pid1\]: restarting /usr/sbin/sendmail due to signal" "$log"
q_after=$(smtp "$port" tester@sandbox.example root)
check "the reloaded daemon accepts mail ($q_after)" wait_for 10 grep -q "$q_after: to=<root>,.*stat=Sent" "$log"

# --- LogLevel 15: the conversation in the trace
sleep 2	# newer than the daemon by more than a second of clock
sed -i 's/^O LogLevel=12$/O LogLevel=15/' "$dir/etc/sendmail.cf"
sm loglevel > "$T_TMP/ll2" 2>&1
check "loglevel: a cf newer than the daemon is not in effect" grep -q 'daemon reload' "$T_TMP/ll2"
check "reload at LogLevel 15" sm -y daemon reload
q_15=$(smtp "$port" tester@sandbox.example "conv$$@deferred.example")
check "LogLevel 15 deferral logged" wait_for 10 grep -q "$q_15: to=<conv$$@deferred.example>" "$log"
sm log trace "$q_15" > "$T_TMP/t4" 2>&1
check "trace at 15: the MAIL command" grep -q "$q_15: <-- mail FROM:<tester@sandbox.example>" "$T_TMP/t4"
check "trace at 15: the reply to DATA" grep -q "$q_15: --- 250 2.0.0 $q_15 Message accepted for delivery" "$T_TMP/t4"
check "trace at 15: the QUIT after it (next id)" grep -q ": <-- quit" "$T_TMP/t4"
check "trace at 15: in log order" sh -c "grep -Fxf '$T_TMP/t4' '$log' | cmp -s - '$T_TMP/t4'"

# --- restart, stop
pid3=$(head -n1 "$dir/run/sendmail.pid")
check "restart" sm -y daemon restart
pid4=$(head -n1 "$dir/run/sendmail.pid")
check "restart: a new pid" [ "$pid3" != "$pid4" ]
check_not "restart: the old one is gone" alive "$pid3"
check "stop" sm -y daemon stop
check "stop: the pid file is gone" test ! -e "$dir/run/sendmail.pid"
left=""
for p in /proc/[0-9]*; do
	[ "$(readlink "$p/cwd" 2>/dev/null)" = "$dir/queue" ] && left="$left ${p#/proc/}"
done
check "stop: no process works in the sandbox queue ($left)" [ -z "$left" ]
for p in $pid1 $pid2 $pid3 $pid4; do
	alive "$p" && bad "pid $p still runs"
done
check "log: stopping daemon" grep -q "sm-mta\[$pid4\]: NOQUEUE: stopping daemon, reason=signal" "$log"

finish
