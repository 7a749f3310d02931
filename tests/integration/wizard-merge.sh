# tests/integration/wizard-merge.sh -- the wizard on a host that already has
# an access map and local-host-names written by hand: every old line stays
# in its place, the role's entries are added once, a key already there with
# another value keeps the admin's value (with a note), the diff is shown
# before anything is written, a "no" writes nothing, a second run changes
# nothing, and the real sendmail finds old and new keys in the maps built
# from the result.  Over SSH (a private sshd on 127.0.0.1) it reads and
# merges the same files the same way.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ssh-lib.sh"

sm() { "$SMADM" -r "$dir" "$@"; }
dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
etc=$dir/etc

# What an admin wrote over the years: comments, a blank line, tags in
# other cases, an untagged key, a value the role would write otherwise,
# and no line end after the last line.
printf '# access -- hand edits since 2009\n# spam sources\nspam.example\tREJECT\nFrom:bad@example.net\tERROR:550 go away\n\nCONNECT:127.0.0.1\tRELAY\nConnect:192.0.2\tREJECT\n127.0.0.1\tOK\n# keep this last' > "$etc/access"
printf '# names of this host\nlocalhost\nVM.Sandbox.Example\nextra.example\n' > "$etc/local-host-names"
for f in access local-host-names sendmail.mc; do cp "$etc/$f" "$T_TMP/$f.orig"; done

cat > "$T_TMP/ans" <<ANS
role = local
hostname = vm.sandbox.example
local_domains = extra.example other.example
relay_nets = 192.0.2 198.51.100 127.0.0.1
ANS

unchanged() {	# unchanged: the three files are as the admin left them
	cmp -s "$etc/access" "$T_TMP/access.orig" &&
	cmp -s "$etc/local-host-names" "$T_TMP/local-host-names.orig" &&
	cmp -s "$etc/sendmail.mc" "$T_TMP/sendmail.mc.orig"
}
# in_order OLD NEW: every line of OLD is in NEW, in the same order
in_order() {
	awk 'BEGIN { i = 0; n = 0 }
	    NR == FNR { want[n++] = $0; next }
	    i < n && $0 == want[i] { i++ }
	    END { exit (i == n) ? 0 : 1 }' "$1" "$2"
}
count() {	# count FILE KEY: lines whose first word is KEY, any case
	awk -v k="$2" 'tolower($1) == tolower(k) { c++ } END { print c + 0 }' "$1"
}

# --- --print: the plan, nothing written
sm wizard --answers "$T_TMP/ans" --print > "$T_TMP/print" 2>&1
check "--print exits 0" test $? -eq 0
check "--print: access kept 5 entries, adds 3" grep -qx "==> $etc/access <== 5 entries kept, 3 added (2 of the role's already there)" "$T_TMP/print"
check "--print: local-host-names kept 3, adds 2" grep -q "^==> $etc/local-host-names <== 3 entries kept, 2 added" "$T_TMP/print"
check "--print: a unified diff of access" sh -c "grep -qx -- '--- $etc/access' '$T_TMP/print' && grep -qx -- '+++ $etc/access' '$T_TMP/print' && grep -q '^@@ -' '$T_TMP/print'"
check "--print: the new entry as an added line" grep -qx '+Connect:198.51.100	RELAY' "$T_TMP/print"
check "--print: old lines as context" grep -qx ' 127.0.0.1	OK' "$T_TMP/print"
check "--print: the admin's REJECT is kept, with a note" grep -q "^note: $etc/access:7: Connect:192.0.2 is already there with \"REJECT\": kept (the role would write \"RELAY\")" "$T_TMP/print"
check_not "--print: no second Connect:127.0.0.1" grep -qi '^+connect:127.0.0.1' "$T_TMP/print"
check "--print: the mc is replaced, and the diff says so" sh -c "grep -q '^==> $etc/sendmail.mc <== mc replaced by the role' '$T_TMP/print' && grep -q '^-FEATURE' '$T_TMP/print' && grep -q '^+VERSIONID(.smadm local role' '$T_TMP/print'"
check "--print writes nothing" unchanged

# --- asked on a terminal, answered no: the diff first, nothing written
printf 'n\n' | script -qec "'$SMADM' -r '$dir' wizard --answers '$T_TMP/ans'" /dev/null > "$T_TMP/no" 2>&1
check "declined: the access diff is shown" grep -q '^+Connect:198.51.100	RELAY' "$T_TMP/no"
check "declined: the diff comes before the question" awk '/^\+Connect:198.51.100/ { d = NR } /Write these files\? \[y\/N\]/ { q = NR } END { exit d && q && d < q ? 0 : 1 }' "$T_TMP/no"
check "declined: cancelled" grep -q 'cancelled' "$T_TMP/no"
check "declined: nothing written" unchanged
sm wizard --answers "$T_TMP/ans" < /dev/null > "$T_TMP/noterm" 2>&1
check "no terminal and no --yes: refused" grep -q 'refusing without a terminal' "$T_TMP/noterm"
check "no terminal: the diff was still shown" grep -q '^+Connect:198.51.100	RELAY' "$T_TMP/noterm"
check "no terminal: nothing written" unchanged
nb=$(sm backups | grep -c wizard)

# --- -y: written, merged
sm -y wizard --answers "$T_TMP/ans" > "$T_TMP/yes" 2>&1
check "-y writes" grep -q '^written (backup ' "$T_TMP/yes"
check "-y also shows the diff" grep -q '^+Connect:198.51.100	RELAY' "$T_TMP/yes"
check "every old access line is still there, in order" in_order "$T_TMP/access.orig" "$etc/access"
check "the old access text is the head of the new" sh -c "head -c $(wc -c < "$T_TMP/access.orig") '$etc/access' | cmp -s - '$T_TMP/access.orig'"
check "every old local-host-names line is there, in order" in_order "$T_TMP/local-host-names.orig" "$etc/local-host-names"
check "Connect:127.0.0.1 once (the admin's CONNECT: line)" test "$(count "$etc/access" Connect:127.0.0.1)" = 1
check "the untagged 127.0.0.1 is a key of its own, kept" grep -qx '127.0.0.1	OK' "$etc/access"
check "Connect:192.0.2 once, still REJECT" sh -c "test \"\$(awk 'tolower(\$1) == \"connect:192.0.2\"' '$etc/access')\" = 'Connect:192.0.2	REJECT'"
for k in Connect:localhost Connect:IPv6:::1 Connect:198.51.100; do
	check "$k added once" test "$(count "$etc/access" "$k")" = 1
done
check "the added block has the wizard's comment" grep -qx '# relaying (smadm wizard)' "$etc/access"
check "the last old line got its line end" grep -qx '# keep this last' "$etc/access"
check "vm.sandbox.example once (the admin wrote VM.Sandbox.Example)" test "$(count "$etc/local-host-names" vm.sandbox.example)" = 1
check "sandbox.example added once" test "$(count "$etc/local-host-names" sandbox.example)" = 1
check "other.example added once" test "$(count "$etc/local-host-names" other.example)" = 1
check "extra.example once" test "$(count "$etc/local-host-names" extra.example)" = 1
sm map check access > "$T_TMP/check" 2>&1
check "map check access: no duplicate keys" sh -c "! grep -qi duplicate '$T_TMP/check'"
check "one backup set more" test "$(sm backups | grep -c wizard)" = $((nb + 1))

# --- a second run changes nothing
for f in access local-host-names sendmail.mc; do cp "$etc/$f" "$T_TMP/$f.once"; done
sm -y wizard --answers "$T_TMP/ans" > "$T_TMP/again" 2>&1
check "second run: nothing to change" grep -q '^nothing to change' "$T_TMP/again"
check "second run: access byte for byte the same" cmp -s "$etc/access" "$T_TMP/access.once"
check "second run: local-host-names the same" cmp -s "$etc/local-host-names" "$T_TMP/local-host-names.once"
check "second run: the mc the same" cmp -s "$etc/sendmail.mc" "$T_TMP/sendmail.mc.once"
check "second run: no new backup set" test "$(sm backups | grep -c wizard)" = $((nb + 1))
sm wizard --answers "$T_TMP/ans" --print > "$T_TMP/print2" 2>&1
check "second --print: 0 added" grep -q "^==> $etc/access <== 8 entries kept, 0 added" "$T_TMP/print2"
check "second --print: no change" grep -qx '(no change)' "$T_TMP/print2"

# --- what sendmail reads: the map built from the merged text
check "map build access" sm map build access
bt() {	# bt KEY: sendmail's own lookup in the sandbox's access.db
	printf '/map access %s\n' "$1" | sm sandbox exec /usr/sbin/sendmail \
	    -C "$etc/sendmail.cf" -bt 2>&1 | grep 'map_lookup'
}
for kv in 'spam.example REJECT' 'from:bad@example.net ERROR:550 go away' \
    '127.0.0.1 OK' 'connect:127.0.0.1 RELAY' 'connect:192.0.2 REJECT' \
    'connect:198.51.100 RELAY' 'connect:localhost RELAY' \
    'connect:ipv6:::1 RELAY'; do
	k=${kv%% *}; v=${kv#* }
	out=$(bt "$k")
	case $out in
	*"($k) returns $v ("*) ok "sendmail -bt: access $k -> $v" ;;
	*) bad "sendmail -bt: access $k -> $v (got: $out)" ;;
	esac
done
printf '$=w\n' | sm sandbox exec /usr/sbin/sendmail -C "$etc/sendmail.cf" -bt > "$T_TMP/w" 2>&1
check "sendmail's class w has the added other.example" grep -qx 'other.example' "$T_TMP/w"
check "... and the admin's extra.example" grep -qx 'extra.example' "$T_TMP/w"

# --- rollback gives back the admin's files
check "rollback" sm -y rollback
check "rollback: the admin's access again" cmp -s "$etc/access" "$T_TMP/access.orig"
check "rollback: the admin's local-host-names again" cmp -s "$etc/local-host-names" "$T_TMP/local-host-names.orig"

# --- over SSH: the files are read on the far side, the same merge results
if ssh_start; then
	ok "private sshd on 127.0.0.1:$SSH_PORT"
	sm wizard --answers "$T_TMP/ans" --print > "$T_TMP/lprint" 2>&1
	sm_remote -r "$dir" wizard --answers "$T_TMP/ans" --print > "$T_TMP/rprint" 2>&1
	check "ssh --print: the same plan as a local run" cmp -s "$T_TMP/lprint" "$T_TMP/rprint"
	check "ssh --print: the access diff" grep -qx '+Connect:198.51.100	RELAY' "$T_TMP/rprint"
	check "ssh --print: nothing written" unchanged
	sm_remote -y -r "$dir" wizard --answers "$T_TMP/ans" > "$T_TMP/rwrite" 2>&1
	check "ssh -y writes" grep -q '^written (backup ' "$T_TMP/rwrite"
	check "ssh: access merged as the local run merged it" cmp -s "$etc/access" "$T_TMP/access.once"
	check "ssh: local-host-names as well" cmp -s "$etc/local-host-names" "$T_TMP/local-host-names.once"
	sm_remote -y -r "$dir" wizard --answers "$T_TMP/ans" > "$T_TMP/ragain" 2>&1
	check "ssh: a second run changes nothing" sh -c "grep -q '^nothing to change' '$T_TMP/ragain' && cmp -s '$etc/access' '$T_TMP/access.once'"
	check "back to the admin's files" sm -y rollback
else
	bad "private sshd did not start"
fi

# --- a file that is not a regular file: refused, nothing written
rm "$etc/local-host-names"; mkdir "$etc/local-host-names"
sm -y wizard --answers "$T_TMP/ans" > "$T_TMP/dir" 2>&1
check "a directory where a table should be: refused" grep -q "local-host-names: not a regular file" "$T_TMP/dir"
check "... and the access map untouched" cmp -s "$etc/access" "$T_TMP/access.orig"
rmdir "$etc/local-host-names"; cp "$T_TMP/local-host-names.orig" "$etc/local-host-names"

finish
