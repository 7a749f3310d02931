#!/bin/sh
# tests/integration/concurrency.sh -- two smadm at once never lose an
# update, and smadm and sendmail's own tools wait for each other's locks:
#  - rounds of concurrent "map set" of different keys by several real smadm
#    processes: every key is in the table at the end, the text parses;
#  - an "apply" waiting at its question (in tmux, so it has a terminal)
#    holds the configuration lock: a second smadm is told "locked by pid N
#    (smadm apply ...)" and changes nothing; once the first is answered,
#    the second goes through;
#  - makemap holding its flock on access.db (a real makemap writing a big
#    map) makes "smadm map build access" wait until it is done, and
#    "sendmail -bi" holding the aliases file's flock (flock(1), then a real
#    sendmail -bi of 100,000 aliases) makes "smadm map build aliases" wait;
#    the final maps are whole and readable by sendmail;
#  - a real queue run holding a message's lock: "queue delete" says busy.
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
etc=$dir/etc

# --- concurrent map set: 4 writers x 25 keys, 3 rounds
rounds=3 writers=4 keys=25 lost=0 failed=0
r=0
while [ $r -lt $rounds ]; do
	w=0
	pids=""
	while [ $w -lt $writers ]; do
		(
			k=0
			while [ $k -lt $keys ]; do
				"$SMADM" -r "$dir" map set access \
				    "From:r$r-w$w-k$k.example" REJECT \
				    > /dev/null 2>> "$T_TMP/set.err" || echo x >> "$T_TMP/set.fail"
				k=$((k + 1))
			done
		) &
		pids="$pids $!"
		w=$((w + 1))
	done
	for p in $pids; do wait "$p"; done
	w=0
	while [ $w -lt $writers ]; do
		k=0
		while [ $k -lt $keys ]; do
			grep -q "^From:r$r-w$w-k$k\.example	" "$etc/access" ||
			    lost=$((lost + 1))
			k=$((k + 1))
		done
		w=$((w + 1))
	done
	r=$((r + 1))
done
[ -f "$T_TMP/set.fail" ] && failed=$(wc -l < "$T_TMP/set.fail")
total=$((rounds * writers * keys))
check "$total concurrent map set runs ($writers at a time): none failed ($failed)" test "$failed" -eq 0
check "$total concurrent map set runs: no key lost ($lost lost)" test "$lost" -eq 0
check "the table has each key once" test "$(grep -c '^From:r[0-9]*-w' "$etc/access")" -eq "$total"
check "map check accepts the table" sm map check access
check "no temporary file left" sh -c "! ls -a '$etc' | grep -q 'smadm-'"

# --- a second smadm is told who holds the lock
TM="tmux -L smadm-test"
s="smadm-conc-$$"
sm mc set confSMTP_LOGIN_MSG '$j conc ESMTP' > /dev/null
cat > "$T_TMP/pane.sh" <<'EOF'
"$SMADM" -r "$DIR" apply
echo "EXITED $?"
exec sleep 600
EOF
track_tmux "$s"
$TM new-session -d -s "$s" -x 100 -y 30 env SMADM="$SMADM" DIR="$dir" \
    TERM=screen sh "$T_TMP/pane.sh"
asking() { $TM capture-pane -p -t "$s" | grep -q 'Install the new cf'; }
check "apply waits at its question" wait_for 20 asking
holder=$(cut -f1 "$dir/.smadm/lock")
cp "$etc/access" "$T_TMP/access.before"
SMADM_LOCK_WAIT=1 "$SMADM" -r "$dir" map set access From:late.example OK \
    > "$T_TMP/late.out" 2>&1
rc=$?
check "the second smadm fails while the first holds the lock" test "$rc" -ne 0
check "it names the holder: locked by pid $holder (smadm apply ...)" \
    grep -q "locked by pid $holder (smadm apply since " "$T_TMP/late.out"
check "holder $holder is the waiting smadm" sh -c "tr '\\0' ' ' < /proc/$holder/cmdline | grep -q ' apply'"
check "and changed nothing" cmp "$T_TMP/access.before" "$etc/access"
"$SMADM" -r "$dir" map set access From:waited.example OK > "$T_TMP/wait.out" 2>&1 &
waiter=$!
sleep 0.5
check "a second smadm without a short wait is still waiting" kill -0 "$waiter"
$TM send-keys -t "$s" y Enter
done_apply() { $TM capture-pane -p -t "$s" | grep -q 'EXITED'; }
check "the first smadm finishes" wait_for 30 done_apply
wait "$waiter"
check "then the waiting one goes through" grep -q '^From:waited.example	OK' "$etc/access"

# --- makemap's lock on the .db: smadm waits for it
python3 - "$T_TMP/big" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(300000):
        f.write("From:mm%d.example\tREJECT\n" % i)
PY
( /usr/sbin/makemap -C "$etc/sendmail.cf" hash "$etc/access" < "$T_TMP/big"
  date +%s%N > "$T_TMP/makemap.end" ) &
mm=$!
# Wait until makemap holds its flock on access.db.
mm_locked() {
	ino=$(stat -c %i "$etc/access.db")
	grep -q "FLOCK .*:$ino " /proc/locks
}
if wait_for 10 mm_locked; then
	sm map build access > "$T_TMP/build.out" 2>&1
	date +%s%N > "$T_TMP/smadm.end"
	wait "$mm"
	check "smadm map build finished after makemap released its lock" \
	    test "$(cat "$T_TMP/smadm.end")" -gt "$(cat "$T_TMP/makemap.end")"
	check "the map is smadm's build (makemap's records replaced)" sh -c \
	    "/usr/sbin/makemap -C '$etc/sendmail.cf' -u hash '$etc/access' | grep -q '^from:waited.example' &&
	     ! /usr/sbin/makemap -C '$etc/sendmail.cf' -u hash '$etc/access' | grep -q '^from:mm5.example'"
else
	wait "$mm"
	bad "makemap was never seen holding its lock (too fast?)"
fi
# And the other way: smadm holds the lock (flock(1) stands in for a long
# build), makemap waits and then writes its map into the same file.
flock -x "$etc/access.db" sleep 1 &
fl=$!
sleep 0.2
t0=$(date +%s%N)
/usr/sbin/makemap -C "$etc/sendmail.cf" hash "$etc/access" < "$T_TMP/big"
t1=$(date +%s%N)
wait "$fl"
check "makemap waited for the flock on access.db ($(( (t1 - t0) / 1000000 )) ms)" \
    test $(( (t1 - t0) / 1000000 )) -ge 700

# --- sendmail -bi's lock on the aliases text
flock -x "$etc/aliases" sleep 1 &
fl=$!
sleep 0.2
echo "concurrent: root" >> "$etc/aliases"
t0=$(date +%s%N)
sm map build aliases > "$T_TMP/al.out" 2>&1
t1=$(date +%s%N)
wait "$fl"
check "smadm map build aliases waited for the flock on the aliases file ($(( (t1 - t0) / 1000000 )) ms)" \
    test $(( (t1 - t0) / 1000000 )) -ge 700
printf '/map Alias0 concurrent\n' | sm sandbox exec /usr/sbin/sendmail -C "$etc/sendmail.cf" -bt > "$T_TMP/al.bt" 2>&1
check "sendmail finds the new alias" grep -q 'returns root' "$T_TMP/al.bt"
# And a real "sendmail -bi" rebuilding 100,000 aliases holds that flock
# too: smadm's build ends after it.
python3 - "$etc/aliases" <<'PY'
import sys
with open(sys.argv[1], "a") as f:
    for i in range(100000):
        f.write("bi%d: root\n" % i)
PY
( sm sandbox exec /usr/sbin/sendmail -C "$etc/sendmail.cf" -bi > "$T_TMP/bi.out" 2>&1
  date +%s%N > "$T_TMP/bi.end" ) &
bi=$!
al_locked() { grep -q "FLOCK .*:$(stat -c %i "$etc/aliases") " /proc/locks; }
if wait_for 10 al_locked; then
	sm map build aliases > "$T_TMP/al2.out" 2>&1
	date +%s%N > "$T_TMP/al2.end"
	wait "$bi"
	# bi.end is stamped after the smadm that ran sendmail -bi has seen it
	# exit, a little after the release: 0.5 s of slack, far less than
	# the seconds sendmail takes to build 100,000 aliases.
	check "smadm map build aliases ended after sendmail -bi released the aliases file" \
	    test "$(( $(cat "$T_TMP/al2.end") + 500000000 ))" -gt "$(cat "$T_TMP/bi.end")"
	printf '/map Alias0 bi99999\n' | sm sandbox exec /usr/sbin/sendmail -C "$etc/sendmail.cf" -bt > "$T_TMP/al2.bt" 2>&1
	check "the aliases map is whole (the last alias is found)" grep -q 'returns root' "$T_TMP/al2.bt"
else
	wait "$bi"
	bad "sendmail -bi was never seen holding the aliases file's lock"
fi

# --- a queue run vs "queue delete": sendmail's flock on the qf file
tarpit_port=$(free_port)
qdir=$(new_sandbox --dead-port "$tarpit_port") || { bad "sandbox create"; finish; exit 1; }
# A server that accepts and never greets: the delivery attempt waits,
# holding the message's lock.
python3 - "$tarpit_port" > "$T_TMP/tarpit.out" 2>&1 <<'PY' &
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(5)
print("listening", flush=True)
conns = []
while True:
    c, _ = s.accept()
    conns.append(c)
PY
tarpit=$!
track_pid "$tarpit"
wait_for 10 grep -q listening "$T_TMP/tarpit.out"
qcf=$qdir/etc/sendmail.cf
printf 'Subject: slow\n\nbody\n' | "$SMADM" -r "$qdir" sandbox exec /usr/sbin/sendmail \
    -C "$qcf" -odq -f a@vm.sandbox.example slow@deferred.example
qid=$(ls "$qdir/queue" | sed -n 's/^qf//p' | head -1)
"$SMADM" -r "$qdir" sandbox exec /usr/sbin/sendmail -C "$qcf" -qI"$qid" \
    > "$T_TMP/qrun.out" 2>&1 &
qrun=$!
track_pid "$qrun"
qf_locked() { grep -q "FLOCK .*:$(stat -c %i "$qdir/queue/qf$qid") " /proc/locks; }
check "the queue run holds the lock of $qid" wait_for 20 qf_locked
"$SMADM" -y -r "$qdir" queue delete "$qid" > "$T_TMP/qdel.out" 2>&1
check "queue delete during the queue run: busy, not deleted" \
    grep -q "$qid: busy, not deleted" "$T_TMP/qdel.out"
check "the message is still there, qf and df" \
    test -f "$qdir/queue/qf$qid" -a -f "$qdir/queue/df$qid"
kill "$tarpit"
wait "$tarpit" 2>/dev/null
wait_for 30 sh -c "! kill -0 $qrun 2>/dev/null"
# sendmail -qI forks its queue runner: the run is over when its lock is.
qf_free() { ! qf_locked; }
wait_for 30 qf_free
check "after the queue run gave up, queue delete deletes it" sh -c \
    "'$SMADM' -y -r '$qdir' queue delete '$qid' | grep -q '$qid: deleted'"
check "qf and df are gone" test ! -e "$qdir/queue/qf$qid" -a ! -e "$qdir/queue/df$qid"

# --- a lock held by a process that wrote no holder line (flock(1)).
# smadm empties its line when it releases the lock, so a living smadm
# (a console still running) is never named for a lock it does not hold.
sm map set access From:stale.example OK > /dev/null 2>&1 ||
    bad "map set before the flock(1) case"
check "released: the lock file names no holder" test ! -s "$dir/.smadm/lock"
flock -o "$dir/.smadm/lock" sleep 20 &
fl=$!
track_pid "$fl"
wait_for 5 sh -c "grep -q FLOCK /proc/locks && ! flock -n '$dir/.smadm/lock' true"
SMADM_LOCK_WAIT=0 sm map set access From:stale2.example OK > "$T_TMP/free.out" 2>&1
check "held by flock(1): refused" test $? -ne 0
check "an empty holder line: who is not known, and fuser tells" \
    grep -q "locked by a process that did not say who it is (fuser -v" "$T_TMP/free.out"
# The line a killed smadm left (it never released): a pid that has ended.
sh -c 'exit 0' & last=$!; wait "$last"
printf '%s\tmap set\t2026-01-01T00:00:00\n' "$last" > "$dir/.smadm/lock"
SMADM_LOCK_WAIT=0 sm map set access From:stale2.example OK > "$T_TMP/stale.out" 2>&1
check "held by flock(1) after a dead smadm: refused" test $? -ne 0
check "not named as held by the ended pid $last" \
    grep -q "locked by a process that did not say who it is" "$T_TMP/stale.out"
check "it says the named pid has ended" grep -q "which has ended" "$T_TMP/stale.out"
# A line naming a living process that is no smadm (the pid used again).
sleep 30 & other=$!
track_pid "$other"
printf '%s\tmap set\t2026-01-01T00:00:00\n' "$other" > "$dir/.smadm/lock"
SMADM_LOCK_WAIT=0 sm map set access From:stale3.example OK > "$T_TMP/other.out" 2>&1
check "a living pid that is no smadm is not named as the holder" \
    grep -q "locked by a process that did not say who it is" "$T_TMP/other.out"
kill "$other" 2>/dev/null
pkill -P "$fl" 2>/dev/null; kill "$fl" 2>/dev/null
finish
