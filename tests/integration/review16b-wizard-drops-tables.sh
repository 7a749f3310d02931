# tests/integration/review16b-wizard-drops-tables.sh -- failing (review16b):
# on a server whose mc reads a virtusertable and a mailertable with
# entries, the wizard's "local" role replaces the mc with one that has
# neither FEATURE: after apply, mail to the admin's virtual address is no
# longer rewritten and the mailertable route is gone.  The plan shows only
# two "-FEATURE" lines deep in the mc diff, and says "the mc is the
# role's"; the tables are not mentioned at all.  Either the merge keeps the
# FEATUREs an existing table with entries needs (the issue: the wizard
# "adds what the role needs to ... the mc"), or a note names each table
# whose entries the new mc no longer reads.
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
printf 'info@vm.sandbox.example\troot\n' >> "$dir/etc/virtusertable"
printf 'other.example\tsmtp:[192.0.2.5]\n' >> "$dir/etc/mailertable"
printf 'role = local\nhostname = vm.sandbox.example\n' > "$T_TMP/ans"
"$SMADM" -r "$dir" wizard --answers "$T_TMP/ans" --print > "$T_TMP/out" 2>&1
for t in virtusertable mailertable; do
	if grep -q "^+FEATURE(\`$t'" "$T_TMP/out" ||
	    grep -Eq "^ FEATURE\(\`$t'" "$T_TMP/out" ||
	    grep -q "^note: .*$t.*no longer" "$T_TMP/out"; then
		ok "$t: kept in the mc, or the plan warns that it is no longer read"
	else
		bad "$t: the plan drops FEATURE($t) with entries in the table, silently"
	fi
done
finish
