# tests/lib.sh -- shared helpers for the shell test scripts.  Source it:
#	. "$(dirname "$0")/../lib.sh"
# Every script counts with ok/bad/check and ends with "finish", which prints
# "SCRIPT: N passed, N failed" (tests/run.sh adds those up).  Everything a
# script starts is registered here and stopped at exit, by pid, even when the
# script fails half-way.

set -u
: "${SMADM:=$(cd "$(dirname "$0")/../.." && pwd)/smadm}"
T_NAME=$(basename "$0" .sh)
T_PASS=0
T_FAIL=0
T_SANDBOXES=""
T_TMUX=""
T_PIDS=""
T_TMP=$(mktemp -d /tmp/smadm-test-XXXXXX)
chmod 755 "$T_TMP"

ok()   { T_PASS=$((T_PASS + 1)); printf 'PASS  %s\n' "$*"; }
bad()  { T_FAIL=$((T_FAIL + 1)); printf 'FAIL  %s\n' "$*"; }
# check DESCRIPTION CMD...: pass when CMD exits 0
check() {
	d=$1; shift
	if "$@" > "$T_TMP/.check.out" 2>&1; then ok "$d"
	else bad "$d"; sed 's/^/      | /' "$T_TMP/.check.out" | head -20; fi
}
# check_not DESCRIPTION CMD...: pass when CMD fails
check_not() {
	d=$1; shift
	if "$@" > "$T_TMP/.check.out" 2>&1; then bad "$d"; sed 's/^/      | /' "$T_TMP/.check.out" | head -20
	else ok "$d"; fi
}
# wait_for SECONDS CMD...: poll until CMD succeeds
wait_for() {
	t=$(( $1 * 10 )); shift
	while [ "$t" -gt 0 ]; do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.1; t=$((t - 1))
	done
	return 1
}
# smtp_greeting PORT: the first line the SMTP server on 127.0.0.1:PORT
# says, or "none".
smtp_greeting() {
	python3 - "$1" <<'PY' 2>/dev/null || echo none
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
print(s.makefile().readline().strip())
s.sendall(b"QUIT\r\n")
PY
}
# port_listening PORT: something listens on TCP PORT (ss exits 0 even when
# nothing matches, so its output is what counts).
port_listening() {
	[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
}
# free_port: a TCP port nothing listens on, from a range tests own
free_port() {
	for _i in $(seq 1 200); do
		p=$(( 20000 + ($$ * 7 + _i * 131 + $(date +%N | sed 's/^0*//;s/^$/0/') % 997) % 20000 ))
		if ! ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then echo "$p"; return 0; fi
	done
	return 1
}
# new_sandbox [ARGS...]: create a sandbox on a free port; prints its dir
new_sandbox() {
	_dir=$(mktemp -d "$T_TMP/sb-XXXXXX")
	rmdir "$_dir"
	_port=$(free_port)
	"$SMADM" sandbox create "$_dir" --port "$_port" "$@" >"$T_TMP/.sandbox.out" 2>&1 ||
		{ cat "$T_TMP/.sandbox.out" >&2; return 1; }
	# Called as dir=$(new_sandbox): a subshell, so the list is a file.
	echo "$_dir" >> "$T_TMP/.sandboxes"
	echo "$_dir"
}
# profile_dir DIR NAME: a profile directory for m4 and sendmail -bt with no
# daemon: smadm.conf (mc, cf, the cf macros, the programs, a namespace) and
# the namespace's files, NAME.smadm.test being this host's name.  Callers
# append the keys they need to DIR/smadm.conf.
profile_dir() {
	mkdir -p "$1/ns"
	printf '127.0.0.1\t%s.smadm.test %s localhost\n::1\t%s.smadm.test %s localhost\n' \
	    "$2" "$2" "$2" "$2" > "$1/ns/hosts"
	printf 'passwd: files\ngroup: files\nhosts: files\n' > "$1/ns/nsswitch.conf"
	printf 'nameserver 127.0.0.1\noptions attempts:1 timeout:1\n' > "$1/ns/resolv.conf"
	cat > "$1/smadm.conf" <<CONF
mc = sendmail.mc
cf = sendmail.cf
cf_dir = /usr/share/sendmail/cf
sendmail = /usr/sbin/sendmail
m4 = /usr/bin/m4
namespace = ns
CONF
}
# remember a pid to kill at exit (only pids this script started)
track_pid() { T_PIDS="$T_PIDS $1"; }
track_tmux() { T_TMUX="$T_TMUX $1"; }

t_cleanup() {
	for s in $T_TMUX; do tmux -L smadm-test kill-session -t "$s" 2>/dev/null; done
	[ -f "$T_TMP/.sandboxes" ] && T_SANDBOXES="$T_SANDBOXES $(cat "$T_TMP/.sandboxes")"
	for d in $T_SANDBOXES; do
		[ -f "$d/smadm.conf" ] && "$SMADM" -y -r "$d" daemon stop >/dev/null 2>&1
	done
	for p in $T_PIDS; do kill "$p" 2>/dev/null; done
	case ${KEEP_TEST_TMP:-} in 1) echo "kept $T_TMP" ;; *) rm -rf "$T_TMP" ;; esac
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM

finish() {
	echo "$T_NAME: $T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
