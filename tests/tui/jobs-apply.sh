# tests/tui/jobs-apply.sh -- the apply screen runs apply as a job: the
# console keeps drawing while m4 and sendmail work.  The profile's m4 is a
# root-owned script that sleeps 3 s before it runs the real m4 (so each
# generate step lasts long enough to watch, with no timing asserted but
# "within a second").  In a sandbox with its daemon running:
#  - opening the screen: within a second it is drawn and the status line
#    shows "apply N/4" and the step at hand; Esc stops it between steps,
#    nothing is installed and the screen says which steps were done;
#  - opened again: ? opens help and q closes it while the job runs; the
#    diff then fills the screen;
#  - i, y: within a second "apply N/8"; Esc stops it before the backup:
#    the screen says so with the steps done, the live cf is unchanged byte
#    for byte, no backup set, no journal, no CF.smadm-new, same daemon;
#  - i, y again, no Esc: installed (the cf has the change), the daemon
#    reloaded (new pid, new greeting), the steps are shown.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"
tui_need_tmux

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
etc=$dir/etc
cf=$etc/sendmail.cf
sm() { "$SMADM" -r "$dir" "$@"; }
sm daemon start > /dev/null 2>&1 || { bad "daemon start"; finish; exit 1; }
pid() { head -n1 "$dir/run/sendmail.pid"; }
port=$(sed -n 's/^listen = 127\.0\.0\.1://p' "$dir/smadm.conf")
greeting() { smtp_greeting "$port"; }
greets() { greeting | grep -q slowjob; }
nsets() { ls "$dir/.smadm/backups" 2>/dev/null | grep -vc '\.tmp$'; }

# The change to apply, made by the CLI (applied later by the console).
sm mc set confSMTP_LOGIN_MSG '$j slowjob ESMTP' > /dev/null ||
    bad "mc set"
check_not "the live cf does not have it yet" grep -q slowjob "$cf"

# A root-owned directory only root can write, so the trust checks pass.
m4=$(sed -n 's/^m4 = //p' "$dir/smadm.conf")
bin=$T_TMP/slowbin
mkdir -m 755 "$bin" || { bad "mkdir $bin"; finish; exit 1; }
printf '#!/bin/sh\nsleep 3\nexec %s "$@"\n' "$m4" > "$bin/m4"
chmod 755 "$bin/m4"
sed -i "s|^m4 = .*|m4 = $bin/m4|" "$dir/smadm.conf"
check "the profile names the slow m4" grep -qx "m4 = $bin/m4" "$dir/smadm.conf"

cp "$cf" "$T_TMP/cf.before"
pid0=$(pid)
nb=$(nsets)

tui_console jobs-apply 120 40
unchanged() {
	check "$1: the live cf is byte for byte the one before" cmp "$T_TMP/cf.before" "$cf"
	check "$1: no backup set was made" test "$(nsets)" -eq "$nb"
	check "$1: no journal, no CF.smadm-new" sh -c \
	    "! test -f '$dir/.smadm/apply-pending' && ! ls '$etc' | grep -q 'smadm-new'"
	check "$1: the daemon was not reloaded" test "$(pid)" = "$pid0"
}

see "dashboard" "smadm - Dashboard"
keys c
see "the mc screen" "smadm - sendmail.mc"

# --- opening the screen, cancelled
keys a
see_re "within a second the screen and the progress of the dry run" \
    'apply [0-9]+/4 \[[#.]+\] generate sendmail\.cf' 1
check "the screen is the apply screen already" has "smadm - Apply"
check "it says what runs" has "Generating the cf from the mc"
keys Escape
see "Esc: the screen reports the cancel" \
    "Cancelled (Esc): nothing was installed" 20
see "the status line too" "apply: cancelled after"
check "the steps done are listed" has "ok       generate sendmail.cf"
check "and where it stopped" has "cancel: stopped before validate sendmail.cf"
keys q
see "back on the mc screen" "smadm - sendmail.mc"
unchanged "after Esc on opening"

# --- opened again: help while it runs, then the diff
keys a
see_re "the progress again" 'apply [0-9]+/4 ' 1
keys '?'
see "? opens help while apply runs" "smadm - Help" 2
see_re "the progress stays in the status line under help" 'apply [0-9]+/4 ' 2
keys q
see "q closes help, back on the apply screen" "smadm - Apply" 2
see "the diff fills the screen when the job ends" "Press i to install" 30
check "the diff shows the change" has "+O SmtpGreetingMessage=\$j slowjob ESMTP"
check "the audit step ran" has "audit sendmail.cf"

# --- the install, cancelled before the backup
keys i
see "i asks first" "Install the new cf and reload sendmail?"
keys y
see_re "within a second the install's progress" 'apply [0-9]+/8 \[[#.]+\]' 1
check "the screen says it installs" has "Installing ..."
keys Escape
see "Esc: the cancel is reported" \
    "apply: cancelled before the backup; nothing was installed" 20
see "with the steps of the cancelled install" "Steps of the cancelled install:"
check "the steps done are listed" has "ok       generate sendmail.cf"
check "and where it stopped" has "skipped  cancel: stopped before"
check "the diff is still shown" has "+O SmtpGreetingMessage=\$j slowjob ESMTP"
unchanged "after Esc on the install"

# --- the install in full
keys i
see "i asks again" "Install the new cf and reload sendmail?"
keys y
see_re "the progress" 'apply [0-9]+/8 ' 1
see "the report: applied" "Applied." 40
not_see "nothing was taken for a dead run's leftover" "left by an interrupted run"
check "no CF.smadm-new left after the run" sh -c "! ls '$etc' | grep -q smadm-new"
see "the install step" "ok       install sendmail.cf"
see "the reload step" "ok       reload: sent SIGHUP"
check "the status line says so" has "applied"
check "the live cf has the change" grep -q '^O SmtpGreetingMessage=\$j slowjob ESMTP' "$cf"
check "one backup set more" test "$(nsets)" -eq $((nb + 1))
check "the daemon was reloaded (new pid)" wait_for 10 sh -c "[ \"\$(head -n1 '$dir/run/sendmail.pid')\" != '$pid0' ]"
check "the daemon greets with the change" wait_for 20 greets
keys q
see "back on the mc screen" "smadm - sendmail.mc"
keys q
see "the dashboard" "smadm - Dashboard"
keys q
see "q leaves the console with 0" "EXITED 0"
finish
