# tests/tui/queue.sh -- the console's Queue screen in a real terminal
# (tmux, 80x24) on a sandbox whose queue was filled by the real sendmail:
# the list, sort, filter, tags, hold with the confirmation dialog (checked
# with sendmail -bp -qQ), the message view and the log trace key.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

tui_need_tmux
dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
ok "sandbox created"
cf="$dir/etc/sendmail.cf"
smx() { "$SMADM" -r "$dir" sandbox exec /usr/sbin/sendmail -C "$cf" "$@"; }
# Queued only (no daemon runs): three messages of different sizes.
printf 'Subject: small one\n\nx\n' | smx -odq -f alice@vm.sandbox.example a@deferred.example
sleep 1
big=$(awk 'BEGIN { for (i = 0; i < 300; i++) print "a long line of the big message" }')
printf 'Subject: big one\n\n%s\n' "$big" | smx -odq -f bob@vm.sandbox.example b@deferred.example
sleep 1
printf 'Subject: third\n\nzz\n' | smx -odq -f carol@vm.sandbox.example c@far.example
ids=$("$SMADM" -r "$dir" queue list --json | python3 -c 'import json,sys; print(" ".join(m["id"] for m in json.load(sys.stdin)))')
set -- $ids
id_a=$1 id_b=$2 id_c=$3
check "three messages queued" test -n "$id_c"

tui_console queue 80 24
# row N: the Nth message row (line 4 is the first: title, info, header)
row() { screen | sed -n "$(( $1 + 3 ))p"; }

see "dashboard" "smadm - Dashboard"
see "Q on the dashboard's key bar" "Q Queue"
keys Q
see "Q opens the queue screen" "smadm - Queue: 3 messages"
see_re "oldest first: the first message on top" "^ $id_a +mta +queued .*alice@vm"
see_re "every message listed" "^ $id_c +mta +queued .*carol@vm"
see "the key bar" "h Hold"
keys s
see "s sorts by size" "sorted by size"
if wait_for 3 sh -c "$TM capture-pane -p -t $s | sed -n 4p | grep -q '^ $id_b '"; then ok "size: the big one first"
else bad "size: the big one first"; screen | sed 's/^/      | /'; fi
keys s s s s s s
see "s cycles back to age" "sorted by age"
keys f
see "f prompts for a filter" "filter:"
keys "from:bob" Enter
see "the filter keeps one" "1 shown of 3"
see_re "the filtered message" "^ $id_b "
keys f C-u Enter
see "an empty filter shows all" "3 shown of 3"

# --- tag two by filter, hold them with the dialog
keys T
see "T prompts" "tag where:"
keys "to:deferred" Enter
see "T tags by filter" "tagged 2 messages"
see_re "tagged rows are marked" "^\\*$id_a "
keys h
see "h asks for a reason" "hold, reason:"
keys "tui test" Enter
see "the confirmation dialog names what it acts on" "queue hold: Hold 2 messages ("
keys y
see "the result view" "hold: 2 of 2 done"
keys q
see_re "held in the list" "^ $id_a +mta +held "
"$SMADM" -r "$dir" sandbox exec /usr/sbin/sendmail -C "$cf" -bp -qQ > "$T_TMP/bpq" 2>&1
check "sendmail -bp -qQ sees the first held" grep -q "^$id_a" "$T_TMP/bpq"
check "sendmail -bp -qQ sees the second held" grep -q "^$id_b" "$T_TMP/bpq"
check "with the reason typed" grep -q "QUARANTINE: tui test" "$T_TMP/bpq"
check_not "the untagged one is not held" grep -q "^$id_c" "$T_TMP/bpq"

# --- no to the dialog changes nothing
keys G
keys D
see "delete asks, naming it" "queue delete: Delete 1 message ($id_c)?"
keys n
see "n: the status line says nothing was done" "queue delete: cancelled, nothing was done"
see "and the queue screen stays, no report" "smadm - Queue:"
check "n: the message is still queued" test -f "$dir/queue/qf$id_c"

# --- the message view
keys g Enter
see "Enter shows the message" "smadm - queue show"
see "envelope" "Sender        alice@vm.sandbox.example"
keys / "Subject: small" Enter
see "headers (searched in the pager)" "Subject: small one"
keys q
see "q goes back to the queue" "smadm - Queue:"

# --- a queue that cannot be read is not an empty queue
mv "$dir/queue" "$dir/queue.real" && printf 'x\n' > "$dir/queue"
mv "$dir/clientmqueue" "$dir/clientmqueue.real" && printf 'x\n' > "$dir/clientmqueue"
keys r
see "the failed read is said on the screen" "Could not read the queue:"
not_see "never called empty" "The queues are empty"
rm "$dir/queue" "$dir/clientmqueue"
mv "$dir/queue.real" "$dir/queue" && mv "$dir/clientmqueue.real" "$dir/clientmqueue"
keys r
see "read again: the list is back" "smadm - Queue: 3 messages"

# --- the log trace key
keys L
if "$SMADM" help log trace >/dev/null 2>&1; then
	see "L runs log trace" "log trace"
else
	see "L without the log module says so" "log trace: not available"
fi
keys q q
see "q leaves the console" "EXITED 0"
finish
