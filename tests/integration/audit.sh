# tests/integration/audit.sh -- the security audit against real sandboxes:
# a corpus of weak configurations (one weakness each, and combinations),
# each made with smadm's own commands (or by hand where smadm refuses, as
# for promiscuous_relay), each reported, each fix applied through the
# apply pipeline or chmod, after which the finding is gone, sendmail still
# accepts the cf and the daemon runs.  The live probes are cross-checked
# with Python's smtplib.  Relaying is probed from a client in its own
# network namespace, joined to the host by a veth pair this script makes
# (198.18.0.0/15, the benchmarking range; nothing leaves the machine).
# The hardened role templates and a fresh sandbox report nothing of medium
# or high severity.
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)

sm() { "$SMADM" -r "$dir" "$@"; }
# audit_to FILE [ARGS]: run the audit, its exit status in $T_TMP/rc
audit_to() {
	_f=$1; shift
	"$SMADM" -r "$dir" audit "$@" > "$_f" 2>&1
	echo $? > "$T_TMP/rc"
}
# reported ID [ARGS]: the audit lists ID as a finding (not "pass")
reported() {
	_id=$1; shift
	audit_to "$T_TMP/a.out" "$@"
	awk -v id="$_id" '$2 == id && $1 != "pass" { f = 1 } END { exit !f }' \
	    "$T_TMP/a.out"
}
# severity ID: the severity the last audit gave ID
severity() { awk -v id="$1" '$2 == id { print $1 }' "$T_TMP/a.out"; }
running() { sm daemon status | grep -q running; }
# weak DESC ID SEV CMD...: CMD makes the weakness, apply installs it; the
# audit reports ID with SEV; "audit fix ID" removes it; still valid, running
weak() {
	_d=$1 _id=$2 _sev=$3; shift 3
	"$@" > "$T_TMP/weak.out" 2>&1 || { bad "$_d: setup"; sed 's/^/      | /' "$T_TMP/weak.out"; return; }
	check "$_d: apply" sm -y apply
	if reported "$_id" --no-live && [ "$(severity "$_id")" = "$_sev" ]; then
		ok "$_d: reported as $_id ($_sev)"
	else bad "$_d: $_id ($_sev) not reported"; sed 's/^/      | /' "$T_TMP/a.out"; fi
	check "$_d: audit fix $_id" sm -y audit fix "$_id"
	check_not "$_d: $_id gone after the fix" reported "$_id" --no-live
	check "$_d: sendmail accepts the cf" sm cf check
	check "$_d: the daemon runs" running
}
# smtp_probe PORT [ADDR]: banner, EXPN, VRFY, MAIL before HELO (Python)
smtp_probe() {
	python3 - "$@" <<'PY'
import smtplib, sys
addr = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
s = smtplib.SMTP(timeout=30)
code, banner = s.connect(addr, int(sys.argv[1]))
print("BANNER", banner.decode())
print("MAILNOHELO", s.docmd("MAIL FROM:<>")[0])
s.rset()
s.ehlo("probe.sandbox.example")
print("EXPN", s.expn("postmaster")[0])
print("VRFY", s.verify("postmaster")[0])
s.quit()
PY
}
# rcpt_probe ADDR PORT: RCPT to an outside domain, never DATA
rcpt_probe() {
	python3 - "$@" <<'PY'
import smtplib, sys
s = smtplib.SMTP(sys.argv[1], int(sys.argv[2]), timeout=30)
s.ehlo("probe.sandbox.example")
s.mail("")
print("RCPT", s.rcpt("smadm-relay-probe@example.com")[0])
s.rset()
s.quit()
PY
}

# --- a fresh sandbox: nothing medium or high, live probes included
dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
port=$(sed -n 's/^listen = 127\.0\.0\.1://p' "$dir/smadm.conf")
mc=$dir/etc/sendmail.mc
cf=$dir/etc/sendmail.cf
check "daemon start" sm daemon start
audit_to "$T_TMP/fresh"
check "fresh sandbox: exit 0" grep -qx 0 "$T_TMP/rc"
check_not "fresh sandbox: nothing medium or high" grep -Eq '^(medium|high) ' "$T_TMP/fresh"
check "fresh sandbox: the live probes ran" sh -c "sm() { \"$SMADM\" -r '$dir' \"\$@\"; }; sm audit --all | grep -q '^pass *live-vrfy '"
check "--all lists passed checks" sh -c "\"$SMADM\" -r '$dir' audit --all | grep -q '^pass *greeting-version '"
"$SMADM" -r "$dir" audit --json --all > "$T_TMP/json" 2>&1
check "--json is JSON with a score and findings" python3 -c "
import json, sys
d = json.load(open('$T_TMP/json'))
assert d['score'] >= 0 and d['live'] is True and d['version'].startswith('8.')
ids = [f['id'] for f in d['findings']]
assert 'prog-smrsh' in ids and 'greeting-version' in ids
assert all(f['severity'] in ('info', 'low', 'medium', 'high') for f in d['findings'])
"
check "audit show explains a check" sh -c "\"$SMADM\" -r '$dir' audit show greeting-version | grep -q 'why it matters'"
check_not "audit show: unknown ID refused" sm audit show no-such-check

# --- one weakness at a time
weak "version in the greeting" greeting-version medium \
    sm mc set confSMTP_LOGIN_MSG '$j Sendmail $v/$Z; $b'
weak "program delivery through /bin/sh" prog-smrsh high sm mc feature smrsh off
check "smrsh is back in the prog mailer" grep -q '^Mprog,.*P=[^,]*/smrsh,' "$cf"
weak "TempFileMode 0644" tempfilemode medium sm mc set confTEMP_FILE_MODE 0644
weak "LogLevel 5" loglevel medium sm mc set confLOG_LEVEL 5
check "the fix set LogLevel 9" grep -qx 'O LogLevel=9' "$cf"
weak "no MaxDaemonChildren" maxdaemonchildren medium sm mc unset confMAX_DAEMON_CHILDREN
weak "no ConnectionRateThrottle" connectionratethrottle low sm mc unset confCONNECTION_RATE_THROTTLE
weak "relay_entire_domain" relay-relay_entire_domain medium sm mc feature relay_entire_domain on
weak "relay_based_on_MX" relay-relay_based_on_MX medium sm mc feature relay_based_on_MX on
weak "noexpn missing" privacy-noexpn medium sm mc set confPRIVACY_FLAGS 'authwarnings,novrfy,needmailhelo,restrictmailq,restrictqrun'
weak "access: Connect:10 RELAY" access-relay-broad high sm map set access Connect:10 RELAY
check "access: the entry is commented out" grep -q '^#Connect:10' "$dir/etc/access"
check_not "access: not in access.db any more" sh -c "\"$SMADM\" -r '$dir' map lookup access Connect:10 | grep -q RELAY"

# --- the privacy set, seen on the wire (smtplib cross-checks the probe)
check "privacy: weaken to authwarnings" sm mc set confPRIVACY_FLAGS authwarnings
check "privacy: apply" sm -y apply
smtp_probe "$port" > "$T_TMP/p1" 2>&1
check "smtplib: EXPN answers 250 now" grep -qx 'EXPN 250' "$T_TMP/p1"
for id in privacy-noexpn privacy-novrfy privacy-restrictmailq \
    privacy-restrictqrun privacy-needmailhelo live-expn live-vrfy \
    live-mail-before-helo; do
	check "privacy: $id reported" reported "$id"
done
check "privacy: exit status 3 (worst is medium)" grep -qx 3 "$T_TMP/rc"
check "privacy: one fix for five findings" sm -y audit fix privacy-noexpn \
    privacy-novrfy privacy-restrictmailq privacy-restrictqrun privacy-needmailhelo
smtp_probe "$port" > "$T_TMP/p2" 2>&1
check "smtplib: EXPN refused after the fix" grep -qx 'EXPN 502' "$T_TMP/p2"
check "smtplib: VRFY 252 after the fix" grep -qx 'VRFY 252' "$T_TMP/p2"
check "smtplib: MAIL before HELO refused" grep -q '^MAILNOHELO 5' "$T_TMP/p2"
for id in live-expn live-vrfy live-mail-before-helo privacy-noexpn; do
	check_not "privacy: $id gone" reported "$id"
done

# --- a combination: three weaknesses, one apply, one fix
check "combination: weaken" sh -c "\"$SMADM\" -r '$dir' mc set confSMTP_LOGIN_MSG '\$j Sendmail \$v/\$Z; \$b' &&
    \"$SMADM\" -r '$dir' mc set confLOG_LEVEL 2 && \"$SMADM\" -r '$dir' mc unset confTEMP_FILE_MODE &&
    \"$SMADM\" -r '$dir' mc set confTEMP_FILE_MODE 0660 && \"$SMADM\" -y -r '$dir' apply"
smtp_probe "$port" > "$T_TMP/p3" 2>&1
check "smtplib: the banner shows the version" grep -q '^BANNER.*8\.[0-9]*\.[0-9]' "$T_TMP/p3"
for id in greeting-version loglevel tempfilemode live-banner; do
	check "combination: $id reported" reported "$id"
done
check "combination: one fix" sm -y audit fix greeting-version loglevel tempfilemode
smtp_probe "$port" > "$T_TMP/p4" 2>&1
check_not "smtplib: no version in the banner" grep -q '^BANNER.*8\.[0-9]*\.[0-9]' "$T_TMP/p4"
for id in greeting-version loglevel tempfilemode live-banner; do
	check_not "combination: $id gone" reported "$id"
done
check "combination: sendmail accepts the cf" sm cf check
check "combination: the daemon runs" running

# --- low ones together
check "lows: reported" sh -c "\"$SMADM\" -r '$dir' audit --no-live | grep -q '^low *safefileenv ' &&
    \"$SMADM\" -r '$dir' audit --no-live | grep -q '^low *postmastercopy '"
check "lows: fixed together" sm -y audit fix safefileenv postmastercopy defaultuser
check_not "lows: gone" sh -c "\"$SMADM\" -r '$dir' audit --no-live | grep -Eq ' (safefileenv|postmastercopy|defaultuser) '"
check "lows: DefaultUser is mail:mail" grep -qx 'O DefaultUser=mail:mail' "$cf"

# --- declining a fix changes nothing
cp "$mc" "$T_TMP/mc.before"; cp "$cf" "$T_TMP/cf.before"
sm mc set confLOG_LEVEL 4 >/dev/null && sm -y apply >/dev/null
cp "$mc" "$T_TMP/mc.weak"; cp "$cf" "$T_TMP/cf.weak"
nb0=$(ls "$dir/.smadm/backups" | wc -l)
sm audit fix --dry-run loglevel > "$T_TMP/dry" 2>&1
check "--dry-run shows the cf diff" grep -q '^+O LogLevel=9' "$T_TMP/dry"
check "--dry-run: the mc is unchanged" cmp -s "$mc" "$T_TMP/mc.weak"
check "--dry-run: the cf is unchanged" cmp -s "$cf" "$T_TMP/cf.weak"
check "--dry-run: says the mc was not changed" grep -q "The mc is not changed: the cf was generated from an edited copy of $mc" "$T_TMP/dry"
check "--dry-run: no backup set made" test "$(ls "$dir/.smadm/backups" | wc -l)" -eq "$nb0"
check "--dry-run: no copy left next to the mc" sh -c "! ls '$mc'.smadm-* 2>/dev/null | grep -q ."
# Killed at each step of a preview: the mc is never the edited one, and
# the next run removes the copy a kill left.
npts=$(SMADM_CRASH_TRACE=1 "$SMADM" -r "$dir" audit fix --dry-run loglevel 2>&1 >/dev/null | grep -c '^smadm: crash point')
bad_mc=0 left=0
i=1
while [ "$i" -le "$npts" ]; do
	SMADM_CRASH_AT=$i "$SMADM" -r "$dir" audit fix --dry-run loglevel >/dev/null 2>&1
	cmp -s "$mc" "$T_TMP/mc.weak" || bad_mc=$((bad_mc + 1))
	sm audit fix --dry-run loglevel >/dev/null 2>&1
	[ -e "$mc.smadm-preview" ] && left=$((left + 1))
	i=$((i + 1))
done
check "preview killed at each of its $npts steps: the mc never changed" test "$npts" -gt 3 -a "$bad_mc" -eq 0
check "and the next run leaves no copy" test "$left" -eq 0
check "the kills made no backup set" test "$(ls "$dir/.smadm/backups" | wc -l)" -eq "$nb0"
check_not "unknown ID refused" sm -y audit fix no-such-check
check_not "no terminal, no --yes: fix refused" sm audit fix loglevel
check "refused: the mc is put back" cmp -s "$mc" "$T_TMP/mc.weak"
check "refused: the cf is unchanged" cmp -s "$cf" "$T_TMP/cf.weak"
check "then fixed with --yes" sm -y audit fix loglevel

# --- files sendmail treats as unsafe
chmod 0666 "$dir/etc/access.db"; chmod 0755 "$dir/queue"; chmod 0775 "$dir/etc"
audit_to "$T_TMP/modes" --no-live
check "modes: world-writable access.db is high" grep -q "^high *mode:$dir/etc/access.db " "$T_TMP/modes"
check "modes: queue 0755 is medium" grep -q "^medium *mode:$dir/queue " "$T_TMP/modes"
check "modes: group-writable etc/ is medium" grep -q "^medium *mode:$dir/etc " "$T_TMP/modes"
check "modes: exit status 4 (a high finding)" grep -qx 4 "$T_TMP/rc"
check "modes: fixed" sm -y audit fix "mode:$dir/etc/access.db" "mode:$dir/queue" "mode:$dir/etc"
check "modes: access.db 0644" test "$(stat -c %a "$dir/etc/access.db")" = 644
check "modes: queue 0700" test "$(stat -c %a "$dir/queue")" = 700
check "modes: etc 0755" test "$(stat -c %a "$dir/etc")" = 755
check "modes: sendmail accepts the cf" sm cf check
check "modes: the daemon runs" running

# --- aliases that pipe and write to files: reported, fixed only by hand
printf 'prober: "|/usr/bin/logger -t smadm-audit"\nsaver: /tmp/smadm-audit-never-written\n' >> "$dir/etc/aliases"
check "aliases: rebuilt" sm -y apply
check "aliases: pipe outside smrsh's directory reported" reported alias-pipe --no-live
check "aliases: file delivery reported" reported alias-file --no-live
check_not "aliases: no automatic fix" sm -y audit fix alias-pipe

# --- trusted login users (only when this machine has such a user)
luser=$(awk -F: 'NR == FNR { sh[$0] = 1; next } $3 >= 1000 && $3 != 65534 && ($7 in sh) { print $1; exit }' /etc/shells /etc/passwd)
if [ -n "$luser" ]; then
	weakdesc="trusted user $luser"
	check "$weakdesc: set" sh -c "\"$SMADM\" -r '$dir' mc set confTRUSTED_USERS '$luser' && \"$SMADM\" -y -r '$dir' apply"
	check "$weakdesc: reported" reported trusted-login-user --no-live
	check "$weakdesc: removed again" sh -c "\"$SMADM\" -r '$dir' mc unset confTRUSTED_USERS && \"$SMADM\" -y -r '$dir' apply"
	check_not "$weakdesc: gone" reported trusted-login-user --no-live
else
	echo "note: no login user (uid >= 1000 with a shell) here: trusted-login-user not exercised"
fi

# --- relaying, probed from another network namespace
ns_pid=""
net=$(( $$ % 200 + 20 ))
va=smva$$ vb=smvb$$
unshare -n sleep 600 &
ns_pid=$!
track_pid "$ns_pid"
sleep 0.2
# AUDIT_NO_VETH=1 tries the fallback below on a machine that has veth.
if [ "${AUDIT_NO_VETH:-0}" != 1 ] &&
    ip link add "$va" type veth peer name "$vb" netns "$ns_pid" 2>"$T_TMP/veth.err" &&
    ip addr add "198.18.$net.1/30" dev "$va" && ip link set "$va" up &&
    nsenter -t "$ns_pid" -n ip addr add "198.18.$net.2/30" dev "$vb" &&
    nsenter -t "$ns_pid" -n ip link set "$vb" up &&
    nsenter -t "$ns_pid" -n ip link set lo up; then
	ok "veth pair $va/$vb: 198.18.$net.1 here, .2 in the client namespace"
	inns() { nsenter -t "$ns_pid" -n "$@"; }
	raddr=198.18.$net.1 rsrc=""
else
	# No veth here: a second loopback address the access map does not
	# list (only Connect:127.0.0.1 is RELAY) is just as much a stranger.
	echo "note: veth not available (${AUDIT_NO_VETH:+AUDIT_NO_VETH set; }$(cat "$T_TMP/veth.err" 2>/dev/null)): probing from 127.0.0.2"
	inns() { "$@"; }
	raddr=127.0.0.1 rsrc=127.0.0.2
fi
rport=$(free_port)
if [ "$raddr" != 127.0.0.1 ]; then
	# The sandbox shares the host's network: apply keeps its daemons on
	# loopback unless the profile names the test's own address.
	sed -i "/^DAEMON_OPTIONS/a DAEMON_OPTIONS(\`Family=inet, Name=MTA-probe, Port=$rport, Addr=$raddr')dnl" "$mc"
	check_not "relay: apply refuses $raddr while the profile does not name it" sm -y apply
	echo "listen_also = $raddr" >> "$dir/smadm.conf"
	check "relay: the daemon also listens on $raddr:$rport" sm -y apply
	wait_for 10 sh -c "ss -Hltn 'sport = :$rport' | grep -q ." || bad "relay: nothing listens on $raddr:$rport"
else
	rport=$port
fi
probe_args="--live --outside --addr $raddr:$rport ${rsrc:+--source $rsrc}"
cat > "$T_TMP/rcpt.py" <<'PY'
import smtplib, sys
src = (sys.argv[3], 0) if len(sys.argv) > 3 else None
s = smtplib.SMTP(sys.argv[1], int(sys.argv[2]), timeout=30, source_address=src)
s.ehlo("probe.sandbox.example")
s.mail("")
print("RCPT", s.rcpt("smadm-relay-probe@example.com")[0])
s.rset()
s.quit()
PY
# stranger_rcpt: smtplib's RCPT answer from the stranger (never DATA)
stranger_rcpt() { inns python3 "$T_TMP/rcpt.py" "$raddr" "$rport" $rsrc; }
inns "$SMADM" -r "$dir" audit --all $probe_args > "$T_TMP/r0" 2>&1
check "relay: a closed relay passes the probe" grep -q '^pass *live-relay ' "$T_TMP/r0"
if [ "$raddr" != 127.0.0.1 ]; then
	check "relay: listening beyond loopback makes accept_unresolvable_domains medium" \
	    grep -q '^medium *accept-unresolvable ' "$T_TMP/r0"
	check "relay: accept-unresolvable fixed" sm -y audit fix accept-unresolvable
fi
stranger_rcpt > "$T_TMP/s0" 2>&1
check "relay: smtplib from the stranger: RCPT refused" grep -q '^RCPT 5' "$T_TMP/s0"
check "relay: smadm installs promiscuous_relay (m4's two-line warning is not an error)" sh -c \
    "\"$SMADM\" -r '$dir' mc feature promiscuous_relay on && \"$SMADM\" -y -r '$dir' apply"
check "relay: the new cf relays promiscuously" grep -q 'promiscuous_relay' "$dir/etc/sendmail.cf"
stranger_rcpt > "$T_TMP/s1" 2>&1
check "relay: smtplib from the stranger: RCPT accepted now" grep -q '^RCPT 250' "$T_TMP/s1"
inns "$SMADM" -r "$dir" audit $probe_args > "$T_TMP/r1" 2>&1
check "relay: promiscuous_relay reported high" grep -q '^high *relay-promiscuous_relay ' "$T_TMP/r1"
check "relay: the probe saw RCPT accepted (live-relay high)" grep -q '^high *live-relay ' "$T_TMP/r1"
check "relay: exit status 4" test "$(inns "$SMADM" -r "$dir" audit $probe_args >/dev/null 2>&1; echo $?)" = 4
inns "$SMADM" -r "$dir" audit show $probe_args live-relay > "$T_TMP/r1s" 2>&1
check "relay: audit show gives the probe's answer" sh -c "tr -s '\n ' '  ' < '$T_TMP/r1s' | grep -q 'RCPT TO:<smadm-relay-probe@example.com>: 250'"
check "relay: fix" sm -y audit fix relay-promiscuous_relay
inns "$SMADM" -r "$dir" audit --all $probe_args > "$T_TMP/r2" 2>&1
check "relay: promiscuous_relay passes after the fix" grep -q '^pass *relay-promiscuous_relay ' "$T_TMP/r2"
check "relay: live-relay passes after the fix" grep -q '^pass *live-relay ' "$T_TMP/r2"
stranger_rcpt > "$T_TMP/s2" 2>&1
check "relay: smtplib from the stranger: RCPT refused again" grep -q '^RCPT 5' "$T_TMP/s2"
check "relay: sendmail accepts the cf" sm cf check
check "relay: the daemon runs" running
if [ "$raddr" != 127.0.0.1 ]; then
	ip link del "$va" 2>/dev/null
fi
kill "$ns_pid" 2>/dev/null

# --- a send-only role listening everywhere (never started)
dir=$(new_sandbox) || { bad "sandbox 2 create"; finish; exit 1; }
sed -i -e "s/^VERSIONID(.*/VERSIONID(\`smadm nullclient role for audit.test')dnl/" \
    -e "s/, Addr=127\.0\.0\.1')/')/" "$dir/etc/sendmail.mc"
# Every address, allowed by the profile on purpose: the daemon never runs.
echo "listen_also = 0.0.0.0" >> "$dir/smadm.conf"
check "nullclient: apply (no daemon)" sm -y apply
audit_to "$T_TMP/nc" --no-live
check "nullclient: listen-all medium" grep -q '^medium *listen-all ' "$T_TMP/nc"
check "nullclient: runasuser medium" grep -q '^medium *runasuser ' "$T_TMP/nc"
check_not "nullclient: listen-all is fixed by hand only" sm -y audit fix listen-all
check_not "nullclient: the daemon was never started" running

# --- the hardened role templates
for role in nullclient local gateway smarthost; do
	P=$T_TMP/role-$role
	mkdir -p "$P/ns"
	printf '127.0.0.1\tmc.smadm.test mc localhost\n' > "$P/ns/hosts"
	printf 'passwd: files\ngroup: files\nhosts: files\n' > "$P/ns/nsswitch.conf"
	printf 'nameserver 127.0.0.1\n' > "$P/ns/resolv.conf"
	printf 'mc = sendmail.mc\ncf = sendmail.cf\ncf_dir = /usr/share/sendmail/cf\nsendmail = /usr/sbin/sendmail\nm4 = /usr/bin/m4\nnamespace = ns\n' > "$P/smadm.conf"
	sed -e "s|@HOSTNAME@|mc.smadm.test|g" -e "s|@DOMAIN@|smadm.test|g" \
	    -e "s|@OSTYPE@|debian|g" -e "s|@SMART_HOST@|relay:[127.0.0.1]|g" \
	    -e "s|@MASQUERADE_AS@|smadm.test|g" -e "s|@LISTEN_ADDR@|127.0.0.1|g" \
	    -e "s|@SMTP_PORT@|2999|g" -e "s|@MAIL_DIR@|$P|g" \
	    -e "s|@DEF_USER@|mail:mail|g" -e "s|@RUN_AS_USER@|smmta:smmsp|g" \
	    -e "s|@MAX_CHILDREN@|40|g" -e "s|@RATE_THROTTLE@|10|g" \
	    -e "s|@LOG_LEVEL@|9|g" \
	    -e "s|@EXTRA_DEFINES@|define(\`confDONT_BLAME_SENDMAIL', \`TrustStickyBit')dnl\n|" \
	    "$top/templates/roles/$role.mc" > "$P/sendmail.mc"
	check "template $role: apply" "$SMADM" -y -r "$P" apply
	"$SMADM" -r "$P" audit --no-live > "$T_TMP/t-$role" 2>&1
	check "template $role: exit 0" test $? -eq 0
	check_not "template $role: nothing medium or high" grep -Eq '^(medium|high) ' "$T_TMP/t-$role"
done

finish
