# tests/integration/review16-map-trailing.sh -- (review of issue 16)
# errors are for what sendmail would misread or refuse.  A trailing blank
# after a virtusertable or mailertable value is kept by makemap and
# ignored by sendmail (sendmail -bv resolves the address exactly as
# without it), as the access table already says ("harmless here"): a
# warning, never an error that blocks "map build" and with it "apply".
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
bv() { sm sandbox exec /usr/sbin/sendmail -C "$dir/etc/sendmail.cf" -bv "$1" 2>&1 | grep -v WARNING; }
printf 'trail@vm.sandbox.example\troot\t\n' >> "$dir/etc/virtusertable"
printf 'example.org\tesmtp:[mx.example.org] \n' >> "$dir/etc/mailertable"
/usr/sbin/makemap hash "$dir/etc/virtusertable" < "$dir/etc/virtusertable"
/usr/sbin/makemap hash "$dir/etc/mailertable" < "$dir/etc/mailertable"
check "sendmail resolves the virtusertable entry with its trailing tab" \
    sh -c "$(printf '%s' "'$SMADM' -r '$dir' sandbox exec /usr/sbin/sendmail -C '$dir/etc/sendmail.cf' -bv trail@vm.sandbox.example 2>&1 | grep -q 'mailer local, user root'")"
check "sendmail resolves the mailertable entry with its trailing blank" \
    sh -c "'$SMADM' -r '$dir' sandbox exec /usr/sbin/sendmail -C '$dir/etc/sendmail.cf' -bv u@example.org 2>&1 | grep -q 'host \[mx.example.org\]'"
check "map check virtusertable: a warning, not an error" sm map check virtusertable
check "map check mailertable: a warning, not an error" sm map check mailertable
check "map build succeeds" sm map build virtusertable mailertable
finish
