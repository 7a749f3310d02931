# tests/tui/ssh-firstframe.sh -- over SSH too the first frame does not
# wait for sendmail.  The remote profile's sendmail is a root-owned script
# that sleeps 12 s before it runs the real one (as sendmail stalls on an
# unqualified host name).  The console (smadm -H over a private sshd) must
# show the dashboard within a few seconds with the version "checking...",
# answer ? meanwhile, and show the version later with why it was slow:
# the check runs in a child over a second connection.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"
. "$(dirname "$0")/../ssh-lib.sh"

tui_need_tmux
ssh_start || { bad "private sshd did not start"; finish; exit 1; }
# The login shell says something on stderr before every command (a
# ~/.bashrc that echoes): nothing here may depend on stderr being quiet.
printf '%s\n' 'echo "noise from the login shell" >&2' > "$T_TMP/noise.sh"
echo "SetEnv BASH_ENV=$T_TMP/noise.sh" >> "$SSH_DIR/sshd_config"
kill -HUP "$SSHD_PID"
sleep 1
wait_for 10 port_listening "$SSH_PORT" || { bad "sshd did not come back"; finish; exit 1; }
dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
# A root-owned directory only root can write, so the trust checks pass.
bin=$T_TMP/slowbin
mkdir -m 755 "$bin" || { bad "mkdir $bin"; finish; exit 1; }
cat > "$bin/sendmail" <<'EOS'
#!/bin/sh
sleep 12
exec /usr/sbin/sendmail "$@"
EOS
chmod 755 "$bin/sendmail"
sed -i "s|^sendmail = .*|sendmail = $bin/sendmail|" "$dir/smadm.conf"
check "the login shell is noisy" sh -c "HOME='$T_HOME' '$SMADM' -H smtest -r '$dir' sandbox exec /bin/true 2>&1 | grep -q 'noise from the login shell'"
check "the profile names the slow sendmail" grep -qx "sendmail = $bin/sendmail" "$dir/smadm.conf"

cat > "$T_TMP/pane.sh" <<'PANE'
trap '' INT
HOME=$THOME "$SMADM" -H smtest -r "$DIR"
echo "EXITED $?"
exec sleep 600
PANE
s="smadm-sshff-$$"
track_tmux "$s"
start=$(date +%s)
$TM new-session -d -s "$s" -x 100 -y 30 env SMADM="$SMADM" DIR="$dir" \
    THOME="$T_HOME" LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen sh "$T_TMP/pane.sh"

see "the dashboard over SSH within 6 s" "smadm - Dashboard" 6
see "the version shows checking" "Version       checking..." 2
check "before the slow sendmail could answer" \
    sh -c "[ \$((\$(date +%s) - $start)) -lt 12 ]"
keys '?'
see "? opens help while sendmail is still asked" "smadm - Help" 3
keys q
see "back on the dashboard" "smadm - Dashboard" 3
see "the version arrives later" "Version       sendmail 8." 40
see "the dashboard says why it was slow" "unqualified host name or slow DNS" 3
# Esc reaches a program run over SSH: a signal on the channel (sshd passes
# it to the program, which the command line exec'd).
sleeping() { pgrep -f '^/bin/sleep 4078$' >/dev/null; }
keys : "sandbox exec /bin/sleep 4078" Enter
check "the program runs on the host" wait_for 10 sleeping
keys Escape
see "Esc stops it over SSH" "sandbox exec: /bin/sleep stopped: cancelled (Esc)" 10
check "the program is gone on the host" sh -c "! pgrep -f '^/bin/sleep 4078\$'"
check "the marker line is not shown" sh -c "! $TM capture-pane -p -t '$s' | grep -q smadm-pid"
# The login shell's noise is the program's stderr: shown in a pager.
see "the output in a pager" "noise from the login shell"
keys q
see "back on the dashboard" "smadm - Dashboard" 3
keys q
see "q quits" "EXITED 0" 5
finish
