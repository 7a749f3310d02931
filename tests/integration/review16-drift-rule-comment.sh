# tests/integration/review16-drift-rule-comment.sh -- (review of issue 16)
# drift is what sendmail acts on.  The third tab-separated field of an R
# line is a comment that sendmail discards, so a live cf whose only
# difference is that comment has no drift (cf diff exits 0 and says so;
# --all still shows the line).
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
cf=$dir/etc/sendmail.cf
check "a fresh sandbox has no drift" sm cf diff
# change only the comment of the first rule that has one
awk 'BEGIN { done = 0 }
    !done && /^R/ && split($0, f, "\t+") >= 3 { sub(/\t+[^\t]*$/, "\tREVIEW16 COMMENT"); done = 1 }
    { print }' "$cf" > "$T_TMP/cf" && cat "$T_TMP/cf" > "$cf"
check "the cf now carries the edited comment" grep -q 'REVIEW16 COMMENT' "$cf"
check "sendmail still accepts it" sm cf check
check "cf diff: a rule's comment is not drift" sm cf diff
sm cf diff --all > "$T_TMP/all" 2>&1
check "cf diff --all shows it" grep -q 'REVIEW16 COMMENT' "$T_TMP/all"
finish
