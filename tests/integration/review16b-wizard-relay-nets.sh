# tests/integration/review16b-wizard-relay-nets.sh -- failing (review16b):
# relay_nets accepts words that make an access key sendmail never looks up:
# "::1" (sendmail's IPv6 keys are "Connect:IPv6:..."), "192.0.2." (a
# trailing dot: sendmail tries 192.0.2.1, 192.0.2, 192.0, 192) and
# "256.1" (no such octet).  The wizard writes "Connect:::1 RELAY" etc. and
# says nothing; it must refuse them naming FILE:LINE like "192.0.2.0/24".
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
for net in '::1' '192.0.2.' '256.1'; do
	printf 'role = local\nhostname = vm.sandbox.example\nrelay_nets = %s\n' "$net" > "$T_TMP/ans"
	"$SMADM" -r "$dir" wizard --answers "$T_TMP/ans" --print > "$T_TMP/out" 2>&1
	check "relay_nets $net: refused, naming ans:3" grep -q 'ans:3: relay_nets' "$T_TMP/out"
	check_not "relay_nets $net: no dead Connect:$net entry planned" grep -qxF "+Connect:$net	RELAY" "$T_TMP/out"
done
finish
