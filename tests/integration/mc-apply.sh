# tests/integration/mc-apply.sh -- the mc -> cf pipeline against the real m4
# and sendmail: role templates, refusals that change nothing, apply, drift,
# rollback.  Uses its own profile directory (no sandbox daemon needed);
# sendmail runs in a private namespace with files-only name resolution.
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)

# new_profile NAME: a profile directory with smadm.conf and ns files
new_profile() {
	d=$T_TMP/$1
	profile_dir "$d" mc
	echo "$d"
}

# fill ROLE HOSTDIR: the role template with test values
fill() {
	sed -e "s|@HOSTNAME@|mc.smadm.test|g" -e "s|@DOMAIN@|smadm.test|g" \
	    -e "s|@OSTYPE@|debian|g" -e "s|@SMART_HOST@|relay:[127.0.0.1]|g" \
	    -e "s|@MASQUERADE_AS@|smadm.test|g" -e "s|@LISTEN_ADDR@|127.0.0.1|g" \
	    -e "s|@SMTP_PORT@|2999|g" -e "s|@MAIL_DIR@|$2|g" \
	    -e "s|@DEF_USER@|mail:mail|g" -e "s|@RUN_AS_USER@|smmta:smmsp|g" \
	    -e "s|@MAX_CHILDREN@|40|g" -e "s|@RATE_THROTTLE@|10|g" \
	    -e "s|@LOG_LEVEL@|9|g" \
	    -e "s|@EXTRA_DEFINES@|define(\`confDONT_BLAME_SENDMAIL', \`TrustStickyBit')dnl\n|" \
	    "$top/templates/roles/$1.mc"
}

# --- every role template builds, validates and is hardened
for role in nullclient local gateway smarthost; do
	P=$(new_profile "role-$role")
	fill "$role" "$P" > "$P/sendmail.mc"
	if grep -q '@[A-Z_]*@' "$P/sendmail.mc"; then bad "$role: placeholder left"; fi
	check "$role: cf build (m4 + sendmail -bt)" "$SMADM" -r "$P" cf build
	cf=$P/sendmail.cf.smadm-new
	check "$role: PrivacyOptions hardened" grep -qx 'O PrivacyOptions=authwarnings,goaway,restrictmailq,restrictqrun' "$cf"
	check "$role: greeting without version" grep -qx 'O SmtpGreetingMessage=$j' "$cf"
	check "$role: smrsh" grep -q '^Mprog.*P=[^,]*/smrsh,' "$cf"
	check "$role: SafeFileEnvironment" grep -qx 'O SafeFileEnvironment=/' "$cf"
	check "$role: TempFileMode 0600" grep -qx 'O TempFileMode=0600' "$cf"
	check "$role: MaxDaemonChildren" grep -qx 'O MaxDaemonChildren=40' "$cf"
	check "$role: ConnectionRateThrottle" grep -qx 'O ConnectionRateThrottle=10' "$cf"
	check "$role: LogLevel 9" grep -qx 'O LogLevel=9' "$cf"
	check "$role: no line complaints from sendmail" sh -c "! /usr/sbin/sendmail -C '$cf' -bt -d0.1 </dev/null 2>&1 | grep -q 'line [0-9]*:'" 
done
check "nullclient listens on loopback only" grep -q '^O DaemonPortOptions=.*Addr=127.0.0.1' "$T_TMP/role-nullclient/sendmail.cf.smadm-new"
check "nullclient runs as a dedicated user" grep -qx 'O RunAsUser=smmta:smmsp' "$T_TMP/role-nullclient/sendmail.cf.smadm-new"
check "gateway has mailertable" grep -q '^Kmailertable hash' "$T_TMP/role-gateway/sendmail.cf.smadm-new"

# --- a working profile: first apply installs
P=$(new_profile work)
fill local "$P" > "$P/sendmail.mc"
check "apply installs a new cf" "$SMADM" -y -r "$P" apply
check "cf check accepts the installed cf" "$SMADM" -r "$P" cf check
check "no drift after apply" "$SMADM" -r "$P" cf diff
check_not "no CF.smadm-new left behind" test -e "$P/sendmail.cf.smadm-new"

snapshot() { cp "$P/sendmail.mc" "$T_TMP/mc.before"; cp "$P/sendmail.cf" "$T_TMP/cf.before"; }
unchanged() { cmp -s "$P/sendmail.mc" "$T_TMP/mc.before" && cmp -s "$P/sendmail.cf" "$T_TMP/cf.before"; }

# --- broken mcs are refused with m4's message, nothing changes
snapshot
cp "$P/sendmail.mc" "$T_TMP/good.mc"
printf "FEATURE(\`nosuchfeature')dnl\n" >> "$P/sendmail.mc"
cp "$P/sendmail.mc" "$T_TMP/mc.before"
"$SMADM" -y -r "$P" apply > "$T_TMP/out" 2>&1; rc=$?
check "unknown feature: apply fails" test $rc -ne 0
check "unknown feature: m4's message is shown" grep -q 'nosuchfeature.m4' "$T_TMP/out"
check "unknown feature: nothing changed" unchanged

cp "$T_TMP/good.mc" "$P/sendmail.mc"
printf "FEATURE(\`mailertable')dnl\n" >> "$P/sendmail.mc"
cp "$P/sendmail.mc" "$T_TMP/mc.before"
"$SMADM" -y -r "$P" apply > "$T_TMP/out" 2>&1; rc=$?
check "FEATURE after MAILER: apply fails although m4 exits 0" test $rc -ne 0
check "FEATURE after MAILER: the *** ERROR is shown" grep -q 'FEATURE() should be before MAILER()' "$T_TMP/out"
check "FEATURE after MAILER: nothing changed" unchanged

cp "$T_TMP/good.mc" "$P/sendmail.mc"
printf "define(\`confLOG_LEVEL', \`12)dnl\n" >> "$P/sendmail.mc"
cp "$P/sendmail.mc" "$T_TMP/mc.before"
"$SMADM" -y -r "$P" apply > "$T_TMP/out" 2>&1; rc=$?
check "unbalanced quote: apply fails" test $rc -ne 0
check "unbalanced quote: m4's error names the file and line" grep -q 'm4 refused .*sendmail.mc:[0-9]*: ERROR: end of file in string' "$T_TMP/out"
check "unbalanced quote: nothing changed" unchanged
"$SMADM" -r "$P" mc show > "$T_TMP/out" 2>&1
check "mc show warns about the quote with FILE:LINE" grep -q "sendmail.mc:[0-9]*: unterminated quote in define(" "$T_TMP/out"

# --- a cf that sendmail rejects
cp "$T_TMP/good.mc" "$P/sendmail.mc"
printf 'LOCAL_CONFIG\nO NoSuchOption=1\n' >> "$P/sendmail.mc"
cp "$P/sendmail.mc" "$T_TMP/mc.before"
"$SMADM" -y -r "$P" apply > "$T_TMP/out" 2>&1; rc=$?
check "sendmail rejects the cf: apply fails" test $rc -ne 0
check "sendmail's complaint names the line" grep -q 'line [0-9]*: readcf: unknown option name NoSuchOption' "$T_TMP/out"
check "rejected cf: nothing changed" unchanged
check_not "rejected cf: no CF.smadm-new left" test -e "$P/sendmail.cf.smadm-new"
cp "$T_TMP/good.mc" "$P/sendmail.mc"

# --- dry run installs nothing
"$SMADM" -r "$P" mc set LogLevel 12 > "$T_TMP/out" 2>&1
check "mc set by option name" grep -q 'confLOG_LEVEL = 12' "$T_TMP/out"
snapshot
check "apply --dry-run" "$SMADM" -r "$P" apply --dry-run
check "dry run: nothing changed" unchanged
check_not "pending edit shows as drift" "$SMADM" -r "$P" cf diff
"$SMADM" -r "$P" cf diff > "$T_TMP/out" 2>&1
check "drift diff shows the LogLevel change" grep -qx '+O LogLevel=12' "$T_TMP/out"

# --- mc set PrivacyOptions + apply changes the cf line
"$SMADM" -r "$P" mc set PrivacyOptions 'authwarnings,noexpn,novrfy,restrictmailq,restrictqrun' > "$T_TMP/out" 2>&1
check "mc set PrivacyOptions" grep -q 'confPRIVACY_FLAGS' "$T_TMP/out"
check "mc get PrivacyOptions" sh -c "'$SMADM' -r '$P' mc get PrivacyOptions | grep -qx 'authwarnings,noexpn,novrfy,restrictmailq,restrictqrun'"
cp "$P/sendmail.cf" "$T_TMP/cf.v1"
cp "$P/sendmail.mc" "$T_TMP/mc.v2"
check "apply the edits" "$SMADM" -y -r "$P" apply
check "cf has the new PrivacyOptions" grep -qx 'O PrivacyOptions=authwarnings,noexpn,novrfy,restrictmailq,restrictqrun' "$P/sendmail.cf"
check "cf has the new LogLevel" grep -qx 'O LogLevel=12' "$P/sendmail.cf"
check "no drift after the second apply" "$SMADM" -r "$P" cf diff

# --- unknown names and features are refused
check_not "unknown option refused" "$SMADM" -r "$P" mc set PrivacyOption x
"$SMADM" -r "$P" mc set PrivacyOption x > "$T_TMP/out" 2>&1
check "suggestion for a misspelt option" grep -q 'did you mean PrivacyOptions' "$T_TMP/out"
check_not "unknown feature refused" "$SMADM" -r "$P" mc feature mailertabel on
check "feature on" "$SMADM" -r "$P" mc feature virtusertable on
check "feature lands before MAILER" sh -c "awk '/FEATURE\\(.virtusertable/ {f=NR} /^MAILER\\(/ && !m {m=NR} END {exit !(f && f < m)}' '$P/sendmail.mc'"
check "feature off" "$SMADM" -r "$P" mc feature virtusertable off
check "feature on/off leaves the mc byte-identical" cmp -s "$P/sendmail.mc" "$T_TMP/mc.v2"

# --- drift from a hand edit of the cf
printf 'O ConnectionCacheSize=3\n' >> "$P/sendmail.cf"
check_not "hand edit of the cf is drift" "$SMADM" -r "$P" cf diff
"$SMADM" -r "$P" cf diff > "$T_TMP/out" 2>&1
check "drift diff shows the hand edit" grep -qx -- '-O ConnectionCacheSize=3' "$T_TMP/out"
check "apply repairs the drift" "$SMADM" -y -r "$P" apply
check "no drift after repair" "$SMADM" -r "$P" cf diff

# --- backups and rollback
check "backups lists sets" sh -c "'$SMADM' -r '$P' backups | grep -q 'apply'"
"$SMADM" --json -r "$P" backups > "$T_TMP/out" 2>&1
check "backups --json" grep -q '"reason":"apply"' "$T_TMP/out"
# The newest set is the repair; the one before it is the second apply.
id=$("$SMADM" -r "$P" backups | awk '/ apply$/ {print $1}' | sed -n 2p)
check "rollback refuses without a terminal or --yes" sh -c "! '$SMADM' -r '$P' rollback $id </dev/null"
check "rollback to before the second apply" "$SMADM" -y -r "$P" rollback "$id"
check "rollback: cf byte-identical" cmp "$P/sendmail.cf" "$T_TMP/cf.v1"
check "rollback: mc back to the applied one" grep -q "define(\`confLOG_LEVEL', \`9')dnl" "$P/sendmail.mc"
check "rolled-back state has no drift" "$SMADM" -r "$P" cf diff
undo=$("$SMADM" -r "$P" backups | awk 'NR==1 {print $1}')
check "the rollback itself was backed up" sh -c "'$SMADM' -r '$P' backups | grep -q 'rollback $id'"
check "roll the rollback back" "$SMADM" -y -r "$P" rollback "$undo"
check "cf again the latest" grep -qx 'O LogLevel=12' "$P/sendmail.cf"
check_not "rollback of an unknown ID fails" "$SMADM" -y -r "$P" rollback 19700101T000000

# --- wizard: a role's mc and tables from an answers file
W=$(new_profile wizard)
printf 'access = access\nlocal_host_names = local-host-names\n' >> "$W/smadm.conf"
printf 'old mc\n' > "$W/sendmail.mc"
cat > "$T_TMP/answers" <<ANS
# gateway for smadm.test
role = gateway
hostname = gw.smadm.test
local_domains = smadm.test, other.test
relay_nets = 192.0.2 198.51.100.7
smtp_port = 2999
define.confDONT_BLAME_SENDMAIL = TrustStickyBit
ANS
"$SMADM" -r "$W" wizard --answers "$T_TMP/answers" --print > "$T_TMP/out" 2>&1
check "wizard --print shows the filled mc" grep -q "MASQUERADE_AS(\`smadm.test')dnl" "$T_TMP/out"
check_not "wizard --print leaves no placeholder" grep -q '@[A-Z_][A-Z_]*@' "$T_TMP/out"
check "wizard --print writes nothing" grep -qx 'old mc' "$W/sendmail.mc"
check "wizard writes the files" "$SMADM" -y -r "$W" wizard --answers "$T_TMP/answers"
check "wizard: access RELAY for relay_nets" grep -qx 'Connect:198.51.100.7	RELAY' "$W/access"
check "wizard: local-host-names" grep -qx 'other.test' "$W/local-host-names"
check "wizard: the old mc is in a backup set" sh -c "'$SMADM' -r '$W' backups | grep -q wizard"
check "wizard's mc builds and validates" "$SMADM" -r "$W" cf build
printf 'role = gateway\nhostname = gw\n' > "$T_TMP/answers.bad"
"$SMADM" -r "$W" wizard --answers "$T_TMP/answers.bad" --print > "$T_TMP/out" 2>&1
check "wizard refuses an unqualified host name" grep -q 'fully qualified' "$T_TMP/out"
printf 'role = router\n' > "$T_TMP/answers.bad"
"$SMADM" -r "$W" wizard --answers "$T_TMP/answers.bad" --print > "$T_TMP/out" 2>&1
check "wizard names FILE:LINE of a bad role" grep -q 'answers.bad:1: unknown role "router"' "$T_TMP/out"

finish
