#!/bin/sh
# ssh-fleet.sh -- "smadm fleet status" over a private sshd: two sandboxes
# named in smadm's host list (~/.config/smadm/hosts) are asked in
# parallel; their counts are the local ones; a host that cannot be reached
# is reported as such and makes the exit status 1.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ssh-lib.sh"

ssh_start || { bad "private sshd did not start"; finish; exit 1; }
a=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
b=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
"$SMADM" -r "$a" daemon start > /dev/null 2>&1
for i in 1 2 3; do
	printf 'Subject: %s\n\nbody\n' "$i" | "$SMADM" -r "$b" sandbox exec /usr/sbin/sendmail \
	    -C "$b/etc/sendmail.cf" -odq -f f@vm.sandbox.example "r$i@deferred.example"
done
printf 'Subject: s\n\nbody\n' | "$SMADM" -r "$b" sandbox exec /usr/sbin/sendmail \
    -C "$b/etc/sendmail.cf" -O QueueDirectory="$b/clientmqueue" -odq -f f@vm.sandbox.example s@deferred.example
# One queue run: the messages get a last error.
"$SMADM" -r "$b" sandbox exec /usr/sbin/sendmail -C "$b/etc/sendmail.cf" -q > /dev/null 2>&1

mkdir -p "$T_HOME/.config/smadm"
printf '# fleet\nsmtest %s\nsmtest %s\n' "$a" "$b" > "$T_HOME/.config/smadm/hosts"
HOME=$T_HOME "$SMADM" fleet status > "$T_TMP/fleet" 2>&1
check "fleet status succeeds" test $? -eq 0
sed 's/^/      | /' "$T_TMP/fleet"
check "first host: daemon running, empty queues" grep -qE '^smtest +running +0 +0 +0 ' "$T_TMP/fleet"
check "second host: stopped, 3 MTA, 1 submit, 3 deferred" grep -qE '^smtest +stopped +3 +1 +3  Deferred: Connection refused' "$T_TMP/fleet"
HOME=$T_HOME "$SMADM" --json fleet status > "$T_TMP/fleet.json" 2>&1
check "--json parses, two hosts" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not (len(d) == 2 and d[1]["mta"] == 3 and d[1]["deferred"] == 3 and d[0]["daemon"] == "running"))' "$T_TMP/fleet.json"
# A host nobody answers on, named as an argument.
dead=$(free_port)
HOME=$T_HOME "$SMADM" -r "$a" fleet status smtest "root@127.0.0.1:$dead" > "$T_TMP/f2" 2>&1
check "an unreachable host makes the exit status 1" test $? -eq 1
check "and is reported" grep -q "^root@127.0.0.1:$dead *error: .*cannot connect" "$T_TMP/f2"
check "the other host is still shown" grep -qE '^smtest +running' "$T_TMP/f2"
finish
