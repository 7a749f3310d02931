# tests/integration/wizard-no-table-keys.sh -- with a profile (smadm.conf)
# that names no table paths, the gateway wizard used to write only the mc:
# the answers' mailertable and virtusertable entries vanished.  It must
# refuse at once, naming the smadm.conf key to add, and write nothing.
# (Refused rather than written to the FEATURE's default path: a file the
# profile does not name is one smadm neither backs up nor builds.)
. "$(dirname "$0")/../lib.sh"

dir=$T_TMP/p
profile_dir "$dir" vm
printf 'divert(0)dnl\nOSTYPE(`linux'"'"')dnl\nMAILER(`local'"'"')dnl\n' > "$dir/sendmail.mc"
cp "$dir/sendmail.mc" "$T_TMP/mc.orig"
cat > "$T_TMP/ans" <<'ANS'
role = gateway
hostname = vm.smadm.test
mailertable = example.com smtp:[192.0.2.9]
virtusertable = a@example.com b
ANS
"$SMADM" -y -r "$dir" wizard --answers "$T_TMP/ans" > "$T_TMP/out" 2>&1
check "refused" test $? -ne 0
check "the error names the smadm.conf key" grep -q 'add "mailertable = PATH" to smadm.conf' "$T_TMP/out"
check "the mc is not written" cmp -s "$dir/sendmail.mc" "$T_TMP/mc.orig"

printf 'mailertable = mailertable\n' >> "$dir/smadm.conf"
"$SMADM" -y -r "$dir" wizard --answers "$T_TMP/ans" > "$T_TMP/out" 2>&1
check "then the virtusertable is named" grep -q 'add "virtusertable = PATH"' "$T_TMP/out"

printf 'virtusertable = virtusertable\n' >> "$dir/smadm.conf"
printf 'role = local\nhostname = vm.smadm.test\nrelay_nets = 192.0.2\n' > "$T_TMP/ans2"
"$SMADM" -y -r "$dir" wizard --answers "$T_TMP/ans2" > "$T_TMP/out" 2>&1
check "relay_nets without an access path is refused, naming its line" \
    grep -q 'ans2:3: relay_nets: .*add "access = PATH"' "$T_TMP/out"

printf 'local_host_names = local-host-names\n' >> "$dir/smadm.conf"
printf 'role = gateway\nhostname = vm.smadm.test\nlocal_domains = vm.smadm.test\n' > "$T_TMP/ans3"
"$SMADM" -r "$dir" wizard --answers "$T_TMP/ans3" --print > "$T_TMP/out" 2>&1
check "a new file: no \"already there\" count" sh -c "grep -q '^==> .*local-host-names <== new file' '$T_TMP/out' && ! grep -q 'new file:.*already there' '$T_TMP/out'"
"$SMADM" -y -r "$dir" wizard --answers "$T_TMP/ans" > "$T_TMP/out" 2>&1
check "with the paths named it writes" test $? -eq 0
check "the mailertable entry is written" grep -q '^example.com' "$dir/mailertable"
check "the virtusertable entry is written" grep -q '^a@example.com' "$dir/virtusertable"
finish
