# tests/integration/wizard-ignored-answers.sh -- answers the role does not
# use used to vanish without a word (role=local with smart_host: no
# SMART_HOST, mail goes straight to the MX hosts; role=nullclient with
# relay_nets: no access entry), and a key given twice silently took the
# last value.  Now: an unused answer gets a note naming FILE:LINE; a key
# given twice is an error naming both lines, except the table keys, which
# repeat (but one address twice with two targets is an error).
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
run() {	# run ANSWERS: --print into $T_TMP/out, exit status in $rc
	printf '%s\n' "$1" > "$T_TMP/ans"
	"$SMADM" -r "$dir" wizard --answers "$T_TMP/ans" --print > "$T_TMP/out" 2>&1
	rc=$?
}
run 'role = local
hostname = vm.sandbox.example
smart_host = relay:[192.0.2.1]'
check "local + smart_host: a note names ans:3" grep -q '^note: .*ans:3: smart_host: role local does not use it' "$T_TMP/out"
check "local + smart_host: still planned" test $rc -eq 0
run 'role = nullclient
hostname = vm.sandbox.example
smart_host = relay:[192.0.2.1]
relay_nets = 10.1'
check "nullclient + relay_nets: a note names ans:4" grep -q '^note: .*ans:4: relay_nets: role nullclient does not use it' "$T_TMP/out"
run 'role = local
role = gateway
hostname = vm.sandbox.example'
check "role twice: refused" test $rc -ne 0
check "role twice: the error names both lines" grep -q 'ans:2: role given again (first at line 1)' "$T_TMP/out"
run 'role = local
hostname = vm.sandbox.example
relay_nets = 10.1
relay_nets = 10.2'
check "relay_nets twice: the error names both lines" grep -q 'ans:4: relay_nets given again (first at line 3)' "$T_TMP/out"
run 'role = gateway
hostname = vm.sandbox.example
virtusertable = new@example.com one
virtusertable = NEW@example.com two'
check "one address twice with two targets: refused" test $rc -ne 0
check "... naming both lines" grep -q 'ans:4: virtusertable: NEW@example.com given again with another target (first at line 3: "one")' "$T_TMP/out"
run 'role = gateway
hostname = vm.sandbox.example
virtusertable = new@example.com one
virtusertable = new@example.com one
virtusertable = other@example.com two
mailertable = a.example smtp:[192.0.2.1]
mailertable = b.example smtp:[192.0.2.2]'
check "table keys repeat: accepted" test $rc -eq 0
check "... both virtusertable addresses planned" sh -c "grep -q '^+new@example.com' '$T_TMP/out' && grep -q '^+other@example.com' '$T_TMP/out'"
check "... both mailertable domains planned" sh -c "grep -q '^+a.example' '$T_TMP/out' && grep -q '^+b.example' '$T_TMP/out'"
finish
