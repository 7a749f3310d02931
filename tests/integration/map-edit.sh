#!/bin/sh
# map-edit.sh -- "smadm map rename" and "map comment" on the text sources
# of a profile directory (only the entry's lines change, a backup is kept,
# bad keys are refused with FILE:LINE and leave the file alone), and the
# DB column of "map list": no db, built, stale (newer text, or the same
# age but other records), "-" for class files.
. "$(dirname "$0")/../lib.sh"
FIX=$(cd "$(dirname "$0")/../fixtures/tables" && pwd)

D="$T_TMP/prof"
mkdir -p "$D"
for f in access aliases local-host-names relay-domains; do
	cp "$FIX/$f" "$D/$f"
done
cat > "$D/smadm.conf" <<CONF
access = access
aliases = aliases
local_host_names = local-host-names
relay_domains = relay-domains
CONF
sm() { "$SMADM" -r "$D" "$@"; }
# backup sets holding TABLE (table edits keep them in DIR/.smadm/backups)
nbackups() { grep -l "^file	$1	" "$D"/.smadm/backups/*/MANIFEST 2>/dev/null | wc -l; }
# changed BEFORE FILE: how many lines diff shows on each side ("<N >M")
changed() {
	diff "$1" "$2" > "$T_TMP/diff"
	echo "<$(grep -c '^<' "$T_TMP/diff") >$(grep -c '^>' "$T_TMP/diff")"
}

# --- rename
cp "$D/access" "$T_TMP/before"
sm map rename access Connect:192.0.2.66 Connect:192.0.2.67 > "$T_TMP/out" 2>&1
check "map rename succeeds" test $? -eq 0
check "rename changed one line" test "$(changed "$T_TMP/before" "$D/access")" = "<1 >1"
check "the key changed, value and tabs kept" \
	grep -q '^> Connect:192.0.2.67			REJECT$' "$T_TMP/diff"
check "rename says FILE:LINE" grep -q "^$D/access:12: Connect:192.0.2.66 renamed to Connect:192.0.2.67$" "$T_TMP/out"
check "rename tells to rebuild" grep -q 'smadm map build access' "$T_TMP/out"
check "rename made a backup" test "$(nbackups access)" -eq 1

cp "$D/access" "$T_TMP/before"
sm map rename access Connect:192.0.2.67 Conect:192.0.2.67 > "$T_TMP/out" 2>&1
check "a bad new key is refused" test $? -ne 0
check "the refusal names FILE:LINE" \
	grep -q "^smadm: $D/access:12: unknown tag \"Conect:\" (did you mean \"Connect:\"?) ($D/access not changed)" "$T_TMP/out"
check "the file is unchanged after a refusal" cmp -s "$T_TMP/before" "$D/access"
check "no backup after a refusal" test "$(nbackups access)" -eq 1
sm map rename access Connect:192.0.2.67 To:partner.example > "$T_TMP/out" 2>&1
check "renaming onto an existing key is refused" grep -q '"To:partner.example" already exists' "$T_TMP/out"
check_not "renaming a missing key fails" sm map rename access Connect:192.0.2.99 Connect:192.0.2.98
check "the file is still unchanged" cmp -s "$T_TMP/before" "$D/access"
check_not "rename needs three operands" sm map rename access Connect:192.0.2.67

cp "$D/aliases" "$T_TMP/before"
sm map rename aliases staff team > /dev/null 2>&1
check "an alias keeps its targets" test "$(changed "$T_TMP/before" "$D/aliases")" = "<1 >1"
check "only the name changed" grep -q '^> team: alice,$' "$T_TMP/diff"
sm map show --json aliases > "$T_TMP/json"
check "the renamed alias still spans three lines" \
	grep -q '"lines": 3, "key": "team"' "$T_TMP/json"

# --- comment
cp "$D/access" "$T_TMP/before"
sm map comment access To:partner.example > "$T_TMP/out" 2>&1
check "map comment succeeds" test $? -eq 0
check "comment changed one line" test "$(changed "$T_TMP/before" "$D/access")" = "<1 >1"
check "the line starts with #, the rest kept" \
	grep -q '^> #To:partner.example			RELAY$' "$T_TMP/diff"
check "comment says FILE:LINE" grep -q "^$D/access:25: commented out \"To:partner.example\"" "$T_TMP/out"
check_not "the entry is gone from map show" sh -c "'$SMADM' -r '$D' map show access | grep -q 'To:partner.example'"
check_not "commenting a missing key fails" sm map comment access To:partner.example

cp "$D/aliases" "$T_TMP/before"
sm map comment aliases team > /dev/null 2>&1
check "a multi-line alias is commented on all its lines" \
	test "$(changed "$T_TMP/before" "$D/aliases")" = "<3 >3"
check "every line starts with #" \
	test "$(grep -c '^> #' "$T_TMP/diff")" -eq 3
sm map check aliases > /dev/null 2>&1
check "aliases still check clean" test $? -eq 0

cp "$D/relay-domains" "$T_TMP/before"
sm map comment relay-domains other.example > "$T_TMP/out" 2>&1
check "a class word sharing its line is refused" grep -q 'shares its line with other entries' "$T_TMP/out"
check "the class file is unchanged" cmp -s "$T_TMP/before" "$D/relay-domains"
sm map comment relay-domains 192.0.2 > /dev/null 2>&1
check "a class word alone on its line is commented" grep -qx '#192.0.2' "$D/relay-domains"

# --- help and the man page
sm help map rename > "$T_TMP/help" 2>&1
check "help map rename shows the usage" grep -q 'usage: smadm \[-r DIR\] map rename NAME OLDKEY NEWKEY' "$T_TMP/help"
sm help map comment > "$T_TMP/help" 2>&1
check "help map comment shows the usage" grep -q 'map comment NAME KEY' "$T_TMP/help"
man=$(dirname "$0")/../../man/smadm.8
check "the man page lists map rename" grep -q '^\.B map rename' "$man"
check "the man page lists map comment" grep -q '^\.B map comment' "$man"

# --- map list: the DB column
# dbcol NAME: the DB column (after NAME KIND ENTRIES TEXT; may be "no db")
dbcol() {
	sm map list | awk -v n="$1" '$1 == n {
		s = ""; for (i = 5; i <= NF; i++) s = s (i > 5 ? " " : "") $i
		print s }'
}
check "no db before a build" test "$(dbcol access)" = "no db"
check "class files have no db" test "$(dbcol relay_domains)" = "-"
sm map build access aliases > /dev/null 2>&1
check "built after map build" test "$(dbcol access)" = "built"
check "aliases built too" test "$(dbcol aliases)" = "built"
sm --json map list > "$T_TMP/list.json"
check "map list --json has the state" grep -q '"name": "access",.*"db": "built"' "$T_TMP/list.json"
sm map set access Connect:192.0.2.77 REJECT > /dev/null 2>&1
check "stale after an edit" test "$(dbcol access)" = "stale"
sm map build access > /dev/null 2>&1
check "built again" test "$(dbcol access)" = "built"
# Same records, text newer: stale (sendmail's tools would rebuild).
touch -d '+2 seconds' "$D/access"
check "stale when only the text is newer" test "$(dbcol access)" = "stale"
sm map build access > /dev/null 2>&1
# Other records, text older than the map: still stale.
sm map del access Connect:192.0.2.77 > /dev/null 2>&1
touch -d '-1 hour' "$D/access"
check "stale when the records differ, whatever the times" test "$(dbcol access)" = "stale"
sm map build -n access > "$T_TMP/preview" 2>&1
check "map build -n agrees" grep -q "1 removed" "$T_TMP/preview"

finish
