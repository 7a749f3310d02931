# tests/integration/drift.sh -- drift is what sendmail reads.  A sandbox's
# cf is dressed as Debian's /etc/mail/Makefile dresses it (another header
# and the mc appended as "# " lines): "cf diff" and "apply --dry-run" call
# that no drift and say that only comments differ; --all shows them.  An
# end-of-line comment and a line folded into a comment are left out too,
# and the real sendmail is asked (sendmail -bt, $=w) that it reads them
# the same way; a changed option is drift and is shown as sendmail reads it.
# The third tab-separated field of an R line is a comment sendmail never
# reads: a change there is no drift (--all shows it), a change in the RHS
# is.  An option line moved among comments is no drift either, and the
# message says that lines moved instead of calling them comments.
. "$(dirname "$0")/../lib.sh"

sm() { "$SMADM" -r "$dir" "$@"; }
dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
cf=$dir/etc/sendmail.cf
mc=$dir/etc/sendmail.mc
check "apply" sm -y apply
check "no drift after apply" sm cf diff

# --- dressed as Debian's Makefile does: its header, the mc as comments
{
	printf '#\n#   Copyright (c) a packager.  Notes for this system.\n#\n'
	cat "$cf"
	echo "### $mc ###"
	sed -e 's/^/# /' "$mc"
} > "$T_TMP/debian.cf"
cp "$T_TMP/debian.cf" "$cf"
sm cf diff > "$T_TMP/d1" 2>&1
echo $? > "$T_TMP/rc"
check "Debian-style comments: cf diff exits 0" grep -qx 0 "$T_TMP/rc"
check "it says only comments differ" grep -q '^only comments differ' "$T_TMP/d1"
check_not "it shows no diff lines" grep -q '^[-+]' "$T_TMP/d1"
check_not "--all: exits 1" sm cf diff --all
sm cf diff --all > "$T_TMP/d2" 2>&1
check "--all shows the appended mc" grep -q "^-### $mc ###" "$T_TMP/d2"
sm apply --dry-run > "$T_TMP/d3" 2>&1
check "apply --dry-run: the diff step says only comments" grep -q 'diff sendmail.cf: .*only comments: sendmail reads the same' "$T_TMP/d3"
check "apply --dry-run: no drift shown" sh -c "! grep -q '^[-+]' '$T_TMP/d3' && grep -q '^only comments differ' '$T_TMP/d3'"
sm apply --dry-run --all > "$T_TMP/d4" 2>&1
check "apply --dry-run --all shows every line" grep -q "^-### $mc ###" "$T_TMP/d4"

# --- an end-of-line comment and a line folded into a comment
sed -i 's/^Cwlocalhost$/Cwlocalhost	# this host/' "$cf"
check "the end-of-line comment is in the cf" grep -q '^Cwlocalhost	# this host' "$cf"
printf '# a note\n\tCwfolded.example\n' >> "$cf"
check "still no drift" sm cf diff
printf '$=w\n' | sm sandbox exec /usr/sbin/sendmail -C "$cf" -bt > "$T_TMP/w" 2>&1
check "sendmail reads localhost in class w" grep -qx 'localhost' "$T_TMP/w"
check_not "sendmail reads no '#' word in class w" grep -q '#' "$T_TMP/w"
check_not "sendmail skips the line folded into a comment" grep -q 'folded.example' "$T_TMP/w"

# --- a real change is drift, shown as sendmail reads it
sed -i 's/^O MaxHopCount=.*/O MaxHopCount=7	# hand edit/' "$cf"
grep -q '^O MaxHopCount=7' "$cf" || sed -i 's/^V10\/Berkeley$/&\nO MaxHopCount=7	# hand edit/' "$cf"
check_not "a changed option is drift" sm cf diff
sm cf diff > "$T_TMP/d5" 2>&1
check "the diff shows the option without its comment" grep -qx -- '-O MaxHopCount=7' "$T_TMP/d5"
check "hunks name the lines of both files" grep -Eq '^@@ line [0-9]+, line [0-9]+ @@$' "$T_TMP/d5"
sm apply --dry-run > "$T_TMP/d6" 2>&1
check "apply --dry-run shows it" grep -qx -- '-O MaxHopCount=7' "$T_TMP/d6"
check "the diff step counts what sendmail reads" grep -q 'diff sendmail.cf: [0-9]* lines differ, [1-9][0-9]* entries that sendmail reads' "$T_TMP/d6"
check "apply repairs it" sm -y apply
check "no drift, not even comments" sh -c "'$SMADM' -r '$dir' cf diff --all | grep -q '^no drift'"

# --- an R line's comment field (LHS, tabs, RHS, tab, comment)
cp "$cf" "$T_TMP/clean.cf"
awk 'BEGIN { done = 0 }
    !done && /^R/ && split($0, f, "\t+") >= 3 { sub(/\t+[^\t]*$/, "\tEDITED RULE COMMENT"); done = 1 }
    { print }' "$T_TMP/clean.cf" > "$cf"
check "the cf now carries the edited rule comment" grep -q 'EDITED RULE COMMENT' "$cf"
check "sendmail still accepts it" sm cf check
check "cf diff: a rule's comment field is not drift" sm cf diff
bt3() {	# bt3 CF: what sendmail's ruleset 3 makes of an address
	printf '3,0 Some.User@Host.Example\n' | sm sandbox exec /usr/sbin/sendmail \
	    -C "$1" -bt 2>&1 | grep -v '^ADDRESS TEST MODE\|^Enter <ruleset>'
}
bt3 "$cf" > "$T_TMP/bt.edited"; bt3 "$T_TMP/clean.cf" > "$T_TMP/bt.clean"
check "sendmail -bt: ruleset 3 rewrites the same" cmp -s "$T_TMP/bt.edited" "$T_TMP/bt.clean"
check "sendmail -bt ran ruleset 3" grep -q 'returns' "$T_TMP/bt.clean"
sm cf diff > "$T_TMP/r1" 2>&1
check "it says the comment is inside a line sendmail reads" \
    grep -q "^only comments, some inside lines sendmail reads (after a '#', or an R line's comment field) differ" "$T_TMP/r1"
sm cf diff --all > "$T_TMP/r2" 2>&1
check "cf diff --all shows it" grep -q 'EDITED RULE COMMENT' "$T_TMP/r2"
# the RHS of the same rule is what sendmail acts on
awk 'BEGIN { done = 0 }
    !done && /^R/ && split($0, f, "\t+") >= 3 { sub(/\t+[^\t]*$/, " EDITED"); done = 1 }
    { print }' "$T_TMP/clean.cf" > "$cf"
check_not "cf diff: a rule's RHS is drift" sm cf diff
sm cf diff > "$T_TMP/r3" 2>&1
check "the drift shows the edited rule" grep -q '^-R.* EDITED$' "$T_TMP/r3"

# --- an option line moved among comments: no drift, and not a comment
check "TempFileMode is in the cf" grep -q '^O TempFileMode=0600' "$T_TMP/clean.cf"
grep -v '^O TempFileMode=0600' "$T_TMP/clean.cf" | awk '{ print }
    /^# error message header/ && !done { print "O TempFileMode=0600"; done = 1 }' > "$cf"
check "the option line moved" sh -c "! cmp -s '$cf' '$T_TMP/clean.cf' && grep -q '^O TempFileMode=0600' '$cf'"
check "a moved option line is not drift" sm cf diff
sm cf diff > "$T_TMP/m1" 2>&1
check_not "it is not called a comment" grep -q '^only comments differ' "$T_TMP/m1"
check "it says where lines sit changed" grep -q '^only comments and where lines sit among them differ (2 lines)' "$T_TMP/m1"
sm apply --dry-run > "$T_TMP/m2" 2>&1
check "apply --dry-run's diff step says so too" grep -q 'diff sendmail.cf: 2 lines differ, only comments and where lines sit among them' "$T_TMP/m2"
cp "$T_TMP/clean.cf" "$cf"

finish
