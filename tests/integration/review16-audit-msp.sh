# tests/integration/review16-audit-msp.sh -- (review of issue 16) the
# audit on the stock submit.mc of sendmail-cf (FEATURE(msp)): its prog
# mailer is P=[IPC] (it hands everything to the MTA, no shell runs), so
# prog-smrsh must not be reported, and the role must not be "local"
# because nothing is delivered here.
. "$(dirname "$0")/../lib.sh"

P=$T_TMP/msp
mkdir -p "$P/ns"
chmod 755 "$P"
printf '127.0.0.1\tmc.smadm.test mc localhost\n' > "$P/ns/hosts"
printf 'passwd: files\ngroup: files\nhosts: files\n' > "$P/ns/nsswitch.conf"
printf 'nameserver 127.0.0.1\n' > "$P/ns/resolv.conf"
printf 'mc = sendmail.mc\ncf = sendmail.cf\ncf_dir = /usr/share/sendmail/cf\nsendmail = /usr/sbin/sendmail\nm4 = /usr/bin/m4\nnamespace = ns\n' > "$P/smadm.conf"
cp /usr/share/sendmail/cf/cf/submit.mc "$P/sendmail.mc"
m4 /usr/share/sendmail/cf/m4/cf.m4 "$P/sendmail.mc" > "$P/sendmail.cf" 2>/dev/null
check "the stock MSP cf has prog P=[IPC]" grep -q '^Mprog,.*P=\[IPC\]' "$P/sendmail.cf"
"$SMADM" -r "$P" audit --no-live > "$T_TMP/a" 2>&1
check_not "no prog-smrsh finding for a prog mailer that runs no program" \
    grep -q 'prog-smrsh' "$T_TMP/a"
"$SMADM" -r "$P" audit show role > "$T_TMP/role" 2>&1
check_not "an MSP is not inferred as a local-delivery server" grep -qx 'role: local' "$T_TMP/role"
finish
