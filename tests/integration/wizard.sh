# tests/integration/wizard.sh -- the setup wizard's routing tables
# (mailertable, virtusertable) and its test drive: the role's mc run in a
# throw-away sandbox on a free loopback port, one message sent over SMTP.
. "$(dirname "$0")/../lib.sh"
CFDIR=/usr/share/sendmail/cf

W=$T_TMP/wiz
mkdir -p "$W/ns"
printf '127.0.0.1\tgw.smadm.test gw localhost\n::1\tgw.smadm.test gw localhost\n' > "$W/ns/hosts"
printf 'passwd: files\ngroup: files\nhosts: files\n' > "$W/ns/nsswitch.conf"
printf 'nameserver 127.0.0.1\noptions attempts:1 timeout:1\n' > "$W/ns/resolv.conf"
cat > "$W/smadm.conf" <<CONF
mc = sendmail.mc
cf = sendmail.cf
cf_dir = $CFDIR
sendmail = /usr/sbin/sendmail
m4 = /usr/bin/m4
namespace = ns
access = access
local_host_names = local-host-names
mailertable = mailertable
virtusertable = virtusertable
CONF
printf 'old mc\n' > "$W/sendmail.mc"
printf 'old.test\tsmtp:[192.0.2.99]\n' > "$W/mailertable"

# --- gateway: mailertable from relay_to and mailertable lines
cat > "$T_TMP/gw" <<ANS
role = gateway
hostname = gw.smadm.test
relay_nets = 192.0.2
relay_to = inside.smadm.test 192.0.2.25
mailertable = .inside.smadm.test relay:[192.0.2.26]
smtp_port = 2999
define.confDONT_BLAME_SENDMAIL = TrustStickyBit
ANS
"$SMADM" -r "$W" wizard --answers "$T_TMP/gw" --print > "$T_TMP/out" 2>&1
check "--print shows the mailertable" grep -q "==> $W/mailertable <==" "$T_TMP/out"
check "relay_to gives DOMAIN smtp:[HOST]" grep -q '^+inside.smadm.test	smtp:\[192.0.2.25\]$' "$T_TMP/out"
check "mailertable answer kept" grep -q '^+.inside.smadm.test	relay:\[192.0.2.26\]$' "$T_TMP/out"
check "--print: the old mailertable entry stays (context)" grep -q '^ old.test	smtp:\[192.0.2.99\]$' "$T_TMP/out"
check "--print: mailertable 1 entry kept, 2 added" grep -q "^==> $W/mailertable <== 1 entry kept, 2 added$" "$T_TMP/out"
check "--print shows an empty virtusertable" grep -q "==> $W/virtusertable <==" "$T_TMP/out"
check "--print writes nothing" grep -q 'old.test' "$W/mailertable"
check "gateway writes its tables" "$SMADM" -y -r "$W" wizard --answers "$T_TMP/gw"
check "mailertable written" grep -q '^inside.smadm.test	smtp:\[192.0.2.25\]$' "$W/mailertable"
check "the old mailertable entry is kept, first" sh -c "head -n1 '$W/mailertable' | grep -q '^old.test	'"
check "virtusertable written, no entries" sh -c "test -f '$W/virtusertable' && ! grep -v '^#' '$W/virtusertable' | grep -q ."
check "mailertable in the backup set" sh -c "'$SMADM' -r '$W' backups | grep -q wizard"
check "backup holds the old mailertable" sh -c "grep -rl 'old.test' '$W' | grep -v '^$W/mailertable$' | grep -q ."
check "mailertable passes map check" "$SMADM" -r "$W" map check mailertable

# --- refusals name the answers' FILE:LINE
printf 'role = gateway\nhostname = gw.smadm.test\nrelay_to = inside.smadm.test\n' > "$T_TMP/bad"
"$SMADM" -r "$W" wizard --answers "$T_TMP/bad" --print > "$T_TMP/out" 2>&1
check "relay_to without host: FILE:LINE" grep -q 'bad:3: relay_to: expected "DOMAIN HOST"' "$T_TMP/out"
printf 'role = local\nhostname = mx.smadm.test\nmailertable = x.test smtp:[192.0.2.1]\n' > "$T_TMP/bad"
"$SMADM" -r "$W" wizard --answers "$T_TMP/bad" --print > "$T_TMP/out" 2>&1
check "mailertable for a role without it refused" grep -q "bad:3: mailertable: this role's mc has no FEATURE" "$T_TMP/out"
printf 'role = gateway\nhostname = gw.smadm.test\nmailertable = x.test nomailer\n' > "$T_TMP/bad"
"$SMADM" -r "$W" wizard --answers "$T_TMP/bad" --print > "$T_TMP/out" 2>&1
check "bad mailertable value refused with FILE:LINE" grep -q "bad:3: mailertable: " "$T_TMP/out"
printf 'role = local\nhostname = mx.smadm.test\n' > "$T_TMP/local"
"$SMADM" -r "$W" wizard --answers "$T_TMP/local" --print > "$T_TMP/out" 2>&1
check_not "local role writes no mailertable entries of its own" grep -q "^+[^#].*smtp:" "$T_TMP/out"

# --- test drive: the role's mc in a throw-away sandbox, one message
D=$T_TMP/drive
mkdir -p "$D"
drive() {	# drive NAME ANSWERS: run a test drive, output in $T_TMP/NAME.out
	TMPDIR=$D "$SMADM" wizard --answers "$2" --test-drive > "$T_TMP/$1.out" 2>&1
	echo $? > "$T_TMP/$1.rc"
}
printf 'role = local\nhostname = mx.smadm.test\nlocal_domains = smadm.test\n' > "$T_TMP/drive-local"
drive local "$T_TMP/drive-local"
check "local: test drive exits 0" grep -qx 0 "$T_TMP/local.rc"
check "local: cf validated" grep -q '^  ok       validate sendmail.cf' "$T_TMP/local.out"
check "local: daemon on a loopback port" grep -q 'listening on 127.0.0.1:' "$T_TMP/local.out"
check "local: message accepted with a queue ID" grep -q '^  ok       accepted, queue ID [0-9A-Za-z]*$' "$T_TMP/local.out"
check "local: recipient root@mx.smadm.test" grep -q 'RCPT TO:<root@mx.smadm.test>' "$T_TMP/local.out"
check "local: mail log shows local delivery" grep -q 'to=<root@mx.smadm.test>.*mailer=local.*stat=Sent' "$T_TMP/local.out"
check "local: delivered into the sandbox mailbox" grep -q '^  ok       delivered into .*/mailbox/root$' "$T_TMP/local.out"
check "local: sandbox removed" grep -q '^removed ' "$T_TMP/local.out"
check "local: nothing left behind" sh -c "[ -z \"\$(ls -A '$D')\" ]"
pid=$(sed -n 's/^started sendmail (pid \([0-9]*\)).*/\1/p' "$T_TMP/local.out")
# Gone, or a zombie its new parent has not reaped yet.
check "local: the daemon is gone" sh -c "[ -n '$pid' ] && ! ps -o stat= -p '$pid' | grep -qv Z"

drive gateway "$T_TMP/gw"
check "gateway: test drive exits 0" grep -qx 0 "$T_TMP/gateway.rc"
check "gateway: mailertable built into the sandbox" grep -q 'mailertable: 2 entries' "$T_TMP/gateway.out"
check "gateway: RunAsUser-free, no_default_msa mc validated" grep -q '^  ok       validate sendmail.cf' "$T_TMP/gateway.out"
check "gateway: accepted with a queue ID" grep -q '^  ok       accepted, queue ID ' "$T_TMP/gateway.out"
check "gateway: delivered into the sandbox mailbox" grep -q '^  ok       delivered into .*/mailbox/root$' "$T_TMP/gateway.out"
check "gateway: nothing left behind" sh -c "[ -z \"\$(ls -A '$D')\" ]"
check "gateway: the real mc is untouched" grep -q "VERSIONID(\`smadm gateway role" "$W/sendmail.mc"

# A cf that sendmail rejects: the step fails, the sandbox still goes.
printf 'role = local\nhostname = mx.smadm.test\ndef_user = nosuchuser-smadm\n' > "$T_TMP/drive-bad"
drive bad "$T_TMP/drive-bad"
check "failing drive exits non-zero" sh -c "! grep -qx 0 '$T_TMP/bad.rc'"
check "failing drive names the validate step" grep -q 'FAILED   validate sendmail.cf' "$T_TMP/bad.out"
check "failing drive removes the sandbox" sh -c "grep -q '^removed ' '$T_TMP/bad.out' && [ -z \"\$(ls -A '$D')\" ]"
check_not "--print and --test-drive together are refused" "$SMADM" -r "$W" wizard --answers "$T_TMP/gw" --print --test-drive

finish
