# tests/tui/ssh-console.sh -- the console over SSH (smadm -H) in a real
# terminal: the dashboard names the remote host and shows the sandbox's
# daemon and queue; the queue screen lists the messages read over SSH and
# holds and releases one (a job on a worker thread, over the SSH session); an
# unknown host key is asked about before the console starts and refused
# when the answer is no.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"
. "$(dirname "$0")/../ssh-lib.sh"

ssh_start || { bad "private sshd did not start"; finish; exit 1; }
dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
"$SMADM" -r "$dir" daemon start > /dev/null 2>&1
for i in 1 2; do
	printf 'Subject: %s\n\nbody\n' "$i" | "$SMADM" -r "$dir" sandbox exec /usr/sbin/sendmail \
	    -C "$dir/etc/sendmail.cf" -odq -f tui@vm.sandbox.example "over-ssh$i@deferred.example"
done

dir2=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
mkdir -p "$T_HOME/.config/smadm"
printf 'smtest %s\nsmtest %s\n' "$dir" "$dir2" > "$T_HOME/.config/smadm/hosts"

cat > "$T_TMP/pane.sh" <<'PANE'
trap '' INT
HOME=$THOME "$SMADM" -H smtest -r "$DIR"
echo "EXITED $?"
exec sleep 600
PANE
n=0
start() {
	n=$((n + 1))
	s="smadm-ssh-$$-$n"
	track_tmux "$s"
	$TM new-session -d -s "$s" -x 80 -y 24 \
	    env SMADM="$SMADM" DIR="$dir" THOME="$1" LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    TERM=screen sh "$T_TMP/pane.sh"
}

start "$T_HOME"
see "dashboard over ssh" "smadm - Dashboard"
see_re "the host is the remote one" "^ Host +smtest"
see_re "the remote profile" "^ Profile +$dir/smadm.conf"
see_re "the daemon runs" "running"
keys Q
see "queue screen over ssh" "over-ssh1@deferred.ex"
see "both messages" "over-ssh2@deferred.ex"
# A queue action over SSH runs as a job on a worker thread (tui/job.c):
# hold the message under the cursor, see sendmail agree, release it.
keys h
see "hold asks a reason" "hold, reason:"
keys "ssh job" Enter
see "hold over ssh: the dialog" "Hold 1 message ("
keys y
see "hold over ssh: the report" "hold: 1 of 1 done"
"$SMADM" -r "$dir" sandbox exec /usr/sbin/sendmail -C "$dir/etc/sendmail.cf" -bp -qQ > "$T_TMP/bpq" 2>&1
check "hold over ssh: sendmail sees it held" grep -q "QUARANTINE: ssh job" "$T_TMP/bpq"
keys q
see_re "hold over ssh: held in the list" " held +.*over-ssh"
keys U
see "release over ssh: the dialog" "Release 1 message ("
keys y
see "release over ssh: the report" "release: 1 of 1 done"
"$SMADM" -r "$dir" sandbox exec /usr/sbin/sendmail -C "$dir/etc/sendmail.cf" -bp -qQ > "$T_TMP/bpq" 2>&1
check_not "release over ssh: sendmail sees none held" grep -q "QUARANTINE" "$T_TMP/bpq"
keys q
keys q
# The Hosts screen: smadm's host list, asked in parallel; Enter switches.
keys H
see "hosts screen" "smadm - Hosts"
see_re "first host: running, 2 queued" "smtest [^ ]+ +running +2 +0"
see_re "second host: stopped, empty" "smtest [^ ]+ +stopped +0 +0"
keys Down Enter
see "switched to the second host" "now managing smtest"
see_re "its profile on the dashboard" "^ Profile +$dir2/smadm.conf"
keys H
see_re "hosts screen again" "smtest [^ ]+ +running +2"
keys Enter
see_re "back on the first host" "^ Profile +$dir/smadm.conf"
# The connection drops (the sshd processes serving it are killed, by
# pid): the next screen reconnects.
for p in $(pgrep -P "$SSHD_PID"); do kill "$p"; done
sleep 1
keys Q
see "queue screen after a dropped connection" "over-ssh1@deferred.ex"
keys q
keys q
see "the console quits" "EXITED 0"

# An unknown host key: the console asks first; "no" refuses.
H2=$T_TMP/home2
mkdir -p "$H2/.ssh"
cp "$T_HOME/.ssh/config" "$T_HOME/.ssh/id_ed25519" "$H2/.ssh/"
start "$H2"
see "asked about the unknown key" "is not known"
see "with its fingerprint" "SHA256:"
keys no Enter
see "refused on no" "host key not accepted"
see "and smadm exits" "EXITED 1"
check_not "nothing recorded" grep -q . "$H2/.ssh/known_hosts"
start "$H2"
see "asked again" "is not known"
keys yes Enter
see "accepted on yes: the dashboard" "smadm - Dashboard"
see "the status line says it is added" "Permanently added '[127.0.0.1]:$SSH_PORT' (ED25519)"
check "the key is recorded" ssh-keygen -F "[127.0.0.1]:$SSH_PORT" -f "$H2/.ssh/known_hosts"

# A key file with a passphrase: asked on the terminal (a command here);
# "setsid" takes away the controlling terminal a developer's run has.
H3=$T_TMP/home3
mkdir -p "$H3/.ssh"
cp "$T_HOME/.ssh/config" "$T_HOME/.ssh/known_hosts" "$H3/.ssh/"
sed -i "s|IdentityFile .*|IdentityFile $H3/.ssh/id_ed25519|" "$H3/.ssh/config"
ssh-keygen -q -t ed25519 -N 'open sesame' -f "$H3/.ssh/id_ed25519" > /dev/null
cat "$H3/.ssh/id_ed25519.pub" >> "$SSH_DIR/authorized_keys"
HOME=$H3 setsid -w "$SMADM" -H smtest -r "$dir" status < /dev/null > "$T_TMP/nopass" 2>&1
check "without a terminal the encrypted key cannot be used" test $? -ne 0
check "and says permission denied" grep -q 'permission denied' "$T_TMP/nopass"
cat > "$T_TMP/pane.sh" <<'PANE'
trap '' INT
HOME=$THOME "$SMADM" -H smtest -r "$DIR" daemon status
echo "EXITED $?"
exec sleep 600
PANE
start "$H3"
see "the passphrase is asked, naming the key" "Enter passphrase for key $H3/.ssh/id_ed25519"
keys 'open sesame' Enter
see "then the command runs" "EXITED 0"
see_re "its output" "^daemon: +running"
finish
