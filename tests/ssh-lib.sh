# tests/ssh-lib.sh -- a private sshd on 127.0.0.1 for the SSH tests.
# Source after lib.sh:  . "$(dirname "$0")/../ssh-lib.sh"
#
# ssh_start: starts sshd on a free port with its own host key, key-only
# root login and its own authorized_keys, and makes a test HOME whose
# ~/.ssh has the client key, a known_hosts entry and a config with
# "Host smtest".  Sets SSH_PORT, SSH_DIR (server files), T_HOME.  The
# sshd pid is tracked and killed at exit.  Everything smadm does over SSH
# in the tests runs with HOME=$T_HOME.

SSHD=/usr/sbin/sshd

ssh_start() {
	SSH_DIR=$T_TMP/sshd
	T_HOME=$T_TMP/home
	mkdir -p "$SSH_DIR" "$T_HOME/.ssh" /run/sshd
	chmod 700 "$T_HOME/.ssh"
	ssh-keygen -q -t ed25519 -N '' -C smadm-test-host -f "$SSH_DIR/host_ed25519" >/dev/null || return 1
	ssh-keygen -q -t ed25519 -N '' -C smadm-test-client -f "$T_HOME/.ssh/id_ed25519" >/dev/null || return 1
	cp "$T_HOME/.ssh/id_ed25519.pub" "$SSH_DIR/authorized_keys"
	SSH_PORT=$(free_port) || return 1
	cat > "$SSH_DIR/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $SSH_DIR/host_ed25519
PidFile $SSH_DIR/sshd.pid
AuthorizedKeysFile $SSH_DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxSessions 50
MaxStartups 50:30:100
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel ERROR
EOF
	$SSHD -D -f "$SSH_DIR/sshd_config" -E "$SSH_DIR/sshd.log" &
	SSHD_PID=$!
	track_pid "$SSHD_PID"
	wait_for 10 port_listening $SSH_PORT || { cat "$SSH_DIR/sshd.log" >&2; return 1; }
	printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$(cut -d' ' -f1,2 "$SSH_DIR/host_ed25519.pub")" \
	    > "$T_HOME/.ssh/known_hosts"
	cat > "$T_HOME/.ssh/config" <<EOF
Host smtest
	HostName 127.0.0.1
	Port $SSH_PORT
	User root
	IdentityFile $T_HOME/.ssh/id_ed25519
EOF
	# No agent of the person running the tests.
	unset SSH_AUTH_SOCK
	return 0
}

# sm_remote ARGS...: smadm over SSH to the test sshd, test HOME
sm_remote() { HOME=$T_HOME "$SMADM" -H smtest "$@"; }

# ssh_start_secret NAME METHOD SECRET: after ssh_start, one more sshd (the
# same host key) that offers only METHOD ("password", or
# "keyboard-interactive" through PAM) and whose root password is SECRET.
# It runs in a private mount namespace (unshare -m) where /etc/shadow and
# /etc/pam.d/sshd are bind-mounted test files: no real account's password
# changes.  Adds "Host NAME" (root@127.0.0.1, its port, no key file) to the
# test config and its host key to known_hosts; sets SECRET_PORT.
ssh_start_secret() {
	_n=$1 _m=$2 _pw=$3
	_d=$SSH_DIR/$_n
	mkdir -p "$_d"
	_hash=$(printf '%s\n' "$_pw" | openssl passwd -6 -stdin) || return 1
	# The host's shadow with root's hash replaced, same owner and mode.
	awk -F: -v OFS=: -v h="$_hash" '$1 == "root" { $2 = h } { print }' \
	    /etc/shadow > "$_d/shadow" || return 1
	chown --reference=/etc/shadow "$_d/shadow"
	chmod --reference=/etc/shadow "$_d/shadow"
	printf '%s\n' 'auth required pam_unix.so' 'account required pam_unix.so' \
	    'session required pam_permit.so' 'password required pam_deny.so' \
	    > "$_d/pam-sshd"
	SECRET_PORT=$(free_port) || return 1
	case $_m in
	password) _pam=no _pa=yes _kb=no ;;
	keyboard-interactive) _pam=yes _pa=no _kb=yes ;;
	*) return 1 ;;
	esac
	cat > "$_d/sshd_config" <<EOC
Port $SECRET_PORT
ListenAddress 127.0.0.1
HostKey $SSH_DIR/host_ed25519
PidFile $_d/sshd.pid
AuthorizedKeysFile none
PermitRootLogin yes
PubkeyAuthentication no
PasswordAuthentication $_pa
KbdInteractiveAuthentication $_kb
AuthenticationMethods $_m
UsePAM $_pam
PermitEmptyPasswords no
MaxAuthTries 10
StrictModes no
MaxSessions 50
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel ERROR
EOC
	# unshare execs sh, which execs sshd: $! is sshd's pid.
	unshare -m --propagation private sh -c '
		mount --bind "$1" /etc/shadow && mount --bind "$2" /etc/pam.d/sshd &&
		exec "$3" -D -f "$4" -E "$5"' sh \
	    "$_d/shadow" "$_d/pam-sshd" "$SSHD" "$_d/sshd_config" "$_d/sshd.log" &
	track_pid $!
	wait_for 10 port_listening $SECRET_PORT || { cat "$_d/sshd.log" >&2; return 1; }
	printf '[127.0.0.1]:%s %s\n' "$SECRET_PORT" "$(cut -d' ' -f1,2 "$SSH_DIR/host_ed25519.pub")" \
	    >> "$T_HOME/.ssh/known_hosts"
	cat >> "$T_HOME/.ssh/config" <<EOC
Host $_n
	HostName 127.0.0.1
	Port $SECRET_PORT
	User root
EOC
	return 0
}

# kh_keys: for known_hosts tests, NAME (the sshd as known_hosts names it),
# HOSTKEY (its key) and OTHERKEY (a key it does not have).
kh_keys() {
	NAME="[127.0.0.1]:$SSH_PORT"
	HOSTKEY=$(cut -d' ' -f1,2 "$SSH_DIR/host_ed25519.pub")
	ssh-keygen -q -t ed25519 -N '' -C '' -f "$T_TMP/other" > /dev/null
	OTHERKEY=$(cut -d' ' -f1,2 "$T_TMP/other.pub")
}
# kh_home N: a fresh HOME $T_TMP/hN holding the client key; sets H and KH
# (its known_hosts); the caller writes $H/.ssh/config.
kh_home() {
	H=$T_TMP/h$1
	KH=$H/.ssh/known_hosts
	rm -rf "$H"
	mkdir -p "$H/.ssh"
	chmod 700 "$H/.ssh"
	cp "$T_HOME/.ssh/id_ed25519" "$H/.ssh/"
}
