# tests/integration/mc-m4-read.sh -- the mc's m4 reads no file outside the cf
# tree and the mc's directory: not through undivert(FILE), which GNU m4
# copies verbatim like include, and not through a symbolic link in the
# mc's directory that points elsewhere.  A secret file (mode 0600) never
# reaches the generated cf, the cf diff or an error message.
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
mc=$dir/etc/sendmail.mc
cp "$mc" "$T_TMP/mc.orig"
secret=$T_TMP/secret
printf 'SECRET-r16-%s\n' "$$" > "$secret"
chmod 600 "$secret"
word="SECRET-r16-$$"

# leaks CASE LINE: append LINE to the mc; neither cf build, cf diff nor
# the generated cf may show the secret
leaks() {
	cp "$T_TMP/mc.orig" "$mc"
	printf '%s\n' "$2" >> "$mc"
	sm cf build > "$T_TMP/build" 2>&1
	sm cf diff > "$T_TMP/diff" 2>&1
	check_not "$1: cf build output has no secret" grep -q "$word" "$T_TMP/build"
	check_not "$1: cf diff output has no secret" grep -q "$word" "$T_TMP/diff"
	check_not "$1: the generated cf has no secret" \
	    grep -qs "$word" "$dir/etc/sendmail.cf.smadm-new"
	rm -f "$dir/etc/sendmail.cf.smadm-new"
}

leaks "include of a file outside" "include(\`$secret')dnl"
leaks "undivert of a file outside" "undivert(\`$secret')dnl"
ln -s "$secret" "$dir/etc/link.m4"
leaks "include of a symlink in the mc's directory" "include(\`$dir/etc/link.m4')dnl"
leaks "undivert of a symlink in the mc's directory" "undivert(\`$dir/etc/link.m4')dnl"
cp "$T_TMP/mc.orig" "$mc"
finish
