#!/bin/sh
# tests/integration/trust.sh -- smadm runs as root, so nothing a user other
# than root could change may steer it (issue 14, part 3).  As root, this
# plants what such a user could: a group-writable profile, a profile in a
# world-writable directory, an m4 that is a world-writable script, symbolic
# links at the names smadm makes itself (CF.smadm-new, the lock, DIR/.smadm,
# its backups and applied records, a backup's name) pointing at a file and
# a directory this script makes in /etc, a mail log that is a FIFO, a
# directory or /dev/zero, and a 100 MB log without a newline.  Each must be
# refused at once with a message naming the path and the fix, and nothing
# outside the sandbox may change.
. "$(dirname "$0")/../lib.sh"
tests=$(cd "$(dirname "$0")/.." && pwd)

if [ "$(id -u)" -ne 0 ]; then
	echo "trust: needs root (it plants files in /etc)"
	ok "skipped: not root"
	finish
	exit 0
fi

# The harmless victims, in /etc as an attacker would choose.
VICTIM=/etc/smadm-trust-victim.$$
VDIR=/etc/smadm-trust-victim-dir.$$
echo "keep me" > "$VICTIM"
mkdir "$VDIR"
trap 'rm -f "$VICTIM"; rm -rf "$VDIR"; t_cleanup' EXIT
vsum=$(sha256sum "$VICTIM")
# victim_kept: are they as made?  Then made again, so that each attack
# is judged on its own.
victim_kept() {
	[ "$(sha256sum "$VICTIM")" = "$vsum" ] &&
	    [ -z "$(ls -A "$VDIR")" ] &&
	    [ -z "$(ls -A /etc | grep "smadm-trust-victim.$$." || true)" ]
	_rc=$?
	rm -f "$VICTIM" /etc/.smadm-trust-victim."$$".smadm-*
	echo "keep me" > "$VICTIM"
	rm -rf "$VDIR"
	mkdir "$VDIR"
	return $_rc
}

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
etc=$dir/etc
cd "$T_TMP" || exit 1

# run NAME CMD...: run with a time limit; output in $T_TMP/NAME.out
run() {
	_n=$1
	shift
	timeout 20 "$@" < /dev/null > "$T_TMP/$_n.out" 2>&1
	echo $? > "$T_TMP/$_n.rc"
}
rc_of() { cat "$T_TMP/$1.rc"; }
said() { grep -q -- "$2" "$T_TMP/$1.out" || { cat "$T_TMP/$1.out"; false; }; }

# The legitimate layout (/tmp sticky, the test directory 0755) works.
run legit "$SMADM" -r "$dir" status
check "the test layout under /tmp is trusted" test "$(rc_of legit)" -eq 0

# --- the profile and its directory

chmod g+w "$dir/smadm.conf"
run gw "$SMADM" -r "$dir" status
check "group-writable profile: refused" test "$(rc_of gw)" -eq 1
check "... naming it, its owner, mode and the fix" said gw \
    "profile $dir/smadm.conf is writable by its group (owner uid 0, mode 0664).*fix: chmod g-w $dir/smadm.conf"
chmod g-w "$dir/smadm.conf"

mkdir "$T_TMP/open"
cp -a "$dir" "$T_TMP/open/sb"
chmod 777 "$T_TMP/open"
run ww "$SMADM" -r "$T_TMP/open/sb" status
check "profile in a world-writable (not sticky) directory: refused" \
    test "$(rc_of ww)" -eq 1
check "... naming that directory and the fix" said ww \
    "the directory $T_TMP/open is writable by its group and by others (owner uid 0, mode 0777).*fix: chmod go-w $T_TMP/open"
run wwsb "$SMADM" sandbox create "$T_TMP/open/new" --port "$(free_port)"
check "sandbox create under a world-writable directory: refused" \
    said wwsb "chmod go-w $T_TMP/open"
check "... and nothing made there" test ! -e "$T_TMP/open/new"
chmod 755 "$T_TMP/open"

# The profile directory itself sticky and world-writable, like /tmp.
chmod 1777 "$T_TMP/open/sb"
run sticky "$SMADM" -r "$T_TMP/open/sb" status
check "profile directory sticky and world-writable: refused" said sticky \
    "the directory holding it, $T_TMP/open/sb is writable"
chmod 755 "$T_TMP/open/sb"

# --- a program it names: m4 as a world-writable script

mkdir "$T_TMP/bin"
cat > "$T_TMP/bin/m4" <<EOF
#!/bin/sh
touch "$T_TMP/m4-ran"
exec /usr/bin/m4 "\$@"
EOF
chmod 777 "$T_TMP/bin/m4"
cp "$dir/smadm.conf" "$T_TMP/conf.keep"
sed -i "s|^m4 = .*|m4 = $T_TMP/bin/m4|" "$dir/smadm.conf"
grep -q "^m4 = $T_TMP/bin/m4" "$dir/smadm.conf" ||
    echo "m4 = $T_TMP/bin/m4" >> "$dir/smadm.conf"
run m4 "$SMADM" -y -r "$dir" cf build
check "world-writable m4 script: refused" test "$(rc_of m4)" -eq 1
check "... naming it, mode and the fix" said m4 \
    "m4 $T_TMP/bin/m4 is writable by its group and by others (owner uid 0, mode 0777).*fix: chmod go-w $T_TMP/bin/m4"
check "... and never run" test ! -e "$T_TMP/m4-ran"
chmod 755 "$T_TMP/bin/m4"
chmod 777 "$T_TMP/bin"
run m4dir "$SMADM" -y -r "$dir" cf build
check "m4 in a world-writable directory: refused, never run" sh -c \
    "grep -q 'chmod go-w $T_TMP/bin' '$T_TMP/m4dir.out' && test ! -e '$T_TMP/m4-ran'"
chmod 755 "$T_TMP/bin"
# a link in a sticky directory that someone else owns: they can repoint it
# between the check and the run (seen: root ran their script)
mkdir "$T_TMP/sticky"
chmod 1777 "$T_TMP/sticky"
setpriv --reuid=nobody --regid=nogroup --clear-groups \
    ln -s /usr/bin/m4 "$T_TMP/sticky/m4"
sed -i "s|^m4 = .*|m4 = $T_TMP/sticky/m4|" "$dir/smadm.conf"
run m4link "$SMADM" -y -r "$dir" cf build
check "m4 through a link of another user in a sticky directory: refused" \
    said m4link "the symbolic link $T_TMP/sticky/m4 is owned by someone else"
rm -f "$T_TMP/sticky/m4"
ln -s /usr/bin/m4 "$T_TMP/sticky/m4"
run m4rootlink "$SMADM" -y -r "$dir" cf build
check "... a link of root there is followed" test "$(rc_of m4rootlink)" -eq 0
rm -f "$T_TMP/sticky/m4"
cp "$T_TMP/conf.keep" "$dir/smadm.conf"

# --- symbolic links at the names smadm makes

cf=$(sed -n 's/^cf = //p' "$dir/smadm.conf")
case $cf in /*) ;; *) cf=$dir/$cf ;; esac
rm -f "$cf.smadm-new"	# the cf build above kept its own
ln -s "$VICTIM" "$cf.smadm-new"
run cfnew "$SMADM" -y -r "$dir" cf build
check "symlink at CF.smadm-new: refused" said cfnew \
    "$cf.smadm-new is a symbolic link"
check "... the file it points at unchanged" victim_kept
rm -f "$cf.smadm-new"

mkdir -p "$dir/.smadm"
rm -f "$dir/.smadm/lock"
ln -s "$VICTIM" "$dir/.smadm/lock"
run lock "$SMADM" -y -r "$dir" map set access From:lock.example OK
check "symlink at the lock: refused, said so" said lock \
    "$dir/.smadm/lock is a symbolic link"
check "... the file it points at unchanged" victim_kept
rm -f "$dir/.smadm/lock"

mkfifo "$dir/.smadm/lock"
run lockfifo "$SMADM" -y -r "$dir" map set access From:lock.example OK
check "a FIFO at the lock: refused at once" said lockfifo \
    "lock.*not a regular file"
rm -f "$dir/.smadm/lock"

mv "$dir/.smadm" "$T_TMP/state.keep"
ln -s "$VDIR" "$dir/.smadm"
run state "$SMADM" -y -r "$dir" map set access From:state.example OK
check "symlink at DIR/.smadm: refused" said state \
    "$dir/.smadm is a symbolic link"
check "... nothing made in the directory it points at" victim_kept
rm "$dir/.smadm"
mv "$T_TMP/state.keep" "$dir/.smadm"

# A change to the mc, so that apply installs a new cf (with a backup set).
hop() { printf "define(\`confMAX_HOP', \`%s')dnl\n" "$1" >> "$etc/sendmail.mc"; }
rm -rf "$dir/.smadm/backups"
ln -s "$VDIR" "$dir/.smadm/backups"
hop 31
run backups "$SMADM" -y -r "$dir" apply
check "symlink at DIR/.smadm/backups: apply refused" said backups \
    "$dir/.smadm/backups is a symbolic link"
check "... nothing made in the directory it points at" victim_kept
rm "$dir/.smadm/backups"

# A backup beside the file: smadm picks the next free name, never the
# link (the names of the next seconds are all planted).
for s in 0 1 2 3 4 5 6 7 8 9; do
	b=$etc/access.$(date -d "+$s sec" +%Y%m%dT%H%M%S).smadm~
	[ -e "$b" ] || ln -s "$VICTIM" "$b"
done
run bkname "$SMADM" -y -r "$dir" map set access From:bkname.example OK
check "symlinks at the next backup names: the write works" \
    test "$(rc_of bkname)" -eq 0
check "... the file they point at unchanged" victim_kept
find "$etc" -name 'access.*.smadm~' -type l -delete

# The mc smadm records as applied: DIR/.smadm/applied/ROLE.
mkdir -p "$dir/.smadm/applied"
rm -f "$dir/.smadm/applied/mc"
ln -s "$VICTIM" "$dir/.smadm/applied/mc"
hop 32
run applied "$SMADM" -y -r "$dir" apply
check "symlink at the applied record: refused" said applied \
    "$dir/.smadm/applied/mc is a symbolic link"
check "... the file it points at unchanged" victim_kept
find "$dir/.smadm/applied" -type l -delete

# --- mail_log that is not a regular file

set_log() {
	sed -i "/^mail_log =/d" "$dir/smadm.conf"
	echo "mail_log = $1" >> "$dir/smadm.conf"
}
cp "$dir/smadm.conf" "$T_TMP/conf.keep"
mkfifo "$T_TMP/fifo"
mkdir "$T_TMP/logdir"
for kind in fifo logdir /dev/zero; do
	case $kind in /*) path=$kind ;; *) path=$T_TMP/$kind ;; esac
	set_log "$path"
	for c in "log tail" "log search relay" "log trace 0A1B2C3D012345"; do
		# shellcheck disable=SC2086
		set -- $c
		n=$(echo "$kind-$c" | tr ' /' '__')
		run "$n" "$SMADM" -r "$dir" "$@"
		check "mail_log is $kind: $c ends at once (no hang)" \
		    test "$(rc_of "$n")" -lt 124
		check "... saying not a regular file" said "$n" \
		    "$path: not a regular file"
	done
done
rmdir "$T_TMP/logdir"

# A map's .db that is a FIFO (Berkeley DB would wait on it forever).
mv "$etc/access.db" "$T_TMP/access.db.keep"
mkfifo "$etc/access.db"
run dbfifo "$SMADM" -r "$dir" map lookup access From:x.example
check "access.db is a FIFO: map lookup ends at once (no hang)" \
    test "$(rc_of dbfifo)" -lt 124
check "... saying not a regular file" said dbfifo \
    "access.db: not a regular file"
rm -f "$etc/access.db"
mv "$T_TMP/access.db.keep" "$etc/access.db"

# A 100 MB log without a newline: memory stays bounded, the line is cut.
head -c 104857600 /dev/zero | tr '\0' 'x' > "$T_TMP/huge.log"
set_log "$T_TMP/huge.log"
/usr/bin/time -f '%M' -o "$T_TMP/huge.rss" timeout 60 "$SMADM" -r "$dir" \
    log search xxx > "$T_TMP/huge.out" 2>&1
rss=$(tail -1 "$T_TMP/huge.rss")
# Holding the line whole would take 100 MB at least; bounded reading
# takes about 20 MB (70 MB under AddressSanitizer).
check "100 MB line: log search uses under 100 MB (${rss} KB)" \
    test "$rss" -lt 102400
check "... and shows the line cut with a mark" \
    grep -q 'smadm: line cut at 65536 bytes' "$T_TMP/huge.out"
rm -f "$T_TMP/huge.log"
cp "$T_TMP/conf.keep" "$dir/smadm.conf"

# --- the same over SSH (checked through the transport's stat)

if [ -x /usr/sbin/sshd ] && . "$tests/ssh-lib.sh" && ssh_start; then
	chmod g+w "$dir/smadm.conf"
	for h in "" none; do
		n=ssh-gw${h:+-nohelper}
		run "$n" env HOME="$T_HOME" "$SMADM" -H smtest \
		    ${h:+--remote-smadm none} -r "$dir" status
		check "over SSH${h:+ without a remote smadm}: group-writable profile refused" \
		    said "$n" "profile $dir/smadm.conf is writable by its group.*chmod g-w"
	done
	chmod g-w "$dir/smadm.conf"
	chmod 777 "$T_TMP/bin"
	sed -i "s|^m4 = .*|m4 = $T_TMP/bin/m4|" "$dir/smadm.conf"
	run ssh-m4 env HOME="$T_HOME" "$SMADM" -H smtest -r "$dir" cf build
	check "over SSH: m4 in a world-writable directory refused, never run" \
	    sh -c "grep -q 'chmod go-w $T_TMP/bin' '$T_TMP/ssh-m4.out' && test ! -e '$T_TMP/m4-ran'"
	chmod 755 "$T_TMP/bin"
	cp "$T_TMP/conf.keep" "$dir/smadm.conf"
	ln -s "$VICTIM" "$cf.smadm-new"
	run ssh-cfnew env HOME="$T_HOME" "$SMADM" -H smtest -r "$dir" cf build
	check "over SSH: symlink at CF.smadm-new refused" said ssh-cfnew \
	    "$cf.smadm-new is a symbolic link"
	check "... the file it points at unchanged" victim_kept
	rm -f "$cf.smadm-new"
	set_log "$T_TMP/fifo"
	for h in "" none; do
		n=ssh-fifo${h:+-nohelper}
		run "$n" env HOME="$T_HOME" "$SMADM" -H smtest \
		    ${h:+--remote-smadm none} -r "$dir" log search relay
		check "over SSH${h:+ without a remote smadm}: FIFO mail_log ends at once" \
		    test "$(rc_of "$n")" -lt 124
		check "... saying not a regular file" said "$n" "not a regular file"
	done
	cp "$T_TMP/conf.keep" "$dir/smadm.conf"
else
	bad "private sshd did not start"
fi

check "the victims in /etc are as they were" victim_kept
finish
