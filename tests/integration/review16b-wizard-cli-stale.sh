# tests/integration/review16b-wizard-cli-stale.sh -- failing (review16b):
# "smadm wizard --answers F" on a terminal shows the merge, then asks.  A
# line the admin adds to the access file by hand (an editor, echo >>) while
# the question waits is lost: the wizard writes the text it merged before
# asking.  The console's wizard notices ("the files changed since they were
# shown") and shows the new diff; the command must too (refuse, or merge
# again and ask again), never drop the line.
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
printf 'role = local\nhostname = vm.sandbox.example\nrelay_nets = 192.0.2\n' > "$T_TMP/ans"
( sleep 4; printf 'y\n' ) | script -qec "'$SMADM' -r '$dir' wizard --answers '$T_TMP/ans'" /dev/null > "$T_TMP/out" 2>&1 &
wpid=$!
track_pid $wpid
sleep 2
printf 'Connect:198.51.100.7\tREJECT\n' >> "$dir/etc/access"
wait $wpid
check "the question was asked" grep -q 'Write these files' "$T_TMP/out"
check "the line added while the question waited is still in access" \
    grep -q '^Connect:198.51.100.7' "$dir/etc/access"
finish
