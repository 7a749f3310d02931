#!/bin/sh
# bench/queue-list.sh -- "smadm queue list" against "sendmail -bp" on a
# queue of 10,000 and 100,000 messages: real qf/df pairs written by the
# sandbox's sendmail (SMTP through the daemon, and sendmail -odq), cloned
# under new queue ids the way sendmail writes them (tf, then rename to qf).
# Prints each time (median of 3, warm cache), the ratio smadm/sendmail and
# the peak memory of each (/usr/bin/time).  Not part of make check; needs
# root (sandbox namespace).  Target: smadm at most 0.3x sendmail -bp.
#
#	sh bench/queue-list.sh [COUNTS...]	(default: 10000 100000)
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

# run3 NAME CMD...: median time of 3 runs and the peak RSS (KB).
run3() {
	name=$1; shift
	"$@" > /dev/null 2>&1	# warm the cache
	: > "$W/times"
	for _r in 1 2 3; do
		/usr/bin/time -f '%e %M' -o "$W/t" "$@" > /dev/null 2>"$W/err" ||
			{ echo "$name failed:"; cat "$W/err"; }
		cat "$W/t" >> "$W/times"
	done
	sort -n "$W/times" | sed -n 2p > "$W/med"
	read -r sec kb < "$W/med"
	printf '  %-34s %7.3f s  %7d KB\n' "$name" "$sec" "$kb"
}

prev=0
for n in "$@"; do
	clone "$prev" "$n"
	prev=$n
	count=$(ls "$SB/queue" | grep -c '^qf')
	echo "$count queued messages in $SB/queue:"
	run3 "smadm queue list --sort none" env SMADM="$SMADM" sh -c '"$SMADM" -r "$0" queue list --sort none' "$SB"
	a=$sec
	run3 "smadm queue list (age sort)" env SMADM="$SMADM" sh -c '"$SMADM" -r "$0" queue list' "$SB"
	run3 "smadm queue list --json" env SMADM="$SMADM" sh -c '"$SMADM" -r "$0" queue list --json' "$SB"
	j=$sec
	run3 "sendmail -bp (in the namespace)" "$SMADM" -r "$SB" sandbox exec /usr/sbin/sendmail -C "$cf" -bp
	b=$sec
	run3 "(namespace overhead: /bin/true)" "$SMADM" -r "$SB" sandbox exec /bin/true
	awk -v a="$a" -v j="$j" -v b="$b" 'BEGIN {
		if (b <= 0) b = 0.001
		printf "  ratio smadm/sendmail -bp: list %.2fx, --json %.2fx (target <= 0.3x)\n", a / b, j / b }'
done
