#!/bin/sh
# tests/integration/disk-full.sh -- writes that fail leave the old files
# intact, leave no temporary file, and are reported naming the file:
#  - a full file system: the sandbox's etc/ on a small tmpfs filled up
#    (ENOSPC), for a table save (map set), a map build and an apply;
#  - a file size limit (prlimit --fsize, EFBIG; smadm ignores SIGXFSZ)
#    for the same three.
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
etc=$dir/etc
mm() { /usr/sbin/makemap -C "$etc/sendmail.cf" -u hash "$etc/$1" 2>/dev/null | LC_ALL=C sort; }

# A big access table and a changed mc, prepared while there is room.
python3 - "$etc/access" <<'PY'
import sys
with open(sys.argv[1], "a") as f:
    for i in range(20000):
        f.write("From:full%d.example\tREJECT\n" % i)
PY
check "map build of the big table" sm map build access
sm mc set confSMTP_LOGIN_MSG '$j full ESMTP' > /dev/null

snapshot() {	# snapshot NAME: the files and the map's records
	mkdir -p "$T_TMP/$1"
	cp "$etc/access" "$etc/sendmail.cf" "$etc/sendmail.mc" "$T_TMP/$1/"
	mm access > "$T_TMP/$1/access.dump"
}
same() {	# same NAME: nothing changed since the snapshot
	for f in access sendmail.cf sendmail.mc; do
		cmp -s "$T_TMP/$1/$f" "$etc/$f" || { echo "$f changed"; return 1; }
	done
	mm access | cmp -s - "$T_TMP/$1/access.dump" || { echo "access.db changed"; return 1; }
}
notemp() { ! ls -a "$etc" | grep -E 'smadm-|^__db\.'; }

# fails DESCRIPTION FILE CMD...: CMD fails, names FILE, changes nothing
fails() {
	fd_what=$1 fd_file=$2
	shift 2
	snapshot before
	"$@" > "$T_TMP/fail.out" 2>&1
	rc=$?
	check "$fd_what: fails" test "$rc" -ne 0
	check "$fd_what: the message names $fd_file" grep -qF "$fd_file" "$T_TMP/fail.out"
	check "$fd_what: old files and map intact" same before
	check "$fd_what: no temporary file left" notemp
	sed "s/^/      says: /" "$T_TMP/fail.out" | grep -v "^      says:   " | tail -2
	rm -rf "$T_TMP/before"
}

# --- a file size limit
fails "fsize: map set" "$etc/access" \
    prlimit --fsize=100000 "$SMADM" -r "$dir" map set access From:new.example OK
grep -q "too large\|File too large" "$T_TMP/fail.out" &&
    ok "fsize: the reason is given (File too large)" ||
    { bad "fsize: no reason in the message"; cat "$T_TMP/fail.out"; }
fails "fsize: map build" "$etc/access" \
    prlimit --fsize=100000 "$SMADM" -r "$dir" map build access
fails "fsize: apply" "$etc/sendmail.cf" \
    prlimit --fsize=20000 "$SMADM" -y -r "$dir" apply

# --- a full file system
mnt=$T_TMP/etc-fs
if mkdir -p "$mnt" && mount -t tmpfs -o size=4m smadm-test "$mnt" 2>/dev/null; then
	trap 'umount "$mnt" 2>/dev/null; t_cleanup' EXIT
	# The sandbox's etc/ moves onto the small file system; the path
	# stays the same (a bind mount over it).
	cp -a "$etc/." "$mnt/"
	mount --bind "$mnt" "$etc"
	trap 'umount "$etc" 2>/dev/null; umount "$mnt" 2>/dev/null; t_cleanup' EXIT
	dd if=/dev/zero of="$etc/filler" bs=4k > /dev/null 2>&1
	truncate -s -16k "$etc/filler"
	avail=$(df -k --output=avail "$etc" | tail -1 | tr -d ' ')
	check "the file system is nearly full (${avail} KiB free)" test "$avail" -le 64
	fails "ENOSPC: map set" "$etc/access" \
	    "$SMADM" -r "$dir" map set access From:new.example OK
	grep -q "No space left" "$T_TMP/fail.out" &&
	    ok "ENOSPC: the reason is given (No space left on device)" ||
	    { bad "ENOSPC: no reason in the message"; cat "$T_TMP/fail.out"; }
	fails "ENOSPC: map build" "$etc/access" \
	    "$SMADM" -r "$dir" map build access
	fails "ENOSPC: apply" "$etc/sendmail.cf" "$SMADM" -y -r "$dir" apply
	rm -f "$etc/filler"
	check "with room again, map set works" sm map set access From:new.example OK
	check "and apply" sm -y apply
	check "and the map build" sm map build access
	umount "$etc"
	umount "$mnt"
	trap t_cleanup EXIT
else
	bad "cannot mount a small tmpfs here (not root?): the full-disk half was not run"
fi
finish
