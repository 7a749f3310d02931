# tests/integration/hostname.sh -- a host name sendmail sleeps on.  In the
# sandbox's private namespace (its own hosts file; the real /etc/hosts is
# never touched) the machine's short name is listed without a qualified
# one, as a stock /etc/hosts often has it: the real sendmail -bt then
# stalls (checked, and stopped), and smadm says so instead of waiting:
# status (text and --json) and the audit name the problem and the fix,
# the audit does not run sendmail for the version, apply and cf check fail
# at once with the reason.  With the qualified name first on the line,
# everything is quick again.
. "$(dirname "$0")/../lib.sh"

sm() { "$SMADM" -r "$dir" "$@"; }
dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
hosts=$dir/ns/hosts
name=$(cat /proc/sys/kernel/hostname)
short=${name%%.*}
cp "$hosts" "$T_TMP/hosts.good"

sm status > "$T_TMP/s0" 2>&1
check "status: the qualified name" grep -Eq '^hostname: +[^ ]+\.[^ ]+$' "$T_TMP/s0"
sm audit --all --no-live > "$T_TMP/a0" 2>&1
check "audit: the hostname check passes" grep -q '^pass *hostname ' "$T_TMP/a0"

# --- the short name alone, as "127.0.1.1 vm" in a stock /etc/hosts
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n' "$short" > "$hosts"
case $name in
*.*)	# A qualified kernel name: sendmail never looks further.
	sm status > "$T_TMP/s1" 2>&1
	check "qualified kernel name: no problem" grep -qx "hostname:      $name" "$T_TMP/s1"
	cp "$T_TMP/hosts.good" "$hosts"
	finish; exit $? ;;
esac
# The real sendmail stalls on it (in its own session, stopped after 6 s).
setsid sh -c "exec '$SMADM' -r '$dir' sandbox exec /usr/sbin/sendmail -C '$dir/etc/sendmail.cf' -bt -d0.1 </dev/null >'$T_TMP/bt' 2>&1" &
btpid=$!
track_pid "$btpid"
sleep 6
if kill -0 "$btpid" 2>/dev/null; then ok "sendmail -bt really stalls on it"
else bad "sendmail -bt did not stall"; sed 's/^/      | /' "$T_TMP/bt"; fi
kill -KILL -- "-$btpid" 2>/dev/null
# sendmail runs in a process group of its own: stop it by its pid, found
# by this sandbox's own cf path.
for p in $(pgrep -f "sendmail -C $dir/etc/sendmail.cf -bt"); do
	kill "$p" 2>/dev/null
done

sm status > "$T_TMP/s2" 2>&1
check "status: names the problem" grep -q "^hostname: *PROBLEM: host name $short is unqualified and $hosts:2" "$T_TMP/s2"
check "status: says sendmail sleeps 60 s" grep -q 'sleeping for retry' "$T_TMP/s2"
check "status: offers the fix" grep -q "fix: *list the qualified name first for $short in $hosts" "$T_TMP/s2"
check "status: and tells about confDOMAIN_NAME" grep -q "confDOMAIN_NAME" "$T_TMP/s2"
check "status --json: hostname.problem" sh -c "'$SMADM' -r '$dir' status --json | python3 -c '
import json, sys
h = json.load(sys.stdin)[\"hostname\"]
assert h[\"name\"] == \"$short\" and h[\"qualified\"] is None
assert \"sleeps 60 s\" in h[\"problem\"] and \"$hosts\" in h[\"fix\"]
'"
start=$(date +%s)
sm audit --no-live > "$T_TMP/a1" 2>&1
took=$(( $(date +%s) - start ))
check "audit: medium hostname finding" grep -q '^medium *hostname ' "$T_TMP/a1"
check "audit: says the version was not asked, and why" grep -q 'version was not asked: sendmail -bt would sleep 60 s' "$T_TMP/a1"
check "audit: did not wait for sendmail (${took}s)" test "$took" -lt 10
sm audit show hostname > "$T_TMP/a2" 2>&1
check "audit show: the fix, by hand" grep -q "127.0.1.1 $short.example.org $short" "$T_TMP/a2"
check_not "audit fix refuses (by hand only)" sm -y audit fix hostname
start=$(date +%s)
sm mc set confLOG_LEVEL 11 > /dev/null 2>&1
sm -y apply > "$T_TMP/ap" 2>&1
rc=$?
took=$(( $(date +%s) - start ))
check "apply fails" test "$rc" -ne 0
check "apply says why at once (${took}s)" test "$took" -lt 10
check "apply names the host name" grep -q 'not validated: sendmail would sleep 60 s first: host name' "$T_TMP/ap"
check_not "cf check fails the same way" sm cf check

# --- fixed: the qualified name first
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s.sandbox.example %s\n' "$short" "$short" > "$hosts"
sm status > "$T_TMP/s3" 2>&1
check "status: fixed" grep -qx "hostname:      $short.sandbox.example" "$T_TMP/s3"
sm audit --all --no-live > "$T_TMP/a3" 2>&1
check "audit: passes, version asked" sh -c "grep -q '^pass *hostname ' '$T_TMP/a3' && ! grep -q 'version was not asked' '$T_TMP/a3'"
start=$(date +%s)
check "apply works" sm -y apply
check "and is quick" test $(( $(date +%s) - start )) -lt 30
cp "$T_TMP/hosts.good" "$hosts"
finish
