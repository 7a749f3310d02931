#!/bin/sh
# ssh.sh -- smadm -H against a private sshd on 127.0.0.1 in front of a
# sandbox: every read command prints what the local run prints on the same
# sandbox (only the "host:" line names the transport); writes made over SSH
# (maps built by the remote makemap, queue actions, daemon control) are
# seen by the local smadm and by sendmail itself.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ssh-lib.sh"

ssh_start || { bad "private sshd did not start"; finish; exit 1; }
ok "private sshd on 127.0.0.1:$SSH_PORT"
dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
rsm() { sm_remote -r "$dir" "$@"; }
cf="$dir/etc/sendmail.cf"
smx() { sm sandbox exec /usr/sbin/sendmail -C "$cf" "$@"; }

# A few messages in both queues, queued only.
for u in r1@deferred.example r2@far.example; do
	printf 'Subject: to %s\n\nbody\n' "$u" | smx -odq -f gina@vm.sandbox.example "$u"
done
printf 'Subject: submit\n\nbody\n' |
	smx -O QueueDirectory="$dir/clientmqueue" -odq -f kim@vm.sandbox.example leo@deferred.example
sm daemon start > /dev/null 2>&1
check "daemon started (local)" sm daemon status

# same NAME ARGS...: local and remote output (and exit status) are equal
same() {
	name=$1; shift
	sm "$@" > "$T_TMP/l.out" 2> "$T_TMP/l.err"; lrc=$?
	rsm "$@" > "$T_TMP/r.out" 2> "$T_TMP/r.err"; rrc=$?
	sed -i 's/^host: .*/host: X/' "$T_TMP/l.out" "$T_TMP/r.out"
	# What differs between two runs anyway: ages, free blocks, the
	# control socket's own child.
	sed -i -e 's/"host": *"[^"]*"/"host":"X"/; s/"transport": *"[^"]*"/"transport":"X"/' \
	    -e 's/([0-9hms]* ago)/(AGO)/g; s/"uptime": [0-9]*/"uptime": U/; s/load [0-9]*, [0-9]* blocks free/LOAD/' \
	    -e '/console socket child/d; s/up [0-9hm]*[0-9]*s/up T/' \
	    -e 's/ queued  *[0-9][0-9]*[smhd]  / queued AGE /' \
	    "$T_TMP/l.out" "$T_TMP/r.out"
	if [ "$lrc" = "$rrc" ] && cmp -s "$T_TMP/l.out" "$T_TMP/r.out" &&
	    [ -s "$T_TMP/l.out" -o "$lrc" != 0 ]; then
		ok "same output: $name"
	else
		bad "same output: $name (exit $lrc vs $rrc)"
		diff "$T_TMP/l.out" "$T_TMP/r.out" | head -10 | sed 's/^/      | /'
		head -3 "$T_TMP/r.err" | sed 's/^/      | remote: /'
	fi
}

same status status
same "status --json" --json status
same "daemon status" daemon status
same "map list" map list
same "map show access" map show access
same "map show --json aliases" map show --json aliases
same "map check" map check
same "map dump access" map dump access
same "map dump aliases" map dump aliases
same "map lookup" map lookup access localhost
same "map build -n access" map build -n access
same "mc show" mc show
same "mc get" mc get confLOG_LEVEL
same "cf check" cf check
same "cf diff" cf diff
same "loglevel" loglevel
same "queue list" queue list
same "queue list --json" queue list --json --queue all
same "queue summary" queue summary
id=$(sm queue list --json | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p' | head -1)
check "a queue id ($id)" test -n "$id"
same "queue show" queue show "$id"
same "test-address" test-address postmaster
same "backups" backups
sleep 1
same "log tail -n 5" log tail -n 5
same "log search" log search status:deferred

# Writes over SSH, seen locally.
check "map set over ssh" rsm map set access 10.9.8.7 REJECT
check "map build over ssh (remote makemap)" rsm map build access
check "local lookup finds the remotely built key" sh -c "\"$SMADM\" -r \"$dir\" map lookup access 10.9.8.7 | grep -qx REJECT"
printf '/map access 10.9.8.7\n' | smx -bt > "$T_TMP/bt" 2>&1
check "sendmail reads the remotely built map" grep -q 'returns REJECT' "$T_TMP/bt"
same "map list after a remote build" map list
check "aliases built over ssh" rsm map build aliases
same "aliases dump after a remote build" map dump aliases
check "sendmail -bv through remote-built aliases" sh -c "printf '/map aliases postmaster\n' | \"$SMADM\" -r \"$dir\" sandbox exec /usr/sbin/sendmail -C \"$cf\" -bt | grep -q 'returns root'"

check "queue hold over ssh" rsm -y queue hold --reason 'held over ssh' "$id"
check "held seen locally" sh -c "\"$SMADM\" -r \"$dir\" queue show \"$id\" | grep -q 'held over ssh'"
check "queue release over ssh" rsm -y queue release "$id"
check "queue delete over ssh" rsm -y queue delete "$id"
check_not "deleted message gone locally" sm queue show "$id"

# mc and cf over SSH: m4 and sendmail's validation run on the host.
check "mc set over ssh" rsm mc set confMAX_HOP 31
same "cf diff after the mc change" cf diff
check "apply --dry-run over ssh" rsm apply --dry-run
check "apply over ssh" rsm -y apply
check "the new cf is installed" grep -q '^O MaxHopCount=31' "$cf"
check "a backup of the old cf was kept" sh -c "ls \"$dir\"/etc/sendmail.cf.*.smadm~ >/dev/null 2>&1 || \"$SMADM\" -r \"$dir\" backups | grep -q ."
same "backups after a remote apply" backups
check "cf check over ssh" rsm cf check
same "mc get after apply" mc get confMAX_HOP

# A flush over SSH: sendmail runs the message (and defers it again).
fid=$(sm queue list --json | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p' | head -1)
check "queue flush over ssh" rsm -y queue flush "$fid"

# Without -r: the host's own layout is detected over SSH, as locally.
"$SMADM" status > "$T_TMP/dl" 2>&1
sm_remote status > "$T_TMP/dr" 2>&1
sed -i 's/^host: .*/host: X/; /console socket child/d; s/load [0-9]*, [0-9]* blocks free/LOAD/' "$T_TMP/dl" "$T_TMP/dr"
check "detected profile: same status" cmp "$T_TMP/dl" "$T_TMP/dr"

# Daemon control over SSH.
check "daemon reload over ssh" rsm -y daemon reload
check "daemon stop over ssh" rsm -y daemon stop
check "local sees it stopped" sh -c "\"$SMADM\" -r \"$dir\" daemon status | grep -q '^daemon: *stopped'"
check "daemon start over ssh" rsm daemon start
check "local sees it running" sm daemon status
same "daemon status (started remotely)" daemon status

# Follow the log over SSH: a line logged after the start shows up.
rm -f "$T_TMP/follow"
HOME=$T_HOME "$SMADM" -H smtest -r "$dir" log tail -f -n 0 > "$T_TMP/follow" 2>&1 &
fpid=$!
track_pid "$fpid"
sleep 2
printf 'Subject: followed\n\nbody\n' | smx -odq -f follow-me@vm.sandbox.example r9@deferred.example
wait_for 15 grep -q 'follow-me' "$T_TMP/follow"
check "log tail -f over ssh shows a new line" grep -q 'follow-me' "$T_TMP/follow"
kill "$fpid" 2>/dev/null

# sudo profile key: programs run through sudo -n (root here: sudo allows).
finish
