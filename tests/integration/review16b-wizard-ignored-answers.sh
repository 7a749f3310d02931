# tests/integration/review16b-wizard-ignored-answers.sh -- failing
# (review16b): answers the role does not use vanish without a word.
# role=local with smart_host: no SMART_HOST in the mc, so outgoing mail
# goes straight to MX hosts while the admin asked for a relay;
# role=nullclient with relay_nets: no access entry and no note; a key given
# twice (role, virtusertable): the last silently wins.  Each must be
# refused or named in a note/warning.
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
try() {	# try DESC WORD ANSWERS: the output mentions WORD in an error or note
	printf '%s\n' "$3" > "$T_TMP/ans"
	"$SMADM" -r "$dir" wizard --answers "$T_TMP/ans" --print > "$T_TMP/out" 2>&1
	check "$1" grep -Eqi "^(smadm|note|warning).*$2" "$T_TMP/out"
}
try "local + smart_host: smart_host not silently dropped" smart_host \
    'role = local
hostname = vm.sandbox.example
smart_host = relay:[192.0.2.1]'
try "nullclient + relay_nets: relay_nets not silently dropped" relay_nets \
    'role = nullclient
hostname = vm.sandbox.example
smart_host = relay:[192.0.2.1]
relay_nets = 10.1'
try "role given twice: said" role \
    'role = local
role = gateway
hostname = vm.sandbox.example'
try "one virtusertable key twice with two targets: said" virtusertable \
    'role = gateway
hostname = vm.sandbox.example
virtusertable = new@example.com one
virtusertable = new@example.com two'
finish
