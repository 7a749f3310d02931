# tests/tui/jobs-cmd.sh -- commands typed after ":" run as jobs: the
# console never blocks on them.  200 messages queued by the real sendmail
# for a domain whose mail goes to a dead relay (a closed loopback port);
# ":queue flush --filter ..." is confirmed in the job's dialog (the plan in
# a pager under it); within a second the status line shows its progress
# (N/200); ? opens help and q closes it while it runs, and the screen
# follows a resize; a quick command
# (:version) still answers; a second writing command (":queue delete") is
# refused naming the running one; Esc cancels between messages; the result
# says how many were handled, and sendmail's queue files agree (N1 lines).
# Then a CMD_CONFIRM command's question (":queue delete ID...") answered no
# and then yes from the dialog, the queue files checked each time;
# operations that take the lock on the worker (":map set", and ":apply"
# with its cf diff in the dialog's pager); an internal command refused;
# q quits with 0; and SIGTERM, during a question or a run, ends it with
# 143.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"
NMSG=200
tui_need_tmux
tui_deferred_sandbox $NMSG

tui_console jobscmd 110 30
progress() { flush_progress $NMSG; }

see "dashboard" "smadm - Dashboard"
# --- a long command typed at the prompt
keys : "queue flush --filter to:deferred.example" Enter
see "the command's question comes as the job's dialog, named" "queue flush: Flush $NMSG messages ("
see "with its plan in a pager under it" "flush $NMSG messages:"
check "nothing tried before the answer" test "$(tried)" -eq 0
keys y
if wait_for 1 has_re "flush [0-9,]+/$NMSG \[[#.]+\]"; then ok "progress within a second"
else bad "progress within a second"; screen | sed 's/^/      | /'; fi
p1=$(progress)
# Help opens and closes while the command runs; the progress stays.
keys '?'
see "? opens help while the command runs" "smadm - Help"
see_re "the progress stays in the status line under help" "flush [0-9,]+/$NMSG"
keys q
see "q closes help" "smadm - Dashboard"
# The screen follows a resize while the command runs.
$TM resize-window -t "$s" -x 90 -y 26
width() { screen | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }'; }
narrow() { test "$(width)" -le 90 && has_re "flush [0-9,]+/$NMSG"; }
if wait_for 5 narrow; then ok "redrawn at 90 columns, the progress still shown"
else bad "redrawn at 90 columns, the progress still shown"; screen | sed 's/^/      | /'; fi
$TM resize-window -t "$s" -x 110 -y 30
# A quick command (the command table only) answers at once.
keys : version Enter
see_re "a quick command answers while the job runs" "smadm [0-9]+\.[0-9]+"
# A second writing command is refused, naming the running one.
keys : "queue delete --filter ''" Enter
see "a second writing command is refused, naming the running one" \
    "queue delete: not started, queue flush is running"
check "the refused delete deleted nothing" test "$(nq)" -eq $NMSG
sleep 1
p2=$(progress)
if [ -n "$p1" ] && [ -n "$p2" ] && [ "$p2" -gt "$p1" ]; then ok "the progress moves ($p1, then $p2)"
else bad "the progress moves ($p1, then $p2)"; screen | sed 's/^/      | /'; fi
# Esc cancels between messages; the result says how many were handled.
keys Escape
see_re "Esc cancels: the count handled is reported" \
    "queue flush: cancelled: [0-9]+ of $NMSG handled" 30
n=$(screen | sed -nE "s/.*queue flush: cancelled: ([0-9]+) of $NMSG handled.*/\1/p" | head -1)
screen > "$T_TMP/report"
if [ -n "$n" ] && [ "$n" -gt 0 ] && [ "$n" -lt $NMSG ]; then ok "handled: $n, fewer than $NMSG"
else bad "handled: \"$n\", fewer than $NMSG"; fi
check "the output is in a text view titled with the line" \
    grep -q "smadm - queue flush --filter to:deferred.example" "$T_TMP/report"
keys End
see "the output ends with the cancel" "flush: cancelled, $n of $NMSG handled"
check_tried_after_cancel "$n" $NMSG
keys q
see "q: back on the dashboard" "smadm - Dashboard"

# --- a CMD_CONFIRM command's question, answered from the dialog
ids=$(ls "$dir/queue" | sed -n 's/^qf//p' | sort | head -3 | tr '\n' ' ')
set -- $ids
check "three queue ids to delete" test $# -eq 3
keys : "queue delete $ids" Enter
see "the question of queue delete comes as the dialog" "queue delete: Delete 3 messages ("
see "its plan names the three" "delete 3 messages:"
keys n
see "no: cancelled" "queue delete: cancelled"
check "no: nothing deleted" test "$(nq)" -eq $NMSG
keys q
see "q: back on the dashboard" "smadm - Dashboard"
keys : "queue delete $ids" Enter
see "asked again" "queue delete: Delete 3 messages ("
keys y
see "yes: each one deleted, and said so" "delete: 3 of 3 done" 20
check "three fewer control files" test "$(nq)" -eq $((NMSG - 3))
gone=0
for id in "$@"; do [ -e "$dir/queue/qf$id" ] || [ -e "$dir/queue/df$id" ] || gone=$((gone + 1)); done
check "those three are gone (qf and df)" test $gone -eq 3
keys q
see "back on the dashboard" "smadm - Dashboard"

# --- an operation that takes the lock, on the worker
keys : "map set access From:cmdjob.example REJECT" Enter
see "map set runs as a job and shows its output" \
    'the map needs "smadm map build access"' 20
check "the access file has the entry" grep -q "^From:cmdjob.example[[:space:]]*REJECT" "$dir/etc/access"
check "the lock is free again (the CLI does not wait)" \
    env SMADM_LOCK_WAIT=0 "$SMADM" -r "$dir" map set access From:cmdjob2.example REJECT
keys q
# --- apply: an operation whose plan (the cf diff) is confirmed in the dialog
keys : "mc set confSMTP_LOGIN_MSG '\$j cmdjob ESMTP'" Enter
check "mc set, run as a job, edits the mc" \
    wait_for 20 grep -q '^define(`confSMTP_LOGIN_MSG'"'"', `\$j cmdjob ESMTP'"'"')' "$dir/etc/sendmail.mc"
keys : apply Enter
see "apply's question comes as the job's dialog" "apply: Install the new cf and reload sendmail?" 30
see "with its plan, the cf diff, in the pager" "+O SmtpGreetingMessage=\$j cmdjob ESMTP"
check "nothing installed before the answer" sh -c "! grep -q 'cmdjob ESMTP' '$dir/etc/sendmail.cf'"
keys y
see "apply installs and reports its steps" "install sendmail.cf: $dir/etc/sendmail.cf" 30
check "the live cf has the new greeting" grep -q '^O SmtpGreetingMessage=\$j cmdjob ESMTP' "$dir/etc/sendmail.cf"
keys q
see "back on the dashboard" "smadm - Dashboard"

# --- an internal command is not run in the console
see "back on the dashboard" "smadm - Dashboard"
keys : "remote serve" Enter
see "an internal command is refused" "remote: an internal command, not run in the console"
keys : "help queue flush" Enter
see "help for one command still opens" "usage: smadm [-r DIR] queue flush"
keys q
see "the dashboard" "smadm - Dashboard"

# --- one long program run: Esc reaches it (SIGTERM to its process group)
sleeping() { pgrep -f '^/bin/sleep 4077$' >/dev/null; }
keys : "sandbox exec /bin/sleep 4077" Enter
check "the program runs" wait_for 10 sleeping
keys q
see "q is refused while it runs, naming it" "q: this screen stays while sandbox exec runs"
t0=$(date +%s)
keys Escape
see "Esc stops it and says so" "sandbox exec: /bin/sleep stopped: cancelled (Esc)" 10
check "within the grace ($(( $(date +%s) - t0 )) s)" test $(( $(date +%s) - t0 )) -le 4
check "the program is gone" sh -c "! pgrep -f '^/bin/sleep 4077\$'"
see "the dashboard" "smadm - Dashboard"
# A program that ignores SIGTERM: the status line says "cancelling" for
# the grace, then SIGKILL ends it and the child it started.
cat > "$T_TMP/stubborn.sh" <<'SH'
trap '' TERM
/bin/sleep 4079 &
wait
SH
stubborn() { pgrep -f '^/bin/sleep 4079$' >/dev/null; }
keys : "sandbox exec /bin/sh $T_TMP/stubborn.sh" Enter
check "the stubborn program runs" wait_for 10 stubborn
keys Escape
see "the status line says it is cancelling" "cancelling after the item at hand..." 2
see "SIGKILL after the grace ends it" "sandbox exec: /bin/sh stopped: cancelled (Esc)" 10
check "and its child with it (the process group)" sh -c "! pgrep -f '^/bin/sleep 4079\$'"
not_see "once ended, no more cancelling" "cancelling"
see "the dashboard" "smadm - Dashboard"
keys q
see "q leaves the console with 0" "EXITED 0"

# --- SIGTERM while a command waits for its answer, then while it runs:
# the console ends as cleanly (128 + 15), and nothing more is done.
cat > "$T_TMP/pane2.sh" <<'SH'
sh -c 'echo $$ > "$T_TMP/pid"; exec "$SMADM" -r "$DIR"'
echo "EXITED $?"
exec sleep 600
SH
respawn() {
	$TM respawn-pane -k -t "$s" env SMADM="$SMADM" DIR="$dir" \
	    T_TMP="$T_TMP" LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen \
	    sh "$T_TMP/pane2.sh"
}
respawn
see "the console again" "smadm - Dashboard"
keys : "queue flush --filter to:deferred.example" Enter
see "the flush asks" "queue flush: Flush $((NMSG - 3)) messages ("
t0=$(tried)
kill -TERM "$(cat "$T_TMP/pid")"
see "SIGTERM during the question: 143" "EXITED 143"
check "nothing tried" test "$(tried)" -eq "$t0"
respawn
see "the console once more" "smadm - Dashboard"
keys : "queue flush --filter to:deferred.example" Enter
see "the flush asks again" "queue flush: Flush $((NMSG - 3)) messages ("
keys y
see_re "it runs" "flush [0-9,]+/$((NMSG - 3))"
kill -TERM "$(cat "$T_TMP/pid")"
see "SIGTERM while it runs: 143, after the message at hand" "EXITED 143" 30
t1=$(tried)
sleep 1
check "nothing tried after the exit" test "$(tried)" -eq "$t1"
finish
