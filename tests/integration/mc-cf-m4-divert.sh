# tests/integration/mc-cf-m4-divert.sh -- an mc in the Red Hat style opens
# with divert(-1) and includes cf.m4 itself; cf.m4 ends in divert(0), so a
# line of text after it (a "Cw" line at the end of the file) reaches the
# cf.  mc show calls it cf text, not discarded.
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
mc=$dir/etc/sendmail.mc
cat > "$mc" <<EOM
divert(-1)
dnl written for this test: divert(-1), then cf.m4 included by the mc
include(\`/usr/share/sendmail/cf/m4/cf.m4')
OSTYPE(\`linux')
define(\`confDOMAIN_NAME', \`vm.sandbox.example')dnl
DAEMON_OPTIONS(\`Port=2525, Addr=127.0.0.1, Name=MTA')dnl
MAILER(\`local')dnl
MAILER(\`smtp')dnl
Cwreview16.example
EOM
sm cf build > "$T_TMP/build" 2>&1
check "plain m4 puts the Cw line into the cf" \
    grep -qx 'Cwreview16.example' "$dir/etc/sendmail.cf.smadm-new"
sm mc show > "$T_TMP/show" 2>&1
check_not "mc show does not call the Cw line discarded" \
    grep -q 'discarded *Cwreview16.example' "$T_TMP/show"
check "mc show calls it cf text" grep -q 'cf text.*Cwreview16.example' "$T_TMP/show"
finish
