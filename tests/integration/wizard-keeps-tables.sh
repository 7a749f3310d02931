# tests/integration/wizard-keeps-tables.sh -- on a server whose
# virtusertable and mailertable have entries, the wizard's "local" role
# (which has neither FEATURE) used to replace the mc with one that reads
# neither: the admin's virtual addresses and routes stopped working,
# silently.  The FEATURE of a table with entries is kept in the generated
# mc, the plan says so, every entry stays, and sendmail still reads them.
. "$(dirname "$0")/../lib.sh"

sm() { "$SMADM" -r "$dir" "$@"; }
dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
etc=$dir/etc
printf 'info@vm.sandbox.example\troot\n' >> "$etc/virtusertable"
printf 'other.example\tsmtp:[192.0.2.5]\n' >> "$etc/mailertable"
cp "$etc/virtusertable" "$T_TMP/vu.orig"
cp "$etc/mailertable" "$T_TMP/mt.orig"
printf 'role = local\nhostname = vm.sandbox.example\n' > "$T_TMP/ans"
sm wizard --answers "$T_TMP/ans" --print > "$T_TMP/out" 2>&1
for t in virtusertable mailertable; do
	check "$t: FEATURE in the new mc" grep -Eq "^[+ ]FEATURE\(\`$t'" "$T_TMP/out"
	check "$t: the plan says it is kept" grep -q "^note: $etc/$t has entries: FEATURE(\`$t') kept" "$T_TMP/out"
done
check "written" sm -y wizard --answers "$T_TMP/ans"
check "virtusertable entries kept" cmp -s "$etc/virtusertable" "$T_TMP/vu.orig"
check "mailertable entries kept" cmp -s "$etc/mailertable" "$T_TMP/mt.orig"
check "apply" sm -y apply
sm map build virtusertable >/dev/null 2>&1
out=$(printf '/map virtuser info@vm.sandbox.example\n' | sm sandbox exec /usr/sbin/sendmail -C "$etc/sendmail.cf" -bt 2>&1 | grep map_lookup)
case $out in
*"returns root"*) ok "sendmail still reads the virtual address" ;;
*) bad "sendmail still reads the virtual address (got: $out)" ;;
esac
check "a second run changes nothing" sh -c "'$SMADM' -y -r '$dir' wizard --answers '$T_TMP/ans' | grep -q '^nothing to change'"

printf 'role = nullclient\nhostname = vm.sandbox.example\nsmart_host = relay:[192.0.2.1]\n' > "$T_TMP/ans2"
sm wizard --answers "$T_TMP/ans2" --print > "$T_TMP/out2" 2>&1
check "nullclient: the plan says the tables are no longer read" grep -q "^note: $etc/virtusertable has entries, and role nullclient reads no virtusertable" "$T_TMP/out2"
finish
