#!/bin/sh
# ssh-hostile.sh -- a broken or hostile host cannot crash, hang or flood
# smadm.  A fake smadm (--remote-smadm) on the private sshd passes every
# request to the real "smadm remote serve" except one kind, which it
# answers with an oversized, negative, truncated, stalled, bomb or garbage
# frame.  smadm must end with a clear message within remote_timeout (or
# the default 30 s), stay within a small memory bound (max RSS measured
# with /usr/bin/time), and change nothing on the local side.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ssh-lib.sh"

ssh_start || { bad "private sshd did not start"; finish; exit 1; }

fake=$T_TMP/fake
mkdir -p "$fake" "$T_TMP/prof/mq"
cp "$SMADM_FIXTURES"/queue/mta/* "$T_TMP/prof/mq/"
printf '%s\n' "$SMADM" > "$fake/real"
printf 'queue_dirs = %s/prof/mq\naccess = access\nremote_timeout = 3\n' "$T_TMP" \
    > "$T_TMP/prof/smadm.conf"
printf '10.0.0.1 REJECT\n' > "$T_TMP/prof/access"
printf 'Dec  7 04:00:00 vm sm-mta[1]: started\n' > "$T_TMP/prof/maillog"
printf 'mail_log = maillog\n' >> "$T_TMP/prof/smadm.conf"
cat > "$fake/smadm" <<'EOF'
#!/usr/bin/python3
# A hostile "smadm remote serve": the real one answers, except requests
# of the kind named in ./mode, which get the attack named there.
import os, shlex, signal, subprocess, sys, zlib

here = os.path.dirname(os.path.abspath(__file__))
real_path = open(os.path.join(here, 'real')).read().strip()
signal.alarm(300)
def read_mode():
    # Read again for each request: a console's serve outlives a mode.
    try:
        return open(os.path.join(here, 'mode')).read().split()
    except OSError:
        return []

mode = read_mode()
kind, attack = mode if len(mode) == 2 else ('', '')
inp, out = sys.stdin.buffer, sys.stdout.buffer

if sys.argv[1:3] == ['remote', 'follow'] and kind == 'follow':
    # Each "R" (a request for what the log gained) gets the attack.
    sent = 0
    try:
        while inp.readline():
            if attack == 'huge':
                out.write(b'D 18446744073709551615\n')
            elif attack == 'big':
                out.write(b'D 50000000000\n' + b'x' * 65536)
            elif attack == 'flood':
                # Pieces as large as may be, of one line that never ends.
                if sent >= (1 << 30):
                    out.flush()
                    inp.read()
                    sys.exit(0)
                out.write(b'D 4194304\n' + b'x' * 4194304)
                sent += 4194304
            elif attack == 'stall':
                out.write(b'D 100\nonly ten b')
            out.flush()
    except (BrokenPipeError, OSError):
        pass
    sys.exit(0)
if sys.argv[1:] != ['remote', 'serve']:
    with open(os.path.join(here, 'requests'), 'a') as log:
        log.write('exec ' + ' '.join(sys.argv[1:]) + '\n')
    os.execv(real_path, [real_path] + sys.argv[1:])
real = subprocess.Popen([real_path, 'remote', 'serve'],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

def forward(raw, words):
    real.stdin.write(raw)
    real.stdin.flush()
    if words[0] == 'dir':
        d = zlib.decompressobj()
        while not d.eof:
            b = real.stdout.read1(65536)
            if not b:
                break
            d.decompress(b)
            out.write(b)
    else:
        line = real.stdout.readline()
        out.write(line)
        if line[:1] in (b'D', b'L'):
            out.write(real.stdout.read(int(line[2:])))
    out.flush()

def hang():
    # Until smadm closes the channel.
    out.flush()
    inp.read()
    sys.exit(0)

def flood(first, chunk, total):
    out.write(first)
    sent = 0
    try:
        while sent < total:
            out.write(chunk)
            sent += len(chunk)
        hang()
    except (BrokenPipeError, OSError):
        sys.exit(0)

def zwrite(z, data):
    out.write(z.compress(data) + z.flush(zlib.Z_SYNC_FLUSH))

def attack_answer(words):
    if kind != 'dir':
        plain = {
            'huge': b'D 18446744073709551615\n',
            'negative': b'D -5\nabc',
            'overflow': b'D 99999999999999999999999999\n',
            'wrongtag': b'O\n',
            'statnum': b'S 2 755 0 0 99999999999999999999999 0 0 1 1\n',
            'statshort': b'S 2 755\n',
        }
        if attack in plain:
            out.write(plain[attack])
            hang()
        if attack == 'big':
            flood(b'D 50000000000\n', b'\0' * 1048576, 2 << 30)
        if attack == 'garbage':
            flood(b'', os.urandom(4096).replace(b'\n', b'x'), 64 << 20)
        if attack == 'truncated':
            out.write(b'D 100\nonly ten b')
            out.flush()
            sys.exit(0)
        if attack == 'stall':
            out.write(b'S 2 755 0' if kind == 'stat' else
                      b'D 100\nonly ten b')
            hang()
    z = zlib.compressobj(1)
    frames = {
        'huge': b'F 8 18446744073709551615 0 -1 0\nqfhostil',
        'negative': b'F -8 10 0 -1 0\nqfhostil',
        'wrap': b'F 18446744073709551615 9 0 -1 0\nqfhostil',
        'slash': b'F 8 3 0 -1 0\n../../qfabc',
        'badtag': b'X 1\n',
        'stall': b'F 8 100 0 -1 0\nqfhostilonly ten b',
    }
    if attack in frames:
        zwrite(z, frames[attack])
        hang()
    if attack == 'big':
        zwrite(z, b'F 8 50000000000 0 -1 0\nqfhostil')
        try:
            for i in range(2048):
                zwrite(z, b'\0' * 1048576)
        except (BrokenPipeError, OSError):
            sys.exit(0)
        hang()
    if attack == 'bomb':
        # A frame of the largest size asked for, then a gigabyte of
        # zeros that deflate to about a megabyte.
        zwrite(z, b'F 8 4194304 0 -1 0\nqfhostil' + b'a' * 4194304)
        try:
            for i in range(64):
                zwrite(z, b'\0' * (16 << 20))
        except (BrokenPipeError, OSError):
            sys.exit(0)
        hang()
    if attack == 'many':
        # Tiny files without end: each costs the client memory.
        rec = b''.join(b'F 8 1 0 -1 0\nqf%06dx' % i for i in range(100000))
        try:
            for i in range(6):
                zwrite(z, rec)
        except (BrokenPipeError, OSError):
            sys.exit(0)
        hang()
    if attack == 'truncated':
        zwrite(z, b'F 8 100 0 -1 0\nqfhostilonly ten b')
        out.flush()
        sys.exit(0)
    if attack == 'garbage':
        flood(b'', os.urandom(4096), 64 << 20)

seen = {}
while True:
    head = inp.readline()
    if not head:
        break
    req = inp.read(int(head))
    words = shlex.split(req.decode())
    extra = inp.read(int(words[8])) if words[0] == 'write' else b''
    with open(os.path.join(here, 'requests'), 'a') as log:
        log.write(' '.join(words) + '\n')
    seen[words[0]] = seen.get(words[0], 0) + 1
    mode = read_mode()
    kind, attack = mode if len(mode) == 2 else ('', '')
    # The stats of the profile's path (serve's start, the trust check of
    # every directory) go through: the attack is on the access table's.
    if words[0] == kind and (kind != 'stat' or
                             any(w.endswith('/access') for w in words[1:])):
        attack_answer(words)
        sys.exit(0)
    forward(head + req + extra, words)
EOF
chmod 755 "$fake/smadm"

snapshot() {
	(cd "$T_HOME" && find . -type f -exec sha256sum {} + | sort)
	(cd "$T_TMP/prof" && find . -type f -exec sha256sum {} + | sort)
}
snapshot > "$T_TMP/before.sum"

# hostile KIND ATTACK LIMIT_S EXPECT COMMAND...: run smadm against the
# fake; it must fail within LIMIT_S seconds, its message must match
# EXPECT, and its max RSS stay under HOSTILE_RSS_KB (default 100 MB).
hostile() {
	_k=$1 _a=$2 _lim=$3 _want=$4
	shift 4
	printf '%s %s\n' "$_k" "$_a" > "$fake/mode"
	_t0=$(date +%s)
	# An ASan build keeps up to 256 MB of freed memory in quarantine: the
	# bound is about what smadm holds, so keep that small (no effect on a
	# plain build).
	ASAN_OPTIONS="quarantine_size_mb=8${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
	HOME=$T_HOME timeout -k 5 150 /usr/bin/time -f '%M' -o "$T_TMP/rss" \
	    "$SMADM" -H smtest --remote-smadm "$fake/smadm" -r "$T_TMP/prof" "$@" \
	    2> "$T_TMP/out" < /dev/null | tail -c 2000 >> "$T_TMP/out"
	_rc=$(sed -n 's/^Command exited with non-zero status //p' "$T_TMP/rss")
	grep -q '^Command terminated by signal' "$T_TMP/rss" && _rc=128
	_rc=${_rc:-0}
	_dt=$(($(date +%s) - _t0))
	_rss=$(grep -E '^[0-9]+$' "$T_TMP/rss" | tail -1)
	_what="$_k $_a: exit $_rc after ${_dt}s, max RSS ${_rss:-?} KB"
	if [ "$_rc" -ne 0 ] && [ "$_rc" -lt 124 ] && [ "$_dt" -le "$_lim" ] &&
	    [ -n "$_rss" ] && [ "$_rss" -lt "${HOSTILE_RSS_KB:-102400}" ] &&
	    grep -Eq "$_want" "$T_TMP/out"; then
		ok "$_what: $(head -1 "$T_TMP/out")"
	else
		bad "$_what (wanted a failure within ${_lim}s matching /$_want/)"
		head -5 "$T_TMP/out" | sed 's/^/      | /'
	fi
}

# The fake passes everything through when no attack is set.
: > "$fake/mode"
HOME=$T_HOME "$SMADM" -H smtest --remote-smadm "$fake/smadm" -r "$T_TMP/prof" queue list \
    > "$T_TMP/out" 2>&1
check "through the fake, an honest answer lists the queue" grep -q '^3 messages' "$T_TMP/out"

# serve answers ("D"): the profile's read.  remote_timeout is not known yet:
# the default 30 s applies.
garbled='garbled answer from the remote smadm'
hostile read huge 20 "$garbled" queue list
hostile read overflow 20 "$garbled" queue list
hostile read negative 20 "$garbled" queue list
hostile read big 20 "more than the [0-9]+ asked for" queue list
hostile read garbage 20 "$garbled" queue list
hostile read wrongtag 20 "$garbled" queue list
hostile read truncated 20 "stopped in the middle of an answer" queue list
hostile read stall 45 "no answer from the smadm on smtest for 30 s" queue list
# stat answers ("S"), with remote_timeout = 3 from the profile: the stat
# of the access table (the other stats go to the real serve).
hostile stat statnum 20 "access: $garbled" map show access
hostile stat statshort 20 "access: $garbled" map show access
hostile stat stall 20 "no answer from the smadm on smtest for 3 s" map show access
# directory frames ("F" ...), deflated.
hostile dir huge 20 "$garbled" queue list
hostile dir wrap 20 "$garbled" queue list
hostile dir negative 20 "$garbled" queue list
hostile dir slash 20 "$garbled" queue list
hostile dir badtag 20 "$garbled" queue list
hostile dir big 20 "more than the [0-9]+ asked for" queue list
hostile dir bomb 20 "$garbled|larger than" queue list
hostile dir garbage 20 "garbled compressed answer" queue list
# each listed file costs the client about 340 bytes: 500,000 at most
# (176 MB; an ASan build needs about 70% more)
HOSTILE_RSS_KB=393216
hostile dir many 60 "more than 500000 files in one listing" queue list
unset HOSTILE_RSS_KB
hostile dir truncated 20 "ended early" queue list
hostile dir stall 20 "no answer from the smadm on smtest for 3 s" queue list
# a followed log: each piece ("D") of "smadm remote follow".
hostile follow huge 20 "$garbled" log tail -f -n 0
hostile follow big 20 "more than the [0-9]+ asked for" log tail -f -n 0
hostile follow stall 20 "no answer from the smadm on smtest for 3 s" log tail -f -n 0
# A gigabyte of one line that never ends, in the largest pieces allowed.
hostile follow flood 90 "no answer from the smadm on smtest for 3 s" log tail -f -n 0

snapshot > "$T_TMP/after.sum"
check "nothing changed on the local side or in the profile" cmp "$T_TMP/before.sum" "$T_TMP/after.sum"

# The console while the host stalls in the middle of a queue frame, with
# a remote_timeout far beyond the test: q, and then ^C, leave it at once.
TM="tmux -L smadm-test"
mkdir -p "$T_TMP/prof2"
printf 'queue_dirs = %s/prof/mq\nremote_timeout = 3600\n' "$T_TMP" > "$T_TMP/prof2/smadm.conf"
cat > "$T_TMP/pane.sh" <<'PANE'
trap '' INT
HOME=$THOME "$SMADM" -H smtest --remote-smadm "$FAKE" -r "$PROF"
echo "EXITED $?"
exec sleep 600
PANE
# console_leave NAME KEY STATUS: open the queue screen on the stalling
# host, press KEY; the console must then quit with STATUS within 10 s
# (after q, the dashboard is back at once and a second q quits).
console_leave() {
	_s="smadm-hostile-$$-$1"
	track_tmux "$_s"
	: > "$fake/mode"
	: > "$fake/requests"
	$TM new-session -d -s "$_s" -x 80 -y 24 env SMADM="$SMADM" \
	    FAKE="$fake/smadm" PROF="$T_TMP/prof2" THOME="$T_HOME" \
	    LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen sh "$T_TMP/pane.sh"
	wait_for 15 sh -c "$TM capture-pane -p -t $_s | grep -q 'smadm - Dashboard'" ||
	    bad "console_leave $1: no dashboard"
	printf 'dir stall\n' > "$fake/mode"
	: > "$fake/requests"
	$TM send-keys -t "$_s" Q
	wait_for 15 grep -q '^dir' "$fake/requests" ||
	    bad "console_leave $1: the queue screen did not read the queue"
	sleep 1
	$TM send-keys -t "$_s" "$2"
	if [ "$2" = q ]; then
		sleep 1
		$TM send-keys -t "$_s" q
	fi
	if wait_for 10 sh -c "$TM capture-pane -p -t $_s | grep -q 'EXITED $3'"; then
		ok "console stalled on a frame: $1 leaves it within 10 s (exit $3)"
	else
		bad "console stalled on a frame: $1 does not leave it"
		$TM capture-pane -p -t "$_s" | sed 's/^/      | /'
	fi
}
console_leave q q 0
console_leave intr C-c 130

# ConnectTimeout of ~/.ssh/config is honoured: a host that accepts the
# connection and then says nothing is given up after its 2 s, not 10.
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(5)
print(s.getsockname()[1], flush=True)
held = []
while True:
    held.append(s.accept()[0])
' > "$T_TMP/silent.port" &
track_pid $!
wait_for 10 test -s "$T_TMP/silent.port"
printf 'Host smsilent\n\tHostName 127.0.0.1\n\tPort %s\n\tUser root\n\tConnectTimeout 2\n' \
    "$(cat "$T_TMP/silent.port")" >> "$T_HOME/.ssh/config"
_t0=$(date +%s)
HOME=$T_HOME timeout 60 "$SMADM" -H smsilent status > "$T_TMP/out" 2>&1 < /dev/null
_dt=$(($(date +%s) - _t0))
if [ "$_dt" -le 6 ] && grep -q 'smsilent: cannot connect: Timeout' "$T_TMP/out"; then
	ok "ConnectTimeout 2 of ~/.ssh/config: gave up after ${_dt}s"
else
	bad "ConnectTimeout 2 of ~/.ssh/config: ${_dt}s: $(head -1 "$T_TMP/out")"
fi

# remote_timeout is checked where the profile is read.
printf 'remote_timeout = 0\n' > "$T_TMP/bad.conf"
mkdir -p "$T_TMP/badprof" && mv "$T_TMP/bad.conf" "$T_TMP/badprof/smadm.conf"
"$SMADM" -r "$T_TMP/badprof" queue list > "$T_TMP/out" 2>&1
check "remote_timeout = 0 is refused with file and line" \
    grep -q 'badprof/smadm.conf:1: remote_timeout: expected seconds from 1 to 3600, not "0"' "$T_TMP/out"
printf 'remote_timeout = 30s\n' > "$T_TMP/badprof/smadm.conf"
"$SMADM" -r "$T_TMP/badprof" queue list > "$T_TMP/out" 2>&1
check "remote_timeout = 30s is refused" grep -q 'smadm.conf:1: remote_timeout: expected seconds from 1 to 3600, not "30s"' "$T_TMP/out"
finish
