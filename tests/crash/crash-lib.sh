# tests/crash/crash-lib.sh -- crash injection: smadm killed with SIGKILL at
# random points of map builds, aliases rebuilds, table edits, apply, cf
# install and queue actions, against a real sandbox.  Sourced (after
# tests/lib.sh) by tests/integration/crash.sh (a short run) and
# bench/crash.sh (hundreds of kills).
#
# Two ways to kill, alternating:
#   point	SMADM_CRASH_AT=N (backend/crash.h): smadm raises SIGKILL at
#		its Nth write/fsync/rename/unlink/run/kill step; N is random
#		in 1..P, P counted once per scenario with SMADM_CRASH_TRACE.
#   delay	smadm started in the background and kill -9'd after a random
#		delay up to the duration of one run (microsecond steps).
# After each kill, per file: byte-identical to its state before or to the
# state the next, uninterrupted, run leaves (cf: ignoring the "#####"
# stamp lines); each .db: its records (makemap -u) those of before or
# after, and sendmail -bt's lookup of a changed key gives the old or new
# value; the daemon (apply) answers with the old or new greeting.  The
# next run must succeed, report any recovery, and leave no temporary
# file (*.smadm-*, __db.*, backups/*.tmp, apply-pending, *.smadm-new).
#
# Counters: C_EXEC (smadm runs), C_KILL (runs that died of SIGKILL),
# C_RECOVER (next runs that reported a recovery).

C_EXEC=0
C_KILL=0
C_RECOVER=0
C_ORPHAN_DF=0

c_rand() {	# c_rand MAX: a random number in 0..MAX-1
	_rand_r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
	echo $(( _rand_r % $1 ))
}

# c_files: the sandbox's files that smadm may change, one per line
c_files() {
	find "$dir/etc" "$dir/.smadm/applied" -type f ! -name '*.db' \
	    ! -name '*.smadm-*' ! -name '*.smadm~' 2>/dev/null | sort
}
# c_snap NAME: copy those files (cf without stamps) and dumps of the maps
c_snap() {
	_snap_s="$T_TMP/snap.$1"
	rm -rf "$_snap_s"
	mkdir -p "$_snap_s"
	for _snap_f in $(c_files); do
		_snap_n=$(echo "$_snap_f" | tr / _)
		case $_snap_f in
		*.cf) grep -v '^#####' "$_snap_f" > "$_snap_s/$_snap_n" ;;
		*) cp "$_snap_f" "$_snap_s/$_snap_n" ;;
		esac
	done
	for _snap_f in "$dir"/etc/*.db; do
		[ -f "$_snap_f" ] || continue
		"$MAKEMAP" -C "$dir/etc/sendmail.cf" -u hash "${_snap_f%.db}" 2>&1 |
		    LC_ALL=C sort > "$_snap_s/$(echo "$_snap_f" | tr / _).dump"
	done
}
# c_compare: every file of snap.kill equals snap.old or snap.new
c_compare() {
	_compare_bad=0
	for _compare_f in "$T_TMP/snap.kill"/*; do
		_compare_b=$(basename "$_compare_f")
		if cmp -s "$_compare_f" "$T_TMP/snap.old/$_compare_b" 2>/dev/null ||
		    cmp -s "$_compare_f" "$T_TMP/snap.new/$_compare_b" 2>/dev/null; then
			continue
		fi
		echo "  $_compare_b is neither the old nor the new version:"
		diff "$T_TMP/snap.old/$_compare_b" "$_compare_f" 2>&1 | head -5
		_compare_bad=1
	done
	for _compare_f in "$T_TMP/snap.old"/*; do
		_compare_b=$(basename "$_compare_f")
		[ -e "$T_TMP/snap.kill/$_compare_b" ] || [ ! -e "$T_TMP/snap.new/$_compare_b" ] ||
		    { echo "  $_compare_b vanished"; _compare_bad=1; }
	done
	return $_compare_bad
}
# c_leftovers: temporary files a run left behind
c_leftovers() {
	find "$dir/etc" "$dir/.smadm" -maxdepth 2 \( -name '*.smadm-??????' \
	    -o -name '.*.smadm-??????' -o -name '__db.*' -o -name '*.tmp' \
	    -o -name 'apply-pending' -o -name '*.smadm-new' \) 2>/dev/null
}

# c_run_killed WHAT MODE POINTS USEC CMD...: run smadm, killed; counts
c_run_killed() {
	_run_killed_what=$1 _run_killed_mode=$2 _run_killed_points=$3 _run_killed_usec=$4
	shift 4
	C_EXEC=$((C_EXEC + 1))
	if [ "$_run_killed_mode" = point ]; then
		SMADM_CRASH_AT=$(( $(c_rand "$_run_killed_points") + 1 )) \
		    "$SMADM" "$@" > "$T_TMP/killed.out" 2>&1 < /dev/null
		_run_killed_rc=$?
	else
		"$SMADM" "$@" > "$T_TMP/killed.out" 2>&1 < /dev/null &
		_run_killed_pid=$!
		_run_killed_d=$(c_rand "$_run_killed_usec")
		sleep "$(printf '%d.%06d' $((_run_killed_d / 1000000)) $((_run_killed_d % 1000000)))"
		kill -9 "$_run_killed_pid" 2>/dev/null
		wait "$_run_killed_pid"
		_run_killed_rc=$?
	fi
	if [ "$_run_killed_rc" -eq 137 ]; then
		C_KILL=$((C_KILL + 1))
	elif [ "$_run_killed_rc" -ne 0 ]; then
		echo "  $_run_killed_what: exited $_run_killed_rc without being killed:"
		sed 's/^/    /' "$T_TMP/killed.out" | head -5
		return 1
	fi
	return 0
}

# c_points CMD...: how many crash points one run passes (it runs it)
c_points() {
	C_EXEC=$((C_EXEC + 1))
	_points_n=$(SMADM_CRASH_TRACE=1 "$SMADM" "$@" 2>&1 < /dev/null |
	    grep -c '^smadm: crash point')
	echo "$_points_n"
}
# c_usec CMD...: the duration of one run in microseconds (it runs it)
c_usec() {
	C_EXEC=$((C_EXEC + 1))
	_usec_t0=$(date +%s%N)
	"$SMADM" "$@" > /dev/null 2>&1 < /dev/null
	_usec_t1=$(date +%s%N)
	echo $(( (_usec_t1 - _usec_t0) / 1000 + 1 ))
}
# c_recover CMD...: the next run, uninterrupted; must succeed
c_recover() {
	C_EXEC=$((C_EXEC + 1))
	if ! "$SMADM" "$@" > "$T_TMP/recover.out" 2>&1 < /dev/null; then
		echo "  the next run failed:"
		sed 's/^/    /' "$T_TMP/recover.out" | head -8
		return 1
	fi
	if grep -q 'interrupted\|left by an\|half-made' "$T_TMP/recover.out"; then
		C_RECOVER=$((C_RECOVER + 1))
	fi
	return 0
}
# c_lookup MAP KEY: the value sendmail -bt finds, or "-"
c_lookup() {
	printf '/map %s %s\n' "$1" "$2" |
	    "$SMADM" -r "$dir" sandbox exec /usr/sbin/sendmail \
	    -C "$dir/etc/sendmail.cf" -bt 2>&1 |
	    sed -n 's/^\(> \)*map_lookup: .* returns \(.*\) ([0-9]*)$/\2/p;s/^\(> \)*map_lookup: .* no match.*/-/p' |
	    head -1
}
# c_greeting: the daemon's SMTP greeting (old or new config), or "none"
c_greeting() {
	python3 - "$port" <<'PY' 2>/dev/null || echo none
import socket, sys, time
for i in range(100):
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
        print(s.makefile().readline().strip())
        s.close()
        break
    except OSError:
        time.sleep(0.1)
else:
    print("none")
PY
}
# c_daemon_settled: the pid file names a live daemon that accepts
c_daemon_settled() {
	_daemon_settled_p=$(head -n1 "$dir/run/sendmail.pid" 2>/dev/null) || return 1
	[ -n "$_daemon_settled_p" ] && [ -d "/proc/$_daemon_settled_p" ] &&
	    ! grep -q '^State:[[:space:]]*Z' "/proc/$_daemon_settled_p/status" 2>/dev/null
}

# c_iter LABEL MODE POINTS USEC CHECK CMD...: one kill and its checks.
# CHECK is a function run after the kill (before the next run) that
# returns non-zero when the state is wrong.
c_iter() {
	_iter_label=$1 _iter_m=$2 _iter_p=$3 _iter_u=$4 _iter_check=$5
	shift 5
	_iter_rc=0
	c_snap old
	c_run_killed "$_iter_label" "$_iter_m" "$_iter_p" "$_iter_u" "$@" || _iter_rc=1
	c_snap kill
	$_iter_check kill || { echo "  $_iter_label: state after the kill is wrong"; _iter_rc=1; }
	c_recover "$@" || return 1
	c_snap new
	c_compare || _iter_rc=1
	$_iter_check new || { echo "  $_iter_label: state after the next run is wrong"; _iter_rc=1; }
	_iter_left=$(c_leftovers)
	if [ -n "$_iter_left" ]; then
		echo "  $_iter_label: left behind after the next run: $_iter_left"
		_iter_rc=1
	fi
	return $_iter_rc
}

# c_scenario LABEL KILLS CHECK PREP CMD...: KILLS iterations; PREP is run
# before each (it sets up the change the command makes).
c_scenario() {
	_scenario_label=$1 _scenario_kills=$2 _scenario_chk=$3 _scenario_prep=$4
	shift 4
	$_scenario_prep 0
	_scenario_pts=$(c_points "$@")
	$_scenario_prep 1
	_scenario_us=$(c_usec "$@")
	_scenario_fails=0 _scenario_i=0 _scenario_k0=$C_KILL
	while [ "$_scenario_i" -lt "$_scenario_kills" ]; do
		$_scenario_prep $((_scenario_i + 2))
		if [ $((_scenario_i % 2)) -eq 0 ]; then _scenario_mode=point; else _scenario_mode=delay; fi
		c_iter "$_scenario_label #$_scenario_i ($_scenario_mode)" "$_scenario_mode" "$_scenario_pts" "$_scenario_us" \
		    "$_scenario_chk" "$@" || _scenario_fails=$((_scenario_fails + 1))
		_scenario_i=$((_scenario_i + 1))
	done
	echo "crash: $_scenario_label: $_scenario_kills runs, $((C_KILL - _scenario_k0)) killed, crash points per run $_scenario_pts, run ${_scenario_us} us, $_scenario_fails failed"
	[ "$_scenario_fails" -eq 0 ]
}

# --- the scenarios -------------------------------------------------------

c_true() { return 0; }

# map build access: a 20000-line text edited between runs
c_prep_access() {
	python3 - "$T_TMP/access.orig" "$dir/etc/access" "$1" <<'PY'
import sys
orig = open(sys.argv[1]).read()
gen = int(sys.argv[3])
with open(sys.argv[2], "w") as f:
    f.write(orig)
    for j in range(20000):
        f.write("From:crash%d.example\t%s\n" % (j, "REJECT" if (j + gen) % 2 else "DISCARD"))
    f.write("From:gen.example\tERROR:5.7.1:550 generation %d\n" % gen)
PY
}
c_check_access() {
	_check_access_v=$(c_lookup access From:crash7.example)
	case $1 in
	kill) [ "$_check_access_v" = REJECT ] || [ "$_check_access_v" = DISCARD ] ;;
	new) [ "$_check_access_v" = "$(sed -n 's/^From:crash7\.example\t//p' "$dir/etc/access")" ] ;;
	esac
}

# map build aliases
c_prep_aliases() {
	python3 - "$T_TMP/aliases.orig" "$dir/etc/aliases" "$1" <<'PY'
import sys
orig = open(sys.argv[1]).read()
gen = int(sys.argv[3])
with open(sys.argv[2], "w") as f:
    f.write(orig)
    for j in range(5000):
        f.write("crash%d: user%d, other%d\n" % (j, j + gen, j))
    f.write("crashgen: gen%d\n" % gen)
PY
}
c_check_aliases() {
	_check_aliases_v=$(c_lookup Alias0 crashgen)
	case $1 in
	kill) case $_check_aliases_v in gen*) return 0 ;; *) echo "  aliases lookup: $_check_aliases_v"; return 1 ;; esac ;;
	new) [ "$_check_aliases_v" = "$(sed -n 's/^crashgen: //p' "$dir/etc/aliases")" ] ;;
	esac
}

# map set: the edited text only
# map set: the text is reset first (with or without an unrelated line), so
# every run changes it
c_prep_set() {
	cp "$T_TMP/access.orig" "$dir/etc/access"
	[ $(($1 % 2)) -eq 0 ] || echo "From:other.example	OK" >> "$dir/etc/access"
}

# apply: the mc's greeting alternates; the daemon must follow
c_prep_apply() {
	C_GEN=$1
	"$SMADM" -r "$dir" mc set confSMTP_LOGIN_MSG "\$j crash$1 ESMTP" > /dev/null
}
c_check_apply() {
	wait_for 20 c_daemon_settled || { echo "  no daemon after the kill"; return 1; }
	_check_apply_g=$(c_greeting)
	_check_apply_cfmsg=$(sed -n 's/^O SmtpGreetingMessage=\$j \(crash[0-9]*\) ESMTP$/\1/p' "$dir/etc/sendmail.cf")
	case $1 in
	kill)
		if [ -f "$dir/.smadm/apply-pending" ] &&
		    ! "$SMADM" -r "$dir" status 2>&1 | grep -q '^interrupted: '; then
			echo "  status does not report the interrupted apply"
			return 1
		fi
		case $_check_apply_g in
		*" crash$((C_GEN - 1)) ESMTP"*|*" crash$C_GEN ESMTP"*) return 0 ;;
		esac
		echo "  greeting after the kill: $_check_apply_g"; return 1 ;;
	new)
		case $_check_apply_g in *" crash$C_GEN ESMTP"*) ;; *)
			echo "  greeting after the next run: $_check_apply_g (want crash$C_GEN)"; return 1 ;;
		esac
		[ "$_check_apply_cfmsg" = "crash$C_GEN" ] || { echo "  cf says $_check_apply_cfmsg"; return 1; } ;;
	esac
}

# queue hold / release / delete of one message
c_queue_msg() {	# queue one message, print its id
	printf 'Subject: crash %s\n\nbody\n' "$1" |
	    "$SMADM" -r "$dir" sandbox exec /usr/sbin/sendmail -C "$dir/etc/sendmail.cf" \
	    -odq -f crash@vm.sandbox.example "c$1@deferred.example" >/dev/null 2>&1
	ls -t "$dir/queue" | sed -n 's/^qf//p' | head -1
}
c_qstate() {	# q, h or - for the message $QID
	if [ -f "$dir/queue/qf$QID" ]; then echo q
	elif [ -f "$dir/queue/hf$QID" ]; then echo h
	else echo -
	fi
}
c_sendmail_gone() { ! pgrep -f -- "-qI$QID" > /dev/null; }

# c_queue LABEL KILLS: hold, release and delete of queued messages, killed
c_queue() {
	_queue_kills=$2 _queue_i=0 _queue_fails=0 _queue_k0=$C_KILL
	QID=$(c_queue_msg p0)
	_queue_ph=$(c_points -y -r "$dir" queue hold "$QID")
	_queue_pr=$(c_points -y -r "$dir" queue release "$QID")
	_queue_uh=$(c_usec -y -r "$dir" queue hold "$QID")
	_queue_ur=$(c_usec -y -r "$dir" queue release "$QID")
	while [ "$_queue_i" -lt "$_queue_kills" ]; do
		if [ $((_queue_i % 2)) -eq 0 ]; then _queue_mode=point; else _queue_mode=delay; fi
		case $((_queue_i % 3)) in
		0) _queue_act=hold _queue_from=q _queue_to=h _queue_p=$_queue_ph _queue_u=$_queue_uh ;;
		1) _queue_act=release _queue_from=h _queue_to=q _queue_p=$_queue_pr _queue_u=$_queue_ur ;;
		2) _queue_act=delete _queue_from=q _queue_to=- _queue_p=4 _queue_u=$_queue_ur ;;
		esac
		if [ "$(c_qstate)" != "$_queue_from" ]; then
			echo "  queue: $QID is $(c_qstate), not $_queue_from before $_queue_act"
			_queue_fails=$((_queue_fails + 1))
			QID=$(c_queue_msg "n$_queue_i")
			_queue_i=$((_queue_i + 1))
			continue
		fi
		c_run_killed "queue $_queue_act" "$_queue_mode" "$_queue_p" "$_queue_u" \
		    -y -r "$dir" queue "$_queue_act" "$QID" || _queue_fails=$((_queue_fails + 1))
		wait_for 20 c_sendmail_gone
		_queue_st=$(c_qstate)
		if [ "$_queue_st" != "$_queue_from" ] && [ "$_queue_st" != "$_queue_to" ]; then
			echo "  queue $_queue_act #$_queue_i: $QID is $_queue_st after the kill"
			_queue_fails=$((_queue_fails + 1))
		fi
		if [ "$_queue_st" = q ] && [ ! -f "$dir/queue/df$QID" ]; then
			echo "  queue $_queue_act #$_queue_i: qf without its df"
			_queue_fails=$((_queue_fails + 1))
		fi
		if [ "$_queue_st" != - ]; then
			c_recover -y -r "$dir" queue "$_queue_act" "$QID" ||
			    _queue_fails=$((_queue_fails + 1))
			wait_for 20 c_sendmail_gone
			[ "$(c_qstate)" = "$_queue_to" ] || {
				echo "  queue $_queue_act #$_queue_i: $QID is $(c_qstate) after the next run"
				_queue_fails=$((_queue_fails + 1)); }
		fi
		if [ "$_queue_act" = delete ]; then
			[ -f "$dir/queue/df$QID" ] && C_ORPHAN_DF=$((C_ORPHAN_DF + 1))
			QID=$(c_queue_msg "n$_queue_i")
		fi
		_queue_i=$((_queue_i + 1))
	done
	echo "crash: $1: $_queue_kills runs, $((C_KILL - _queue_k0)) killed, crash points per run $_queue_ph/$_queue_pr, $_queue_fails failed"
	[ "$_queue_fails" -eq 0 ]
}

# c_check DESCRIPTION CMD...: like check, with the command's output shown
c_check() {
	_c_d=$1
	shift
	if "$@"; then ok "$_c_d"; else bad "$_c_d"; fi
}

# c_all KILLS: every scenario with KILLS runs (queue and map set: fewer)
c_all() {
	_all_n=$1
	dir=$(new_sandbox) || { bad "sandbox create"; return 1; }
	port=$(sed -n 's/^listen = 127\.0\.0\.1://p' "$dir/smadm.conf")
	MAKEMAP=/usr/sbin/makemap
	cp "$dir/etc/access" "$T_TMP/access.orig"
	cp "$dir/etc/aliases" "$T_TMP/aliases.orig"
	"$SMADM" -r "$dir" daemon start > /dev/null 2>&1 ||
	    { bad "daemon start"; return 1; }
	c_check "crash: map build access ($_all_n kills)" c_scenario "map build access" \
	    "$_all_n" c_check_access c_prep_access -r "$dir" map build access
	c_check "crash: map build aliases ($_all_n kills)" c_scenario "map build aliases" \
	    "$_all_n" c_check_aliases c_prep_aliases -r "$dir" map build aliases
	c_check "crash: map set ($_all_n kills)" c_scenario "map set" "$_all_n" c_true \
	    c_prep_set -r "$dir" map set access From:crashset.example REJECT
	c_check "crash: apply ($_all_n kills)" c_scenario "apply" "$_all_n" \
	    c_check_apply c_prep_apply -y -r "$dir" apply
	c_check "crash: cf install ($_all_n kills)" c_scenario "cf install" \
	    "$(( (_all_n + 1) / 2 ))" c_true c_prep_apply -y -r "$dir" cf install
	c_check "crash: queue hold/release/delete ($_all_n kills)" c_queue "queue" "$_all_n"
	echo "crash: total $C_EXEC smadm runs, $C_KILL killed by SIGKILL, $C_RECOVER next runs reported a recovery, $C_ORPHAN_DF orphan df files after an interrupted delete"
}
