# tests/integration/review16b-update-profile-qglob.sh -- failing
# (review16b): sendmail's multiple queues, QUEUE_DIR `/path/q*' (op.me:
# "QueueDirectory=/var/spool/mqueue/q*"), are accepted by mc set, and
# "apply --update-profile" records queue_dirs = /path/q* literally: status
# then calls the queue missing ("/path/q* does not exist") although q1 and
# q2 exist.  Either the profile gets the directories the wildcard names,
# or queue_dirs understands the wildcard as sendmail does, or apply says it
# cannot follow it.
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
mkdir -p "$dir/queue/q1" "$dir/queue/q2"
check "mc set QUEUE_DIR to a wildcard" sm mc set QUEUE_DIR "$dir/queue/q*"
sm -y apply --update-profile > "$T_TMP/apply" 2>&1
sm status > "$T_TMP/status" 2>&1
check_not "status does not call the wildcard queue missing" grep -q 'q\* does not exist' "$T_TMP/status"
finish
