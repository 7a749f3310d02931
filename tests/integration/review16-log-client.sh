# tests/integration/review16-log-client.sh -- (review of issue 16) "log
# search ip:X finds an attacker's every line".  Lines sendmail writes
# with the client as "name [addr]" but without relay= (pre-greeting
# traffic, VRFY/EXPN refused), and a busybox syslogd line
# (facility.priority after the host name), must carry ip:.
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
log=$dir/log/mail.log
cat > "$log" <<'EOL'
Jun 17 14:38:04 mx1 sm-mta[3004]: 55HEbdqA003004: rejecting commands from bad.example [192.0.2.8] due to pre-greeting traffic after 0 seconds
Jun 17 14:38:05 mx1 sm-mta[3005]: 55HEbdqA003005: bad.example [192.0.2.8]: VRFY root [rejected]
Jun 17 14:38:06 mx1 sm-mta[3006]: 55HEbdqA003006: bad.example [192.0.2.8]: EXPN staff [rejected]
Jun 17 14:38:08 mx1 mail.info sm-mta[3008]: 55HEbdqA003008: lost input channel from bad.example [192.0.2.8] to MTA after rcpt
EOL
sm log search ip:192.0.2.8 > "$T_TMP/found" 2>&1
for pid in 3004 3005 3006 3008; do
	check "ip:192.0.2.8 finds sm-mta[$pid]'s line" grep -q "\[$pid\]" "$T_TMP/found"
done
finish
