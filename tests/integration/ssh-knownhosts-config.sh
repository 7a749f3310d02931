#!/bin/sh
# ssh-knownhosts-config.sh -- the ssh config's say over known_hosts,
# against a real sshd on 127.0.0.1.  HostKeyAlias is the name looked up
# and recorded (as ssh(1) does: the alias as written, lower case, no
# [ ]:port), so a key pinned under an alias cannot be replaced as "new";
# UserKnownHostsFile's %k, %h, %n tokens are expanded (others refused);
# the server is asked first for the key types known_hosts has for it;
# Match host / originalhost blocks apply.  A known_hosts file that is a
# FIFO (user or global, or a link to one) is refused by name before
# libssh would open it and block: every run is under timeout, so a
# regression fails instead of hanging.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ssh-lib.sh"

ssh_start || { bad "private sshd did not start"; finish; exit 1; }
dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }

kh_keys

# home N CONFIG: a fresh HOME with the client key and CONFIG as its
# ~/.ssh/config (printf %b: \n and \t work); sets H, KH.
home() {
	kh_home "$1"
	printf '%b\n' "$2" > "$H/.ssh/config"
}
# run HOST [ARGS...]: smadm -H HOST status in that HOME, no terminal, at
# most 30 s; output in $T_TMP/out, exit status in $rc (124: it hung).
run() {
	_h=$1
	shift
	HOME=$H timeout 30 setsid -w "$SMADM" -H "$_h" -r "$dir" "$@" status \
	    > "$T_TMP/out" 2>&1 < /dev/null
	rc=$?
}
has() { grep -qF -- "$1" "$T_TMP/out"; }
# sshr ARGS...: OpenSSH's client with that HOME's config and known_hosts
# (ssh takes ~ from the password file, not $HOME), for comparison.
sshr() {
	timeout 30 ssh -F "$H/.ssh/config" -o BatchMode=yes \
	    -o UserKnownHostsFile="$KH" -o GlobalKnownHostsFile=/dev/null "$@" true < /dev/null > "$T_TMP/sshout" 2>&1
}

cp "$T_HOME/.ssh/id_ed25519" "$T_TMP/h_key"
NICK="Host nick\n\tHostName 127.0.0.1\n\tPort $SSH_PORT\n\tUser root\n\tIdentityFile $T_TMP/h_key"

# --- HostKeyAlias: a key pinned under the alias is checked
home 1 "$NICK\n\tHostKeyAlias MyAlias"
printf 'myalias %s\n' "$OTHERKEY" > "$KH"
cp "$KH" "$T_TMP/kh.before"
sshr -o StrictHostKeyChecking=accept-new nick
check "ssh(1) refuses: the key pinned under the alias differs" \
    grep -q "REMOTE HOST IDENTIFICATION HAS CHANGED" "$T_TMP/sshout"
run nick --accept-new-host-key
check "smadm refuses it too, even with --accept-new-host-key" test "$rc" -ne 0 -a "$rc" -ne 124

check "as a CHANGED key" has "host key of nick has CHANGED"
check "naming the line under the alias" has "The old key is in $KH:1"
check "and the ssh-keygen -R command for the alias" has "-R 'myalias'"
check "known_hosts left alone" cmp -s "$KH" "$T_TMP/kh.before"
check_not "no login happened" grep -q '^profile:' "$T_TMP/out"

printf 'myalias %s\n' "$HOSTKEY" > "$KH"
run nick
check "the right key under the alias: connects" test "$rc" -eq 0
# Only [127.0.0.1]:port knows the key: with an alias that is not it.
printf '%s %s\n' "$NAME" "$HOSTKEY" > "$KH"
run nick
check "the key under [host]:port only: unknown with an alias" has "unknown host key"

# A new key is recorded under the alias, bare, lower case, as ssh does.
home 2 "$NICK\n\tHostKeyAlias MyAlias\n\tHashKnownHosts no"
run nick --accept-new-host-key
check "a new key with an alias: accepted" test "$rc" -eq 0
check "recorded as 'myalias' (no [ ]:port)" grep -qxF "myalias $HOSTKEY" "$KH"
check "saying so as ssh does" has "Permanently added 'myalias' (ED25519)"
sshr -o StrictHostKeyChecking=yes nick
check "ssh(1) accepts what smadm recorded" test $? -eq 0

home 3 "$NICK\n\tHostKeyAlias MyAlias\n\tHashKnownHosts yes"
run nick --accept-new-host-key
check "hashed: accepted" test "$rc" -eq 0
check "ssh-keygen -F finds the hashed alias" ssh-keygen -F myalias -f "$KH"
check_not "and not the host:port" ssh-keygen -F "$NAME" -f "$KH"

# UserKnownHostsFile with %k (the alias): the file ssh(1) reads.
home 11 "$NICK\n\tHostKeyAlias MyAlias\n\tUserKnownHostsFile ~/.ssh/kh.d/%k"
mkdir "$H/.ssh/kh.d"
printf 'myalias %s\n' "$OTHERKEY" > "$H/.ssh/kh.d/myalias"
run nick --accept-new-host-key
check "UserKnownHostsFile ~/.ssh/kh.d/%k: the pinned key is read: CHANGED" has "host key of nick has CHANGED"
check "in $H/.ssh/kh.d/myalias" has "The old key is in $H/.ssh/kh.d/myalias:1"
check "no file named %k was made" test ! -e "$H/.ssh/kh.d/%k"
home 12 "$NICK\n\tUserKnownHostsFile ~/.ssh/kh-%p"
run nick --accept-new-host-key
check "a token smadm cannot expand (%p) is refused" test "$rc" -ne 0 -a "$rc" -ne 124
check "naming the config file and line" has "$H/.ssh/config:6: UserKnownHostsFile \"~/.ssh/kh-%p\": smadm cannot expand %p"
check "nothing was written" test ! -e "$H/.ssh/kh-%p"

# --- The key types asked for.  A second sshd has an RSA and an ED25519
# key; known_hosts has only the RSA one, under the alias or in the second
# UserKnownHostsFile, where libssh's own reading would not find it: the
# server must be asked for RSA first (as ssh(1) does), not found CHANGED.
ssh-keygen -q -t rsa -b 2048 -N '' -C '' -f "$SSH_DIR/host_rsa" > /dev/null
RSAKEY=$(cut -d' ' -f1,2 "$SSH_DIR/host_rsa.pub")
TWO_PORT=$(free_port)
sed -e "s/^Port .*/Port $TWO_PORT/" -e "s|^PidFile .*|PidFile $SSH_DIR/sshd-two.pid|" \
    -e "s|^HostKey .*|HostKey $SSH_DIR/host_ed25519\nHostKey $SSH_DIR/host_rsa|" \
    "$SSH_DIR/sshd_config" > "$SSH_DIR/sshd_config.two"
$SSHD -D -f "$SSH_DIR/sshd_config.two" -E "$SSH_DIR/sshd-two.log" &
track_pid $!
wait_for 10 port_listening $TWO_PORT || bad "the two-key sshd did not start"
TWO="Host two\n\tHostName 127.0.0.1\n\tPort $TWO_PORT\n\tUser root\n\tIdentityFile $T_TMP/h_key"
home 9 "$TWO\n\tHostKeyAlias pinned"
printf 'pinned %s\n' "$RSAKEY" > "$KH"
sshr -o StrictHostKeyChecking=yes two
check "ssh(1) connects with the RSA key pinned under the alias" test $? -eq 0
run two
check "smadm too (the server was asked for its RSA key)" test "$rc" -eq 0
printf 'pinned %s\n' "$OTHERKEY" > "$KH"
run two --accept-new-host-key
check "another key under the alias is still CHANGED" has "host key of two has CHANGED"

home 10 "$TWO\n\tUserKnownHostsFile ~/.ssh/kh_a ~/.ssh/kh_b"
printf 'elsewhere %s\n' "$HOSTKEY" > "$H/.ssh/kh_a"
printf '[127.0.0.1]:%s %s\n' "$TWO_PORT" "$RSAKEY" > "$H/.ssh/kh_b"
run two
check "the RSA key in the second UserKnownHostsFile: connects" test "$rc" -eq 0

# --- Match blocks: host (after HostName), originalhost
home 4 "$NICK\nMatch host 127.0.0.1 originalhost nick\n\tHostKeyAlias viamatch"
printf 'viamatch %s\n' "$OTHERKEY" > "$KH"
cp "$KH" "$T_TMP/kh.before"
sshr -o StrictHostKeyChecking=accept-new nick
check "ssh(1) applies Match host: CHANGED" \
    grep -q "REMOTE HOST IDENTIFICATION HAS CHANGED" "$T_TMP/sshout"
run nick --accept-new-host-key
check "smadm applies Match host too: CHANGED" has "host key of nick has CHANGED"
check "known_hosts left alone" cmp -s "$KH" "$T_TMP/kh.before"

home 5 "Match originalhost nick\n\tUserKnownHostsFile ~/.ssh/kh_match\n$NICK"
run nick --accept-new-host-key
check "Match originalhost: UserKnownHostsFile applies" ssh-keygen -F "$NAME" -f "$H/.ssh/kh_match"
check "nothing in the default file" test ! -e "$KH"

# --- FIFOs in place of known_hosts files: refused, never a hang
for where in user global link; do
	home 6$where "$NICK"
	printf '%s %s\n' "$NAME" "$HOSTKEY" > "$H/kh_regular"
	mkfifo "$H/fifo"
	case $where in
	user)	rm -f "$KH"; mkfifo "$KH"; f=$KH ;;
	global)	printf '%b\n' "Host nick\n\tGlobalKnownHostsFile $H/fifo\n$NICK" > "$H/.ssh/config"
		f=$H/fifo ;;
	link)	ln -s "$H/fifo" "$KH"; f=$KH ;;
	esac
	for a in "" --accept-new-host-key; do
		run nick $a
		check "a FIFO as $where known_hosts ($a): no hang" test "$rc" -ne 124
		check "refused" test "$rc" -ne 0
		check "naming the file" has "$f: not a regular file"
	done
done

# "UserKnownHostsFile /dev/null" (remember nothing) is not refused.
home 8 "$NICK\n\tUserKnownHostsFile /dev/null\n\tGlobalKnownHostsFile /dev/null"
run nick --accept-new-host-key
check "UserKnownHostsFile /dev/null: connects with --accept-new-host-key" test "$rc" -eq 0
run nick
check "and the key is still unknown afterwards" has "unknown host key"

# A link to a regular file is fine.
home 7 "$NICK"
printf '%s %s\n' "$NAME" "$HOSTKEY" > "$H/kh_regular"
ln -s "$H/kh_regular" "$KH"
run nick
check "a symlink to a regular known_hosts works" test "$rc" -eq 0

finish
