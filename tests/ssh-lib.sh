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
	wait_for 10 ss -Hltn "sport = :$SSH_PORT" || { cat "$SSH_DIR/sshd.log" >&2; return 1; }
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
