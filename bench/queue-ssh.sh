#!/bin/sh
# bench/queue-ssh.sh -- listing a 10,000-message sandbox queue over SSH on
# loopback: "smadm -H host queue list" against what admins do today,
# "ssh host sendmail -bp" (OpenSSH client, same key, the sandbox's cf), in
# one run, side by side.  Also a second listing over the connection the
# first one opened (the console keeps its connection; --bench-repeat runs
# the command again on the same connection) against the local listing.
# Targets: smadm -H at most 0.5x ssh + sendmail -bp; a listing on an open
# connection at most 1.3x the local one.
#
# sshd runs every command through the login shell, and bash reads
# ~/.bashrc when sshd starts it: both sides pay that once per command, and
# it is the host's cost, not either tool's.  So two private sshds on
# 127.0.0.1 (own host key, key-only root login) are measured: one in a
# private mount namespace where root's ~/.bashrc is Debian's own
# (base-files: only comments, as on a fresh mail server), one with this
# machine's /root/.bashrc as it is (the first is left out when they are
# the same).  "ssh host true" shows what a command costs before it runs.
# Every command runs REPS times (default 5) in turns; medians.
#
#	[REPS=N] sh bench/queue-ssh.sh [COUNT]		(default 10000)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
SMADM=${SMADM:-$top/smadm}
[ -x "$SMADM" ] || { echo "build smadm first (make)"; exit 1; }
N=${1:-10000}
W=$(mktemp -d /tmp/smadm-bench-XXXXXX)
chmod 755 "$W"
SB="$W/sb"
REPS=${REPS:-5}
SSHD_PIDS=
cleanup() {
	for p in $SSHD_PIDS; do kill "$p" 2>/dev/null; done
	[ -f "$SB/smadm.conf" ] && "$SMADM" -y -r "$SB" daemon stop >/dev/null 2>&1
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
port=$(( 40000 + $$ % 9000 ))
"$SMADM" sandbox create "$SB" --port "$port" >/dev/null || exit 1
"$SMADM" -r "$SB" daemon start >/dev/null || exit 1
cf="$SB/etc/sendmail.cf"
smx() { "$SMADM" -r "$SB" sandbox exec /usr/sbin/sendmail -C "$cf" "$@"; }

# --- a queue: two real messages cloned under new ids (as queue-list.sh)
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
python3 - "$W/tpl" "$SB/queue" "$N" <<'PY'
import os, sys
tpl, q, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
D = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx'
pairs = []
for f in sorted(os.listdir(tpl)):
    if f.startswith('qf'):
        qid = f[2:]
        pairs.append((qid, open(os.path.join(tpl, f), 'rb').read(),
                      open(os.path.join(tpl, 'df' + qid), 'rb').read()))
for i in range(n):
    old, qf, df = pairs[i % len(pairs)]
    c, mid = i, ''
    for _ in range(4):
        mid = D[c % 60] + mid
        c //= 60
    new = old[:4] + mid + old[8:]
    open(os.path.join(q, 'df' + new), 'wb').write(df)
    tf = os.path.join(q, 'tf' + new)
    open(tf, 'wb').write(qf.replace(old.encode(), new.encode()))
    os.rename(tf, os.path.join(q, 'qf' + new))
PY

# --- two private sshds and a HOME that knows them
H=$W/home
mkdir -p "$H/.ssh" /run/sshd
chmod 700 "$H/.ssh"
ssh-keygen -q -t ed25519 -N '' -f "$W/hostkey" >/dev/null
ssh-keygen -q -t ed25519 -N '' -f "$H/.ssh/id_ed25519" >/dev/null
cp "$H/.ssh/id_ed25519.pub" "$W/authorized_keys"
: > "$H/.ssh/known_hosts"
: > "$H/.ssh/config"
unset SSH_AUTH_SOCK
stockrc=/usr/share/base-files/dot.bashrc
# start_sshd NAME PORT stock|host
start_sshd() {
	cat > "$W/sshd_$1" <<EOF
Port $2
ListenAddress 127.0.0.1
HostKey $W/hostkey
PidFile $W/sshd_$1.pid
AuthorizedKeysFile $W/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel ERROR
EOF
	if [ "$3" = stock ]; then
		# sshd and its sessions see Debian's root ~/.bashrc.
		unshare --mount --propagation private /bin/sh -c \
		    'mount --bind "$1" /root/.bashrc && exec "$2" -D -f "$3" -E "$4"' \
		    sh "$stockrc" /usr/sbin/sshd "$W/sshd_$1" "$W/sshd_$1.log" &
	else
		/usr/sbin/sshd -D -f "$W/sshd_$1" -E "$W/sshd_$1.log" &
	fi
	SSHD_PIDS="$SSHD_PIDS $!"
	i=0
	while ! ss -Hltn "sport = :$2" | grep -q . && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
	printf '[127.0.0.1]:%s %s\n' "$2" "$(cut -d' ' -f1,2 "$W/hostkey.pub")" \
	    >> "$H/.ssh/known_hosts"
	printf 'Host %s\n\tHostName 127.0.0.1\n\tPort %s\n\tUser root\n\tIdentityFile %s\n' \
	    "$1" "$2" "$H/.ssh/id_ed25519" >> "$H/.ssh/config"
}
sport=$(( 30000 + $$ % 9000 ))
modes=host
if [ -f /root/.bashrc ] && [ -f "$stockrc" ] &&
    ! cmp -s /root/.bashrc "$stockrc"; then
	start_sshd stockhost "$sport" stock
	modes="stock host"
fi
start_sshd hosthost $((sport + 1)) host
first=${modes%% *}

count=$(ls "$SB/queue" | grep -c '^qf')
echo "$count queued messages in $SB/queue, sshd on 127.0.0.1:$sport.."
echo "($REPS runs of each command in turns, medians; $(nproc) CPUs," \
    "load $(cut -d' ' -f1-3 /proc/loadavg))"

# What admins do: ssh, then sendmail -bp with the sandbox's cf (inside its
# namespace, which the sandbox needs: smadm sandbox exec).
bp_cmd="$SMADM -r $SB sandbox exec /usr/sbin/sendmail -C $cf -bp"
# (ssh finds its files from the password database, not from HOME)
sshc="env HOME=$H ssh -F $H/.ssh/config -o BatchMode=yes
    -o UserKnownHostsFile=$H/.ssh/known_hosts"
smh="env HOME=$H $SMADM"
# timed LABEL COMMAND...: its wall-clock time, added to $W/t.LABEL
timed() {
	_l=$1; shift
	/usr/bin/time -f '%e' -o "$W/t" "$@" > /dev/null 2> "$W/err" ||
		{ echo "failed: $*"; cat "$W/err"; }
	cat "$W/t" >> "$W/t.$_l"
}
# The second of two listings on one connection (smadm prints per-run times).
held() {
	$smh --bench-repeat 2 -H "$1" -r "$SB" queue list --sort none 2>&1 \
	    >/dev/null | sed -n 's/^smadm: run 2: \([0-9.]*\) s$/\1/p' \
	    >> "$W/t.held"
}
med() {
	sort -n "$W/t.$1" | awk '{ v[NR] = $1 } END { if (NR == 0) print 0;
	    else if (NR % 2) print v[(NR + 1) / 2];
	    else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
for m in $modes; do		# warm up
	$sshc ${m}host true; $smh -H ${m}host -r "$SB" queue list > /dev/null
done
"$SMADM" -r "$SB" queue list > /dev/null
r=0
while [ $r -lt "$REPS" ]; do
	for m in $modes; do
		timed true_$m $sshc ${m}host true
		timed bp_$m $sshc ${m}host "$bp_cmd"
		timed none_$m $smh -H ${m}host -r "$SB" queue list --sort none
		timed age_$m $smh -H ${m}host -r "$SB" queue list
	done
	held ${first}host
	timed local "$SMADM" -r "$SB" queue list --sort none
	timed localbp "$SMADM" -r "$SB" sandbox exec /usr/sbin/sendmail \
	    -C "$cf" -bp
	r=$((r + 1))
done

for m in $modes; do
	if [ $m = stock ]; then
		echo "remote root's ~/.bashrc as Debian ships it:"
	else
		echo "this machine's /root/.bashrc:"
	fi
	printf '  %-48s %7.3f s\n' "ssh host true (connection + login shell)" \
	    "$(med true_$m)"
	printf '  %-48s %7.3f s\n' "ssh host sendmail -bp (OpenSSH client)" \
	    "$(med bp_$m)"
	printf '  %-48s %7.3f s\n' "smadm -H host queue list --sort none" \
	    "$(med none_$m)"
	printf '  %-48s %7.3f s\n' "smadm -H host queue list (age sort)" \
	    "$(med age_$m)"
	awk -v a="$(med none_$m)" -v s="$(med age_$m)" -v b="$(med bp_$m)" \
	    'BEGIN { if (b <= 0) b = 0.001
		printf "  ratio smadm -H / ssh+sendmail -bp: %.2fx (age sort " \
		    "%.2fx; target <= 0.5x)\n", a / b, s / b }'
done
echo "listing on an open connection (first sshd):"
printf '  %-48s %7.3f s\n' "smadm -H: 2nd listing on the open connection" \
    "$(med held)"
printf '  %-48s %7.3f s\n' "smadm queue list --sort none (local)" "$(med local)"
printf '  %-48s %7.3f s\n' "sendmail -bp (local, in the namespace)" \
    "$(med localbp)"
awk -v h="$(med held)" -v l="$(med local)" 'BEGIN { if (l <= 0) l = 0.001
	printf "  ratio open-connection listing / local listing: %.2fx " \
	    "(target <= 1.3x)\n", h / l }'
