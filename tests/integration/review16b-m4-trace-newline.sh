# tests/integration/review16b-m4-trace-newline.sh -- failing (review16b):
# smadm trusts m4's -di trace one line per file, but a file name may hold a
# newline.  A symbolic link in the mc's directory named
# "x<NL>m4debug: input read from sendmail.mc" pointing at a secret outside
# is included by a relative name (the prelude lets relative names through);
# the trace line for it is split in two, the first half names a file that
# does not exist (no link to follow), the second half names the mc: the
# read is never checked and the secret reaches the generated cf and cf diff.
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
