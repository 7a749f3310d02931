# tests/integration/service.sh -- "daemon start|stop" through a service
# manager named by the profile (service_start, service_stop).  The manager
# here is a small script that records how it was called and starts or
# stops the same sandbox through a second profile without those keys, so
# the real daemon runs and smadm must find it through the pid file.
. "$(dirname "$0")/../lib.sh"

plain=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
# The managed profile: the sandbox's, its relative paths made absolute.
dir=$T_TMP/managed
mkdir -p "$dir"
awk -v d="$plain" -F ' = ' '
	$1 ~ /^(sandbox|listen|daemon_label|daemon_flags|syslog_command)$/ || $2 ~ /^\// { print; next }
	NF == 2 { print $1 " = " d "/" $2; next }
	{ print }' "$plain/smadm.conf" > "$dir/smadm.conf"
calls=$T_TMP/manager.calls
cat > "$T_TMP/manager" <<SCRIPT
#!/bin/sh
echo "\$*" >> "$calls"
case \$1 in
start) exec "$SMADM" -r "$plain" daemon start ;;
stop) exec "$SMADM" -y -r "$plain" daemon stop ;;
fail) echo "unit sendmail.service not found" >&2; exit 5 ;;
esac
SCRIPT
chmod 755 "$T_TMP/manager"
printf 'service_start = %s start sendmail\nservice_stop = %s stop sendmail\n' \
    "$T_TMP/manager" "$T_TMP/manager" >> "$dir/smadm.conf"

out=$("$SMADM" -r "$dir" daemon start 2>&1)
check "daemon start runs the service manager" grep -qx "start sendmail" "$calls"
pid=$(head -n1 "$plain/run/sendmail.pid" 2>/dev/null)
check "the daemon it started is verified running" sh -c "'$SMADM' -r '$dir' status | grep -q '^daemon: *running, pid $pid'"
check "the report names the manager" sh -c "printf '%s\n' \"\$1\" | grep -q 'ran $T_TMP/manager'" sh "$out"
check_not "stop without --yes and no terminal refuses" "$SMADM" -r "$dir" daemon stop
check "... and the manager was not called to stop" sh -c "! grep -q '^stop' '$calls'"
check "daemon stop -y runs the service manager" "$SMADM" -y -r "$dir" daemon stop
check "... which was called with stop sendmail" grep -qx "stop sendmail" "$calls"
check "... and the daemon is gone" sh -c "! kill -0 $pid 2>/dev/null || grep -q '^State:.*Z' /proc/$pid/status"

sed -i "s|^service_start = .*|service_start = $T_TMP/manager fail|" "$dir/smadm.conf"
out=$("$SMADM" -r "$dir" daemon start 2>&1)
rc=$?
check "a failing manager fails the start" [ "$rc" -ne 0 ]
check "... with its status and message" sh -c "printf '%s\n' \"\$1\" | grep -q 'manager exited 5: unit sendmail.service not found'" sh "$out"
check "... and nothing runs" sh -c "! '$SMADM' -r '$dir' status | grep -q '^daemon: *running'"

sed -i "s|^service_start = .*|service_start = manager start|" "$dir/smadm.conf"
check_not "a relative manager path is refused" "$SMADM" -r "$dir" daemon start
finish
