# tests/integration/mc-m4-trace.sh -- smadm reads m4's -di trace one line
# per file, so a file name holding a newline must never get that far.  A
# symbolic link in the mc's directory named "x<NL>m4debug: input read from
# sendmail.mc" pointing at a secret outside, included by a relative name,
# would split its trace line in two (a file that does not exist, then the
# mc).  The prelude refuses the name; a traced file that does not exist
# refuses the run too.  The secret never reaches the cf or cf diff.
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
mc=$dir/etc/sendmail.mc
secret=$T_TMP/secret
word="SECRET-r16b-$$"
printf '%s\n' "$word" > "$secret"
chmod 600 "$secret"
nl='
'
name="x${nl}m4debug: input read from sendmail.mc"
ln -s "$secret" "$dir/etc/$name"
printf 'LOCAL_CONFIG\ninclude(`%s'"'"')\n' "$name" >> "$mc"
sm cf build > "$T_TMP/build" 2>&1
sm cf diff > "$T_TMP/diff" 2>&1
check_not "cf build output has no secret" grep -q "$word" "$T_TMP/build"
check_not "cf diff output has no secret" grep -q "$word" "$T_TMP/diff"
check_not "the generated cf has no secret" grep -qs "$word" "$dir/etc/sendmail.cf.smadm-new"
check "the include is refused" grep -qi 'refused' "$T_TMP/build"
finish
