# tests/integration/real-mc.sh -- smadm generates real mc files exactly as
# m4 does.  The corpus: every mc the installed packages ship (sendmail-cf's
# cf/cf/*.mc, Debian's debian/*.mc, found with dpkg -L) and the mcs of
# tests/fixtures/mc/wild.  Each is run through plain m4 the way its header
# says ("m4 CFDIR/m4/cf.m4 FILE", or "m4 FILE" for an mc that includes
# cf.m4 itself) and through "smadm cf build"; an mc that m4 accepts must
# give the same cf (only the "#####" stamp lines may differ, as smadm does
# not let m4 run makeinfo.sh), one that m4 refuses must be refused by smadm
# naming m4's error.  Then the cases of the issue one by one: warnings
# shown while cf build, cf diff and apply go on; errors refused.
. "$(dirname "$0")/../lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
CFDIR=/usr/share/sendmail/cf
WILD=$top/tests/fixtures/mc/wild

# new_profile NAME: a profile directory with smadm.conf and ns files, and
# empty copies of Debian's /etc/mail/m4 files (the mc's include of them is
# pointed here: the prelude lets m4 read only the cf and mc directories)
new_profile() {
	d=$T_TMP/$1
	profile_dir "$d" mc
	mkdir -p "$d/m4"
	: > "$d/m4/dialup.m4"
	: > "$d/m4/provider.m4"
	echo "$d"
}

# put MC PROFILE: the mc as the profile's sendmail.mc
put() {
	sed -e "s|/etc/mail/m4/|$2/m4/|g" -e "s|CFDIR|$CFDIR|g" "$1" > "$2/sendmail.mc"
}

# plain PROFILE: m4 as the mc's header says, in the mc's directory;
# stdout to plain.cf, stderr to plain.err, returns m4's status
plain() {
	if grep -q "^include(\`[^']*m4/cf\.m4')" "$1/sendmail.mc"; then
		(cd "$1" && /usr/bin/m4 sendmail.mc > plain.cf 2> plain.err)
	else
		(cd "$1" && /usr/bin/m4 "$CFDIR/m4/cf.m4" sendmail.mc > plain.cf 2> plain.err)
	fi
}

# stamp-free FILE
unstamped() { grep -av '^#####' "$1"; }

start=$(date +%s)
corpus=$T_TMP/corpus.list
ls "$CFDIR"/cf/*.mc > "$corpus"
dpkg -L sendmail-cf sendmail-base 2>/dev/null | grep '\.mc$' | grep -v "^$CFDIR/cf/" >> "$corpus"
ls "$WILD"/*.mc >> "$corpus"
total=$(sort -u "$corpus" | wc -l)
if [ "$total" -ge 40 ]; then ok "corpus: $total mc files"; else bad "corpus: only $total mc files"; fi
grep -q '/debian/sendmail.mc$' "$corpus" && ok "corpus has Debian's sendmail.mc" || bad "corpus lacks Debian's sendmail.mc"

P=$(new_profile corpus)
accepted=0
refused=0
for mc in $(sort -u "$corpus"); do
	name=${mc#/usr/share/sendmail/cf/}
	name=${name#$top/tests/fixtures/mc/}
	put "$mc" "$P"
	plain "$P"; m4rc=$?
	rm -f "$P/sendmail.cf.smadm-new"
	"$SMADM" -r "$P" cf build > "$P/smadm.out" 2>&1
	if [ $m4rc -eq 0 ] && ! grep -q 'ERROR' "$P/plain.err"; then
		accepted=$((accepted + 1))
		if grep -q 'FAILED   generate' "$P/smadm.out"; then
			bad "$name: m4 accepts it, smadm refuses: $(grep 'FAILED' "$P/smadm.out")"
			continue
		fi
		unstamped "$P/plain.cf" > "$P/a"
		unstamped "$P/sendmail.cf.smadm-new" > "$P/b" 2>/dev/null
		if [ -s "$P/a" ] && cmp -s "$P/a" "$P/b"; then
			ok "$name: smadm's cf is m4's ($(wc -l < "$P/a") lines)"
		else
			bad "$name: smadm's cf differs from m4's"
			diff "$P/a" "$P/b" | head -10
		fi
		# whatever m4 said on stderr is shown by smadm as a warning
		w=$(grep -m1 '[^[:space:]]' "$P/plain.err" | sed 's|^/usr/bin/m4:||' | cut -c1-40)
		if [ -n "$w" ]; then
			if grep 'm4 warns: ' "$P/smadm.out" | grep -F -q -- "$w"; then
				ok "$name: m4's warning shown ($w...)"
			else
				bad "$name: m4's warning \"$w\" not shown"
			fi
		fi
	else
		refused=$((refused + 1))
		# what m4 said first: the *** ERROR, or the file it could not open
		e=$(tr '\t' '\n' < "$P/plain.err" | grep -m1 -o '\*\*\* ERROR: .*' | cut -c1-50)
		[ -n "$e" ] || e=$(grep -m1 -o "cannot open \`[^']*" "$P/plain.err" | sed "s/cannot open \`//")
		# m4's own: "M4:FILE:LINE: message", which smadm gives
		# without the program name
		[ -n "$e" ] || e=$(head -1 "$P/plain.err" | sed 's/^[^:]*:[^:]*:[0-9]*: //')
		if grep -q 'FAILED   generate' "$P/smadm.out" && grep -F -q -- "$e" "$P/smadm.out"; then
			ok "$name: refused as m4 refuses it ($e)"
		else
			bad "$name: m4 refuses it ($e), smadm says: $(head -3 "$P/smadm.out")"
		fi
	fi
done
[ "$accepted" -ge 15 ] && ok "$accepted mc files accepted by m4 and matched" || bad "only $accepted accepted by m4"
[ "$refused" -ge 15 ] && ok "$refused refused by m4 and by smadm" || bad "only $refused refused"
took=$(( $(date +%s) - start ))
[ "$took" -lt 60 ] && ok "corpus took ${took}s (< 60 s)" || bad "corpus took ${took}s"

# --- warnings are shown, and cf build, cf diff and apply go on
P=$(new_profile warn)
put "$WILD/deprecated-feature.mc" "$P"
"$SMADM" -r "$P" cf build > "$T_TMP/out" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "cf build with FEATURE(blacklist_recipients) succeeds" || { bad "cf build refuses blacklist_recipients (rc $rc)"; cat "$T_TMP/out"; }
check "cf build shows the warning as a warning step" grep -q '^  WARNING  generate sendmail.cf: .*m4 warns: WARNING: FEATURE(blacklist_recipients) is deprecated' "$T_TMP/out"
check "the cf has the feature's rules" grep -q 'blocklist recipients\|Kaccess\|blacklist' "$P/sendmail.cf.smadm-new"
"$SMADM" -r "$P" cf diff > "$T_TMP/out" 2> "$T_TMP/err"; rc=$?
[ $rc -eq 1 ] && ok "cf diff shows the drift (exit 1)" || bad "cf diff exit $rc: $(cat "$T_TMP/err")"
check "cf diff prints the warning on stderr" grep -q 'smadm: warning: generate sendmail.cf: .*blacklist_recipients) is deprecated' "$T_TMP/err"
check "cf diff's stdout is the diff" grep -q '^+++ ' "$T_TMP/out"
check_not "the warning is not in the diff" grep -q 'deprecated' "$T_TMP/out"
"$SMADM" -y -r "$P" apply > "$T_TMP/out" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "apply with the deprecated feature installs" || { bad "apply refuses (rc $rc)"; cat "$T_TMP/out"; }
check "apply shows the warning" grep -q 'WARNING  generate sendmail.cf: .*deprecated' "$T_TMP/out"
plain "$P"
unstamped "$P/plain.cf" > "$P/a"
unstamped "$P/sendmail.cf" > "$P/b"
check "the live cf is m4's" cmp -s "$P/a" "$P/b"
check "no drift after apply" "$SMADM" -r "$P" cf diff

# the same in a sandbox, whose daemon apply reloads
sb=$(new_sandbox) || bad "sandbox create"
if [ -n "$sb" ]; then
	"$SMADM" -r "$sb" daemon start > /dev/null 2>&1 || bad "sandbox daemon start"
	awk '!done && /^MAILER\(/ { print "FEATURE(`blacklist_recipients'"'"')dnl"; done = 1 } { print }' \
	    "$sb/etc/sendmail.mc" > "$T_TMP/sb.mc" && cat "$T_TMP/sb.mc" > "$sb/etc/sendmail.mc"
	"$SMADM" -r "$sb" cf build > "$T_TMP/out" 2>&1; rc=$?
	[ $rc -eq 0 ] && grep -q 'WARNING  generate sendmail.cf: .*m4 warns: WARNING: FEATURE(blacklist_recipients)' "$T_TMP/out" &&
	    ok "sandbox: cf build goes on and shows the warning" || { bad "sandbox: cf build (rc $rc)"; cat "$T_TMP/out"; }
	"$SMADM" -r "$sb" cf diff > "$T_TMP/out" 2> "$T_TMP/err"; rc=$?
	[ $rc -eq 1 ] && grep -q 'm4 warns: WARNING: FEATURE(blacklist' "$T_TMP/err" &&
	    ok "sandbox: cf diff shows the drift and the warning" || bad "sandbox: cf diff (rc $rc): $(cat "$T_TMP/err")"
	"$SMADM" -y -r "$sb" apply > "$T_TMP/out" 2>&1; rc=$?
	[ $rc -eq 0 ] && grep -q 'WARNING  generate sendmail.cf: .*blacklist_recipients' "$T_TMP/out" &&
	    grep -q '^  ok       reload' "$T_TMP/out" &&
	    ok "sandbox: apply installs, reloads, shows the warning" || { bad "sandbox: apply (rc $rc)"; cat "$T_TMP/out"; }
	check "sandbox: the live cf has the access map's rules" grep -q '^Kaccess ' "$sb/etc/sendmail.cf"
	"$SMADM" -r "$sb" daemon stop > /dev/null 2>&1
fi

put "$WILD/obsolete-define.mc" "$P"
"$SMADM" -r "$P" cf build > "$T_TMP/out" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "an obsolete define (confDEF_GROUP_ID) builds" || bad "obsolete define refused: $(cat "$T_TMP/out")"
check "it is shown with its advice on one line" grep -q 'm4 warns: \*\*\* confDEF_GROUP_ID is obsolete\. Use confDEF_USER_ID' "$T_TMP/out"

# --- errors are still refused, naming the error
put "$WILD/feature-after-mailer.mc" "$P"
"$SMADM" -r "$P" cf build > "$T_TMP/out" 2>&1; rc=$?
[ $rc -ne 0 ] && ok "FEATURE after MAILER is refused" || bad "FEATURE after MAILER accepted"
check "the refusal names the error" grep -q 'm4 refused .*\*\*\* ERROR: FEATURE() should be before MAILER()' "$T_TMP/out"
"$SMADM" -r "$P" cf diff > "$T_TMP/out" 2>&1; rc=$?
[ $rc -gt 1 ] || grep -q 'smadm: m4 refused' "$T_TMP/out" && ok "cf diff refuses it too" || bad "cf diff: rc $rc"

put "$WILD/quote-after-cf.mc" "$P"
"$SMADM" -r "$P" cf build > "$T_TMP/out" 2>&1
check "a backquote in # after cf.m4: end of file in string, with the line" grep -q 'sendmail.mc:4: ERROR: end of file in string (a ` that no' "$T_TMP/out"

# --- an mc that includes cf.m4 itself is generated as its header says
P=$(new_profile self)
put "$WILD/self-include.mc" "$P"
"$SMADM" -r "$P" cf build > "$T_TMP/out" 2>&1; rc=$?
[ $rc -eq 0 ] && ok "self-including mc with \`...\` in # comments builds" || { bad "self-including mc refused"; cat "$T_TMP/out"; }
check "its divert(0) header comes first, as with m4 alone" sh -c "head -2 '$P/sendmail.cf.smadm-new' | grep -q 'Local copy, maintained'"
check "its define took effect" grep -q '^O SmtpGreetingMessage=\$j office mail' "$P/sendmail.cf.smadm-new"
# the prelude still holds when cf.m4 comes from the mc
printf 'include(`%s/m4/cf.m4'"'"')dnl\nOSTYPE(`debian'"'"')dnl\nsyscmd(`touch %s/pwned'"'"')dnl\nMAILER(`smtp'"'"')dnl\n' "$CFDIR" "$P" > "$P/sendmail.mc"
"$SMADM" -r "$P" cf build > "$T_TMP/out" 2>&1
check "syscmd is still refused in a self-including mc" grep -q 'smadm: syscmd(touch .*refused' "$T_TMP/out"
check "and did not run" test ! -e "$P/pwned"
printf 'include(`%s/m4/cf.m4'"'"')dnl\nOSTYPE(`debian'"'"')dnl\ninclude(`/etc/passwd'"'"')dnl\n' "$CFDIR" > "$P/sendmail.mc"
"$SMADM" -r "$P" cf build > "$T_TMP/out" 2>&1
check "include outside the cf and mc directories is still refused" grep -q 'include(/etc/passwd) refused' "$T_TMP/out"
check_not "and /etc/passwd is not in any output" grep -q '^root:' "$T_TMP/out" "$P/sendmail.cf.smadm-new"

# changequote turns the prelude's guards on themselves: refused, not run
printf 'changequote([,])dnl\ninclude([/etc/passwd])dnl\nsyscmd([touch %s/pwned])dnl\n' "$P" > "$P/sendmail.mc"
"$SMADM" -r "$P" cf build > "$T_TMP/out" 2>&1; rc=$?
[ $rc -ne 0 ] && ok "changequote then include/syscmd: refused" || bad "changequote attack accepted"
check "the refusal says why" grep -q 'stack overflow (a macro that expands to itself' "$T_TMP/out"
check_not "nothing of /etc/passwd shown" grep -q '^root:' "$T_TMP/out"
check "syscmd did not run" test ! -e "$P/pwned"

# --- missing include files: the file, and what provides it
put "$WILD/rhel-include.mc" "$P"
"$SMADM" -r "$P" cf build > "$T_TMP/out" 2>&1
check "RHEL's cf.m4: named, with the line and the fix" grep -q 'sendmail.mc:6: the mc includes /usr/share/sendmail-cf/m4/cf.m4, which does not exist on this host (RHEL and Fedora.s package sendmail-cf keeps it there); .*include /usr/share/sendmail/cf/m4/cf.m4 instead' "$T_TMP/out"
put "$WILD/debian-dialup.mc" "$P"
rm -f "$P/m4/provider.m4"
"$SMADM" -r "$P" cf build > "$T_TMP/out" 2>&1
check "Debian's provider.m4 missing: named, with what writes it" grep -q "sendmail.mc:10: the included file $P/m4/provider.m4 does not exist: Debian's sendmail-base writes it" "$T_TMP/out"
: > "$P/m4/provider.m4"
check "with the file there it builds" "$SMADM" -r "$P" cf build
put "$WILD/unknown-feature.mc" "$P"
"$SMADM" -r "$P" cf build > "$T_TMP/out" 2>&1
check "an unknown FEATURE is named as such" grep -q "FEATURE(\`acess_db') is not one of the cf macros in $CFDIR/feature" "$T_TMP/out"
check_not "no raw m4 program name in the message" grep -q '/usr/bin/m4:' "$T_TMP/out"

finish
