# tests/integration/wizard-relay-nets.sh -- relay_nets words become access
# keys sendmail really looks up.  Refused, naming FILE:LINE: "192.0.2."
# (a trailing dot: sendmail tries 192.0.2.1, 192.0.2, 192.0, 192), "256.1"
# (no such octet), "1.2.3.4.5", "2001:db8:", "db8".  Accepted: IPv6
# addresses and prefixes with or without their "IPv6:" tag, written with
# it ("Connect:IPv6:::1"), as sendmail's ${client_addr} has it; the real
# sendmail's check_relay then lets such a client relay.
. "$(dirname "$0")/../lib.sh"

sm() { "$SMADM" -r "$dir" "$@"; }
dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
etc=$dir/etc
for net in '192.0.2.' '256.1' '1.2.3.4.5' '2001:db8:' 'db8' '192.0.2.0/24' 'IPv6:192.0.2'; do
	printf 'role = local\nhostname = vm.sandbox.example\nrelay_nets = %s\n' "$net" > "$T_TMP/ans"
	sm wizard --answers "$T_TMP/ans" --print > "$T_TMP/out" 2>&1
	check "relay_nets $net: refused, naming ans:3" grep -q 'ans:3: relay_nets' "$T_TMP/out"
	check_not "relay_nets $net: no Connect:$net entry planned" grep -qF "+Connect:$net	" "$T_TMP/out"
done
printf 'role = local\nhostname = vm.sandbox.example\nrelay_nets = 198.51.100 2001:db8 IPv6:2001:db9:1 ::1 127.0.0.1\n' > "$T_TMP/ans"
sm wizard --answers "$T_TMP/ans" --print > "$T_TMP/out" 2>&1
check "IPv6 nets accepted" test $? -eq 0
check "2001:db8 gets the IPv6: tag" grep -qx '+Connect:IPv6:2001:db8	RELAY' "$T_TMP/out"
check "IPv6:2001:db9:1 keeps its tag" grep -qx '+Connect:IPv6:2001:db9:1	RELAY' "$T_TMP/out"
check_not "no untagged IPv6 key" grep -q '^+Connect:::1\|^+Connect:2001' "$T_TMP/out"

check "written" sm -y wizard --answers "$T_TMP/ans"
check "apply" sm -y apply
check "map build access" sm map build access
for k in Connect:IPv6:::1 Connect:127.0.0.1; do
	check "$k once in access" test "$(grep -c "^$k	" "$etc/access")" = 1
done
# sendmail's own check (proto.m4's Relay_ok, as check_rcpt runs it): may a
# client at this address relay?
relay() {
	printf '.D{client_addr}%s\nRelay_ok x\n' "$1" | sm sandbox exec \
	    /usr/sbin/sendmail -C "$etc/sendmail.cf" -bt 2>&1 |
	    grep 'Relay_ok *returns'
}
for a in IPv6:2001:db8::5 IPv6:2001:db9:1::7 198.51.100.9; do
	out=$(relay $a)
	case $out in
	*"returns: RELAY"*) ok "sendmail: a client at $a may relay" ;;
	*) bad "sendmail: a client at $a may relay (got: $out)" ;;
	esac
done
out=$(relay IPv6:2001:dba::5)
case $out in
*"returns: RELAY"*) bad "sendmail: 2001:dba::5 may not relay (control; got: $out)" ;;
*returns*) ok "sendmail: a client at 2001:dba::5 may not relay (control)" ;;
*) bad "sendmail: no answer for 2001:dba::5" ;;
esac

# An untagged key the added Connect: one overrides gets a note.
printf '203.0.113\tREJECT\n' >> "$etc/access"
printf 'role = local\nhostname = vm.sandbox.example\nrelay_nets = 203.0.113\n' > "$T_TMP/ans3"
sm wizard --answers "$T_TMP/ans3" --print > "$T_TMP/out3" 2>&1
check "untagged 203.0.113 REJECT: a note says Connect:203.0.113 RELAY wins" \
    grep -q '^note: .*access:[0-9]*: 203.0.113 "REJECT" (untagged) stays, but sendmail looks up the tagged key first: for connections the added Connect:203.0.113 "RELAY" wins' "$T_TMP/out3"
finish
