#!/bin/sh
# map-text.sh -- "smadm map set/del/check/show/list" on the text sources of
# a profile directory: exactly the edited lines change, a backup is kept,
# bad values are refused with FILE:LINE and leave the file alone.
. "$(dirname "$0")/../lib.sh"
FIX=$(cd "$(dirname "$0")/../fixtures/tables" && pwd)

D="$T_TMP/prof"
mkdir -p "$D"
for f in access mailertable virtusertable aliases local-host-names \
    relay-domains; do
	cp "$FIX/$f" "$D/$f"
done
cat > "$D/smadm.conf" <<CONF
access = access
mailertable = mailertable
virtusertable = virtusertable
aliases = aliases
local_host_names = local-host-names
relay_domains = relay-domains
CONF
sm() { "$SMADM" -r "$D" "$@"; }
# backup sets holding TABLE (table edits keep them in DIR/.smadm/backups)
nbackups() { grep -l "^file	$1	" "$D"/.smadm/backups/*/MANIFEST 2>/dev/null | wc -l; }

# list and show
sm map list > "$T_TMP/list" 2>&1
check "map list shows access with its 42 entries" \
	grep -Eq "^access +map +42  $D/access" "$T_TMP/list"
check "map list marks an unconfigured table" \
	grep -Eq "^genericstable .*\(not configured\)" "$T_TMP/list"
sm map show access > "$T_TMP/show" 2>&1
check "map show prints line numbers and entries" \
	grep -Eq "^ +12  Connect:192.0.2.66 +REJECT$" "$T_TMP/show"
sm map show --json aliases > "$T_TMP/json" 2>&1
check "map show --json joins continuation lines" \
	grep -q '"line": 17, "lines": 3, "key": "staff", "value": "alice,\\tbob@example.org,  \\"carol smith\\"@example.net"' "$T_TMP/json"
sm map show local-host-names > "$T_TMP/lhn" 2>&1
check "file-style names are accepted" grep -q "example.photography" "$T_TMP/lhn"

# map check: the fixtures are clean
check "map check passes on clean tables" sm map check

# set: one line changed, backup kept
cp "$D/access" "$T_TMP/access.before"
sm map set access Connect:192.0.2.66 OK > "$T_TMP/set" 2>&1
check "map set succeeds" test $? -eq 0
diff "$T_TMP/access.before" "$D/access" > "$T_TMP/diff"
check "map set changed exactly one line" \
	test "$(grep -c '^[<>]' "$T_TMP/diff")" -eq 2
check "the changed line keeps its tabs" grep -q "^> Connect:192.0.2.66	*OK$" "$T_TMP/diff"
check "map set made a backup" test "$(nbackups access)" -eq 1
check "and no copy beside the table" test -z "$(ls "$D" | grep 'smadm~$')"
check "the backup holds the old file" \
	cmp -s "$T_TMP/access.before" "$(ls -d "$D"/.smadm/backups/*/access | tail -1)"
check "map set tells to rebuild" grep -q 'smadm map build access' "$T_TMP/set"

# set: append a new entry
cp "$D/access" "$T_TMP/access.before"
sm map set access To:new.example ERROR:5.7.1:550 not here > /dev/null 2>&1
check "map set appends exactly one line" \
	test "$(diff "$T_TMP/access.before" "$D/access" | grep -c '^[<>]')" -eq 1
check "the new line is at the end" \
	sh -c "tail -1 '$D/access' | grep -q '^To:new.example	*ERROR:5.7.1:550 not here$'"

# set: bad value refused with FILE:LINE, file untouched, no backup
cp "$D/access" "$T_TMP/access.before"
n=$(nbackups access)
sm map set access Connect:192.0.2.7 RELAYY > "$T_TMP/bad" 2>&1
rc=$?
check "a bad value is refused" test "$rc" -ne 0
check "the refusal names FILE:LINE and what was expected" \
	grep -q "^smadm: $D/access:[0-9]*: unknown action \"RELAYY\" (expected OK, RELAY, REJECT, DISCARD, SKIP, ERROR:..., QUARANTINE:..., or an SMTP code)" "$T_TMP/bad"
check "the file is unchanged after a refusal" cmp -s "$T_TMP/access.before" "$D/access"
check "no backup after a refusal" test "$(nbackups access)" -eq "$n"
sm map set access "Conect:192.0.2.7" REJECT > "$T_TMP/bad" 2>&1
check "a mistyped tag is refused" grep -q 'unknown tag "Conect:" (did you mean "Connect:"?)' "$T_TMP/bad"

# mailertable without a final newline: append adds it, nothing else moves
cp "$D/mailertable" "$T_TMP/mt.before"
sm map set mailertable new.example 'esmtp:[192.0.2.9]' > /dev/null 2>&1
diff "$T_TMP/mt.before" "$D/mailertable" > "$T_TMP/diff"
check "append after a last line without newline" \
	test "$(grep -c '^[<>]' "$T_TMP/diff")" -eq 3
check "the old last line is kept, with a newline" \
	grep -q '^> \.	relay:\[127.0.0.1\]$' "$T_TMP/diff"

# del: multi-line alias goes as a unit
cp "$D/aliases" "$T_TMP/aliases.before"
sm map del aliases staff > "$T_TMP/del" 2>&1
check "map del succeeds" test $? -eq 0
diff "$T_TMP/aliases.before" "$D/aliases" > "$T_TMP/diff"
check "map del removed the three lines of the alias and nothing else" \
	test "$(grep -c '^<' "$T_TMP/diff")" -eq 3 -a "$(grep -c '^>' "$T_TMP/diff")" -eq 0
check_not "map del of a missing key fails" sm map del aliases staff
check "aliases backup created" test "$(nbackups aliases)" -eq 1

# set an alias with several words
sm map set aliases sales alice, bob > /dev/null 2>&1
check "map set joins VALUE words" grep -q '^sales: alice, bob$' "$D/aliases"

# class files
sm map set relay-domains third.example > /dev/null 2>&1
check "class word appended" sh -c "tail -1 '$D/relay-domains' | grep -qx third.example"
sm map del relay-domains other.example > /dev/null 2>&1
check "class word cut from a shared line" grep -qx "partner.example" "$D/relay-domains"

# check: errors exit 1 with FILE:LINE, warnings alone exit 0
printf 'Connect:10 RELAY\n' >> "$D/access"
sm map check access > "$T_TMP/check" 2>&1
check "warnings alone exit 0" test $? -eq 0
check "open relay warned" grep -q "access:[0-9]*: warning: open relay" "$T_TMP/check"
printf 'Connect:192.0.2.8 RELAYY\n' >> "$D/access"
sm map check access > "$T_TMP/check" 2>&1
check "errors exit non-zero" test $? -ne 0
check "the error names its line" \
	grep -q "^$D/access:$(wc -l < "$D/access"): unknown action" "$T_TMP/check"
sm --json map check access > "$T_TMP/check.json" 2>/dev/null
check "map check --json has severities" grep -q '"severity": "error"' "$T_TMP/check.json"
check_not "unknown table refused" sm map show nosuchtable

finish
