#!/bin/sh
# bench/queue-list.sh -- "smadm queue list" against "sendmail -bp" on a
# queue of 10,000 and 100,000 messages: real qf/df pairs written by the
# sandbox's sendmail (SMTP through the daemon, and sendmail -odq), cloned
# under new queue ids the way sendmail writes them (tf, then rename to qf).
# Prints each median time (runs in turns, warm cache), the ratio
# smadm/sendmail and the peak memory of each (/usr/bin/time).  Not part of make check; needs
# root (sandbox namespace).  Target: smadm at most 0.3x sendmail -bp.
#
#	sh bench/queue-list.sh [COUNTS...]	(default: 10000 100000)
#
# KEEP=1 leaves the sandbox (daemon stopped) and prints its directory, for
# profiling smadm on the same queue afterwards.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
SMADM=${SMADM:-$top/smadm}
[ -x "$SMADM" ] || { echo "build smadm first (make)"; exit 1; }
[ $# -gt 0 ] || set -- 10000 100000
W=$(mktemp -d /tmp/smadm-bench-XXXXXX)
chmod 755 "$W"
SB="$W/sb"
cleanup() {
	[ -f "$SB/smadm.conf" ] && "$SMADM" -y -r "$SB" daemon stop >/dev/null 2>&1
	if [ "${KEEP:-0}" = 1 ]; then
		echo "kept: $SB (remove with: rm -rf $W)"
		return
	fi
	rm -rf "$W"
}
trap cleanup EXIT
port=$(( 40000 + $$ % 9000 ))
"$SMADM" sandbox create "$SB" --port "$port" >/dev/null || exit 1
"$SMADM" -r "$SB" daemon start >/dev/null || exit 1
cf="$SB/etc/sendmail.cf"
smx() { "$SMADM" -r "$SB" sandbox exec /usr/sbin/sendmail -C "$cf" "$@"; }

# Two real templates: one over SMTP (deferred by the daemon), one -odq.
python3 - "$port" <<'PY'
import smtplib, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=30)
s.sendmail('alice@client.example', ['bob@deferred.example', 'carol@sub.deferred.example'],
           b'From: alice@client.example\r\nSubject: bench\r\n\r\n' + b'body line\r\n' * 40)
s.quit()
PY
printf 'Subject: bench -odq\n\nbody\n' | smx -odq -f gina@vm.sandbox.example hank@deferred.example
sleep 2
"$SMADM" -y -r "$SB" daemon stop >/dev/null
mkdir -p "$W/tpl"
cp "$SB"/queue/qf* "$SB"/queue/df* "$W/tpl/"
rm -f "$SB"/queue/*

# clone FROM TO: copies of the templates under new ids (6 base-60 date/time
# characters, 2 sequence characters, the pid), written as tf then renamed.
clone() {
	python3 - "$W/tpl" "$SB/queue" "$1" "$2" <<'PY'
import os, sys
tpl, q, start, end = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
D = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx'
pairs = []
for f in sorted(os.listdir(tpl)):
    if f.startswith('qf'):
        qid = f[2:]
        pairs.append((qid, open(os.path.join(tpl, f), 'rb').read(),
                      open(os.path.join(tpl, 'df' + qid), 'rb').read()))
for i in range(start, end):
    old, qf, df = pairs[i % len(pairs)]
    c = i
    mid = ''
    for _ in range(4):
        mid = D[c % 60] + mid
        c //= 60
    new = old[:4] + mid + old[8:]
    with open(os.path.join(q, 'df' + new), 'wb') as f:
        f.write(df)
    tf = os.path.join(q, 'tf' + new)
    with open(tf, 'wb') as f:
        f.write(qf.replace(old.encode(), new.encode()))
    os.rename(tf, os.path.join(q, 'qf' + new))
PY
}

# measure: the commands run in turns (smadm, sendmail, smadm, ...), REPS
# times each after one warm-up round, so a busy machine slows both alike;
# median wall time (perf_counter), peak RSS of the children, the ratio, and
# for the streamed listing when its first line arrived.
REPS=${REPS:-11}
measure() {
	python3 - "$REPS" "$SMADM" "$SB" "$cf" <<'PY2'
import os, resource, statistics, subprocess, sys, time
reps, smadm, sb, cf = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
cmds = [
    ("smadm queue list --sort none", [smadm, "-r", sb, "queue", "list", "--sort", "none"]),
    ("smadm queue list (age sort)", [smadm, "-r", sb, "queue", "list"]),
    ("smadm queue list --json", [smadm, "-r", sb, "queue", "list", "--json"]),
    ("sendmail -bp (in the namespace)", [smadm, "-r", sb, "sandbox", "exec",
        "/usr/sbin/sendmail", "-C", cf, "-bp"]),
    ("(namespace overhead: /bin/true)", [smadm, "-r", sb, "sandbox", "exec", "/bin/true"]),
]
def run(argv):
    t = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t
def rss(argv):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, check=True).stderr.split()
    return int(out[-1])
times = {n: [] for n, _ in cmds}
for _, argv in cmds:
    run(argv)
for _ in range(reps):
    for n, argv in cmds:
        times[n].append(run(argv))
med = {n: statistics.median(v) for n, v in times.items()}
for n, argv in cmds:
    v = sorted(times[n])
    print("  %-34s median %7.4f s  (min %.4f, max %.4f)  %7d KB" % (n, med[n], v[0], v[-1], rss(argv)))
# First line of the streamed listing, against its end.
first = []; last = []
for _ in range(reps):
    t = time.perf_counter()
    p = subprocess.Popen(cmds[0][1], stdout=subprocess.PIPE)
    p.stdout.readline(); p.stdout.readline()
    first.append(time.perf_counter() - t)
    p.stdout.read(); p.wait()
    last.append(time.perf_counter() - t)
b = med["sendmail -bp (in the namespace)"]
print("  streamed listing: first message after %.4f s, all after %.4f s" %
      (statistics.median(first), statistics.median(last)))
# The console: Q on the dashboard, then when the first messages are on
# the screen and when the title stops saying "(reading...)".
import re, shutil
if shutil.which("tmux"):
    tm = ["tmux", "-L", "smadm-bench-%d" % os.getpid()]
    def cap():
        return subprocess.run(tm + ["capture-pane", "-p", "-t", "b"],
                              stdout=subprocess.PIPE, text=True).stdout
    subprocess.run(tm + ["new-session", "-d", "-s", "b", "-x", "80", "-y", "24",
                         smadm, "-r", sb], check=True)
    try:
        t0 = time.perf_counter()
        while "Daemon" not in cap() and time.perf_counter() - t0 < 10:
            time.sleep(0.01)
        shows = []; ends = []
        for _ in range(3):
            subprocess.run(tm + ["send-keys", "-t", "b", "Q"], check=True)
            t = time.perf_counter(); shown = None
            while time.perf_counter() - t < 60:
                c = cap()
                m = re.search(r"Queue: (\d+) message", c)
                if shown is None and m and int(m.group(1)) > 0:
                    shown = time.perf_counter() - t
                if m and "(reading...)" not in c and int(m.group(1)) > 0:
                    break
                time.sleep(0.002)
            ends.append(time.perf_counter() - t); shows.append(shown)
            subprocess.run(tm + ["send-keys", "-t", "b", "q"], check=True)
            time.sleep(0.3)
        print("  console (tmux 80x24): first messages on screen after %.3f s, whole queue after %.3f s (median of 3, tmux polling included)"
              % (statistics.median(shows), statistics.median(ends)))
    finally:
        subprocess.run(tm + ["kill-server"], stderr=subprocess.DEVNULL)
print("  ratio smadm/sendmail -bp (medians): list %.2fx, age sort %.2fx, --json %.2fx (target <= 0.3x)" %
      (med[cmds[0][0]] / b, med[cmds[1][0]] / b, med[cmds[2][0]] / b))
PY2
}

prev=0
for n in "$@"; do
	clone "$prev" "$n"
	prev=$n
	count=$(ls "$SB/queue" | grep -c '^qf')
	echo "$count queued messages in $SB/queue ($REPS runs each, in turns):"
	measure
done
