# tests/integration/sandbox.sh -- a real sandbox: create it, start the real
# sendmail daemon on a free loopback port, talk SMTP to it, watch local
# delivery, the queue and the mail log, stop it, stale pid files, destroy.
. "$(dirname "$0")/../lib.sh"

SM_EXE=$(readlink -f /usr/sbin/sendmail)

# smtp_send PORT FROM TO SUBJECT: one message over loopback; prints the
# banner text (without the 220) on the first line.
smtp_send() {
	python3 - "$@" <<'PY'
import smtplib, sys
port, frm, to, subj = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
s = smtplib.SMTP(timeout=30)
code, banner = s.connect("127.0.0.1", port)   # loopback only, always
print(banner.decode())
s.ehlo("client.sandbox.example")
msg = "From: %s\r\nTo: %s\r\nSubject: %s\r\n\r\nsandbox test body\r\n" % (frm, to, subj)
s.sendmail(frm, [to], msg)
s.quit()
PY
}
# alive PID: running and not a zombie
alive() {
	[ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}
status() { "$SMADM" -r "$dir" status 2>&1; }

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
port=$(sed -n 's/^listen = 127\.0\.0\.1://p' "$dir/smadm.conf")
ok "sandbox created in $dir, port $port"

# --- files
for f in smadm.conf etc/sendmail.mc etc/sendmail.cf etc/access.db \
    etc/mailertable.db etc/virtusertable.db etc/aliases.db \
    etc/local-host-names etc/service.switch ns/hosts ns/nsswitch.conf \
    ns/resolv.conf lib/statistics; do
	[ -f "$dir/$f" ] || bad "missing $dir/$f"
done
ok "sandbox files exist"
check "queue dir is mode 700" [ "$(stat -c %a "$dir/queue")" = 700 ]
check "submission queue dir is mode 700" [ "$(stat -c %a "$dir/clientmqueue")" = 700 ]
check "smadm.conf says sandbox = yes" grep -qx 'sandbox = yes' "$dir/smadm.conf"
check "mc listens on 127.0.0.1:$port only" grep -q "Port=$port, Addr=127.0.0.1'" "$dir/etc/sendmail.mc"
check "cf was generated from the mc" grep -q "^O DaemonPortOptions=.*Port=$port, Addr=127.0.0.1" "$dir/etc/sendmail.cf"
check "cf greeting has no version" grep -qx 'O SmtpGreetingMessage=$j' "$dir/etc/sendmail.cf"
check "cf privacy options without goaway" grep -qx 'O PrivacyOptions=authwarnings,noexpn,novrfy,noverb,needmailhelo,restrictmailq,restrictqrun' "$dir/etc/sendmail.cf"
check "local mailer is smadm sandbox deliver" grep -q "^Mlocal,.*P=$SMADM," "$dir/etc/sendmail.cf"
check "no placeholder left in the mc" sh -c "! grep -q '@[A-Z_]*@' '$dir/etc/sendmail.mc'"

"$SMADM" -r "$dir" sandbox exec "$SM_EXE" -C "$dir/etc/sendmail.cf" -bt -d0.1 \
    < /dev/null > "$T_TMP/bt" 2>&1
check "sendmail -bt -d0.1 accepts the cf (in the namespace)" test $? -eq 0
fqdn=$(sed -n 's/.*(canonical domain name) \$j = //p' "$T_TMP/bt")
case $fqdn in
*.*) ok "\$j is qualified: $fqdn" ;;
*) bad "\$j is not qualified: '$fqdn'"; cat "$T_TMP/bt" ;;
esac
printf '/map access Connect:127.0.0.1\n/map mailertable deferred.example\n' |
    "$SMADM" -r "$dir" sandbox exec "$SM_EXE" -C "$dir/etc/sendmail.cf" -bt \
    > "$T_TMP/maps" 2>&1
check "access map built: Connect:127.0.0.1 is RELAY" grep -q 'access (Connect:127.0.0.1) returns RELAY' "$T_TMP/maps"
check "mailertable built" grep -qF 'mailertable (deferred.example) returns smtp:[127.0.0.1]' "$T_TMP/maps"

# --- creating again
"$SMADM" sandbox create "$dir" --port "$port" > "$T_TMP/again" 2>&1
check "create on an existing sandbox succeeds and says so" grep -q 'already a smadm sandbox' "$T_TMP/again"
mkdir "$T_TMP/full" && : > "$T_TMP/full/precious"
check_not "create refuses a non-empty directory" "$SMADM" sandbox create "$T_TMP/full"
check "... and leaves it alone" test -f "$T_TMP/full/precious"
check_not "destroy refuses a directory that is not a sandbox" "$SMADM" -y sandbox destroy "$T_TMP/full"
check "... and leaves it alone" test -f "$T_TMP/full/precious"

# --- stopped
status > "$T_TMP/st"
check "status exits 0 and says stopped" grep -q '^daemon: *stopped' "$T_TMP/st"
check "status shows the queue" grep -q '^queue  *0 messages' "$T_TMP/st"

# --- start
"$SMADM" -r "$dir" daemon start > "$T_TMP/start" 2>&1
check "daemon start" test $? -eq 0
pid=$(head -n1 "$dir/run/sendmail.pid" 2>/dev/null)
check "pid file names a live process" alive "${pid:-0}"
check "the pid is the sendmail binary" [ "$(readlink "/proc/$pid/exe")" = "$SM_EXE" ]
check "its working directory is the sandbox queue" [ "$(readlink "/proc/$pid/cwd")" = "$dir/queue" ]
status > "$T_TMP/st"
check "status: running with the real pid $pid" grep -q "^daemon: *running, pid $pid," "$T_TMP/st"
check "status: listening on 127.0.0.1:$port" grep -q "listening: *127.0.0.1:$port\$" "$T_TMP/st"
check "status: pid file command line" grep -q "command: .*-L sm-mta -bd" "$T_TMP/st"
check "status: log receiver running" grep -q '^log receiver: *running' "$T_TMP/st"
check "the port is really listening" sh -c "ss -Hltn 'sport = :$port' | grep -q '127.0.0.1:$port'"
"$SMADM" -r "$dir" --json status > "$T_TMP/json" 2>&1
check "status --json: valid, running, same pid" python3 -c "
import json, sys
d = json.load(open('$T_TMP/json'))
assert d['daemon']['state'] == 'running' and d['daemon']['pid'] == $pid
assert '127.0.0.1:$port' in d['daemon']['listen'] and d['sandbox'] is True"
"$SMADM" -r "$dir" daemon start > "$T_TMP/start2" 2>&1
check "daemon start again: not an error" test $? -eq 0
check "... says already running" grep -q "already running (pid $pid)" "$T_TMP/start2"

# --- SMTP over loopback
smtp_send "$port" tester@sandbox.example root "local $$" > "$T_TMP/smtp1" 2>&1
check "SMTP to 127.0.0.1:$port accepted a local message" test $? -eq 0
banner=$(head -n1 "$T_TMP/smtp1")
check "banner is \"$fqdn ESMTP\", no version" [ "$banner" = "$fqdn ESMTP" ]
check "local mail delivered into mailbox/root" wait_for 10 grep -q "^Subject: local $$" "$dir/mailbox/root"
check "mailbox starts with an mbox From line" sh -c "head -n1 '$dir/mailbox/root' | grep -q '^From tester@sandbox.example '"
check "mailbox is mode 600" [ "$(stat -c %a "$dir/mailbox/root")" = 600 ]
smtp_send "$port" tester@sandbox.example "away$$@remote.example" "remote $$" > "$T_TMP/smtp2" 2>&1
check "SMTP accepted a remote message" test $? -eq 0
check "the remote message stays queued (status: 1 message)" wait_for 10 sh -c "'$SMADM' -r '$dir' status | grep -q '^queue  *1 message in'"
check "a qf file is in the queue" sh -c "ls '$dir/queue' | grep -q '^qf'"

# --- the mail log
log=$dir/log/mail.log
check "mail log: starting daemon" grep -q "sm-mta\[$pid\]: starting daemon (8\." "$log"
check "mail log: from= line" wait_for 5 grep -q 'from=<tester@sandbox.example>' "$log"
check "mail log: local delivery Sent" wait_for 5 grep -q 'to=<root>,.*mailer=local,.*stat=Sent' "$log"
check "mail log: remote delivery Deferred" wait_for 5 grep -q "to=<away$$@remote.example>,.*stat=Deferred" "$log"
check "mail log lines have rsyslog's RFC 3339 form" sh -c "grep -vE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}[+-][0-9]{2}:[0-9]{2} [^ ]+ [^ ]+: ' '$log' | grep -q . && exit 1; exit 0"
"$SMADM" -r "$dir" sandbox exec /usr/bin/python3 -c '
import syslog
syslog.openlog("smadmtest", syslog.LOG_PID, syslog.LOG_USER)
syslog.syslog(syslog.LOG_NOTICE, "not for the mail log")
syslog.openlog("smadmtest", syslog.LOG_PID, syslog.LOG_MAIL)
syslog.syslog(syslog.LOG_INFO, "for the mail log\ttab")' > /dev/null 2>&1
check "glibc syslog, facility mail: in the mail log" wait_for 5 grep -qE ' smadmtest\[[0-9]+\]: for the mail log#011tab$' "$log"
check "other facilities go to other.log" wait_for 5 grep -q 'smadmtest\[[0-9]*\]: not for the mail log' "$dir/log/other.log"
check_not "... and not to the mail log" grep -q 'not for the mail log' "$log"

# --- local delivery by hand: the user name cannot escape mailbox/
printf 'Subject: by hand\n\nbody\n' | "$SMADM" sandbox deliver "$dir" ../escape
check "deliver: user name sanitised into mailbox/" test -f "$dir/mailbox/_._escape"
check "deliver: nothing outside mailbox/" test ! -e "$dir/escape"
check "deliver: a From line is added when missing" sh -c "head -n1 '$dir/mailbox/_._escape' | grep -q '^From MAILER-DAEMON '"

# --- stop
logd=$(head -n1 "$dir/run/logd.pid" 2>/dev/null)
"$SMADM" -r "$dir" daemon stop < /dev/null > "$T_TMP/stop" 2>&1
check "stop without --yes and no terminal: refused" test $? -ne 0
check "... with a clear message" grep -q 'refusing without a terminal.*--yes' "$T_TMP/stop"
check "... and the daemon still runs" alive "$pid"
"$SMADM" -y -r "$dir" daemon stop > "$T_TMP/stop" 2>&1
check "stop -y" test $? -eq 0
check "... the daemon pid $pid is gone" wait_for 5 sh -c "! { [ -d /proc/$pid ] && ! grep -q '^State:[[:space:]]*Z' /proc/$pid/status; }"
check "... the log receiver ${logd:-?} is gone" wait_for 5 sh -c "! { [ -d /proc/${logd:-0} ] && ! grep -q '^State:[[:space:]]*Z' /proc/${logd:-0}/status; }"
check "... no process of the sandbox remains" sh -c "! ps -eo pid,args | grep -F '$dir' | grep -v grep | grep -q ."
check "... the pid files are gone" sh -c "[ ! -e '$dir/run/sendmail.pid' ] && [ ! -e '$dir/run/logd.pid' ]"
check "status says stopped" sh -c "'$SMADM' -r '$dir' status | grep -q '^daemon: *stopped'"
"$SMADM" -y -r "$dir" daemon stop > "$T_TMP/stop2" 2>&1
check "stopping a stopped daemon is not an error" test $? -eq 0

# --- a stale pid file naming someone else's process
sleep 300 &
foreign=$!
track_pid "$foreign"
printf '%s\n/usr/sbin/sendmail -bd\n' "$foreign" > "$dir/run/sendmail.pid"
status > "$T_TMP/st"
check "status: stale pid file reported" grep -q "^daemon: *stale pid file: pid $foreign is /usr/bin/sleep" "$T_TMP/st"
"$SMADM" -y -r "$dir" daemon stop > "$T_TMP/stop3" 2>&1
check "stop with a stale pid file succeeds" test $? -eq 0
check "... says it did not signal it" grep -q "stale pid file .*pid $foreign.*not signalled" "$T_TMP/stop3"
check "... and the foreign process lives" alive "$foreign"
check "... the stale pid file was removed" test ! -e "$dir/run/sendmail.pid"

# --- start over a stale pid file, then destroy a running sandbox
printf '%s\n' "$foreign" > "$dir/run/sendmail.pid"
"$SMADM" -r "$dir" daemon start > "$T_TMP/start3" 2>&1
check "start over a stale pid file" test $? -eq 0
check "... the foreign process lives" alive "$foreign"
pid=$(head -n1 "$dir/run/sendmail.pid" 2>/dev/null)
check "... a new daemon runs" alive "${pid:-0}"
check_not "destroy without --yes and no terminal: refused" "$SMADM" sandbox destroy "$dir" < /dev/null
check "... the sandbox is still there" test -f "$dir/smadm.conf"
"$SMADM" -y sandbox destroy "$dir" > "$T_TMP/destroy" 2>&1
check "destroy -y" test $? -eq 0
check "... the directory is gone" test ! -e "$dir"
check "... the daemon is gone" wait_for 5 sh -c "! { [ -d /proc/$pid ] && ! grep -q '^State:[[:space:]]*Z' /proc/$pid/status; }"
check "... the foreign process lives" alive "$foreign"
kill "$foreign" 2>/dev/null

finish
