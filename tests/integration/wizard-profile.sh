# tests/integration/wizard-profile.sh -- the wizard honours the profile: on
# a sandbox (its own port, queue, pid file, alias file, tables) the mc the
# wizard writes keeps them, checked in the sendmail.cf that apply
# generates, and the sandbox's daemon starts on its port and takes a
# message.  Then apply refuses a cf whose QueueDirectory, PidFile or port
# no longer match the profile, and --update-profile accepts it and
# rewrites smadm.conf.  Also: a profile with its tables outside the mc's
# directory gets the map FEATUREs pointing at them.
. "$(dirname "$0")/../lib.sh"

sm() { "$SMADM" -r "$dir" "$@"; }
# send: one message to root@HOST over SMTP on the sandbox's port; prints
# the server's reply code to DATA.
send() {
	python3 - "$port" "$1" <<'PY'
import smtplib, sys
s = smtplib.SMTP(timeout=30)
s.connect("127.0.0.1", int(sys.argv[1]))	# loopback only, always
s.ehlo("client.smadm.test")
s.mail("probe@" + sys.argv[2])	# a local name: no DNS in a sandbox
s.rcpt("root@" + sys.argv[2])
code, _ = s.data(b"Subject: wizard-profile\r\n\r\nhello\r\n")
print("DATA", code)
s.quit()
PY
}

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
port=$(sed -n 's/^listen = 127\.0\.0\.1://p' "$dir/smadm.conf")
cf=$dir/etc/sendmail.cf
mc=$dir/etc/sendmail.mc

# --- the wizard on a sandbox: no smtp_port in the answers
cat > "$T_TMP/local" <<ANS
role = local
hostname = mx.smadm.test
local_domains = smadm.test
ANS
check "wizard writes on the sandbox" sm -y wizard --answers "$T_TMP/local"
check "the mc is the wizard's" grep -q "smadm local role for mx.smadm.test" "$mc"
check "apply builds the wizard's mc" sm -y apply
check "cf: QueueDirectory is the sandbox's" grep -qx "O QueueDirectory=$dir/queue" "$cf"
check "cf: PidFile is the sandbox's" grep -qx "O PidFile=$dir/run/sendmail.pid" "$cf"
check "cf: the daemon on the sandbox's port" grep -q "^O DaemonPortOptions=.*Port=$port, Addr=127.0.0.1$" "$cf"
check_not "cf: no daemon on the smtp port" grep -q "^O DaemonPortOptions=.*Port=smtp" "$cf"
check "cf: AliasFile is the sandbox's" grep -qx "O AliasFile=$dir/etc/aliases" "$cf"
check "cf: access map is the sandbox's" grep -q "^Kaccess hash -T<TMPF> -o $dir/etc/access$" "$cf"
check "cf: local-host-names is the sandbox's" grep -q "^Fw-o $dir/etc/local-host-names" "$cf"
check "cf: local mail still delivered by the sandbox" grep -q "^Mlocal.*P=$SMADM" "$cf"
check "cf: the role's hardening" grep -q '^O PrivacyOptions=authwarnings,goaway' "$cf"
check "daemon starts" sm daemon start
check "daemon listens on the sandbox's port" wait_for 10 port_listening "$port"
check "its pid file is where the profile says" test -s "$dir/run/sendmail.pid"
send mx.smadm.test > "$T_TMP/send" 2>&1
check "a message to root@mx.smadm.test is accepted" grep -qx 'DATA 250' "$T_TMP/send"
check "it is delivered into the sandbox mailbox" wait_for 15 grep -q 'Subject: wizard-profile' "$dir/mailbox/root"
check "daemon status sees it" sm daemon status

# --- the test drive's port: the profile's is taken by the daemon now
mkdir -p "$T_TMP/drive"
TMPDIR=$T_TMP/drive sm wizard --answers "$T_TMP/local" --test-drive > "$T_TMP/drive.out" 2>&1
check "drive: the profile's port in use, a free one instead" grep -q "the profile's port $port is in use: a free one instead" "$T_TMP/drive.out"
check "drive: delivered" grep -q 'the message was accepted and delivered' "$T_TMP/drive.out"
dport=$(free_port)
cp "$T_TMP/local" "$T_TMP/local-tp"
echo "test_port = $dport" >> "$T_TMP/local-tp"
TMPDIR=$T_TMP/drive sm wizard --answers "$T_TMP/local-tp" --test-drive > "$T_TMP/drive.out" 2>&1
check "drive: on the test_port asked for" grep -q "create a sandbox in .* (127.0.0.1:$dport)" "$T_TMP/drive.out"
check "drive: sends to it" grep -q "on 127.0.0.1:$dport\$" "$T_TMP/drive.out"
sed -i "s/^test_port = .*/test_port = $port/" "$T_TMP/local-tp"
TMPDIR=$T_TMP/drive sm wizard --answers "$T_TMP/local-tp" --test-drive > "$T_TMP/drive.out" 2>&1
check "drive: a test_port in use is refused, naming it" grep -q "test_port $port: something already listens on 127.0.0.1:$port" "$T_TMP/drive.out"
check "drive: nothing left behind" sh -c "[ -z \"\$(ls -A '$T_TMP/drive')\" ]"
printf 'role = local\nhostname = mx.smadm.test\n\ntest_port = 70000\n' > "$T_TMP/bad-tp"
sm wizard --answers "$T_TMP/bad-tp" --print > "$T_TMP/out" 2>&1
check "a bad test_port names FILE:LINE" grep -q "bad-tp:4: test_port: \"70000\" is not a port number" "$T_TMP/out"
printf '# a comment\nrole = mailhub\nhostname = mx.smadm.test\n' > "$T_TMP/bad-role"
sm wizard --answers "$T_TMP/bad-role" --print > "$T_TMP/out" 2>&1
check "an unknown role names FILE:LINE" grep -q "bad-role:2: unknown role \"mailhub\"" "$T_TMP/out"

# --- apply refuses a cf that moves the queue, the pid file or the port
mkdir -p "$T_TMP/q2"
cp "$cf" "$T_TMP/cf.before"
check "mc set QUEUE_DIR elsewhere" sm -y mc set QUEUE_DIR "$T_TMP/q2"
sm -y apply > "$T_TMP/out" 2>&1
echo $? > "$T_TMP/rc"
check "apply refuses it" sh -c "! grep -qx 0 '$T_TMP/rc'"
check "the refusal names the option and both values" grep -q "QueueDirectory: the cf says $T_TMP/q2, the profile's queue_dirs says $dir/queue" "$T_TMP/out"
check "the refusal names the override" grep -q -- '--update-profile' "$T_TMP/out"
check "the step says FAILED profile" grep -q '^  FAILED   profile sendmail.cf' "$T_TMP/out"
check "nothing installed" cmp -s "$cf" "$T_TMP/cf.before"
check "smadm.conf untouched" grep -qx 'queue_dirs = queue' "$dir/smadm.conf"
sm -y apply --dry-run > "$T_TMP/out" 2>&1
check "a dry run says the same" grep -q 'QueueDirectory: the cf says' "$T_TMP/out"

sm -y apply --update-profile > "$T_TMP/out" 2>&1
check "--update-profile while the daemon runs: refused, says stop it" grep -q 'stop it (smadm daemon stop)' "$T_TMP/out"
check "nothing installed either" cmp -s "$cf" "$T_TMP/cf.before"
check "daemon stop" sm -y daemon stop
check "apply --update-profile accepts it" sm -y apply --update-profile
check "cf: the new QueueDirectory installed" grep -qx "O QueueDirectory=$T_TMP/q2" "$cf"
check "smadm.conf: queue_dirs updated" grep -qx "queue_dirs = $T_TMP/q2" "$dir/smadm.conf"
check "smadm.conf: the other keys kept" sh -c "grep -qx 'pid_file = run/sendmail.pid' '$dir/smadm.conf' && grep -qx 'listen = 127.0.0.1:$port' '$dir/smadm.conf'"
check "smadm.conf: the old one kept as a backup" sh -c "grep -lx 'queue_dirs = queue' '$dir'/smadm.conf.*smadm~"
check "the profile reads back: queue list uses the new dir" sh -c "'$SMADM' -r '$dir' queue list >/dev/null"
check "apply again: nothing to refuse" sm -y apply
check "the daemon starts in the new queue" sm daemon start
check "daemon listens on the sandbox's port again" wait_for 10 port_listening "$port"

# The pid file and the port, each on its own.
check "mc set confPID_FILE elsewhere" sm -y mc set confPID_FILE "$dir/run/other.pid"
sm -y apply > "$T_TMP/out" 2>&1
check "PidFile change refused, both values named" grep -q "PidFile: the cf says $dir/run/other.pid, the profile's pid_file says $dir/run/sendmail.pid" "$T_TMP/out"
check "mc set PidFile back" sm -y mc set confPID_FILE "$dir/run/sendmail.pid"
sed "s/Port=$port,/Port=2999,/" "$mc" > "$T_TMP/mc" && cat "$T_TMP/mc" > "$mc"
sm -y apply > "$T_TMP/out" 2>&1
check "port change refused, both values named" grep -q "DaemonPortOptions: the cf says Port=2999, the profile's listen says 127.0.0.1:$port" "$T_TMP/out"
check "daemon still running on the old port" port_listening "$port"
sed "s/Port=2999,/Port=$port,/" "$mc" > "$T_TMP/mc" && cat "$T_TMP/mc" > "$mc"
check "back to the profile's port: apply goes through" sm -y apply
check "daemon stop at the end" sm -y daemon stop
# A queue directory with a blank cannot be one of queue_dirs' words.
cp "$mc" "$T_TMP/mc.q2"
sed "s|^define(\`QUEUE_DIR', .*|define(\`QUEUE_DIR', \`$T_TMP/a b')dnl|" "$T_TMP/mc.q2" > "$mc"
mkdir -p "$T_TMP/a b"
sm -y apply --update-profile > "$T_TMP/out" 2>&1
check "--update-profile refuses a value smadm.conf would split" grep -q "\"$T_TMP/a b\" cannot be written into smadm.conf" "$T_TMP/out"
check "smadm.conf kept" grep -qx "queue_dirs = $T_TMP/q2" "$dir/smadm.conf"
cat "$T_TMP/mc.q2" > "$mc"
TMPDIR=$T_TMP/drive sm wizard --answers "$T_TMP/local" --test-drive > "$T_TMP/drive.out" 2>&1
check "drive: the profile's port, free again, is the default" grep -q "create a sandbox in .* (127.0.0.1:$port)" "$T_TMP/drive.out"

# --- a detected profile cannot be updated: the message says so
# (covered by the backend: apply_profile_update needs -r DIR)

# --- tables outside the mc's directory: the map FEATUREs follow them
W=$T_TMP/w
mkdir -p "$W/ns" "$W/maps" "$W/etc"
cat > "$W/smadm.conf" <<CONF
mc = etc/sendmail.mc
cf = etc/sendmail.cf
cf_dir = /usr/share/sendmail/cf
sendmail = /usr/sbin/sendmail
m4 = /usr/bin/m4
access = etc/access
mailertable = maps/mt
virtusertable = maps/vt
aliases = maps/aliases
pid_file = /tmp/smadm-not-there/sm.pid
queue_dirs = /tmp/smadm-not-there/q
listen = 127.0.0.1:2599
CONF
printf 'role = gateway\nhostname = gw.smadm.test\n' > "$T_TMP/gw"
"$SMADM" -r "$W" wizard --answers "$T_TMP/gw" --print > "$T_TMP/out" 2>&1
check "mailertable FEATURE names the profile's file" grep -q "^[+ ]FEATURE(\`mailertable', \`hash -o $W/maps/mt')" "$T_TMP/out"
check "virtusertable FEATURE names the profile's file" grep -q "^[+ ]FEATURE(\`virtusertable', \`hash -o $W/maps/vt')" "$T_TMP/out"
check "access FEATURE names the profile's file" grep -q "^[+ ]FEATURE(\`access_db', \`hash -T<TMPF> -o $W/etc/access')" "$T_TMP/out"
check "ALIAS_FILE is the profile's" grep -q "^[+ ]define(\`ALIAS_FILE', \`$W/maps/aliases')" "$T_TMP/out"
check "QUEUE_DIR is the profile's" grep -q "^[+ ]define(\`QUEUE_DIR', \`/tmp/smadm-not-there/q')" "$T_TMP/out"
check "confPID_FILE is the profile's" grep -q "^[+ ]define(\`confPID_FILE', \`/tmp/smadm-not-there/sm.pid')" "$T_TMP/out"
check "the daemon port is the profile's" grep -q "^[+ ]DAEMON_OPTIONS(\`Family=inet, Name=MTA-v4, Port=2599, Addr=127.0.0.1')" "$T_TMP/out"
printf 'role = gateway\nhostname = gw.smadm.test\nsmtp_port = 2600\n' > "$T_TMP/gw2"
"$SMADM" -r "$W" wizard --answers "$T_TMP/gw2" --print > "$T_TMP/out" 2>&1
check "an answered smtp_port still wins" grep -q "Port=2600, Addr=127.0.0.1" "$T_TMP/out"

finish
