# tests/integration/drift.sh -- drift is what sendmail reads.  A sandbox's
# cf is dressed as Debian's /etc/mail/Makefile dresses it (another header
# and the mc appended as "# " lines): "cf diff" and "apply --dry-run" call
# that no drift and say that only comments differ; --all shows them.  An
# end-of-line comment and a line folded into a comment are left out too,
# and the real sendmail is asked (sendmail -bt, $=w) that it reads them
# the same way; a changed option is drift and is shown as sendmail reads it.
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

finish
