# tests/integration/mc-get-ostype.sh -- on Debian's stock mc, OSTYPE(`debian')
# defines confSMTP_LOGIN_MSG, confDEAD_LETTER_DROP and STATUS_FILE, and m4
# writes those values to the cf; mc get agrees with the generated cf (m4 is
# asked when no define of the mc sets the name) and says where the value
# comes from; a name nothing sets still names the default and exits 1.
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
	got=$("$SMADM" -r "$dir" mc get "$name" 2>"$T_TMP/err")
	check "mc get $name is the cf's $opt ($want)" test "$got" = "$want"
	check "mc get $name says the cf macros give it" \
	    grep -q "no define of the mc sets $name; the cf macros it calls" "$T_TMP/err"
done
"$SMADM" -r "$dir" mc get confMAX_HOP > "$T_TMP/out" 2>&1
check_not "a name nothing sets: exit 1" "$SMADM" -r "$dir" mc get confMAX_HOP
check "and the default is named" grep -q 'confMAX_HOP (MaxHopCount) is not set in .* (default: 25)' "$T_TMP/out"
finish
