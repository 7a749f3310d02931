# tests/integration/apply-profile-pidfile.sh -- PidFile paths that name the
# same file match the profile's pid_file.  Debian's stock cf says
# PidFile=/var/run/sendmail/mta/sendmail.pid, the detected Debian profile
# /run/sendmail/mta/sendmail.pid, and /var/run links to /run.  Also with a
# link of the test's own, whose directory below does not exist yet, and a
# path that really differs is still a mismatch.
. "$(dirname "$0")/../lib.sh"

dir=$T_TMP/p
profile_dir "$dir" vm
cp "$dir/smadm.conf" "$T_TMP/conf.base"
mkmc() {	# mkmc PIDFILE: the mc and its cf
	cat > "$dir/sendmail.mc" <<MC
divert(0)dnl
OSTYPE(\`linux')dnl
define(\`confDOMAIN_NAME', \`vm.smadm.test')dnl
define(\`confPID_FILE', \`$1')dnl
MAILER(\`local')dnl
MC
	/usr/bin/m4 /usr/share/sendmail/cf/m4/cf.m4 "$dir/sendmail.mc" > "$dir/sendmail.cf" 2>/dev/null
}
profile() {	# profile PIDFILE
	cp "$T_TMP/conf.base" "$dir/smadm.conf"
	printf 'pid_file = %s\nqueue_dirs = /var/spool/mqueue\n' "$1" >> "$dir/smadm.conf"
}

if [ "$(readlink -f /var/run)" = /run ]; then
	profile /run/smadm-r16b/sendmail.pid
	mkmc /var/run/smadm-r16b/sendmail.pid
	"$SMADM" -r "$dir" apply --dry-run > "$T_TMP/out" 2>&1
	check_not "no PidFile mismatch for /var/run and /run" grep -q 'PidFile: the cf says /var/run' "$T_TMP/out"
else
	ok "/var/run is not /run here: that case skipped"
fi

mkdir -p "$T_TMP/real"
ln -s real "$T_TMP/link"
profile "$T_TMP/real/sub/sendmail.pid"
mkmc "$T_TMP/link/sub/sendmail.pid"
"$SMADM" -r "$dir" apply --dry-run > "$T_TMP/out" 2>&1
check_not "no PidFile mismatch through a link (below it missing)" grep -q 'PidFile: the cf says' "$T_TMP/out"
mkdir -p "$T_TMP/real/sub"
"$SMADM" -r "$dir" apply --dry-run > "$T_TMP/out" 2>&1
check_not "nor once the directory exists" grep -q 'PidFile: the cf says' "$T_TMP/out"

mkmc "$T_TMP/link/sub/other.pid"
"$SMADM" -r "$dir" apply --dry-run > "$T_TMP/out" 2>&1
check "another file through the link is still a mismatch" grep -q "PidFile: the cf says $T_TMP/link/sub/other.pid" "$T_TMP/out"
mkmc "$T_TMP/link/elsewhere/sendmail.pid"
"$SMADM" -r "$dir" apply --dry-run > "$T_TMP/out" 2>&1
check "another directory is still a mismatch" grep -q "PidFile: the cf says $T_TMP/link/elsewhere/sendmail.pid" "$T_TMP/out"
finish
