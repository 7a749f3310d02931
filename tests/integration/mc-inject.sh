# tests/integration/mc-inject.sh -- no value may run a command or rewrite
# the cf through m4: mc set, FEATURE arguments and wizard answers are
# checked before they are written; m4 itself runs with syscmd, esyscmd,
# maketemp, mkstemp and debugfile disarmed and include() kept to the cf
# tree and the mc's directory, yet every stock mc of the cf package
# generates exactly as plain m4 makes it; apply --dry-run audits the
# generated cf (an open relay hidden in a value is named before install);
# a property test sends random and hostile values through mc set and
# cf build (SMADM_PROPERTY_N values, default 800).
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
CFDIR=/usr/share/sendmail/cf

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
mc=$dir/etc/sendmail.mc
canary=$dir/canary
cp "$mc" "$T_TMP/mc.orig"
out=$T_TMP/out

# refused CASE OPTION VALUE WORD: mc set refuses, naming option and word,
# the mc keeps its bytes and nothing ran
refused() {
	if sm mc set "$2" "$3" > "$out" 2>&1; then
		bad "$1: mc set accepted it"; sed 's/^/      | /' "$out"
	elif ! grep -q "$2" "$out" || ! grep -qF "$4" "$out"; then
		bad "$1: the refusal names neither $2 nor \"$4\""; sed 's/^/      | /' "$out"
	elif ! cmp -s "$mc" "$T_TMP/mc.orig"; then
		bad "$1: the mc changed"
	else
		ok "$1: refused, naming $2 and \"$4\""
	fi
	sm cf build > /dev/null 2>&1
	check_not "$1: no command ran" test -e "$canary"
}

refused "greeting with syscmd" confSMTP_LOGIN_MSG "x syscmd(touch $canary) y" syscmd
refused "greeting with esyscmd" confSMTP_LOGIN_MSG "x esyscmd(touch $canary) y" esyscmd
refused "greeting that defines _PROMISCUOUS_RELAY_" confSMTP_LOGIN_MSG \
    "hi define(\`_PROMISCUOUS_RELAY_', \`1')" define
refused "greeting that turns on a FEATURE" confSMTP_LOGIN_MSG \
    "hi FEATURE(promiscuous_relay)" FEATURE
refused "greeting with an m4 quote" confSMTP_LOGIN_MSG "it's" "quote"
refused "greeting with \$1" confSMTP_LOGIN_MSG 'a $1 b' '$1'
refused "path with dnl in it" confSAFE_FILE_ENV /var/dnl/x dnl
refused "number that is not one" confMAX_HOP 3x "whole number"
refused "PrivacyOptions word sendmail does not know" confPRIVACY_FLAGS \
    goaway,bogus bogus
refused "user:group with a comma" confDEF_USER_ID "mail,x" "user[:group]"
refused "define name that is cf-internal" _PROMISCUOUS_RELAY_ 1 _PROMISCUOUS_RELAY_
# a comma in a mailer's define would add fields to its M line (P=, F=S)
refused "mailer line length with extra mailer fields" SMTP_MAILER_LL \
    "990, F=S, P=$canary" "whole number"
refused "mailer arguments with extra mailer fields" SMTP_MAILER_ARGS \
    "TCP \$h 2999, F=S, P=$canary" comma
check "OpenSSL option names are not taken for cf macros" \
    sm mc set confSERVER_SSL_OPTIONS '+SSL_OP_NO_SSLv2 +SSL_OP_CIPHER_SERVER_PREFERENCE'
cp "$T_TMP/mc.orig" "$mc"

check "plain greeting with \$j, commas, parentheses is accepted" \
    sm mc set confSMTP_LOGIN_MSG '$j ESMTP (no UCE), go ahead'
sm cf build > /dev/null 2>&1
check "... and reaches the cf as written" \
    grep -qxF 'O SmtpGreetingMessage=$j ESMTP (no UCE), go ahead' "$dir/etc/sendmail.cf.smadm-new"
cp "$T_TMP/mc.orig" "$mc"

if sm mc feature mailertable on "hash -o /etc/mail/x syscmd(touch $canary)" > "$out" 2>&1; then
	bad "FEATURE argument with syscmd accepted"
else
	check "FEATURE argument with syscmd refused, naming the word" grep -q 'FEATURE(mailertable): "syscmd"' "$out"
fi
check "FEATURE arguments: the mc is untouched" cmp -s "$mc" "$T_TMP/mc.orig"

# --- wizard answers, --test-drive included (it promises to write nothing)
cat > "$T_TMP/ans" <<ANS
role = gateway
hostname = mx.smadm.test
define.confSMTP_LOGIN_MSG = x syscmd(touch $canary) y
ANS
check_not "wizard --test-drive with a syscmd answer fails" sm wizard --answers "$T_TMP/ans" --test-drive
cp "$T_TMP/.check.out" "$out"
check "... naming FILE:LINE and the word" grep -q "ans:3: confSMTP_LOGIN_MSG: \"syscmd\"" "$out"
check_not "... and nothing ran" test -e "$canary"
printf 'role = gateway\nhostname = mx.smadm.test\nlisten_addr = 127.0.0.1, Name=evil\n' > "$T_TMP/ans"
check_not "wizard: a listen address that adds daemon options is refused" sm wizard --answers "$T_TMP/ans" --print
printf 'role = gateway\nhostname = mx.smadm.test\ndefine._PROMISCUOUS_RELAY_ = 1\n' > "$T_TMP/ans"
check_not "wizard: define._PROMISCUOUS_RELAY_ is refused" sm wizard --answers "$T_TMP/ans" --print
printf 'role = gateway\nhostname = mx.smadm.test\ndefine.error = OK\n' > "$T_TMP/ans"
check_not "wizard: define.error (a word of the cf's rules) is refused" sm wizard --answers "$T_TMP/ans" --print
printf 'role = local\nhostname = mx.smadm.test\ndefine.LOCAL_MAILER_QGRP = mqueue, F=S, P=%s\n' "$canary" > "$T_TMP/ans"
check_not "wizard --test-drive: a mailer define with extra fields is refused" \
    sm wizard --answers "$T_TMP/ans" --test-drive
check_not "... and nothing ran" test -e "$canary"
printf 'role = gateway\nhostname = mx.smadm.test\ndefine.confDOMAIN_NAME = other.example\n' > "$T_TMP/ans"
check_not "wizard: a define the template sets itself is refused (it would win silently)" \
    sm wizard --answers "$T_TMP/ans" --print
printf 'role = gateway\nhostname = mx.dnl.smadm.test\n' > "$T_TMP/ans"
check_not "wizard: a host name m4 would cut (dnl) is refused" sm wizard --answers "$T_TMP/ans" --print
printf 'role = smarthost\nhostname = mx.smadm.test\nsmart_host = relay:[192.0.2.1]\nlocal_domains = a.smadm.test, b.smadm.test\nsmtp_port = 2525\n' > "$T_TMP/ans"
check "wizard: ordinary answers still print an mc" sm wizard --answers "$T_TMP/ans" --print

# --- m4 itself: what a person wrote into the mc by hand
# hand VALUE: the stock mc plus a greeting define with VALUE
hand() {
	cp "$T_TMP/mc.orig" "$mc"
	printf "define(\`confSMTP_LOGIN_MSG', \`%s')dnl\n" "$1" >> "$mc"
}
for v in "syscmd(touch $canary)" "esyscmd(touch $canary)" "maketemp($canary.XXXXXX)" \
    "mkstemp($canary.XXXXXX)" "debugfile($canary)"; do
	w=${v%%(*}
	hand "$v"
	if sm -y apply --dry-run > "$out" 2>&1; then
		bad "hand-written $w: apply --dry-run went through"
	else
		check "hand-written $w: m4 refuses it by name" grep -q "smadm: $w(.*) refused" "$out"
	fi
	check_not "hand-written $w: nothing ran, no file" sh -c "ls '$dir' | grep -q canary"
done
hand "include(/etc/passwd)"
check_not "hand-written include(/etc/passwd) fails" sm -y apply --dry-run
cp "$T_TMP/.check.out" "$out"
check "... saying only the cf tree and the mc's directory may be included" \
    grep -q "include(/etc/passwd) refused: only files under" "$out"
cp "$T_TMP/mc.orig" "$mc"
printf "FEATURE(\`../../../../../etc/passwd')dnl\n" > "$T_TMP/feat"
sed -i "/^MAILER/e cat $T_TMP/feat" "$mc"
check_not "FEATURE(../../..) climbing out of the cf tree fails" sm -y apply --dry-run
cp "$T_TMP/.check.out" "$out"
check "... by the include rule" grep -q "refused: only files under" "$out"
mkdir -p "$dir/etc/m4"
printf 'define(`confMAX_HOP'"'"', `31'"'"')dnl\n' > "$dir/etc/m4/local.m4"
cp "$T_TMP/mc.orig" "$mc"
printf "include(\`%s/etc/m4/local.m4')dnl\n" "$dir" >> "$mc"
sm cf build > "$out" 2>&1
check "an include of a file beside the mc (Debian's /etc/mail/m4 style) works" \
    grep -qx 'O MaxHopCount=31' "$dir/etc/sendmail.cf.smadm-new"

# --- what the mc really does: mc show and the audit of the generated cf
hand "hi define(\`_PROMISCUOUS_RELAY_', \`1')"
cp "$dir/etc/sendmail.cf" "$T_TMP/cf.before"
sm mc show > "$out" 2>&1
check "mc show warns that the greeting's value calls define" \
    grep -q "confSMTP_LOGIN_MSG: the value calls define" "$out"
sm -y apply --dry-run > "$out" 2>&1
check "apply --dry-run names the open relay the value brings" \
    grep -q "WARNING  audit sendmail.cf: the new cf brings high relay-promiscuous_relay" "$out"
check "... and installs nothing" cmp -s "$dir/etc/sendmail.cf" "$T_TMP/cf.before"
# open relays that no feature names: sendmail -bt asks the new cf's rules
cp "$T_TMP/mc.orig" "$mc"
printf 'LOCAL_CONFIG\nCRcom net org invalid\n' >> "$mc"
sm -y apply --dry-run > "$out" 2>&1
check "apply --dry-run: relaying for com/net/org via LOCAL_CONFIG is named" \
    grep -q "WARNING  audit sendmail.cf: .*high open relay: sendmail -bt on the new cf relays" "$out"
cp "$T_TMP/mc.orig" "$mc"
printf "define(\`error', \`OK')dnl\n" >> "$mc"
sm mc show > "$out" 2>&1
check "mc show warns about define(error)" grep -q "define(error): not a define that the cf macros read" "$out"
sm -y apply --dry-run > "$out" 2>&1
check "apply --dry-run: define(error, OK) is named as an open relay" \
    grep -q "high open relay" "$out"
check "... and installs nothing" cmp -s "$dir/etc/sendmail.cf" "$T_TMP/cf.before"
cp "$T_TMP/mc.orig" "$mc"
sm mc set confSMTP_LOGIN_MSG '$j audit-quiet' > /dev/null 2>&1
sm -y apply --dry-run > "$out" 2>&1
check "an ordinary change: the audit step finds nothing new" \
    grep -q "ok       audit sendmail.cf: no new finding" "$out"
cp "$T_TMP/mc.orig" "$mc"

# --- the stock mcs of the cf package: smadm's m4 run makes the same cf as
# plain m4 (-D_NO_MAKEINFO_: smadm does not run makeinfo.sh), or refuses
# with the cf macros' own *** ERROR when plain m4 has one
same=0; differ=""
for f in "$CFDIR"/cf/*.mc; do
	cp "$f" "$mc"
	rm -f "$dir/etc/sendmail.cf.smadm-new"
	sm cf build > "$out" 2>&1
	(cd "$dir/etc" && m4 -D_NO_MAKEINFO_ "$CFDIR/m4/cf.m4" sendmail.mc > "$T_TMP/want.cf" 2> "$T_TMP/want.err")
	if grep -q '\*\*\*' "$T_TMP/want.err"; then
		found=0
		grep '\*\*\*' "$T_TMP/want.err" | cut -c1-40 > "$T_TMP/want.first"
		while IFS= read -r l; do grep -qF "$l" "$out" && found=1; done < "$T_TMP/want.first"
		if [ $found = 1 ]; then same=$((same + 1)); else differ="$differ $(basename "$f")"; fi
	elif cmp -s "$T_TMP/want.cf" "$dir/etc/sendmail.cf.smadm-new"; then
		same=$((same + 1))
	else
		differ="$differ $(basename "$f")"
	fi
done
if [ -z "$differ" ] && [ "$same" -gt 20 ]; then ok "all $same stock mcs generate as plain m4 makes them"
else bad "stock mcs that differ from plain m4:$differ"; fi
cp "$T_TMP/mc.orig" "$mc"

# --- property: random and hostile values through mc set and cf build
python3 "$top/tests/integration/mc-property.py" "$SMADM" "$dir" \
    "${SMADM_PROPERTY_N:-800}" "${SMADM_PROPERTY_SEED:-$$}" > "$out" 2>&1
rc=$?
grep -E '^(PASS|FAIL)' "$out" | sed 's/^\(PASS\|FAIL\) */\1  property: /' > "$T_TMP/prop"
while IFS= read -r l; do
	case $l in PASS*) ok "${l#PASS  }" ;; *) bad "${l#FAIL  }" ;; esac
done < "$T_TMP/prop"
[ $rc -eq 0 ] || [ -s "$T_TMP/prop" ] || { bad "property test did not run"; tail -5 "$out"; }

finish
