# tests/integration/review16b-mc-get-ostype.sh -- failing (review16b): on
# Debian's stock mc, OSTYPE(`debian') defines confSMTP_LOGIN_MSG,
# confDEAD_LETTER_DROP and STATUS_FILE, and m4 writes those values to the
# cf; "mc get" says they are not set and names sendmail's default, so the
# admin is told the greeting is "$j Sendmail $v ready at $b" while the cf
# (and the daemon) use Debian's.  mc get must agree with the generated cf.
. "$(dirname "$0")/../lib.sh"

dir=$T_TMP/p
profile_dir "$dir" vm
cat > "$dir/sendmail.mc" <<'MC'
divert(0)dnl
OSTYPE(`debian')dnl
define(`confDOMAIN_NAME', `vm.smadm.test')dnl
MAILER(`local')dnl
MC
[ -f /usr/share/sendmail/cf/ostype/debian.m4 ] || { ok "no ostype/debian.m4 here: skipped"; finish; exit 0; }
/usr/bin/m4 /usr/share/sendmail/cf/m4/cf.m4 "$dir/sendmail.mc" > "$T_TMP/cf" 2>/dev/null
for pair in 'confDEAD_LETTER_DROP DeadLetterDrop' 'STATUS_FILE StatusFile'; do
	name=${pair% *}; opt=${pair#* }
	want=$(sed -n "s/^O $opt=//p" "$T_TMP/cf")
	got=$("$SMADM" -r "$dir" mc get "$name" 2>&1)
	check "mc get $name is the cf's $opt ($want)" test "$got" = "$want"
done
finish
