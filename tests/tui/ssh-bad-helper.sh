# tests/tui/ssh-bad-helper.sh -- over SSH, a queue read that fails (the
# queue directory replaced by a file) is not an empty queue: the Queue
# screen says it could not read the queue and why, never "The queues are
# empty".  A remote smadm that hangs (it sleeps): the first frame still
# comes within seconds, the helper is tried once, and the console works
# without it (SFTP).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"
. "$(dirname "$0")/../ssh-lib.sh"

tui_need_tmux
ssh_start || { bad "private sshd did not start"; finish; exit 1; }
dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
queue_deferred 3
check "three messages queued" test "$(nq)" -eq 3
bin=$T_TMP/badbin
mkdir -m 755 "$bin" || { bad "mkdir $bin"; finish; exit 1; }


cat > "$T_TMP/pane.sh" <<'PANE'
trap '' INT
HOME=$THOME "$SMADM" --remote-smadm "$BAD" -H smtest -r "$DIR"
echo "EXITED $?"
exec sleep 600
PANE
s="smadm-sshqf-$$"
track_tmux "$s"
$TM new-session -d -s "$s" -x 100 -y 30 env SMADM="$SMADM" DIR="$dir" \
    BAD="$SMADM" THOME="$T_HOME" LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    TERM=screen sh "$T_TMP/pane.sh"
see "the dashboard over SSH" "smadm - Dashboard" 20
# The queue directory replaced by a file: its read fails.
mv "$dir/queue" "$dir/queue.real" && printf 'x\n' > "$dir/queue"
keys Q
see "the queue screen" "smadm - Queue" 20
see "the failed read is said, not an empty queue" "Could not read the queue:" 20
not_see "never called empty" "The queues are empty"
rm "$dir/queue" && mv "$dir/queue.real" "$dir/queue"
for i in 1 2 3; do has "EXITED" && break; keys q; sleep 1; done
see "q quits" "EXITED 0"
$TM kill-session -t "$s"

# --- a helper that never answers
printf '#!/bin/sh\nexec /bin/sleep 4080\n' > "$bin/hang"
chmod 755 "$bin/hang"
s="smadm-sshhang-$$"
track_tmux "$s"
start=$(date +%s)
$TM new-session -d -s "$s" -x 100 -y 30 env SMADM="$SMADM" DIR="$dir" \
    BAD="$bin/hang" THOME="$T_HOME" LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    TERM=screen sh "$T_TMP/pane.sh"
see "the dashboard over SSH" "smadm - Dashboard" 20
took=$(( $(date +%s) - start ))
check "within 10 s although the helper hangs ($took s)" test "$took" -le 10
check "the hanging helper was started once" test "$(pgrep -f '^/bin/sleep 4080$' | wc -l)" -eq 1
keys Q
see "the queue screen without the helper" "smadm - Queue: 3 messages" 20
check "and not started again" test "$(pgrep -f '^/bin/sleep 4080$' | wc -l)" -le 1
for i in 1 2 3; do has "EXITED" && break; keys q; sleep 1; done
see "q quits" "EXITED 0"
for p in $(pgrep -f '^/bin/sleep 4080$'); do kill "$p"; done
finish
