# tests/integration/apply-profile-qglob.sh -- sendmail's multiple queues,
# QUEUE_DIR `/path/q*' (op.me: "QueueDirectory=/var/spool/mqueue/q*"):
# "apply --update-profile" records in queue_dirs the directories the
# wildcard names now (as sendmail expands it when it starts), so status
# finds the queues; a wildcard that names no directory is refused with a
# clear message and nothing is installed.
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
mkdir -p "$dir/queue/q1" "$dir/queue/q2" "$dir/queue/other"
: > "$dir/queue/qfile"
check "mc set QUEUE_DIR to a wildcard" sm mc set QUEUE_DIR "$dir/queue/q*"
check "apply --update-profile accepts it" sm -y apply --update-profile
check "the cf says the wildcard" grep -qx "O QueueDirectory=$dir/queue/q\\*" "$dir/etc/sendmail.cf"
check "smadm.conf lists q1 and q2 (not the file qfile, not other)" \
    grep -qx "queue_dirs = $dir/queue/q1 $dir/queue/q2" "$dir/smadm.conf"
sm status > "$T_TMP/status" 2>&1
check_not "status does not call the wildcard queue missing" grep -q 'q\* does not exist' "$T_TMP/status"
check "status counts the queue in q1 and q2" grep -Eq "^queue .* in $dir/queue/q1 $dir/queue/q2" "$T_TMP/status"
check "apply now agrees with the profile" sm -y apply --dry-run

cp "$dir/etc/sendmail.cf" "$T_TMP/cf.before"
cp "$dir/smadm.conf" "$T_TMP/conf.before"
check "mc set QUEUE_DIR to a wildcard that names nothing" sm mc set QUEUE_DIR "$dir/queue/z*"
sm -y apply --update-profile > "$T_TMP/apply" 2>&1
check_not "apply --update-profile refuses it" test $? -eq 0
check "saying it names no directory" grep -q "QueueDirectory $dir/queue/z\\* names no directory yet" "$T_TMP/apply"
check "the cf was not replaced" cmp -s "$dir/etc/sendmail.cf" "$T_TMP/cf.before"
check "smadm.conf was not changed" cmp -s "$dir/smadm.conf" "$T_TMP/conf.before"
finish
