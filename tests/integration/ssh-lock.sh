#!/bin/sh
# tests/integration/ssh-lock.sh -- the configuration lock over SSH is the
# host's own lock (same file, same flock), against a real sshd:
#  - a local "apply" waiting at its question (in tmux) holds it: "smadm -H
#    ... map set" is told "locked by pid N (smadm apply ...)" and changes
#    nothing; with the default wait it waits and goes through once the
#    apply is answered;
#  - the other way: "smadm -H ... apply" waiting at its question holds it
#    on the host, in the connection's "smadm remote serve" process there,
#    which /proc/locks shows holding the file; a local "map set" is refused naming it, and a
#    waiting one goes through after the answer;
#  - the SSH client killed (SIGKILL) while it holds the lock: the host's
#    lock is released (the channel closed), a local run goes through;
#  - the connection killed on the host's side under an "smadm -H apply"
#    holding the lock: once answered it stops ("lost while smadm held the
#    configuration lock") instead of reconnecting and installing the cf
#    unlocked;
#  - the lock's holder on the host killed, the connection kept: the same;
#  - without smadm on the host (--remote-smadm none) util-linux's flock(1)
#    takes the same lock: refused with the same message while the local
#    apply holds it, taken (and the holder line written) when free.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ssh-lib.sh"

ssh_start || { bad "private sshd did not start"; finish; exit 1; }
dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
rsm() { HOME=$T_HOME "$SMADM" -H smtest -r "$dir" "$@"; }
etc=$dir/etc
lock=$dir/.smadm/lock
TM="tmux -L smadm-test"

# pane NAME PIDFILE COMMAND...: run an smadm command on a terminal in
# tmux; its pid (exec) goes to PIDFILE, "EXITED rc" to the pane at the end.
pane() {
	_s=$1 _pf=$2; shift 2
	printf '%s\n' "echo \$\$ > $_pf" '"$@"' 'echo "EXITED $?"' \
	    'exec sleep 600' > "$T_TMP/$_s.sh"
	track_tmux "$_s"
	$TM new-session -d -s "$_s" -x 100 -y 30 env HOME="$T_HOME" \
	    TERM=screen sh "$T_TMP/$_s.sh" "$@"
}
asking() { $TM capture-pane -p -t "$1" | grep -q 'Install the new cf'; }
exited() { $TM capture-pane -p -t "$1" | grep -q 'EXITED'; }
flocked() {	# flocked PID: PID holds a flock on the lock file
	grep -q "FLOCK .* $1 [0-9a-f:]*:$(stat -c %i "$lock") " /proc/locks
}

# local_holds TAG RUN WHAT: a local apply waits at its question holding the
# lock; "RUN map set" over SSH (RUN: rsm, through the connection's smadm,
# or nrsm, through flock(1)) is refused with a short wait and names the
# holder, waits with the default one, and goes through when the apply ends.
local_holds() {
	tag=$1 run=$2 what=$3
	sm mc set confSMTP_LOGIN_MSG "\$j $tag ESMTP" > /dev/null
	pane "$tag-$$" "$T_TMP/$tag.pid" "$SMADM" -r "$dir" apply
	check "local apply waits at its question ($what)" wait_for 20 asking "$tag-$$"
	holder=$(cut -f1 "$lock")
	cp "$etc/access" "$T_TMP/access.before"
	SMADM_LOCK_WAIT=1 $run map set access "From:$tag-late.example" OK \
	    > "$T_TMP/$tag-late.out" 2>&1
	rc=$?
	check "$what: refused while a local smadm holds the lock" test "$rc" -ne 0
	check "$what: it names the local holder: locked by pid $holder (smadm apply since ...)" \
	    grep -q "$lock: locked by pid $holder (smadm apply since .*); waited 1 s" "$T_TMP/$tag-late.out"
	check "$what: and changed nothing on the host" cmp "$T_TMP/access.before" "$etc/access"
	$run map set access "From:$tag-waited.example" OK > "$T_TMP/$tag-wait.out" 2>&1 &
	waiter=$!
	track_pid "$waiter"
	sleep 1
	check "$what: with the default wait it is still waiting" kill -0 "$waiter"
	check_not "$what: and has not written yet" grep -q "$tag-waited" "$etc/access"
	$TM send-keys -t "$tag-$$" y Enter
	check "the local apply finishes" wait_for 30 exited "$tag-$$"
	wait "$waiter"
	check "$what: then it goes through" grep -q "^From:$tag-waited.example	OK" "$etc/access"
}

# --- a local apply holds the lock; smadm over SSH waits or is refused
local_holds lock1 rsm "smadm -H"

# --- smadm -H apply holds the lock on the host; local runs wait for it
sm mc set confSMTP_LOGIN_MSG '$j lock2 ESMTP' > /dev/null
pane "lk2-$$" "$T_TMP/lk2.pid" "$SMADM" -H smtest -r "$dir" apply
check "smadm -H apply waits at its question" wait_for 30 asking "lk2-$$"
rholder=$(cut -f1 "$lock")
check "the holder on the host is the connection's \"smadm remote serve\"" \
    sh -c "tr '\\0' ' ' < /proc/$rholder/cmdline | grep -q ' remote serve'"
check "which holds flock() on the lock file" flocked "$rholder"
cp "$etc/access" "$T_TMP/access.before"
SMADM_LOCK_WAIT=1 sm map set access From:local-late.example OK \
    > "$T_TMP/llate.out" 2>&1
rc=$?
check "a local map set fails while smadm -H holds the lock" test "$rc" -ne 0
check "it names the holder: locked by pid $rholder (smadm apply since ...)" \
    grep -q "locked by pid $rholder (smadm apply since " "$T_TMP/llate.out"
check "and changed nothing" cmp "$T_TMP/access.before" "$etc/access"
SMADM_LOCK_WAIT=1 rsm map set access From:remote2-late.example OK \
    > "$T_TMP/r2late.out" 2>&1
check "a second smadm -H is refused too" \
    grep -q "locked by pid $rholder (smadm apply since " "$T_TMP/r2late.out"
sm map set access From:local-waited.example OK > "$T_TMP/lwait.out" 2>&1 &
waiter=$!
track_pid "$waiter"
sleep 1
check "a local map set with the default wait is still waiting" kill -0 "$waiter"
$TM send-keys -t "lk2-$$" y Enter
check "smadm -H apply finishes" wait_for 30 exited "lk2-$$"
check "and applied" sh -c "$TM capture-pane -p -t lk2-$$ | grep -q 'EXITED 0'"
wait "$waiter"
check "then the local map set goes through" grep -q '^From:local-waited.example	OK' "$etc/access"
check_not "no process on the host holds the lock any more" flocked "$rholder"

# --- the SSH client dies while it holds the lock: the host lets it go
sm mc set confSMTP_LOGIN_MSG '$j lock3 ESMTP' > /dev/null
pane "lk3-$$" "$T_TMP/lk3.pid" "$SMADM" -H smtest -r "$dir" apply
check "smadm -H apply waits at its question again" wait_for 30 asking "lk3-$$"
rholder=$(cut -f1 "$lock")
check "its helper holds the lock" flocked "$rholder"
client=$(pgrep -P "$(cat "$T_TMP/lk3.pid")")
check "the client ($client) is smadm -H apply" \
    sh -c "tr '\\0' ' ' < /proc/$client/cmdline | grep -q ' -H smtest .* apply'"
kill -KILL "$client"
check "the host's lock is released when the connection drops" \
    wait_for 10 sh -c "! grep -q 'FLOCK .* $rholder ' /proc/locks"
SMADM_LOCK_WAIT=10 sm map set access From:after-drop.example OK \
    > "$T_TMP/drop.out" 2>&1
check "a local map set goes through after the drop" \
    grep -q '^From:after-drop.example	OK' "$etc/access"

# --- the connection drops under a running smadm -H that holds the lock:
# it stops instead of reconnecting and writing without the lock
sm mc set confSMTP_LOGIN_MSG '$j lock5 ESMTP' > /dev/null
pane "lk5-$$" "$T_TMP/lk5.pid" "$SMADM" -H smtest -r "$dir" apply
check "smadm -H apply waits at its question (drop test)" wait_for 30 asking "lk5-$$"
rholder=$(cut -f1 "$lock")
cp "$etc/sendmail.cf" "$T_TMP/cf.before"
# The connection's sshd processes (children of the test's sshd) die.
for p in $(pgrep -P "$SSHD_PID"); do kill -KILL "$p"; done
check "the host's lock went with the connection" \
    wait_for 10 sh -c "! grep -q 'FLOCK .* $rholder ' /proc/locks"
$TM send-keys -t "lk5-$$" y Enter
check "smadm -H apply ends" wait_for 30 exited "lk5-$$"
$TM capture-pane -p -J -t "lk5-$$" -S -50 > "$T_TMP/lk5.screen"
check_not "with a failure, not EXITED 0" grep -q 'EXITED 0' "$T_TMP/lk5.screen"
check "saying the lock was lost with the connection" \
    grep -Eq 'lost while smadm held the configuration lock|configuration lock on smtest went away' "$T_TMP/lk5.screen"
check "the cf was not installed without the lock" cmp "$T_TMP/cf.before" "$etc/sendmail.cf"
check "the next smadm -H connects again and takes the lock" \
    rsm map set access From:after-reconnect.example OK

# --- only the process holding the lock on the host dies (the connection
# stays): smadm -H does not go on unlocked either
sm mc set confSMTP_LOGIN_MSG '$j lock6 ESMTP' > /dev/null
pane "lk6-$$" "$T_TMP/lk6.pid" "$SMADM" -H smtest -r "$dir" apply
check "smadm -H apply waits at its question (holder test)" wait_for 30 asking "lk6-$$"
rholder=$(cut -f1 "$lock")
cp "$etc/sendmail.cf" "$T_TMP/cf.before"
check "the holder $rholder holds the lock" flocked "$rholder"
kill -KILL "$rholder"
$TM send-keys -t "lk6-$$" y Enter
check "smadm -H apply ends after its holder died" wait_for 30 exited "lk6-$$"
$TM capture-pane -p -J -t "lk6-$$" -S -50 > "$T_TMP/lk6.screen"
check_not "with a failure" grep -q 'EXITED 0' "$T_TMP/lk6.screen"
check "saying the lock went away" \
    grep -q 'configuration lock on smtest went away' "$T_TMP/lk6.screen"
check "the cf was not installed" cmp "$T_TMP/cf.before" "$etc/sendmail.cf"

# --- no smadm on the host: flock(1) takes the same lock
nrsm() { HOME=$T_HOME "$SMADM" -H smtest --remote-smadm none -r "$dir" "$@"; }
local_holds lock4 nrsm "without a remote smadm (flock(1))"
check "and emptied its holder line when it released the lock" \
    test ! -s "$lock"
finish
