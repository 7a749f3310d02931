# tests/integration/audit-msp.sh -- the audit on the mail submission
# program's mc as sendmail-cf and Debian ship it (FEATURE(msp)).  Its prog
# mailer is P=[IPC]: it hands everything to the MTA over SMTP and runs no
# program, so prog-smrsh passes; the role is msp (send-only, nothing
# delivered here), and "audit show role" says so.  Every one-key fix the
# audit offers on the stock submit.mc, Debian's submit.mc and Debian's
# sendmail.mc applies: m4 accepts the edited mc and the finding is gone.
. "$(dirname "$0")/../lib.sh"

mkprofile() {	# mkprofile DIR MC: a profile in a namespace of its own
	mkdir -p "$1/ns"
	chmod 755 "$1"
	printf '127.0.0.1\tmc.smadm.test mc localhost\n' > "$1/ns/hosts"
	printf 'passwd: files\ngroup: files\nhosts: files\n' > "$1/ns/nsswitch.conf"
	printf 'nameserver 127.0.0.1\n' > "$1/ns/resolv.conf"
	printf 'mc = sendmail.mc\ncf = sendmail.cf\ncf_dir = /usr/share/sendmail/cf\nsendmail = /usr/sbin/sendmail\nm4 = /usr/bin/m4\nnamespace = ns\n' > "$1/smadm.conf"
	cp "$2" "$1/sendmail.mc"
}
build_cf() {	# build_cf DIR: the cf as m4 makes it from the mc
	m4 /usr/share/sendmail/cf/m4/cf.m4 "$1/sendmail.mc" > "$1/sendmail.cf" 2>/dev/null
}

P=$T_TMP/msp
mkprofile "$P" /usr/share/sendmail/cf/cf/submit.mc
build_cf "$P"
check "the stock MSP cf has prog P=[IPC]" grep -q '^Mprog,.*P=\[IPC\]' "$P/sendmail.cf"
"$SMADM" -r "$P" audit --no-live > "$T_TMP/a" 2>&1
check_not "no prog-smrsh finding for a prog mailer that runs no program" \
    grep -q 'prog-smrsh' "$T_TMP/a"
"$SMADM" -r "$P" audit --all --no-live > "$T_TMP/all" 2>&1
check "prog-smrsh is a passed check" grep -q '^pass *prog-smrsh ' "$T_TMP/all"
"$SMADM" -r "$P" audit show prog-smrsh > "$T_TMP/show" 2>&1
check "audit show prog-smrsh: P=[IPC] runs no program" \
    grep -q 'P=\[IPC\] runs no program' "$T_TMP/show"
"$SMADM" -r "$P" audit show role > "$T_TMP/role" 2>&1
check_not "an MSP is not inferred as a local-delivery server" grep -qx 'role: local' "$T_TMP/role"
check "the role is msp" grep -qx 'role: msp' "$T_TMP/role"
check "audit show role explains it" grep -q 'FEATURE(msp): a mail submission' "$T_TMP/role"
check "runasuser applies to an msp" grep -q '^pass *runasuser ' "$T_TMP/all"

# A plain prog mailer still needs smrsh: the check is not switched off.
S=$T_TMP/shell
mkprofile "$S" /dev/null
printf "OSTYPE(\`debian')dnl\nMAILER(\`local')dnl\nMAILER(\`smtp')dnl\n" > "$S/sendmail.mc"
build_cf "$S"
check "a plain cf has a prog mailer that runs /bin/sh" grep -q '^Mprog,.*P=/bin/sh' "$S/sendmail.cf"
"$SMADM" -r "$S" audit --no-live > "$T_TMP/s" 2>&1
check "P=/bin/sh is still high prog-smrsh" grep -q '^high *prog-smrsh ' "$T_TMP/s"

# fixes_apply NAME DIR: every finding fixable by "apply" (an mc edit),
# each in a copy of DIR, must apply and be gone afterwards.
fixes_apply() {
	"$SMADM" -r "$2" audit --json --no-live 2>/dev/null | python3 -c '
import json, sys
for f in json.load(sys.stdin)["findings"]:
    if f.get("fixable") == "apply":
        print(f["id"])' > "$T_TMP/ids.$1"
	check "$1: the audit offers mc fixes" test -s "$T_TMP/ids.$1"
	while read -r id; do
		Q=$T_TMP/fix.$1.$id
		cp -a "$2" "$Q"
		sed -i "s|$2/|$Q/|g" "$Q/sendmail.mc"
		check "$1: audit fix $id applies" "$SMADM" -y -r "$Q" audit fix "$id"
		"$SMADM" -r "$Q" audit --no-live > "$T_TMP/after" 2>&1
		check_not "$1: $id is gone after the fix" \
		    grep -q " $id " "$T_TMP/after"
	done < "$T_TMP/ids.$1"
}
fixes_apply submit "$P"

D=$T_TMP/debsubmit
mkprofile "$D" /usr/share/sendmail/cf/debian/submit.mc
build_cf "$D"
"$SMADM" -r "$D" audit show role > "$T_TMP/drole" 2>&1
check "Debian's submit.mc: role msp" grep -qx 'role: msp' "$T_TMP/drole"
fixes_apply debian-submit "$D"

# Debian's sendmail.mc includes two files from /etc/mail/m4, outside what
# a profile may include: copies of them go into the profile.
M=$T_TMP/debmta
mkprofile "$M" /usr/share/sendmail/cf/debian/sendmail.mc
mkdir -p "$M/m4"
for f in dialup.m4 provider.m4; do
	if [ -f "/etc/mail/m4/$f" ]; then
		cp "/etc/mail/m4/$f" "$M/m4/$f"
	else
		: > "$M/m4/$f"
	fi
done
sed -i "s|/etc/mail/m4/|$M/m4/|" "$M/sendmail.mc"
build_cf "$M"
check "Debian's sendmail.mc: m4 builds it" grep -q '^Mlocal' "$M/sendmail.cf"
fixes_apply debian-mta "$M"
finish
