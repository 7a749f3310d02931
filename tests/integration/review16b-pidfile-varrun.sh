# tests/integration/review16b-pidfile-varrun.sh -- failing (review16b):
# Debian's stock cf says PidFile=/var/run/sendmail/mta/sendmail.pid, the
# detected Debian profile says /run/sendmail/mta/sendmail.pid, and
# /var/run is a symbolic link to /run: the same file.  apply --dry-run
# still warns "the live cf already differs from the profile: PidFile" and
# offers --update-profile.  Paths that name the same file must match.
. "$(dirname "$0")/../lib.sh"

[ "$(readlink -f /var/run)" = /run ] || { ok "/var/run is not /run here: skipped"; finish; exit 0; }
dir=$T_TMP/p
profile_dir "$dir" vm
printf 'pid_file = /run/smadm-r16b/sendmail.pid\nqueue_dirs = /var/spool/mqueue\n' >> "$dir/smadm.conf"
cat > "$dir/sendmail.mc" <<'MC'
divert(0)dnl
OSTYPE(`linux')dnl
define(`confDOMAIN_NAME', `vm.smadm.test')dnl
define(`confPID_FILE', `/var/run/smadm-r16b/sendmail.pid')dnl
MAILER(`local')dnl
MC
/usr/bin/m4 /usr/share/sendmail/cf/m4/cf.m4 "$dir/sendmail.mc" > "$dir/sendmail.cf" 2>/dev/null
"$SMADM" -r "$dir" apply --dry-run > "$T_TMP/out" 2>&1
check_not "no PidFile mismatch for /var/run and /run" grep -q 'PidFile: the cf says /var/run' "$T_TMP/out"
finish
