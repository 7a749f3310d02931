#!/bin/sh
# bench/log-trace.sh -- "smadm log trace QID" against "grep -F QID" on a
# generated mail log of about 1 GB (SIZE_MB), side by side.
#
# The log is made of the real sessions captured from a sandbox daemon
# (tests/fixtures/log/sandbox.log: LogLevel 12 and 15 sessions, deliveries,
# deferrals, rejections), repeated with fresh queue ids, pids and times, so
# the line shapes and the share of conversation lines are sendmail's.  One
# id in the middle is traced.  Each tool runs 3 times on a warm page cache;
# the medians and the ratio smadm/grep are printed.  smadm does more: it
# also finds the SMTP session of the message (its connect line and QUIT).
#
#	sh bench/log-trace.sh [SIZE_MB]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
SMADM=${SMADM:-$top/smadm}
MB=${1:-1024}
[ -x "$SMADM" ] || { echo "build smadm first (make)"; exit 1; }
W=$(mktemp -d /tmp/smadm-bench-log-XXXXXX)
trap 'rm -rf "$W"' EXIT
printf 'mail_log = mail.log\n' > "$W/smadm.conf"

echo "generating a ${MB} MB log in $W ..."
python3 - "$top/tests/fixtures/log/sandbox.log" "$W/mail.log" "$MB" <<'PY' > "$W/qid"
import re, sys
src, dst, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(src).read().splitlines()
rx = re.compile(r'^(\S+) (\S+) (sm-mta)\[(\d+)\]: (.*)$')
parsed = [rx.match(l).groups() for l in lines]
b60 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx"
out = open(dst, "w", buffering=1 << 22)
size, rnd, target, picked = 0, 0, mb << 20, None
while size < target:
    # New pids and ids for this round; ids keep their shape.
    pidmap, idmap = {}, {}
    def pid(p):
        if p not in pidmap:
            pidmap[p] = str(100000 + (rnd * 997 + len(pidmap) * 7919) % 899999)
        return pidmap[p]
    def qid(m):
        q = m.group(0)
        if q not in idmap:
            n = rnd * 64 + len(idmap)
            pre = "".join(b60[(n // 60 ** i) % 60] for i in range(6))
            idmap[q] = "6AM" + pre[:5] + "%06d" % (int(pid(str(int(q[8:])))) % 1000000)
        return idmap[q]
    buf = []
    for t, host, prog, p, msg in parsed:
        msg = re.sub(r'\b6AM[0-9A-Za-x]{5}\d{6}\b', qid, msg)
        buf.append("%s %s %s[%s]: %s\n" % (t, host, prog, pid(p), msg))
    chunk = "".join(buf)
    out.write(chunk)
    size += len(chunk)
    if picked is None and size >= target // 2:
        picked = idmap["6AM2twRt014390"]
    rnd += 1
out.close()
print(picked)
PY
qid=$(cat "$W/qid")
[ -n "$qid" ] || { echo "generating the log failed"; exit 1; }
ls -l "$W/mail.log"
echo "tracing $qid"

# Warm the page cache, then time each tool 3 times.
cat "$W/mail.log" > /dev/null
timeit() {	# timeit CMD...: seconds, to stdout
	s=$(date +%s.%N)
	"$@" > /dev/null 2>&1
	e=$(date +%s.%N)
	echo "$e - $s" | bc
}
median() { sort -n | sed -n 2p; }
g=$( (timeit grep -F "$qid" "$W/mail.log"; timeit grep -F "$qid" "$W/mail.log"; timeit grep -F "$qid" "$W/mail.log") | median)
s=$( (timeit "$SMADM" -r "$W" log trace "$qid"; timeit "$SMADM" -r "$W" log trace "$qid"; timeit "$SMADM" -r "$W" log trace "$qid") | median)
ng=$(grep -cF "$qid" "$W/mail.log")
ns=$("$SMADM" -r "$W" log trace "$qid" | wc -l)
printf '%-34s %8s s  %4d lines\n' "grep -F $qid" "$g" "$ng"
printf '%-34s %8s s  %4d lines (with its session)\n' "smadm log trace $qid" "$s" "$ns"
printf 'ratio smadm/grep: %s\n' "$(echo "scale=2; $s / $g" | bc)"
