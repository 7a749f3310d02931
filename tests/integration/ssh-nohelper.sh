#!/bin/sh
# ssh-nohelper.sh -- smadm -H on a host without smadm (--remote-smadm
# none): files through SFTP, a queue read file by file, a log followed by
# polling over SFTP, and the same output as the local run; what needs the
# remote smadm (a sandbox's namespace) says so.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ssh-lib.sh"

ssh_start || { bad "private sshd did not start"; finish; exit 1; }
dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
rsm() { HOME=$T_HOME "$SMADM" -H smtest --remote-smadm none -r "$dir" "$@"; }
cf="$dir/etc/sendmail.cf"
sm daemon start > /dev/null 2>&1
for u in r1@deferred.example r2@far.example; do
	printf 'Subject: to %s\n\nbody\n' "$u" | sm sandbox exec /usr/sbin/sendmail -C "$cf" -odq -f nohelper@vm.sandbox.example "$u"
done

same() {
	name=$1; shift
	sm "$@" > "$T_TMP/l.out" 2> "$T_TMP/l.err"; lrc=$?
	rsm "$@" > "$T_TMP/r.out" 2> "$T_TMP/r.err"; rrc=$?
	sed -i -e 's/ queued  *[0-9][0-9]*[smhd]  / queued AGE /' -e 's/([0-9hms]* ago)/(AGO)/g' \
	    "$T_TMP/l.out" "$T_TMP/r.out"
	if [ "$lrc" = "$rrc" ] && cmp -s "$T_TMP/l.out" "$T_TMP/r.out" && [ -s "$T_TMP/l.out" ]; then
		ok "same output without a remote smadm: $name"
	else
		bad "same output without a remote smadm: $name (exit $lrc vs $rrc)"
		diff "$T_TMP/l.out" "$T_TMP/r.out" | head -10 | sed 's/^/      | /'
		head -3 "$T_TMP/r.err" | sed 's/^/      | remote: /'
	fi
}
same "map list" map list
same "map show" map show access
same "map dump" map dump aliases
same "mc show" mc show
same "queue list" queue list
same "queue list --json" queue list --json --queue all
id=$(sm queue list --json | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p' | head -1)
same "queue show" queue show "$id"
same "log tail" log tail -n 3

check "map set over SFTP" rsm map set access 10.20.30.40 REJECT
check "written: seen locally" grep -q '^10.20.30.40' "$dir/etc/access"
check "with a backup set in the state directory" sh -c "grep -q '^reason	map set access' \"$dir\"/.smadm/backups/*/MANIFEST"
rsm map build access > "$T_TMP/nb" 2>&1
check "a sandbox namespace needs the remote smadm" grep -q 'a sandbox namespace on smtest needs smadm installed there' "$T_TMP/nb"

# Following the log by polling over SFTP.
HOME=$T_HOME "$SMADM" -H smtest --remote-smadm none -r "$dir" log tail -f -n 0 > "$T_TMP/follow" 2>&1 &
fpid=$!
track_pid "$fpid"
sleep 2
printf 'Subject: polled\n\nbody\n' | sm sandbox exec /usr/sbin/sendmail -C "$cf" -odq -f polled-line@vm.sandbox.example r9@deferred.example
wait_for 15 grep -q 'polled-line' "$T_TMP/follow"
check "log tail -f over SFTP polling shows a new line" grep -q 'polled-line' "$T_TMP/follow"
kill "$fpid" 2>/dev/null
finish
