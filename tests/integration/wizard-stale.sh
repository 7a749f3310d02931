# tests/integration/wizard-stale.sh -- "smadm wizard --answers F" on a
# terminal shows the merge, then asks.  A line the admin adds to the access
# file by hand (an editor, echo >>) while the question waits must not be
# lost: the wizard reads the files again after the answer and, when they
# changed, writes nothing, says so and asks again with the new merge.
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
printf 'role = local\nhostname = vm.sandbox.example\nrelay_nets = 192.0.2\n' > "$T_TMP/ans"

# One "y": the second question (after the edit) meets the end of input.
( sleep 4; printf 'y\n' ) | script -qec "'$SMADM' -r '$dir' wizard --answers '$T_TMP/ans'" /dev/null > "$T_TMP/out" 2>&1 &
wpid=$!
track_pid $wpid
sleep 2
printf 'Connect:198.51.100.7\tREJECT\n' >> "$dir/etc/access"
wait $wpid
check "the question was asked" grep -q 'Write these files' "$T_TMP/out"
check "the line added while the question waited is still in access" \
    grep -q '^Connect:198.51.100.7' "$dir/etc/access"
check "it says the files changed" grep -q 'changed since they were shown' \
    "$T_TMP/out"
check "nothing of the stale merge was written" \
    sh -c "! grep -q '^Connect:192.0.2' '$dir/etc/access'"

# Two "y": the second question shows the new merge, which is written.
( sleep 4; printf 'y\n'; sleep 1; printf 'y\n' ) | script -qec "'$SMADM' -r '$dir' wizard --answers '$T_TMP/ans'" /dev/null > "$T_TMP/out2" 2>&1 &
wpid=$!
track_pid $wpid
sleep 2
printf 'Connect:198.51.100.8\tREJECT\n' >> "$dir/etc/access"
wait $wpid
check "asked twice" test "$(grep -c 'Write these files' "$T_TMP/out2")" -ge 2
check "both hand-added lines are kept" sh -c "grep -q '^Connect:198.51.100.7' '$dir/etc/access' && grep -q '^Connect:198.51.100.8' '$dir/etc/access'"
check "the role's entry is written after the second yes" \
    grep -q '^Connect:192.0.2[[:space:]]*RELAY' "$dir/etc/access"
finish
