#!/bin/sh
# tests/integration/log-wild.sh -- "smadm log search" and "log tail" on mail
# logs as syslog daemons write them (tests/fixtures/log/syslog-*.log): every
# time and priority format parses, the attack kinds are found by kind:, and
# ip: finds every line of one client (also those without relay=, and IPv6
# written long or short); a last line without a newline shows.
# Then the same from a real sandbox daemon: failed AUTH and an SMTP attack
# sent over loopback are found by kind: and user:.
. "$(dirname "$0")/../lib.sh"
FIX=$(cd "$(dirname "$0")/../fixtures/log" && pwd)

D=$T_TMP/prof
mkdir -p "$D"
printf 'mail_log = mail.log\n' > "$D/smadm.conf"
sm() { "$SMADM" -r "$D" "$@"; }
count() { sm log search "$@" 2>/dev/null | wc -l; }

# --- every syslog format: all 18 lines are from= lines of one message
cp "$FIX/syslog-formats.log" "$D/mail.log"
check "all 18 formats parse as from= lines" test "$(count kind:from)" -eq 18
check "qid: finds the message in every format" test "$(count qid:65HEbdXk002794)" -eq 18
check "ip: finds it in every format" test "$(count ip:192.0.2.8)" -eq 18
check "host: works with and without a domain" test "$(count host:mx1)" -eq 18
sm log search --json kind:from > "$T_TMP/json"
check "one second for every format (2026-06-17 14:37:39 UTC)" \
	test "$(grep -c '"epoch": 1781707059\.' "$T_TMP/json")" -eq 18
check_not "no line left unknown" sh -c "'$SMADM' -r '$D' log search kind:unknown | grep -q ."

# --- the kinds of an attack
cp "$FIX/syslog-kinds.log" "$D/mail.log"
check "kind:auth-fail" test "$(count kind:auth-fail)" -eq 2
check "kind:attack" test "$(count kind:attack)" -eq 2
check "kind:lost (lost input channel, timeout)" test "$(count kind:lost)" -eq 2
check "kind:no-mail" test "$(count kind:no-mail)" -eq 1
check "kind:reject (check_rcpt and milter)" test "$(count kind:reject)" -eq 2
check "kind:milter" test "$(count kind:milter)" -eq 2
check "kind:tls" test "$(count kind:tls)" -eq 2
check "kind:tls-fail" test "$(count kind:tls-fail)" -eq 3
check "kind:auth" test "$(count kind:auth)" -eq 1
check "ip: finds the attacker's every line" test "$(count ip:192.0.2.8)" -eq 9
check "ip: of an IPv6 client, without IPv6:" test "$(count ip:2001:db8::8)" -eq 2
check "user: of a failed AUTH" test "$(count user:admin)" -eq 1
check "user: of a good AUTH (authid)" test "$(count user:carol)" -eq 1
check "relay: of a lost channel" test "$(count kind:lost relay:unknown)" -eq 2
check "verify: of STARTTLS" test "$(count verify:FAIL)" -eq 1
check "command: of an attack" test "$(count command:AUTH)" -eq 1
check "syslog_pri: of the priority prefix" test "$(count syslog_pri:mail.warning)" -eq 5

# --- an attacker's lines without relay= (pre-greeting traffic, VRFY and
# EXPN refused), in busybox syslogd's form too, carry ip: and relay:
cat > "$D/mail.log" <<'EOL'
Jun 17 14:38:04 mx1 sm-mta[3004]: 55HEbdqA003004: rejecting commands from bad.example [192.0.2.8] due to pre-greeting traffic after 0 seconds
Jun 17 14:38:05 mx1 sm-mta[3005]: 55HEbdqA003005: bad.example [192.0.2.8]: VRFY root [rejected]
Jun 17 14:38:06 mx1 sm-mta[3006]: 55HEbdqA003006: bad.example [192.0.2.8]: EXPN staff [rejected]
Jun 17 14:38:08 mx1 mail.info sm-mta[3008]: 55HEbdqA003008: lost input channel from bad.example [192.0.2.8] to MTA after rcpt
<22>Jun 17 14:38:09 sm-mta[3009]: 55HEbdqA003009: lost input channel from bad.example [192.0.2.8] to MTA after rcpt
Jun 17 14:38:10 mx1 sm-mta[3010]: 55HEbdqA003010: lost input channel from [IPv6:2001:db8:0:0::9] to MTA after rcpt
Jun 17 14:38:11 <mail.info> mx1 sm-mta[3011]: 55HEbdqA003011: to=<u@example.org>, delay=00:00:00, mailer=esmtp, pri=30356, dsn=2.0.0, stat=Sent
EOL
sm log search ip:192.0.2.8 > "$T_TMP/found" 2>&1
for pid in 3004 3005 3006 3008 3009; do
	check "ip:192.0.2.8 finds sm-mta[$pid]'s line" grep -q "\[$pid\]" "$T_TMP/found"
done
check "relay: of pre-greeting traffic" test "$(count kind:attack relay:bad.example)" -eq 3
check "VRFY and EXPN refused: kind attack, command:" \
	test "$(count kind:attack command:VRFY,EXPN)" -eq 2
check "the host-less RFC 3164 line has no host" test "$(count host:mx1)" -eq 6
check "ip: matches an IPv6 address written shorter" test "$(count ip:2001:db8::9)" -eq 1
check "ip: matches an IPv6 address written longer" \
	test "$(count ip:2001:0db8:0000:0000:0000:0000:0000:0009)" -eq 1
sm log search --json pid:3008 > "$T_TMP/json" 2>&1
check "--json: the syslog priority is syslog_pri" grep -q '"syslog_pri": "mail.info"' "$T_TMP/json"
sm log search --json pid:3011 > "$T_TMP/json" 2>&1
check "--json: pri is sendmail's pri= alone" \
	sh -c "grep -q '\"pri\": \"30356\"' '$T_TMP/json' && test \$(grep -o '\"pri\"' '$T_TMP/json' | wc -l) -eq 1"
printf 'Wed 2026-06-17 14:37:39 UTC mx1 sm-mta[2794]: x\n' > "$D/mail.log"
TZ=Europe/Berlin "$SMADM" -r "$D" log search --json pid:2794 > "$T_TMP/json" 2>&1
check "journalctl -o short-full: UTC whatever TZ, host after the zone" \
	grep -q '"epoch": 1781707059\..*"host": "mx1"' "$T_TMP/json"

# --- log tail: a last line without its newline
printf 'Jun 17 14:40:00 mx1 sm-mta[2900]: NOQUEUE: connect from unknown [192.0.2.9]' >> "$D/mail.log"
sm log tail -n 2 > "$T_TMP/out" 2>&1
check "log tail shows a last line without a newline" \
	test "$(tail -n 1 "$T_TMP/out")" = "Jun 17 14:40:00 mx1 sm-mta[2900]: NOQUEUE: connect from unknown [192.0.2.9]"
check "log tail -n 2 shows two lines" test "$(wc -l < "$T_TMP/out")" -eq 2
sm log tail -n 1 -F ip:192.0.2.9 > "$T_TMP/out" 2>&1
check "the unended line is filtered like the others" grep -q 'connect from unknown \[192.0.2.9\]' "$T_TMP/out"
# -f: a line ended after it was shown is not shown twice.
"$SMADM" -r "$D" log tail -f -n 1 > "$T_TMP/follow" 2>&1 &
fpid=$!
track_pid $fpid
sleep 2
printf '\nJun 17 14:40:01 mx1 sm-mta[2900]: NOQUEUE: connect from unknown [192.0.2.10]\n' >> "$D/mail.log"
sleep 1
printf 'Jun 17 14:40:02 mx1 sm-mta[2900]: tail' >> "$D/mail.log"
sleep 2
kill $fpid 2>/dev/null
wait $fpid 2>/dev/null
check "-f: the unended line once" test "$(grep -c '192.0.2.9]$' "$T_TMP/follow")" -eq 1
check "-f: then the next line" grep -q '192.0.2.10' "$T_TMP/follow"
check "-f: a new unended line shows after a second" grep -q 'sm-mta\[2900\]: tail$' "$T_TMP/follow"

# --- a real daemon: failed AUTH and an attack, found by kind:, user:, ip:
dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
"$SMADM" -y -r "$dir" daemon start > /dev/null 2>&1
port=$(sed -n 's/^listen = 127.0.0.1://p' "$dir/smadm.conf")
check "sandbox daemon listens" wait_for 10 port_listening "$port"
python3 - "$port" <<'EOF'
import base64, socket, sys
def session(cmds):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
    f = s.makefile("rwb")
    def reply():
        while True:
            line = f.readline()
            if not line or line[3:4] != b"-":
                return
    reply()
    for c in cmds:
        f.write(c.encode() + b"\r\n")
        f.flush()
        reply()
    s.close()
session(["EHLO a.example", "AUTH CRAM-MD5",
    base64.b64encode(b"mallory 00112233445566778899aabbccddeeff").decode(),
    "QUIT"])
session(["HELO a.example"] * 5 + ["QUIT"])
EOF
log=$dir/log/mail.log
check "the daemon logged the AUTH failure" wait_for 10 grep -q 'AUTH failure' "$log"
check "the daemon logged the attack" wait_for 10 grep -q 'possible SMTP attack' "$log"
ds() { "$SMADM" -r "$dir" log search "$@" 2>/dev/null | wc -l; }
check "kind:auth-fail finds it" test "$(ds kind:auth-fail user:mallory)" -eq 1
check "kind:attack finds it" test "$(ds kind:attack command:HELO/EHLO)" -eq 1
check "ip:127.0.0.1 finds both and the no-mail lines" test "$(ds ip:127.0.0.1 kind:auth-fail,attack,no-mail)" -ge 4

finish
