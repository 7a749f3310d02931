# tests/tui/firstframe.sh -- the first frame does not wait for sendmail.
# The profile's sendmail is a script that sleeps 15 s before it runs the
# real one (as sendmail itself stalls on an unqualified host name or slow
# DNS, without touching DNS here).  The dashboard must be on screen at
# once with the version "checking...", ? must open help meanwhile, and
# the version must appear later with a note on why it was slow.  A
# second console, side by side, whose sendmail sleeps past the 30 s
# timeout: it must say that it timed out and why that usually happens.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

tui_need_tmux

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
dir2=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }

# A root-owned directory only root can write, so the trust checks pass.
bin=$T_TMP/slowbin
mkdir -m 755 "$bin" || { bad "mkdir $bin"; finish; exit 1; }
cat > "$bin/sendmail" <<'EOS'
#!/bin/sh
sleep 15
exec /usr/sbin/sendmail "$@"
EOS
sed 's/sleep 15/sleep 60/' "$bin/sendmail" > "$bin/sendmail-stuck"
chmod 755 "$bin/sendmail" "$bin/sendmail-stuck"
sed -i "s|^sendmail = .*|sendmail = $bin/sendmail|" "$dir/smadm.conf"
sed -i "s|^sendmail = .*|sendmail = $bin/sendmail-stuck|" "$dir2/smadm.conf"
check "the profile names the slow sendmail" grep -qx "sendmail = $bin/sendmail" "$dir/smadm.conf"

cat > "$T_TMP/pane.sh" <<'EOS'
trap '' INT
"$SMADM" -r "$DIR"
echo "EXITED $?"
exec sleep 600
EOS
s="smadm-firstframe-$$"
track_tmux "$s"
s2="smadm-firstframe2-$$"
track_tmux "$s2"
start=$(date +%s)
$TM new-session -d -s "$s" -x 100 -y 30 env SMADM="$SMADM" DIR="$dir" \
    LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen sh "$T_TMP/pane.sh"
$TM new-session -d -s "$s2" -x 100 -y 30 env SMADM="$SMADM" DIR="$dir2" \
    LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen sh "$T_TMP/pane.sh"
see() {	# see WHAT SECONDS TEXT
	if wait_for "$2" has "$3"; then ok "$1"
	else bad "$1: \"$3\" not on the screen within $2 s"; screen | sed 's/^/      | /'; fi
}

see "the dashboard is on screen within 2 s" 2 "smadm - Dashboard"
see "the version shows checking" 2 "Version       checking..."
see "the audit score is already shown" 2 "Audit         score "
keys '?'
see "? opens help while sendmail is still asked" 3 "smadm - Help"
keys q
see "back on the dashboard" 3 "smadm - Dashboard"
check "still checking after the help" has "checking..."
# The audit asks the same slow sendmail: it runs as a job, the screen
# comes at once and answers keys, the findings come when sendmail has.
keys A
see "A: the audit screen within 2 s" 2 "smadm - Security audit"
see "it says it is checking" 2 "checking ..."
keys '?'
see "? opens help while the audit runs" 3 "smadm - Help"
keys q
see "the findings come when sendmail has answered" 40 "Score "
keys q
see "back on the dashboard" 3 "smadm - Dashboard"
see "the version arrives later" 40 "Version       sendmail 8."
check "the answer came after the script's 15 s" sh -c "[ \$((\$(date +%s) - $start)) -ge 14 ]"
see "the dashboard says why it was slow" 3 "unqualified host name or slow DNS"
check_not "no checking left" has "checking..."
keys q
see "q quits" 5 "EXITED 0"

# --- the stuck one: checking until the timeout, then why
s=$s2
check "the second console is still checking" has "Version       checking..."
see "after 30 s it says it timed out" 25 "Version       timed out after 3"
see "and why that usually happens" 2 "usually unqualified host name or slow DNS"
check "no sleeping sendmail script left" sh -c "! pgrep -f '$bin/[s]endmail-stuck' >/dev/null"
keys q
see "q quits the second" 5 "EXITED 0"
finish
