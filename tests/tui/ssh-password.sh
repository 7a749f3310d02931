# tests/tui/ssh-password.sh -- logging in with a password in a real
# terminal.  Two more private sshds on 127.0.0.1: one that offers only
# "password", one only "keyboard-interactive" (PAM).  Each runs in a
# private mount namespace where /etc/shadow (and /etc/pam.d/sshd) are test
# files giving root a known password, so no real account changes; the
# host's /etc/shadow is compared before and after.  The console and the
# CLI ask on the terminal without echo, a wrong answer is asked again (3
# times, as ssh(1)), then a clear error; the terminal stays usable; the
# Hosts screen lends the terminal for the question; without a terminal
# smadm refuses and names the methods; an encrypted key's passphrase is
# asked again when wrong, and after a dropped connection in the console.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"
. "$(dirname "$0")/../ssh-lib.sh"

PW='pw one'
KB='kb two'
shadow_before=$(sha256sum /etc/shadow)
ssh_start || { bad "private sshd did not start"; finish; exit 1; }
ssh_start_secret smpw password "$PW" || { bad "password sshd did not start"; finish; exit 1; }
ssh_start_secret smkbd keyboard-interactive "$KB" || { bad "PAM sshd did not start"; finish; exit 1; }
dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
# The key of ssh_start is not offered: only the secret can log in.
mv "$T_HOME/.ssh/id_ed25519" "$T_HOME/.ssh/id_smtest"
sed -i "s|IdentityFile .*|IdentityFile $T_HOME/.ssh/id_smtest|" "$T_HOME/.ssh/config"

# The pane: smadm ARGS, its status, then a line read with the terminal as
# smadm left it (echo must be on again).
cat > "$T_TMP/pane.sh" <<'PANE'
trap '' INT
HOME=$THOME "$SMADM" $ARGS
echo "EXITED $?"
read line
echo "READ [$line]"
exec sleep 600
PANE
n=0
start() {	# start HOME ARGS
	n=$((n + 1))
	s="smadm-pw-$$-$n"
	track_tmux "$s"
	$TM new-session -d -s "$s" -x 80 -y 24 \
	    env SMADM="$SMADM" THOME="$1" ARGS="$2" LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    TERM=screen sh "$T_TMP/pane.sh"
}
screen() { $TM capture-pane -p -J -S - -t "$s"; }
see() {
	if wait_for 10 has "$2"; then ok "$1"
	else bad "$1: \"$2\" not on the screen"; screen | grep . | tail -12 | sed 's/^/      | /'; fi
}
# secret_hidden DESC TEXT: typed TEXT is not on the screen
secret_hidden() {
	sleep 0.3
	if has "$2"; then bad "$1"; screen | grep . | tail -5 | sed 's/^/      | /'
	else ok "$1"; fi
}

# --- the console, password only
start "$T_HOME" "-H smpw -r $dir"
see "console: the password is asked" "root@smpw's password:"
keys "$PW"
secret_hidden "the typed password is not echoed" "$PW"
keys Enter
see "logged in: the dashboard" "smadm - Dashboard"
secret_hidden "nor shown later" "$PW"
keys q
see "the console quits" "EXITED 0"

# --- a wrong password is asked again, then the right one works
start "$T_HOME" "-H smpw -r $dir"
see "asked" "root@smpw's password:"
keys 'wrong' Enter
see "a wrong password: asked again" "Permission denied, please try again."
keys "$PW" Enter
see "the second try logs in" "smadm - Dashboard"
keys q
see "and quits" "EXITED 0"

# --- three wrong passwords: a clear error; the terminal is usable
start "$T_HOME" "-H smpw -r $dir"
see "asked" "root@smpw's password:"
for i in 1 2 3; do
	wait_for 10 sh -c "[ \$($TM capture-pane -p -t $s | grep -c 'password: ') -ge $i ]"
	keys "bad$i" Enter
done
see "three wrong passwords: refused" "smpw: permission denied: the password was refused 3 times (the server offers password)"
see "smadm exits 1" "EXITED 1"
secret_hidden "no wrong password on the screen" "bad2"
keys 'still here' Enter
see "echo is on again afterwards" "still here"
see "and the terminal reads lines" "READ [still here]"

# --- keyboard-interactive through PAM
start "$T_HOME" "-H smkbd -r $dir"
see "console: PAM's question, naming user and host" "(root@smkbd) Password:"
keys 'nope'
secret_hidden "the answer is not echoed" "nope"
keys Enter
see "a wrong answer: asked again" "Permission denied, please try again."
keys "$KB" Enter
see "keyboard-interactive logs in" "smadm - Dashboard"
keys q
see "quits" "EXITED 0"

# --- the CLI: with a terminal it asks there, even with stdin a pipe
cat > "$T_TMP/pane.sh" <<'PANE'
trap '' INT
echo | HOME=$THOME "$SMADM" $ARGS
echo "EXITED $?"
exec sleep 600
PANE
start "$T_HOME" "-H smpw -r $dir daemon status"
see "CLI with stdin a pipe: asked on the terminal" "root@smpw's password:"
keys "$PW" Enter
see "the command runs" "EXITED 0"
see "its output" "daemon:"
start "$T_HOME" "-H smkbd -r $dir daemon status"
see "CLI, keyboard-interactive: asked" "(root@smkbd) Password:"
keys C-d
see "end of input: no login" "smkbd: permission denied: no password given (the server offers keyboard-interactive)"
see "exit 1" "EXITED 1"

# --- a jump host that wants a password: asked, naming the jump host
P_SMTEST=$(awk '/^Host smtest/ { f = 1 } f && $1 == "Port" { print $2; exit }' "$T_HOME/.ssh/config")
printf 'Host smviapw\n\tHostName 127.0.0.1\n\tPort %s\n\tUser root\n\tIdentityFile %s\n\tProxyJump smpw\n' \
    "$P_SMTEST" "$T_HOME/.ssh/id_smtest" >> "$T_HOME/.ssh/config"
start "$T_HOME" "-H smviapw -r $dir daemon status"
see "ProxyJump through a password host: its password is asked" "root@smpw's password:"
keys "$PW" Enter
see "then the target logs in with its key" "EXITED 0"
see "the command's output" "daemon:"

# --- without a terminal: refused, naming the methods
HOME=$T_HOME setsid -w "$SMADM" -H smpw -r "$dir" status < /dev/null > "$T_TMP/nt" 2>&1
check "no terminal: refused" test $? -ne 0
check "naming the method and why" grep -qF "smpw: permission denied: no key was accepted (agent, key files) and the server offers password; smadm asks for a password only on a terminal or in the console" "$T_TMP/nt"
HOME=$T_HOME setsid -w "$SMADM" -H smkbd -r "$dir" status < /dev/null > "$T_TMP/nt" 2>&1
check "no terminal, keyboard-interactive: names it" grep -qF "the server offers keyboard-interactive;" "$T_TMP/nt"

# --- the Hosts screen: the question on the lent terminal
mkdir -p "$T_HOME/.config/smadm"
printf 'smtest %s\nsmpw %s\n' "$dir" "$dir" > "$T_HOME/.config/smadm/hosts"
cat > "$T_TMP/pane.sh" <<'PANE'
trap '' INT
HOME=$THOME "$SMADM" $ARGS
echo "EXITED $?"
exec sleep 600
PANE
start "$T_HOME" "-H smtest -r $dir"
see "console on the key host" "smadm - Dashboard"
keys H
see "hosts screen" "smadm - Hosts"
keys Down Enter
see "switching asks for the password" "root@smpw's password:"
for i in 1 2 3; do
	wait_for 10 sh -c "[ \$($TM capture-pane -p -t $s | grep -c 'password: ') -ge $i ]"
	keys "bad$i" Enter
done
see "three wrong: back in the console with the error" "the password was refused 3 times"
see "still on the Hosts screen" "smadm - Hosts"
keys Enter
see "asked again" "root@smpw's password:"
keys "$PW" Enter
see "switched" "now managing smpw"
see "the dashboard of the new host" "smadm - Dashboard"
keys q
see "quits" "EXITED 0"

# --- an encrypted key in the console: asked at start and after a drop
H3=$T_TMP/home3
mkdir -p "$H3/.ssh"
cp "$T_HOME/.ssh/config" "$T_HOME/.ssh/known_hosts" "$H3/.ssh/"
sed -i "s|IdentityFile .*|IdentityFile $H3/.ssh/id_ed25519|" "$H3/.ssh/config"
ssh-keygen -q -t ed25519 -N 'open sesame' -f "$H3/.ssh/id_ed25519" > /dev/null
cat "$H3/.ssh/id_ed25519.pub" >> "$SSH_DIR/authorized_keys"
HOME=$H3 setsid -w "$SMADM" -H smtest -r "$dir" status < /dev/null > "$T_TMP/nt" 2>&1
check "encrypted key without a terminal: says why" grep -qF "smtest: permission denied: no key was accepted (agent, key files; the server offers publickey); key $H3/.ssh/id_ed25519 needs its passphrase, which smadm asks for only on a terminal or in the console" "$T_TMP/nt"
start "$H3" "-H smtest -r $dir"
see "the passphrase is asked" "Enter passphrase for key $H3/.ssh/id_ed25519:"
keys 'open sesame!'
secret_hidden "the passphrase is not echoed" "open sesame"
keys Enter
see "a wrong passphrase is asked again" "Bad passphrase, try again."
keys 'open sesame' Enter
see "logged in with the key" "smadm - Dashboard"
for p in $(pgrep -P "$SSHD_PID"); do kill "$p"; done
sleep 1
keys Q
see "after a drop: asked again on the lent terminal" "Enter passphrase for key"
keys 'open sesame' Enter
see "and the queue screen opens" "smadm - Queue"
keys q q
see "quits" "EXITED 0"

# Three wrong passphrases (the CLI): a clear error.
cat > "$T_TMP/pane.sh" <<'PANE'
trap '' INT
HOME=$THOME "$SMADM" $ARGS
echo "EXITED $?"
exec sleep 600
PANE
start "$H3" "-H smtest -r $dir daemon status"
for i in 1 2 3; do
	wait_for 10 sh -c "[ \$($TM capture-pane -p -t $s | grep -c 'Enter passphrase') -ge $i ]"
	keys "bad$i" Enter
done
see "three wrong passphrases: refused, naming the key" "wrong passphrase for key $H3/.ssh/id_ed25519, 3 times"
see "exit 1" "EXITED 1"

# The host's own password file never changed.
check "the host's /etc/shadow is untouched" test "$(sha256sum /etc/shadow)" = "$shadow_before"
check_not "the test hash is not in it" grep -qF "$(cut -d: -f2 "$SSH_DIR/smpw/shadow" | head -1)" /etc/shadow
finish
