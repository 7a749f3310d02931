#!/bin/sh
# map-owner.sh -- one map build path (db/mapbuild.h) for the sandbox, for
# "smadm map build" here and for "smadm -H" (the remote makemap): a map it
# replaces keeps its owner, group and mode, no temporary file is left, and
# sendmail reads the new map.  Run as root (a chowned map).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ssh-lib.sh"

if [ "$(id -u)" != 0 ]; then
	ok "skipped: needs root to chown a map"
	finish
	exit 0
fi
dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
etc=$dir/etc
cf=$etc/sendmail.cf
sm() { "$SMADM" -r "$dir" "$@"; }
lookup() {	# lookup MAP KEY: what sendmail's /map says
	printf '/map %s %s\n' "$1" "$2" |
	    sm sandbox exec /usr/sbin/sendmail -C "$cf" -bt 2>&1
}
notemp() { ! ls -a "$etc" | grep -E 'smadm-|^__db\.'; }
owner() { stat -c '%U:%G %a' "$1"; }

# The sandbox's maps come from the same builder: seeds readable by sendmail.
for m in access mailertable virtusertable genericstable domaintable aliases; do
	check "sandbox built $m.db" test -s "$etc/$m.db"
done
check "sendmail reads the sandbox's aliases.db" sh -c "printf '/map aliases postmaster\n' | \"$SMADM\" -r \"$dir\" sandbox exec /usr/sbin/sendmail -C \"$cf\" -bt | grep -q 'returns root'"
check "no temporary file after sandbox create" notemp

# smadm map build keeps a chowned map's owner and mode.
chown nobody:nogroup "$etc/access.db" && chmod 0604 "$etc/access.db"
check "map set (local)" sm map set access 10.1.2.3 REJECT
check "map build (local)" sm map build access
check "local build keeps owner and mode ($(owner "$etc/access.db"))" \
    test "$(owner "$etc/access.db")" = "nobody:nogroup 604"
check "sendmail reads the locally built map" sh -c "printf '/map access 10.1.2.3\n' | \"$SMADM\" -r \"$dir\" sandbox exec /usr/sbin/sendmail -C \"$cf\" -bt | grep -q 'returns REJECT'"
check "no temporary file after a local build" notemp

# The same over SSH: the remote makemap, then owner and mode as they were.
ssh_start || { bad "private sshd did not start"; finish; exit 1; }
rsm() { sm_remote -r "$dir" "$@"; }
chown daemon:daemon "$etc/mailertable.db" && chmod 0644 "$etc/mailertable.db"
check "map set over ssh" rsm map set mailertable far.example smtp:[127.0.0.1]
check "map build over ssh" rsm map build mailertable
check "remote build keeps owner and mode ($(owner "$etc/mailertable.db"))" \
    test "$(owner "$etc/mailertable.db")" = "daemon:daemon 644"
lookup mailertable far.example > "$T_TMP/bt"
check "sendmail reads the remotely built map" grep -q 'returns smtp:.127.0.0.1.' "$T_TMP/bt"
check "no temporary file after a remote build" notemp
chown nobody:nogroup "$etc/aliases.db" && chmod 0644 "$etc/aliases.db"
check "aliases build over ssh" rsm map build aliases
check "remote aliases build keeps owner and mode" \
    test "$(owner "$etc/aliases.db")" = "nobody:nogroup 644"
finish
