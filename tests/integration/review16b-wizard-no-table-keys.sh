# tests/integration/review16b-wizard-no-table-keys.sh -- failing
# (review16b): with a profile (smadm.conf) that names no table paths, the
# gateway wizard writes only the mc.  Its FEATUREs read DIR/mailertable,
# DIR/virtusertable and DIR/access, which it never writes: the answers'
# mailertable and virtusertable entries vanish, and "written" is all it
# says.  Expected: the tables are written where the mc reads them (and
# named in the plan), or the wizard refuses, naming the missing profile key.
. "$(dirname "$0")/../lib.sh"

dir=$T_TMP/p
profile_dir "$dir" vm
printf 'divert(0)dnl\nOSTYPE(`linux'"'"')dnl\nMAILER(`local'"'"')dnl\n' > "$dir/sendmail.mc"
cat > "$T_TMP/ans" <<'ANS'
role = gateway
hostname = vm.smadm.test
mailertable = example.com smtp:[192.0.2.9]
virtusertable = a@example.com b
ANS
"$SMADM" -y -r "$dir" wizard --answers "$T_TMP/ans" > "$T_TMP/out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q 'mailertable' "$T_TMP/out"; then
	ok "refused, naming the table it cannot place"
else
	check "the mailertable entry is written where the mc reads it" \
	    grep -q '^example.com' "$dir/mailertable"
	check "the virtusertable entry is written where the mc reads it" \
	    grep -q '^a@example.com' "$dir/virtusertable"
	check "the plan names the mailertable" grep -q "^==> .*mailertable <==" "$T_TMP/out"
fi
finish
