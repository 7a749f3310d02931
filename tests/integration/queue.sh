#!/bin/sh
# queue.sh -- "smadm queue" against a sandbox whose real daemon filled the
# queue (SMTP on 127.0.0.1, remote mail routed to a dead loopback port) and
# "sendmail -odq" (MTA and submit queues).  For every message smadm agrees
# with "sendmail -bp" (ids, sender, recipients, status, quarantine, size);
# hold, release, delete, flush and bounce are checked with sendmail's own
# view afterwards; a message whose qf lock is held is not deleted.
. "$(dirname "$0")/../lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)

dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
sm daemon start > "$T_TMP/start" 2>&1
check "daemon started" grep -q "started sendmail" "$T_TMP/start"
port=$(sed -n 's/^listen = 127.0.0.1://p' "$dir/smadm.conf")
cf="$dir/etc/sendmail.cf"
smx() { sm sandbox exec /usr/sbin/sendmail -C "$cf" "$@"; }
bp() { smx -bp "$@" 2>&1; }
bp_submit() { smx -O QueueDirectory="$dir/clientmqueue" -bp "$@" 2>&1; }

# --- fill the queue: SMTP through the daemon
python3 - "$port" <<'PY' > "$T_TMP/smtp.out" 2>&1
import smtplib, sys
s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]), timeout=30)
s.ehlo('client.example')
for i in range(6):
    rc = ['r%d@deferred.example' % i]
    if i % 2:
        rc.append('x%d@sub.deferred.example' % i)
    sender = 'carol@client.example' if i < 2 else 'dave%d@other.example' % i
    body = b'From: <%s>\r\nSubject: msg %d caf\xe9\r\n\r\n' % (sender.encode(), i) + b'line\r\n' * (i * 50 + 1)
    s.sendmail(sender, rc, body)
s.quit()
print('sent')
PY
check "six messages sent over SMTP" grep -q sent "$T_TMP/smtp.out"
# --- and by the command line, queued only
printf 'From: Gina <gina@vm.sandbox.example>\nTo: hank@deferred.example\nCc: judy@far.example\nSubject: via -t\n\nbody\n' |
	smx -odq -t -f gina@vm.sandbox.example
printf 'Subject: submit queue\n\nbody\n' |
	smx -O QueueDirectory="$dir/clientmqueue" -odq -f kim@vm.sandbox.example leo@deferred.example
for u in root postmaster; do
	printf 'Subject: for local %s\n\nlocal body\n' "$u" |
		smx -odq -f gina@vm.sandbox.example "$u@vm.sandbox.example"
done
# The daemon's first attempts must be over (no message locked).
idle() { ! bp | grep -q '^[0-9A-Za-x]*\*'; }
wait_for 30 idle
n=$(bp | grep -c '^[0-9A-Za-x]\{8,\}')
check "sendmail -bp lists 9 messages in the MTA queue ($n)" test "$n" -eq 9
check "the submit queue holds one" test "$(bp_submit | grep -c '^[0-9A-Za-x]\{8,\}')" -eq 1

# --- smadm's list agrees with sendmail -bp, message by message
sm queue list --json --queue mta > "$T_TMP/mta.json"
bp > "$T_TMP/mta.bp"
check "MTA queue: smadm agrees with sendmail -bp" python3 "$HERE/queue-bp.py" "$T_TMP/mta.bp" "$T_TMP/mta.json"
sm queue list --json --queue submit > "$T_TMP/sub.json"
bp_submit > "$T_TMP/sub.bp"
check "submit queue: smadm agrees with sendmail -bp" python3 "$HERE/queue-bp.py" "$T_TMP/sub.bp" "$T_TMP/sub.json"
sm queue list > "$T_TMP/list"
check "text list counts 10 messages" grep -q '^10 messages$' "$T_TMP/list"
check "text list escapes bytes" sh -c "sm() { \"$SMADM\" -r \"$dir\" \"\$@\"; }; sm queue list --long | grep -q 'subject msg 0 caf\\\\xe9'"
sm queue list --filter 'from:carol' --json > "$T_TMP/carol.json"
check "filter from:carol selects 2" test "$(grep -c '"id"' "$T_TMP/carol.json")" -eq 2
sm queue list --filter 'domain:sub.deferred.example larger:500' > "$T_TMP/f2"
check "filter domain: + larger:" grep -q '^2 messages of 10$' "$T_TMP/f2"
sm queue list --filter 'to:/^<r[024]@/' > "$T_TMP/f3"
check "regex filter" grep -q '^3 messages of 10$' "$T_TMP/f3"
sm queue list --sort size --json | python3 -c 'import json,sys; s=[m["size"] for m in json.load(sys.stdin)]; sys.exit(s != sorted(s, reverse=True))'
check "sort size: largest first" test $? -eq 0
sm queue summary > "$T_TMP/summary"
check "summary: deferred.example row" grep -qE '^deferred\.example +8 ' "$T_TMP/summary"
check "summary: by last error" grep -q 'Deferred: Connection refused' "$T_TMP/summary"
check_not "a bad filter is refused" sm queue list --filter 'bogus:1'

id1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$T_TMP/carol.json")
id2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[1]["id"])' "$T_TMP/carol.json")
sm queue show "$id1" > "$T_TMP/show"
check "show: envelope" grep -q '^Sender        <carol@client.example>' "$T_TMP/show"
check "show: headers" grep -q '^Subject: msg' "$T_TMP/show"
check "show: body" grep -q '^line$' "$T_TMP/show"

# --- hold and release, seen by sendmail
check_not "hold without --yes and no terminal refuses" sm queue hold "$id1" < /dev/null
sm -y queue hold --reason "incident 7" "$id1" > "$T_TMP/hold" 2>&1
check "hold reports held" grep -q "^$id1: held" "$T_TMP/hold"
bp > "$T_TMP/bp"; check_not "held: gone from sendmail -bp" grep -q "^$id1" "$T_TMP/bp"
bp -qQ > "$T_TMP/bpq"
check "held: sendmail -bp -qQ lists it" grep -q "^$id1" "$T_TMP/bpq"
check "held: with the reason" grep -q "QUARANTINE: incident 7" "$T_TMP/bpq"
sm queue list --json --queue mta > "$T_TMP/mta.json"
cat "$T_TMP/bp" "$T_TMP/bpq" > "$T_TMP/both.bp"
check "after hold: smadm still agrees with -bp and -bp -qQ" python3 "$HERE/queue-bp.py" "$T_TMP/both.bp" "$T_TMP/mta.json"
sm -y queue release --filter 'state:held' > "$T_TMP/rel" 2>&1
check "release reports released" grep -q "^$id1: released" "$T_TMP/rel"
bp > "$T_TMP/bp"; check "released: back in sendmail -bp" grep -q "^$id1" "$T_TMP/bp"
check_not "released: not in -bp -qQ" sh -c "'$SMADM' -r '$dir' sandbox exec /usr/sbin/sendmail -C '$cf' -bp -qQ | grep -q '^$id1'"

# --- delete: never while the lock is held
flock -x "$dir/queue/qf$id2" sleep 6 &
track_pid $!
wait_for 5 sh -c "grep -q FLOCK /proc/locks && '$SMADM' -r '$dir' queue list --filter state:busy | grep -q '^$id2'"
check "a locked message shows as busy" sh -c "'$SMADM' -r '$dir' queue list --filter state:busy | grep -q '^$id2'"
sm -y queue delete "$id2" > "$T_TMP/del" 2>&1
check "locked: busy, not deleted" grep -q "^$id2: busy, not deleted" "$T_TMP/del"
check "locked: qf and df still there" test -f "$dir/queue/qf$id2" -a -f "$dir/queue/df$id2"
wait
# The same id twice is one message: deleted once, reported done, status 0.
sm -y queue delete "$id2" "$id2" > "$T_TMP/del" 2>&1
rc=$?
check "an id given twice: status 0 (got $rc)" test "$rc" -eq 0
check "unlocked: deleted" grep -q "^$id2: deleted" "$T_TMP/del"
check "an id given twice is acted on once" test "$(grep -c "^$id2:" "$T_TMP/del")" -eq 1
check "and counted once" grep -q "1 of 1" "$T_TMP/del"
check "deleted: qf and df gone" test ! -e "$dir/queue/qf$id2" -a ! -e "$dir/queue/df$id2"
bp > "$T_TMP/bp"; check_not "deleted: gone from sendmail -bp" grep -q "^$id2" "$T_TMP/bp"

# --- flush: local mail is delivered by the queue run
l1=$(sm queue list --filter 'to:root@' --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
sm -y queue flush "$l1" > "$T_TMP/fl" 2>&1
check "flush QID: delivered" grep -q "^$l1: delivered" "$T_TMP/fl"
bp > "$T_TMP/bp"; check_not "flushed: gone from sendmail -bp" grep -q "^$l1" "$T_TMP/bp"
check "flushed: in the mailbox" grep -q "for local root" "$dir/mailbox/root"
tries() { sm queue list --filter "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["tries"])'; }
far=$(sm queue list --filter 'domain:far.example' --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
t0=$(tries "id:$far")
sm -y queue flush --domain far.example > "$T_TMP/fl2" 2>&1
check "flush --domain: the plan names the message" grep -q "^  $far " "$T_TMP/fl2"
check "flush --domain: reported still queued" grep -q "^$far: still queued: Deferred" "$T_TMP/fl2"
check "flush --domain: sendmail tried it once more" test "$(tries "id:$far")" -eq $((t0 + 1))
sm -y queue flush --all > "$T_TMP/fl4" 2>&1
check "flush --all: the local message delivered" grep -q "for local postmaster" "$dir/mailbox/root"
check "flush --all: reported delivered" grep -q ": delivered" "$T_TMP/fl4"
d1=$(sm queue list --filter 'from:dave2' --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
sm -y queue flush "$d1" > "$T_TMP/fl3" 2>&1
check "flush of a deferred message: still queued, with its error" grep -q "^$d1: still queued: Deferred" "$T_TMP/fl3"

# --- bounce: sendmail's own timeout path
sm -y queue bounce "$d1" > "$T_TMP/bo" 2>&1
check "bounce reports bounced" grep -q "^$d1: bounced" "$T_TMP/bo"
bp > "$T_TMP/bp"; check_not "bounced: gone from sendmail -bp" grep -q "^$d1" "$T_TMP/bp"
check "bounced: sendmail logged the return" wait_for 5 grep -q "$d1: .*Cannot send message for 1 second" "$dir/log/mail.log"

# --- a final agreement check after all that
sm queue list --json --queue mta > "$T_TMP/mta.json"
bp > "$T_TMP/mta.bp"
check "at the end: smadm agrees with sendmail -bp" python3 "$HERE/queue-bp.py" "$T_TMP/mta.bp" "$T_TMP/mta.json"

# --- a queue large enough for the io_uring reader (groups of 32 files, a
# second thread): the messages left, cloned under 600 new ids the way
# sendmail writes them (tf, then rename); the same listing read both ways,
# and sendmail -bp agrees.  The daemon is stopped so no queue run locks or
# delivers a message between the listings.
sm -y daemon stop > /dev/null 2>&1
python3 - "$dir/queue" 600 <<'PY'
import os, sys
q, count = sys.argv[1], int(sys.argv[2])
pairs = [(f[2:], open(os.path.join(q, f), 'rb').read(), open(os.path.join(q, 'df' + f[2:]), 'rb').read())
         for f in sorted(os.listdir(q)) if f.startswith('qf') and os.path.exists(os.path.join(q, 'df' + f[2:]))]
D = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx'
for i in range(count):
    old, qf, df = pairs[i % len(pairs)]
    mid = D[(i // 3600) % 60] + D[(i // 60) % 60] + D[i % 60] + 'x'
    new = old[:4] + mid + old[8:]
    if os.path.exists(os.path.join(q, 'qf' + new)):
        continue
    open(os.path.join(q, 'df' + new), 'wb').write(df)
    with open(os.path.join(q, 'tf' + new), 'wb') as f:
        f.write(qf.replace(old.encode(), new.encode()))
    os.rename(os.path.join(q, 'tf' + new), os.path.join(q, 'qf' + new))
PY
sm queue list --json --queue mta > "$T_TMP/big1.json"
SMADM_IO_URING=0 sm queue list --json --queue mta > "$T_TMP/big0.json"
check "about 600 more messages listed" test "$(grep -c '"id"' "$T_TMP/big1.json")" -ge 590
check "io_uring and plain reads list the same" cmp -s "$T_TMP/big1.json" "$T_TMP/big0.json"
bp > "$T_TMP/big.bp"
check "the large queue: smadm agrees with sendmail -bp" python3 "$HERE/queue-bp.py" "$T_TMP/big.bp" "$T_TMP/big1.json"
finish
