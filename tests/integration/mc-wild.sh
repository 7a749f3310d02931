# tests/integration/mc-wild.sh -- mc files as people edit them: calls after
# LOCAL_CONFIG, LOCAL_RULESETS or divert(N) (m4 expands them as anywhere),
# values in double quotes (``8:12''), items that span lines.  What counts is
# the cf that the real m4 generates: every edit is checked in it.
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
fx=$top/tests/fixtures/mc/wild

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
mc=$dir/etc/sendmail.mc
cf=$dir/etc/sendmail.cf
sm() { "$SMADM" -r "$dir" "$@"; }

# --- a sandbox mc with local cf text in the middle and settings below it
# (inserted after the last FEATURE, before MAILER_DEFINITIONS)
cat > "$T_TMP/block" <<'EOF'
LOCAL_CONFIG
# relays allowed by the site, in cf syntax
C{LocalRelays} relay-a.example.net relay-b.example.net
dnl later settings, added below the local part
define(`confPRIVACY_FLAGS', `authwarnings,noexpn,novrfy,restrictmailq')dnl
define(`confMAX_HOP', ``31'')dnl
define(`confDEF_USER_ID', ``mail:mail'')dnl
FEATURE(`redirect')dnl
D{SiteTag}north-3
EOF
awk -v block="$T_TMP/block" '
/^MAILER_DEFINITIONS/ && !done { while ((getline l < block) > 0) print l; done = 1 }
{ print }' "$mc" > "$T_TMP/mc" && cat "$T_TMP/mc" > "$mc"
check "the edited sandbox mc has the block" grep -q '^D{SiteTag}north-3$' "$mc"
check "apply the hand-edited mc" sm -y apply
check "the cf has the later PrivacyOptions (m4 read it)" \
    grep -qx 'O PrivacyOptions=authwarnings,noexpn,novrfy,restrictmailq' "$cf"
check "the cf has MaxHopCount=31 (no quotes)" grep -qx 'O MaxHopCount=31' "$cf"

sm mc show > "$T_TMP/show" 2>&1
check "mc show lists the define after LOCAL_CONFIG" \
    grep -Eq '^ *[0-9]+  define +confMAX_HOP = 31$' "$T_TMP/show"
check "mc show lists the FEATURE after LOCAL_CONFIG" \
    grep -Eq '^ *[0-9]+  FEATURE +redirect$' "$T_TMP/show"
check "mc show lists the MAILERs after LOCAL_CONFIG" \
    grep -Eq '^ *[0-9]+  MAILER +smtp$' "$T_TMP/show"
check "mc show says the template's PrivacyOptions is overridden" \
    grep -Eq 'confPRIVACY_FLAGS = authwarnings,noexpn,novrfy,noverb,.*\(overridden by line [0-9]+\)$' "$T_TMP/show"
check "mc show: the cf text after the FEATURE" \
    grep -Eq '^ *[0-9]+  cf text +1 more line of cf text in LOCAL_CONFIG$' "$T_TMP/show"
sm mc get PrivacyOptions > "$T_TMP/get" 2>&1
check "mc get: the value m4 reads last" \
    grep -qx 'authwarnings,noexpn,novrfy,restrictmailq' "$T_TMP/get"
sm mc get MaxHopCount > "$T_TMP/get" 2>&1
check "mc get: a value after LOCAL_CONFIG, without m4's quotes" grep -qx '31' "$T_TMP/get"
sm mc get DefaultUser > "$T_TMP/get" 2>&1
check 'mc get: ``mail:mail'"''"' reads mail:mail' grep -qx 'mail:mail' "$T_TMP/get"

# --- mc set changes the define that wins; the generated cf shows it
sm mc set PrivacyOptions authwarnings,noexpn,novrfy,restrictqrun > "$T_TMP/set" 2>&1
check "mc set PrivacyOptions" grep -q 'confPRIVACY_FLAGS = authwarnings,noexpn,novrfy,restrictqrun' "$T_TMP/set"
check "the define after LOCAL_CONFIG is the one changed" sh -c \
    "grep -A1 '^dnl later settings' '$mc' | grep -qx \"define(\\\`confPRIVACY_FLAGS', \\\`authwarnings,noexpn,novrfy,restrictqrun')dnl\""
check "the template's define, which m4 overrides, is untouched" \
    grep -q "^define(\`confPRIVACY_FLAGS', \`authwarnings,noexpn,novrfy,noverb," "$mc"
check "no second define was added" \
    test "$(grep -c "^define(\`confPRIVACY_FLAGS'" "$mc")" -eq 2
sm mc set DefaultUser mail:mail > "$T_TMP/set" 2>&1
check "mc set of the same unquoted value is no change" grep -q 'is already "mail:mail"' "$T_TMP/set"
check "mc set MaxHopCount 32" sm mc set MaxHopCount 32
check "the double quotes are kept" grep -qx "define(\`confMAX_HOP', \`\`32'')dnl" "$mc"
check "apply the edits" sm -y apply
check "the generated cf: PrivacyOptions as set" \
    grep -qx 'O PrivacyOptions=authwarnings,noexpn,novrfy,restrictqrun' "$cf"
check "the generated cf: MaxHopCount=32" grep -qx 'O MaxHopCount=32' "$cf"
check "the generated cf: DefaultUser=mail:mail" grep -qx 'O DefaultUser=mail:mail' "$cf"
check "the generated cf keeps the section's text" sh -c \
    "grep -qx 'C{LocalRelays} relay-a.example.net relay-b.example.net' '$cf' && grep -qx 'D{SiteTag}north-3' '$cf'"

# --- the audit reads the value m4 gives the cf: a fix adds to it and
# keeps the double quotes
sed "s/^define(\`confPRIVACY_FLAGS', \`authwarnings,noexpn,novrfy,restrictqrun')dnl\$/define(\`confPRIVACY_FLAGS', \`\`authwarnings,novrfy,restrictqrun'')dnl/" \
    "$mc" > "$T_TMP/mc" && cat "$T_TMP/mc" > "$mc"
check "apply PrivacyOptions without noexpn, in double quotes" sm -y apply
check "the cf lacks noexpn" grep -qx 'O PrivacyOptions=authwarnings,novrfy,restrictqrun' "$cf"
check "audit fix privacy-noexpn" sm -y audit fix privacy-noexpn
check "the fix added noexpn to the define that wins, in double quotes" \
    grep -qx "define(\`confPRIVACY_FLAGS', \`\`authwarnings,novrfy,restrictqrun,noexpn'')dnl" "$mc"
check "the generated cf: noexpn" \
    grep -qx 'O PrivacyOptions=authwarnings,novrfy,restrictqrun,noexpn' "$cf"

# --- unset and feature off reach below LOCAL_CONFIG too
check "mc unset MaxHopCount" sm mc unset MaxHopCount
check "mc feature redirect off" sm mc feature redirect off
check_not "FEATURE(redirect) is gone from the mc" grep -q 'redirect' "$mc"
check "apply" sm -y apply
check "the generated cf: MaxHopCount back to its default" grep -qx '#O MaxHopCount=25' "$cf"
check_not "the generated cf: no redirect rules" grep -q 'REDIRECT' "$cf"

# --- a mailer's define after its MAILER(): m4 had already read it
mline=$(grep -n "^MAILER(\`local')" "$mc" | cut -d: -f1)
printf "define(\`LOCAL_MAILER_ARGS', \`mail -d \$u')dnl\n" >> "$mc"
sm mc get LOCAL_MAILER_ARGS > "$T_TMP/get" 2>&1
check "mc get: a mailer define after MAILER(local) is not the one that counts" \
    grep -qx "smadm sandbox deliver $dir \\\$u" "$T_TMP/get"
sm mc show > "$T_TMP/show" 2>&1
check "mc show says the late mailer define has no effect" \
    grep -Eq "LOCAL_MAILER_ARGS = mail -d [\$]u  \(no effect: MAILER\(local\) at line $mline read it\)$" "$T_TMP/show"
check "mc set LOCAL_MAILER_ARGS (the define before the MAILER)" sm mc set LOCAL_MAILER_ARGS "smadm sandbox deliver $dir \$u x"
check "the define before MAILER(local) is the one changed" \
    grep -qx "define(\`LOCAL_MAILER_ARGS', \`smadm sandbox deliver $dir \$u x')dnl" "$mc"
check "apply" sm -y apply
check "the generated cf: the local mailer has the new arguments" \
    sh -c "grep -A3 '^Mlocal,' '$cf' | grep -q '	A=smadm sandbox deliver $dir [\$]u x\$'"
check "mc set it back" sm mc set LOCAL_MAILER_ARGS "smadm sandbox deliver $dir \$u"

# --- the RHEL idiom alone: the only PrivacyOptions define in double quotes
dir2=$(new_sandbox) || bad "sandbox 2 create"
mc2=$dir2/etc/sendmail.mc
sed "s/^define(\`confPRIVACY_FLAGS', .*/define(\`confPRIVACY_FLAGS', \`\`authwarnings,novrfy,restrictqrun'')dnl/" \
    "$mc2" > "$T_TMP/mc2" && cat "$T_TMP/mc2" > "$mc2"
check "sandbox 2: apply the double-quoted PrivacyOptions" "$SMADM" -y -r "$dir2" apply
"$SMADM" -r "$dir2" mc get PrivacyOptions > "$T_TMP/get" 2>&1
check "sandbox 2: mc get shows it without quotes" grep -qx 'authwarnings,novrfy,restrictqrun' "$T_TMP/get"
check "sandbox 2: audit fix privacy-noexpn" "$SMADM" -y -r "$dir2" audit fix privacy-noexpn
check "sandbox 2: noexpn added inside the double quotes" \
    grep -qx "define(\`confPRIVACY_FLAGS', \`\`authwarnings,novrfy,restrictqrun,noexpn'')dnl" "$mc2"
check "sandbox 2: the generated cf has noexpn" \
    grep -qx 'O PrivacyOptions=authwarnings,novrfy,restrictqrun,noexpn' "$dir2/etc/sendmail.cf"

# --- the fixtures: m4's own output agrees with what mc get says
p=$T_TMP/prof
mkdir -p "$p"
cat > "$p/smadm.conf" <<CONF
mc = sendmail.mc
cf = sendmail.cf
cf_dir = /usr/share/sendmail/cf
m4 = /usr/bin/m4
CONF
cp "$fx/local-config-middle.mc" "$p/sendmail.mc"
cp "$p/sendmail.mc" "$T_TMP/orig.mc"
m4 /usr/share/sendmail/cf/m4/cf.m4 "$p/sendmail.mc" > "$T_TMP/m4.cf" 2>/dev/null
for opt in PrivacyOptions DefaultUser MaxHopCount MaxMessageSize; do
	want=$(sed -n "s/^O $opt=//p" "$T_TMP/m4.cf")
	got=$("$SMADM" -r "$p" mc get "$opt" 2>&1)
	check "fixture: mc get $opt is m4's value ($want)" test "$got" = "$want"
done
"$SMADM" -r "$p" mc show > "$T_TMP/show" 2>&1
check "fixture: mc show lists the second MAILER" grep -Eq '^ +26  MAILER +smtp$' "$T_TMP/show"
check "fixture: mc show lists the LOCAL_RULESETS" \
    grep -Eq '^ +27  section +LOCAL_RULESETS \(2 lines of cf text\)$' "$T_TMP/show"
"$SMADM" -r "$p" mc show --json > "$T_TMP/json" 2>&1
check "fixture: mc show --json names the define that overrides" \
    grep -q '"line":13,[^}]*"overridden_by":21' "$T_TMP/json"

# --- an item that spans lines keeps the columns of mc show
cp "$fx/multiline-ifdef.mc" "$p/sendmail.mc"
"$SMADM" -r "$p" mc show > "$T_TMP/show" 2>&1
check "multi-line items: every line of mc show is an item or a warning" \
    sh -c "sed 1d '$T_TMP/show' | grep -Ev '^( {0,4}[0-9]+  [a-zA-Z_]|warning: )' | grep -q . && exit 1 || exit 0"
check "multi-line ifdef joined on its line" \
    grep -Eq "^ +5  call +ifdef confSMTP_LOGIN_MSG, dnl, define\(\`confSMTP_LOGIN_MSG', \`\\\$j server ready'\)$" "$T_TMP/show"
check "multi-line define, double quotes: one line, no quotes" \
    grep -Eq '^ +8  define +confPRIVACY_FLAGS = authwarnings,noexpn,novrfy$' "$T_TMP/show"
check "multi-line FEATURE on one line" \
    grep -Eq '^ +10  FEATURE +access_db, hash -T<TMPF> -o /etc/mail/access.db$' "$T_TMP/show"


# --- defines made inside ifdef()/ifelse(): mc get asks m4, as the cf gets them
sed "s|CFDIR|/usr/share/sendmail/cf|" "$fx/conditional-defines.mc" > "$p/sendmail.mc"
m4 /usr/share/sendmail/cf/m4/cf.m4 "$p/sendmail.mc" > "$T_TMP/m4.cf" 2>/dev/null
for opt in MaxHopCount Timeout.queuewarn DefaultUser MaxMessageSize; do
	want=$(sed -n "s/^O $opt=//p" "$T_TMP/m4.cf")
	got=$("$SMADM" -r "$p" mc get "$opt" 2>/dev/null)
	check "conditional: mc get $opt is m4's value ($want)" \
	    sh -c "test -n '$want' && test '$got' = '$want'"
done
"$SMADM" -r "$p" mc get MaxHopCount > /dev/null 2> "$T_TMP/err"
check "conditional: mc get says the ifdef at line 7 decides it" \
    grep -q 'sendmail.mc:7: ifdef(...) decides confMAX_HOP as m4 reads the mc' "$T_TMP/err"
cp "$p/sendmail.mc" "$T_TMP/cond.mc"
"$SMADM" -y -r "$p" mc unset MaxHopCount > "$T_TMP/out" 2>&1
check "conditional: mc unset refuses, naming the ifdef's line" \
    grep -q 'sendmail.mc:7: ifdef(...) defines confMAX_HOP as m4 reads the mc; smadm does not edit inside it' "$T_TMP/out"
check "conditional: and wrote nothing" cmp -s "$p/sendmail.mc" "$T_TMP/cond.mc"
check "conditional: mc set adds a define m4 reads after the ifdef" \
    "$SMADM" -y -r "$p" mc set MaxHopCount 40
m4 /usr/share/sendmail/cf/m4/cf.m4 "$p/sendmail.mc" > "$T_TMP/m4.cf" 2>/dev/null
check "conditional: the cf gets MaxHopCount=40" grep -qx 'O MaxHopCount=40' "$T_TMP/m4.cf"
check "conditional: mc get says 40" sh -c "test \"\$('$SMADM' -r '$p' mc get MaxHopCount 2>/dev/null)\" = 40"
check "conditional: mc unset removes the define mc set added" \
    "$SMADM" -y -r "$p" mc unset MaxHopCount
check "conditional: the mc is as before the set" cmp -s "$p/sendmail.mc" "$T_TMP/cond.mc"
check "conditional: mc get says m4's 20 again" sh -c "test \"\$('$SMADM' -r '$p' mc get MaxHopCount 2>/dev/null)\" = 20"
cp "$T_TMP/cond.mc" "$p/sendmail.mc"
"$SMADM" -r "$p" mc show > "$T_TMP/show" 2>&1
check "divert(-1) text is shown as discarded" \
    grep -Eq "^ +3  discarded +Text here is thrown away by m4\.  \(a line m4 discards: divert\(-1\)\)$" "$T_TMP/show"
printf 'divert(0)dnl\nKlocal hash /etc/mail/local\nOSTYPE(`debian\x27)dnl\n' > "$p/sendmail.mc"
"$SMADM" -r "$p" mc show > "$T_TMP/show" 2>&1
check "divert(0) text is shown as cf text at the top" \
    grep -Eq "^ +2  cf text +Klocal hash /etc/mail/local  \(a line of cf text: m4 copies it to the top of the cf\)$" "$T_TMP/show"
m4 /usr/share/sendmail/cf/m4/cf.m4 "$p/sendmail.mc" 2>/dev/null | sed '/^O /q' > "$T_TMP/top"
check "and m4 does put it above the cf's first option" grep -qx 'Klocal hash /etc/mail/local' "$T_TMP/top"

finish
