#!/bin/sh
# bench/queue-ssh.sh -- listing a 10,000-message sandbox queue over SSH on
# loopback: "smadm -H host queue list" against what admins do today,
# "ssh host sendmail -bp" (OpenSSH client, same key, the sandbox's cf), in
# one run, side by side.  Also a second listing over the connection the
# first one opened (the console keeps its connection; --bench-repeat runs
# the command again on the same connection) against the local listing.
# A private sshd on 127.0.0.1 (own host key, key-only root login) is
# started and stopped here.  Targets: smadm -H at most 0.5x ssh + sendmail
# -bp; a listing on an open connection at most 1.3x the local one.
#
#	sh bench/queue-ssh.sh [COUNT]		(default 10000)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
SMADM=${SMADM:-$top/smadm}
[ -x "$SMADM" ] || { echo "build smadm first (make)"; exit 1; }
N=${1:-10000}
W=$(mktemp -d /tmp/smadm-bench-XXXXXX)
chmod 755 "$W"
SB="$W/sb"
SSHD_PID=
cleanup() {
	[ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null
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

# --- a private sshd and a HOME that knows it
H=$W/home
mkdir -p "$H/.ssh" /run/sshd
chmod 700 "$H/.ssh"
ssh-keygen -q -t ed25519 -N '' -f "$W/hostkey" >/dev/null
ssh-keygen -q -t ed25519 -N '' -f "$H/.ssh/id_ed25519" >/dev/null
cp "$H/.ssh/id_ed25519.pub" "$W/authorized_keys"
sport=$(( 30000 + $$ % 9000 ))
cat > "$W/sshd_config" <<EOF
Port $sport
ListenAddress 127.0.0.1
HostKey $W/hostkey
PidFile $W/sshd.pid
AuthorizedKeysFile $W/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel ERROR
EOF
/usr/sbin/sshd -D -f "$W/sshd_config" -E "$W/sshd.log" &
SSHD_PID=$!
i=0
while ! ss -Hltn "sport = :$sport" | grep -q . && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
printf '[127.0.0.1]:%s %s\n' "$sport" "$(cut -d' ' -f1,2 "$W/hostkey.pub")" > "$H/.ssh/known_hosts"
printf 'Host benchhost\n\tHostName 127.0.0.1\n\tPort %s\n\tUser root\n\tIdentityFile %s\n' \
    "$sport" "$H/.ssh/id_ed25519" > "$H/.ssh/config"
unset SSH_AUTH_SOCK

count=$(ls "$SB/queue" | grep -c '^qf')
echo "$count queued messages in $SB/queue, sshd on 127.0.0.1:$sport"

# median of 3 wall-clock times (warm cache) of a command
med3() {
	"$@" > /dev/null 2>&1
	: > "$W/times"
	for _r in 1 2 3; do
		/usr/bin/time -f '%e' -o "$W/t" "$@" > /dev/null 2> "$W/err" ||
			{ echo "failed: $*"; cat "$W/err"; }
		cat "$W/t" >> "$W/times"
	done
	sort -n "$W/times" | sed -n 2p
}
# What admins do: ssh, then sendmail -bp with the sandbox's cf (inside its
# namespace, which the sandbox needs: smadm sandbox exec).
bp_cmd="$SMADM -r $SB sandbox exec /usr/sbin/sendmail -C $cf -bp"
ssh_bp=$(med3 env HOME="$H" ssh -F "$H/.ssh/config" -o BatchMode=yes -o UserKnownHostsFile="$H/.ssh/known_hosts" benchhost "$bp_cmd")
smadm_h=$(med3 env HOME="$H" "$SMADM" -H benchhost -r "$SB" queue list --sort none)
smadm_hs=$(med3 env HOME="$H" "$SMADM" -H benchhost -r "$SB" queue list)
local_l=$(med3 "$SMADM" -r "$SB" queue list --sort none)
# The second of two listings on one connection (smadm prints per-run times).
: > "$W/rep"
for _r in 1 2 3; do
	HOME=$H "$SMADM" --bench-repeat 2 -H benchhost -r "$SB" queue list --sort none 2>&1 >/dev/null |
		sed -n 's/^smadm: run 2: \([0-9.]*\) s$/\1/p' >> "$W/rep"
done
held=$(sort -n "$W/rep" | sed -n 2p)
local_b=$(med3 "$SMADM" -r "$SB" sandbox exec /usr/sbin/sendmail -C "$cf" -bp)

printf '  %-48s %7.3f s\n' "ssh host sendmail -bp (OpenSSH client)" "$ssh_bp"
printf '  %-48s %7.3f s\n' "smadm -H host queue list --sort none" "$smadm_h"
printf '  %-48s %7.3f s\n' "smadm -H host queue list (age sort)" "$smadm_hs"
printf '  %-48s %7.3f s\n' "smadm -H: 2nd listing on the open connection" "$held"
printf '  %-48s %7.3f s\n' "smadm queue list --sort none (local)" "$local_l"
printf '  %-48s %7.3f s\n' "sendmail -bp (local, in the namespace)" "$local_b"
awk -v a="$smadm_h" -v s="$smadm_hs" -v b="$ssh_bp" -v h="$held" -v l="$local_l" 'BEGIN {
	if (b <= 0) b = 0.001; if (l <= 0) l = 0.001
	printf "  ratio smadm -H / ssh+sendmail -bp: %.2fx (age sort %.2fx; target <= 0.5x)\n", a / b, s / b
	printf "  ratio open-connection listing / local listing: %.2fx (target <= 1.3x)\n", h / l }'
