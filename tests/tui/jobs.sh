# tests/tui/jobs.sh -- a long operation does not block the console: 300
# messages queued by the real sendmail for a domain whose mail goes to a
# dead relay (a closed loopback port), all flushed from the Queue screen.
# Within a second the status line shows the progress (N/300); a second
# writing action is refused naming the running one; ? opens help and q
# closes it while the flush goes on; Esc cancels it between messages; the
# count reported is what sendmail's queue files say was tried (N1 lines);
# then the console still works: a queue run for the domain (R) tries every
# message once more, and q quits with 0.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

NMSG=300
tui_need_tmux
tui_deferred_sandbox $NMSG

tui_console jobs 100 30
progress() { flush_progress $NMSG; }

see "dashboard" "smadm - Dashboard"
keys Q
see "the queue screen with every message" "smadm - Queue: $NMSG messages" 10
keys T
see "T prompts" "tag where:"
keys "to:deferred.example" Enter
see "all tagged" "tagged $NMSG messages"
keys F
see "the plan is confirmed first, naming messages" "queue flush: Flush $NMSG messages ("
see "and how many more" "and $((NMSG - 3)) more)?"
keys y
# Within a second: the flush runs and says how far it is.
if wait_for 1 has_re 'flush [0-9,]+/300 \[[#.]+\]'; then ok "progress within a second"
else bad "progress within a second"; screen | sed 's/^/      | /'; fi
p1=$(progress)
see "the status line says Esc cancels" "(Esc cancels)"
not_see "no stale start message" "started"

# A second writing operation is refused, naming the running one.
keys D
see "a second writing action is refused, naming the running one" \
    "queue flush is running"
check "the refused delete deleted nothing" test "$(nq)" -eq $NMSG
# Help opens and closes while the flush goes on; the screen keeps up.
keys '?'
see "? opens help during the flush" "smadm - Help"
see_re "the progress stays in the status line under help" 'flush [0-9,]+/300'
keys q
see "q closes help, back on the queue" "smadm - Queue:"
sleep 1
p2=$(progress)
if [ -n "$p1" ] && [ -n "$p2" ] && [ "$p2" -gt "$p1" ]; then ok "the progress moves ($p1, then $p2)"
else bad "the progress moves ($p1, then $p2)"; screen | sed 's/^/      | /'; fi
# Esc cancels between messages; the report says how many were handled.
keys Escape
see_re "Esc cancels: the count handled is reported" \
    "flush: [0-9,]+ of 300 handled, cancelled" 20
not_see "once ended, no more cancelling" "cancelling"
not_see "nor the Esc hint" "(Esc cancels)"

n=$(screen | sed -nE 's/.*flush: ([0-9,]+) of 300 handled, cancelled.*/\1/p' | tr -d , | head -1)
screen > "$T_TMP/report"
if [ -n "$n" ] && [ "$n" -gt 0 ] && [ "$n" -lt $NMSG ]; then ok "handled: $n, fewer than $NMSG"
else bad "handled: \"$n\", fewer than $NMSG"; fi
check "the report is in a text view" grep -q "smadm - queue flush" "$T_TMP/report"
keys End
see "the report ends with the cancel" "flush: cancelled, $n of 300 handled"
# Nothing after it but blank rows, down to the status and key lines: the
# pager got the report's length, not its buffer's capacity.
after=$(screen | sed -n "/flush: cancelled, $n of 300 handled/,\$p" | sed '1d' |
    head -n -2 | grep -c '[^[:space:]]')
check "nothing shown after the report's last line" test "$after" -eq 0
check_tried_after_cancel "$n" $NMSG
keys q
see "q: back on the queue" "smadm - Queue: $NMSG messages"
# A queue run for the domain (R): the worker reads the queue and hands its
# plan to the main thread for the dialog (job.h); then one sendmail run,
# and every message checked, the status line counting the checks.
keys R
see "R asks for the domain, the cursor's first" "flush domain: deferred.example"
keys Enter
see "the worker's plan is confirmed on the main thread" "queue flush: Run the queue for deferred.example now?"
see "with the plan in a pager under the dialog" \
    "flush deferred.example: a queue run of the MTA and submit queues, 300 messages now"
keys y
see "the domain run reports every message" "flush: 300 of 300 handled, 300 done" 90
tried2() { grep -lx 'N2' "$dir"/queue/qf* 2>/dev/null | wc -l; }
check "sendmail tried each once more: $tn twice, the rest once" \
    sh -c "test $(tried2) -eq ${tn:-x} && test $(tried) -eq $((NMSG - ${tn:-0}))"
keys q
see "back on the queue" "smadm - Queue: $NMSG messages"
keys '?'
see "help as usual" "smadm - Help"
keys q q
see "the dashboard" "smadm - Dashboard"
keys q
see "q leaves the console with 0" "EXITED 0"
finish
