# tests/integration/apply-profile-addr.sh -- a sandbox's daemon stays on
# loopback.  The sandbox unshares only the mount namespace, so a daemon it
# starts listens on the host's network: apply's profile check compares
# every DaemonPortOptions' Addr= with the profile's listen =
# 127.0.0.1:PORT and refuses (even with --update-profile) an mc whose
# daemon would listen on 0.0.0.0, on no Addr= (every address) or on the
# default MSA (FEATURE(no_default_msa) removed).  The wizard refuses a
# non-loopback listen_addr there.  Nothing is started: the refusal and the
# cf are checked.  A profile that is not a sandbox but whose listen is on
# loopback gets the same check as a mismatch --update-profile can accept.
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
mc=$dir/etc/sendmail.mc
cf=$dir/etc/sendmail.cf
cp "$mc" "$T_TMP/mc.orig"
cp "$cf" "$T_TMP/cf.orig"
cp "$dir/smadm.conf" "$T_TMP/conf.orig"

sed -i 's/\(^DAEMON_OPTIONS(.*Port=[0-9]*, Addr=\)127\.0\.0\.1/\10.0.0.0/' "$mc"
check "the mc now says Addr=0.0.0.0" grep -q 'Addr=0.0.0.0' "$mc"
sm -y apply --dry-run > "$T_TMP/apply" 2>&1
check_not "apply refuses Addr=0.0.0.0" test $? -eq 0
check "the refusal names DaemonPortOptions, 0.0.0.0 and the profile's listen" \
    grep -Eq 'profile.*DaemonPortOptions.*Addr=0\.0\.0\.0.*listens on 0\.0\.0\.0.*127\.0\.0\.1:[0-9]+ only' "$T_TMP/apply"
sm -y apply --update-profile > "$T_TMP/upd" 2>&1
check_not "apply --update-profile refuses it too" test $? -eq 0
check "it says so" grep -q 'refused (also with --update-profile)' "$T_TMP/upd"
check "the cf was not replaced" cmp -s "$cf" "$T_TMP/cf.orig"
check "smadm.conf was not changed" cmp -s "$dir/smadm.conf" "$T_TMP/conf.orig"

cp "$T_TMP/mc.orig" "$mc"
sed -i 's/, Addr=127\.0\.0\.1//' "$mc"
sm -y apply --dry-run > "$T_TMP/apply" 2>&1
check_not "apply refuses a daemon with no Addr=" test $? -eq 0
check "the refusal says every address" grep -q 'which listens on every address' "$T_TMP/apply"

cp "$T_TMP/mc.orig" "$mc"
sed -i '/no_default_msa/d' "$mc"
sm -y apply --dry-run > "$T_TMP/apply" 2>&1
check_not "apply refuses the default MSA (no_default_msa removed)" test $? -eq 0
check "the refusal names the MSA daemon" grep -Eq 'DaemonPortOptions.*Name=MSA.*every address' "$T_TMP/apply"

cp "$T_TMP/mc.orig" "$mc"
sed -i 's/\(^DAEMON_OPTIONS(.*Port=[0-9]*, Addr=\)127\.0\.0\.1/\1127.0.0.2/' "$mc"
check "another loopback address is accepted" sm -y apply --dry-run
cp "$T_TMP/mc.orig" "$mc"
check "the sandbox's own mc still applies" sm -y apply --dry-run

printf 'role = local\nhostname = vm.sandbox.example\nlisten_addr = 0.0.0.0\n' > "$T_TMP/ans"
sm wizard --answers "$T_TMP/ans" --print > "$T_TMP/wiz" 2>&1
check_not "the sandbox's wizard refuses listen_addr = 0.0.0.0" test $? -eq 0
check "naming the answer's line" grep -q "ans:3: listen_addr: \"0.0.0.0\" is not a loopback address" "$T_TMP/wiz"
check_not "and plans no daemon on 0.0.0.0" grep -q '^+DAEMON_OPTIONS.*Addr=0.0.0.0' "$T_TMP/wiz"
printf 'role = local\nhostname = vm.sandbox.example\nlisten_addr = 127.0.0.1\n' > "$T_TMP/ans"
sm wizard --answers "$T_TMP/ans" --print > "$T_TMP/wiz" 2>&1
check "listen_addr = 127.0.0.1 is planned" grep -q '^+DAEMON_OPTIONS.*Addr=127.0.0.1' "$T_TMP/wiz"

# Not a sandbox: a mismatch like the others, accepted by --update-profile.
p=$T_TMP/p
profile_dir "$p" vm
printf 'listen = 127.0.0.1:25\nqueue_dirs = /var/spool/mqueue\n' >> "$p/smadm.conf"
cat > "$p/sendmail.mc" <<'MC'
divert(0)dnl
OSTYPE(`linux')dnl
define(`confDOMAIN_NAME', `vm.smadm.test')dnl
DAEMON_OPTIONS(`Family=inet, Name=MTA-v4, Port=smtp, Addr=127.0.0.1')dnl
FEATURE(`no_default_msa')dnl
MAILER(`local')dnl
MC
/usr/bin/m4 /usr/share/sendmail/cf/m4/cf.m4 "$p/sendmail.mc" > "$p/sendmail.cf" 2>/dev/null
check "a loopback profile's own cf applies" "$SMADM" -r "$p" -y apply --dry-run
sed -i 's/Addr=127\.0\.0\.1/Addr=0.0.0.0/' "$p/sendmail.mc"
"$SMADM" -r "$p" -y apply --dry-run > "$T_TMP/apply" 2>&1
check_not "Addr=0.0.0.0 is refused on a loopback profile" test $? -eq 0
check "naming the option and the profile's listen" \
    grep -q 'DaemonPortOptions: the cf says .*Addr=0\.0\.0\.0, which listens on 0\.0\.0\.0, the profile.s listen says 127\.0\.0\.1:25' "$T_TMP/apply"
check "apply --update-profile accepts it there" "$SMADM" -r "$p" -y apply --update-profile
check "and records listen = 0.0.0.0:25" grep -qx 'listen = 0.0.0.0:25' "$p/smadm.conf"
finish
