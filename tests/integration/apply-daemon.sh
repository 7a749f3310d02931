# tests/integration/apply-daemon.sh -- the apply pipeline against a running
# sandbox daemon: an mc edit applied reloads the daemon (new pid, verified)
# and an SMTP session on loopback shows the new PrivacyOptions; "loglevel
# 15" puts both sides of the conversation in the mail log; a map text edit
# is built by apply without a reload; a hand edit of the cf is drift; a
# reload that must not happen (the pid file names another program) puts
# the previous files back byte for byte; rollback restores and reloads.
. "$(dirname "$0")/../lib.sh"

sm() { "$SMADM" -r "$dir" "$@"; }
pid() { head -n1 "$dir/run/sendmail.pid"; }
alive() {
	[ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}
# probe: one SMTP session on loopback; prints "VRFY code", "EXPN code"
# and "MAIL code" lines.
probe() {
	python3 - "$port" <<'PY'
import smtplib, sys
s = smtplib.SMTP(timeout=30)
s.connect("127.0.0.1", int(sys.argv[1]))	# loopback only, always
s.ehlo("client.sandbox.example")
print("VRFY", s.verify("root")[0])
print("EXPN", s.expn("root")[0])
print("MAIL", s.mail("probe@sandbox.example")[0])
s.rset()
s.quit()
PY
}

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
port=$(sed -n 's/^listen = 127\.0\.0\.1://p' "$dir/smadm.conf")
log=$dir/log/mail.log
cf=$dir/etc/sendmail.cf
mc=$dir/etc/sendmail.mc
check "daemon start" sm daemon start
check "the sandbox starts with novrfy, noexpn, LogLevel 12" sh -c \
    "grep -q '^O PrivacyOptions=.*noexpn,novrfy' '$cf' && grep -qx 'O LogLevel=12' '$cf'"
probe > "$T_TMP/p0" 2>&1
check "before: VRFY refused (252)" grep -qx 'VRFY 252' "$T_TMP/p0"
check "before: EXPN refused (502)" grep -qx 'EXPN 502' "$T_TMP/p0"
check_not "LogLevel 12 does not log the conversation" grep -q '<-- ' "$log"

# --- PrivacyOptions without novrfy/noexpn: the daemon answers them
cp "$cf" "$T_TMP/cf.0"
cp "$mc" "$T_TMP/mc.0"
pid0=$(pid)
check "mc set PrivacyOptions (open)" sm mc set PrivacyOptions 'authwarnings,restrictmailq,restrictqrun'
check "apply -y" sm -y apply
pid1=$(pid)
check "apply reloaded: the pid changed" test "$pid1" != "$pid0"
check "the new daemon is alive" alive "$pid1"
check_not "the old daemon is gone" alive "$pid0"
sm daemon status > "$T_TMP/st" 2>&1
check "daemon status: running with the new pid, listening" sh -c \
    "grep -q '^daemon: *running, pid $pid1' '$T_TMP/st' && grep -q '127.0.0.1:$port' '$T_TMP/st'"
probe > "$T_TMP/p1" 2>&1
check "after: VRFY answered (250)" grep -qx 'VRFY 250' "$T_TMP/p1"
check "after: EXPN answered (250)" grep -qx 'EXPN 250' "$T_TMP/p1"
cp "$cf" "$T_TMP/cf.1"

# --- goaway: VRFY and EXPN refused again, through a second apply
check "mc set PrivacyOptions goaway" sm mc set PrivacyOptions 'authwarnings,goaway,restrictmailq,restrictqrun'
sm -y apply > "$T_TMP/out" 2>&1
check "apply with goaway" grep -q '^  ok  *reload: .*pid [0-9]* -> [0-9]*' "$T_TMP/out"
pid2=$(pid)
check "the pid changed again" test "$pid2" != "$pid1"
probe > "$T_TMP/p2" 2>&1
check "goaway: VRFY 252 'Cannot VRFY user'" grep -qx 'VRFY 252' "$T_TMP/p2"
check "goaway: EXPN 502" grep -qx 'EXPN 502' "$T_TMP/p2"

# --- loglevel 15: both sides of SMTP in the log
sm loglevel > "$T_TMP/ll" 2>&1
check "loglevel says 12 logs connections, not the conversation" \
    grep -q 'only from LogLevel 15' "$T_TMP/ll"
sm -y loglevel 15 > "$T_TMP/out" 2>&1
check "loglevel 15 succeeds" test $? -eq 0
check "loglevel 15: confLOG_LEVEL in the mc" grep -q "define(\`confLOG_LEVEL', \`15')dnl" "$mc"
check "loglevel 15: O LogLevel=15 in the cf" grep -qx 'O LogLevel=15' "$cf"
check "loglevel 15: the daemon reloaded" grep -q '^  ok  *reload: ' "$T_TMP/out"
pid3=$(pid)
check "loglevel 15: new pid" test "$pid3" != "$pid2"
sm loglevel > "$T_TMP/ll" 2>&1
check "loglevel: 15 in effect" sh -c "grep -q '^LogLevel: 15 ' '$T_TMP/ll' && grep -q 'in effect in the running daemon' '$T_TMP/ll'"
probe > /dev/null 2>&1
check "LogLevel 15: the client's MAIL FROM is logged" wait_for 10 grep -q 'sm-mta\[[0-9]*\]: .*<-- mail FROM:<probe@sandbox.example>' "$log"
check "LogLevel 15: the server's reply is logged" grep -q 'sm-mta\[[0-9]*\]: .*--- 250 2.1.0 <probe@sandbox.example>... Sender ok' "$log"
cp "$cf" "$T_TMP/cf.3"
grep -v '^#####' "$cf" > "$T_TMP/cf.3.nostamp"
cp "$mc" "$T_TMP/mc.3"

# --- a map text edit: apply builds it, the cf is unchanged, no reload
check "virtusertable: add an entry" sm map set virtusertable "alias$$@sandbox.example" root
check_not "not in the database yet" sm map lookup virtusertable "alias$$@sandbox.example"
sm -y apply > "$T_TMP/out" 2>&1
check "apply with only a map change succeeds" test $? -eq 0
check "apply: the maps step built virtusertable" grep -q '^  ok  *maps: .*virtusertable: [0-9]* entr' "$T_TMP/out"
check "apply: no install" grep -q '^  skipped  *install' "$T_TMP/out"
check "apply: no reload (cf unchanged)" grep -q '^  skipped  *reload: cf unchanged' "$T_TMP/out"
check "the pid did not change" test "$(pid)" = "$pid3"
check "map lookup shows the new value" sh -c "'$SMADM' -r '$dir' map lookup virtusertable 'alias$$@sandbox.example' | grep -qx root"
echo "/map virtuser alias$$@sandbox.example" > "$T_TMP/bt"
check "sendmail -bt sees it too" sh -c "'$SMADM' -r '$dir' sandbox exec /usr/sbin/sendmail -C '$cf' -bt < '$T_TMP/bt' | grep -q 'returns root'"
sm -y apply > "$T_TMP/out" 2>&1
check "a second apply builds nothing" grep -q '^  skipped  *maps: all maps are up to date' "$T_TMP/out"

# --- drift: a hand edit of the cf
printf 'O ConnectionCacheSize=3\n' >> "$cf"
check_not "cf diff finds the hand edit" sm cf diff
sm cf diff > "$T_TMP/out" 2>&1
check "the drift diff shows the line" grep -qx -- '-O ConnectionCacheSize=3' "$T_TMP/out"
check "apply repairs the drift" sm -y apply
check "repaired cf is the applied one (but its build stamp)" sh -c \
    "grep -v '^#####' '$cf' | cmp -s - '$T_TMP/cf.3.nostamp'"
check "no drift" sm cf diff

# --- a reload that must not happen: the previous files come back
pid4=$(pid)
sleep 300 & fake=$!
track_pid "$fake"
cp "$dir/run/sendmail.pid" "$T_TMP/pidfile"
printf '%s\n/usr/sbin/sendmail -bd\n' "$fake" > "$dir/run/sendmail.pid"
check "mc set PrivacyOptions (open again)" sm mc set PrivacyOptions 'authwarnings'
cp "$cf" "$T_TMP/cf.before-fail"
sm -y apply > "$T_TMP/out" 2>&1; rc=$?
check "apply fails when the pid file names another program" test $rc -ne 0
check "the reload step says why" grep -q "^  FAILED  *reload: .*pid $fake is .*sleep, not sendmail" "$T_TMP/out"
check "the restore step ran" grep -q '^  ok  *restore: previous files back from backup' "$T_TMP/out"
check "the cause names the restore" grep -q 'restored from backup' "$T_TMP/out"
check "the cf is byte-identical to before" cmp "$cf" "$T_TMP/cf.before-fail"
check "the other program was not signalled" alive "$fake"
kill "$fake"
cp "$T_TMP/pidfile" "$dir/run/sendmail.pid"
check "the real daemon still runs" alive "$pid4"
check "the restored state shows the mc edit as pending" sh -c "! '$SMADM' -r '$dir' cf diff"
# The mc edit is undone by hand; the applied one had goaway.
cp "$T_TMP/mc.3" "$mc"
check "no drift once the mc is back" sm cf diff

# --- daemon not running: apply installs and says so
check "daemon stop" sm -y daemon stop
check "mc set MaxDaemonChildren" sm mc set MaxDaemonChildren 21
sm -y apply > "$T_TMP/out" 2>&1
check "apply without a daemon succeeds" test $? -eq 0
check "the reload is skipped: not running" grep -q '^  skipped  *reload: sendmail is not running' "$T_TMP/out"
check "daemon start again" sm daemon start

# --- rollback: byte-identical files, and the daemon reloaded
id=$(sm backups | awk '$NF == "apply" {print $1}' | sed -n 1p)
pid5=$(pid)
sm -y rollback "$id" > "$T_TMP/out" 2>&1
check "rollback of the last apply succeeds" test $? -eq 0
check "rollback: cf byte-identical to before that apply" cmp "$cf" "$T_TMP/cf.before-fail"
check "rollback: the daemon reloaded" grep -q '^reload: .*pid [0-9]* -> [0-9]*' "$T_TMP/out"
check "rollback: a new pid" test "$(pid)" != "$pid5"
check "rollback: the new daemon is alive" alive "$(pid)"
# Back to the first apply: VRFY answered again.
id1=$(sm backups | awk '$NF == "apply" {print $1}' | tail -n 1)
check "rollback to before the first apply" sm -y rollback "$id1"
check "the cf is the sandbox's original, byte for byte" cmp "$cf" "$T_TMP/cf.0"
probe > "$T_TMP/p4" 2>&1
check "after rollback: VRFY refused as at first" grep -qx 'VRFY 252' "$T_TMP/p4"
check "after rollback: LogLevel 12 again" grep -qx 'O LogLevel=12' "$cf"

finish
