#!/bin/sh
# backups.sh -- where backups go and how long they stay: table edits keep
# the old file in a backup set under DIR/.smadm/backups (nothing beside the
# table), the profile's retention (backup_keep, backup_days) prunes after
# every new set and with "smadm backups prune [--dry-run]", the newest set
# is never removed, a set equal to the newest is not made twice, a prune
# killed at any step leaves only whole sets, "backups" shows sizes, and an
# unreadable state directory is reported as such.
. "$(dirname "$0")/../lib.sh"
FIX=$(cd "$(dirname "$0")/../fixtures/tables" && pwd)

D=$T_TMP/prof
B=$D/.smadm/backups
mkdir -p "$D"
cp "$FIX/access" "$FIX/aliases" "$D/"
cat > "$D/smadm.conf" <<CONF
access = access
aliases = aliases
backup_keep = 3
CONF
sm() { "$SMADM" -r "$D" "$@"; }
nsets() { ls "$B" 2>/dev/null | grep -cv -e '\.tmp$' -e '\.del$'; }
newest() { ls "$B" | grep -v -e '\.tmp$' -e '\.del$' | sort -t- -k1,1 -k2n | tail -1; }
# every set directory has a MANIFEST and each file it lists, at its size
whole() {
	for s in "$B"/*; do
		case $s in *.tmp|*.del) continue ;; esac
		[ -f "$s/MANIFEST" ] || { echo "$s: no MANIFEST"; return 1; }
		grep '^file' "$s/MANIFEST" | while IFS='	' read -r _ role _ _ _ size _; do
			[ "$(stat -c %s "$s/$role" 2>/dev/null)" = "$size" ] ||
			    { echo "$s/$role: not $size bytes"; exit 1; }
		done || return 1
	done
}

# --- table edits: a set each, nothing beside the table
cp "$D/access" "$T_TMP/access.0"
sm map set access Connect:192.0.2.1 OK > "$T_TMP/out" 2>&1
check "map set succeeds" test $? -eq 0
check "it names the backup set" grep -q '^backup: set [0-9T-]* ("smadm rollback' "$T_TMP/out"
check "no copy beside the table" test -z "$(ls -a "$D" | grep 'smadm~$')"
check "one set, holding the old file" cmp -s "$T_TMP/access.0" "$B/$(newest)/access"
check "its reason says which edit" grep -q '^reason	map set access$' "$B/$(newest)/MANIFEST"
for i in 2 3 4 5 6; do
	cp "$D/access" "$T_TMP/access.$((i - 1))"
	sm map set access "Connect:192.0.2.$i" OK > /dev/null 2>&1
done
check "after six edits, backup_keep = 3 sets are left" test "$(nsets)" -eq 3
check "the newest holds the file before the last edit" \
	cmp -s "$T_TMP/access.5" "$B/$(newest)/access"
sm map del access Connect:192.0.2.6 > /dev/null 2>&1
sm map rename access Connect:192.0.2.5 Connect:192.0.2.50 > /dev/null 2>&1
sm map comment access Connect:192.0.2.4 > /dev/null 2>&1
check "del, rename and comment keep sets too" \
	sh -c "grep -h '^reason' '$B'/*/MANIFEST | sort | tr '\n' ' ' | grep -q 'map comment access.*map del access.*map rename access'"
check "still 3 sets" test "$(nsets)" -eq 3

# --- rollback from such a set puts the table back
cp "$D/access" "$T_TMP/access.now"
id=$(newest)
sm map set access Connect:192.0.2.9 OK > /dev/null 2>&1
check "rollback of a table edit succeeds" sm -y rollback "$(newest)"
check "the table is as before the edit" cmp -s "$T_TMP/access.now" "$D/access"

# --- a set equal to the newest one is not made again
cp "$D/access" "$T_TMP/access.s"
sm map set access Connect:192.0.2.10 OK > /dev/null 2>&1
id=$(newest)
cp "$T_TMP/access.s" "$D/access"		# back to what set $id holds
n=$(ls "$B" | wc -l)
sm map set access Connect:192.0.2.11 OK > "$T_TMP/out" 2>&1
check "an unchanged file makes no new set" test "$(ls "$B" | wc -l)" -eq "$n"
check "the edit names the set that holds it" grep -q "^backup: set $id " "$T_TMP/out"

# --- backups: sizes and the policy
sm backups > "$T_TMP/list"
check "backups shows each set's size" grep -Eq '^[0-9T-]+ +[0-9T:+-]+ +[0-9.]+ kB +map set access$' "$T_TMP/list"
check "and the total and the policy" grep -Eq '^3 sets, [0-9.]+ kB; kept: the newest 3, none older than 14 days' "$T_TMP/list"
sm --json backups > "$T_TMP/json"
check "backups --json has bytes" grep -Eq '"bytes":[0-9]+' "$T_TMP/json"

# --- age: a set older than backup_days goes, the newest never
old=20200101T000000
cp -r "$B/$(newest)" "$B/$old"
sed -i "s/^id	.*/id	$old/" "$B/$old/MANIFEST"
sm backups prune --dry-run > "$T_TMP/out" 2>&1
check "prune --dry-run names the old set" grep -q "^would remove backup $old$" "$T_TMP/out"
check "and leaves it" test -d "$B/$old"
sm backups prune > "$T_TMP/out" 2>&1
check "prune removes the set older than 14 days" sh -c "grep -q '^removed backup $old\$' '$T_TMP/out' && [ ! -e '$B/$old' ]"
check "prune reports the bytes" grep -Eq '^1 set, [0-9.]+ kB$' "$T_TMP/out"
sm backups prune > "$T_TMP/out" 2>&1
check "a second prune has nothing to do" grep -q '^nothing to prune' "$T_TMP/out"

cp -r "$B/$(newest)" "$T_TMP/keep"
rm -rf "$B"/*
cp -r "$T_TMP/keep" "$B/$old"
sed -i "s/^id	.*/id	$old/" "$B/$old/MANIFEST"
sm backups prune > /dev/null 2>&1
check "the newest set stays, however old" test -d "$B/$old"
printf 'backup_days = 0\n' >> "$D/smadm.conf"
cp -r "$T_TMP/keep" "$B/20200101T000001"
sed -i "s/^id	.*/id	20200101T000001/" "$B/20200101T000001/MANIFEST"
sm backups prune > /dev/null 2>&1
check "backup_days = 0: no age limit" test "$(nsets)" -eq 2

# --- what crashed runs leave is cleared
mkdir "$B/20200101T000002.del" "$B/20200101T000003.tmp"
: > "$B/20200101T000002.del/access"
: > "$B/20200101T000003.tmp/MANIFEST"
sm backups > "$T_TMP/list"
check_not "backups does not list them" grep -q '20200101T00000[23]' "$T_TMP/list"
sm backups prune > "$T_TMP/out" 2>&1
check "prune removes a half-removed set" sh -c "grep -q 'removed .*000002.del' '$T_TMP/out' && [ ! -e '$B/20200101T000002.del' ]"
check "and a half-made one" test ! -e "$B/20200101T000003.tmp"

# --- a prune killed at each of its steps leaves only whole sets
sed -i 's/^backup_days = 0$/backup_days = 14/' "$D/smadm.conf"
mkold() {	# five sets older than 14 days beside the newest
	for k in 1 2 3 4 5; do
		cp -r "$T_TMP/keep" "$B/2020010${k}T000000"
		sed -i "s/^id	.*/id	2020010${k}T000000/" "$B/2020010${k}T000000/MANIFEST"
	done
}
rm -rf "$B"/*
cp -r "$T_TMP/keep" "$B/20991231T000000"
sed -i "s/^id	.*/id	20991231T000000/" "$B/20991231T000000/MANIFEST"
mkold
P=$(SMADM_CRASH_TRACE=1 sm backups prune 2>&1 | grep -c 'crash point')
check "prune of five sets passes crash points ($P)" test "$P" -ge 10
bad_runs=0 killed=0
for at in $(seq 1 "$P"); do
	rm -rf "$B"/2020*
	mkold
	SMADM_CRASH_AT=$at sm backups prune > /dev/null 2>&1
	[ $? -eq 137 ] && killed=$((killed + 1))
	if ! whole > "$T_TMP/whole" 2>&1; then
		bad_runs=$((bad_runs + 1)); cat "$T_TMP/whole"
	fi
	sm backups prune > /dev/null 2>&1
	if [ "$(ls "$B")" != 20991231T000000 ]; then
		bad_runs=$((bad_runs + 1)); echo "after point $at: $(ls "$B" | tr '\n' ' ')"
	fi
done
check "killed at every point ($killed of $P)" test "$killed" -eq "$P"
check "each kill left whole sets, the next prune finished" test "$bad_runs" -eq 0

# --- the profile keys are checked
cp "$D/smadm.conf" "$T_TMP/conf"
printf 'backup_keep = 0\n' >> "$D/smadm.conf"
sm backups > "$T_TMP/out" 2>&1
check "backup_keep = 0 is refused with FILE:LINE" grep -q "smadm.conf:[0-9]*: backup_keep: expected a number from 1 to 100000, not \"0\"" "$T_TMP/out"
cp "$T_TMP/conf" "$D/smadm.conf"
printf 'backup_days = soon\n' >> "$D/smadm.conf"
check_not "backup_days = soon is refused" sm backups
cp "$T_TMP/conf" "$D/smadm.conf"

# --- a set planted in the state directory restores only where it belongs
B=$D/.smadm/backups
planted() {	# planted ID MODE PATH: a set whose "aliases" file goes to PATH
	mkdir -p "$B/$1"
	printf 'hello' > "$B/$1/aliases"
	printf 'id\t%s\ntime\t2026-12-07T05:00:00\nreason\tplanted\nfile\taliases\t%s\t0\t0\t5\t%s\n' \
	    "$1" "$2" "$3" > "$B/$1/MANIFEST"
}
planted 20991231T000001 4755 "$T_TMP/suid"
check_not "rollback of a set naming another path fails" sm -y rollback 20991231T000001
cp "$T_TMP/.check.out" "$T_TMP/out"
check "... saying it is not the profile's aliases file" \
	grep -q "is not this profile's aliases file" "$T_TMP/out"
check_not "... and writes nothing there" test -e "$T_TMP/suid"
rm -rf "$B/20991231T000001"
AL=$(sm map list 2>/dev/null | awk '$1 == "aliases" { print $4 }')
planted 20991231T000002 4755 "$AL"
cp "$AL" "$T_TMP/aliases.before"
check_not "rollback of a set with a set-user-ID mode fails" sm -y rollback 20991231T000002
check "... and the aliases file is as it was" cmp -s "$AL" "$T_TMP/aliases.before"
rm -rf "$B/20991231T000002"
mkdir -p "$T_TMP/elsewhere/x"
chmod 777 "$T_TMP/elsewhere/x"
planted 20991231T000003 0644 "$AL"
mv "$B/20991231T000003"/* "$T_TMP/elsewhere/x/"
rmdir "$B/20991231T000003"
ln -s "$T_TMP/elsewhere/x" "$B/20991231T000003"
check_not "rollback of a set directory that is a symbolic link fails" sm -y rollback 20991231T000003
check "... and the aliases file is as it was" cmp -s "$AL" "$T_TMP/aliases.before"
rm -f "$B/20991231T000003"
planted 20991231T000004 0644 "$AL"
rm -f "$B/20991231T000004/aliases"
printf 'hello' > "$T_TMP/five"
ln -s "$T_TMP/five" "$B/20991231T000004/aliases"
check_not "rollback of a set whose file is a symbolic link fails" sm -y rollback 20991231T000004
check "... and the aliases file is as it was" cmp -s "$AL" "$T_TMP/aliases.before"
rm -rf "$B/20991231T000004"

# --- a state directory smadm cannot read is not "no backups yet"
if [ "$(id -u)" -eq 0 ] && id nobody > /dev/null 2>&1; then
	chmod 700 "$D/.smadm"
	su nobody -s /bin/sh -c "'$SMADM' -r '$D' backups" > "$T_TMP/out" 2>&1
	check "not root: backups fails" test $? -ne 0
	check "and says the state directory cannot be read" \
		grep -q "cannot read the backups in $D/.smadm (.*Permission denied): run smadm as their owner" "$T_TMP/out"
	check_not "not \"no backups yet\"" grep -q 'no backups yet' "$T_TMP/out"
else
	ok "skipped: the unreadable state directory needs root and nobody"
fi

finish
