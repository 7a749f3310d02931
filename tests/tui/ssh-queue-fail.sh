# tests/tui/ssh-queue-fail.sh -- a queue read that fails is not an empty
# queue: over SSH with a remote smadm that answers garbage (a root-owned
# script printing random bytes), the Queue screen says it could not read
# the queue and why, never "The queues are empty".
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
printf '#!/bin/sh\nhead -c 200000 /dev/urandom\n' > "$bin/garbage"
chmod 755 "$bin/garbage"

cat > "$T_TMP/pane.sh" <<'PANE'
trap '' INT
HOME=$THOME "$SMADM" --remote-smadm "$BAD" -H smtest -r "$DIR"
echo "EXITED $?"
exec sleep 600
PANE
s="smadm-sshqf-$$"
track_tmux "$s"
$TM new-session -d -s "$s" -x 100 -y 30 env SMADM="$SMADM" DIR="$dir" \
    BAD="$bin/garbage" THOME="$T_HOME" LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    TERM=screen sh "$T_TMP/pane.sh"
see "the dashboard over SSH" "smadm - Dashboard" 20
keys Q
see "the queue screen" "smadm - Queue" 20
see "the failed read is said, not an empty queue" "Could not read the queue:" 20
not_see "never called empty" "The queues are empty"
for i in 1 2 3; do has "EXITED" && break; keys q; sleep 1; done
see "q quits" "EXITED 0"
finish
