# tests/integration/review16b-sandbox-addr.sh -- failing (review16b): the
# profile check of apply compares only the daemon's port with the
# profile's listen = 127.0.0.1:PORT.  A sandbox whose mc says Addr=0.0.0.0
# (by hand, or by the wizard's listen_addr = 0.0.0.0, which a sandbox also
# accepts) passes, and the sandbox's daemon (host network: the sandbox
# unshares only the mount namespace) would listen on every interface,
# though a sandbox is "on 127.0.0.1 only".  Nothing is started here.
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
sed -i 's/\(^DAEMON_OPTIONS(.*Port=[0-9]*, Addr=\)127\.0\.0\.1/\10.0.0.0/' "$dir/etc/sendmail.mc"
check "the mc now says Addr=0.0.0.0" grep -q 'Addr=0.0.0.0' "$dir/etc/sendmail.mc"
sm -y apply --dry-run > "$T_TMP/apply" 2>&1
check "apply --dry-run names the address that no longer matches the profile" \
    grep -Eq 'profile.*(Addr|0\.0\.0\.0)' "$T_TMP/apply"
printf 'role = local\nhostname = vm.sandbox.example\nlisten_addr = 0.0.0.0\n' > "$T_TMP/ans"
sm wizard --answers "$T_TMP/ans" --print > "$T_TMP/wiz" 2>&1
check_not "the sandbox's wizard does not plan a daemon on 0.0.0.0 silently" \
    sh -c "grep -q '^+DAEMON_OPTIONS.*Addr=0.0.0.0' '$T_TMP/wiz' && ! grep -Eqi '^(smadm|note|warning).*(0\.0\.0\.0|listen_addr)' '$T_TMP/wiz'"
finish
