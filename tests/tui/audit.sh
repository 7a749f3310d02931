# tests/tui/audit.sh -- the audit screen in a real terminal (80x24 tmux on a
# private server) over a sandbox with its daemon running and two
# weaknesses (version in the greeting, EXPN answered): the dashboard's
# score, A opens the screen, findings grouped by severity with the live
# probe's, Enter explains one, f previews the fix's cf diff, F runs it
# (the dialog asks), the audit runs again and the finding is gone, the
# daemon was reloaded; a shows the passed checks.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"
TUI_WAIT=15

tui_need_tmux

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
cf=$dir/etc/sendmail.cf
sm() { "$SMADM" -r "$dir" "$@"; }
sm mc set confSMTP_LOGIN_MSG '$j Sendmail $v/$Z; $b' >/dev/null &&
    sm mc set confPRIVACY_FLAGS 'authwarnings,novrfy,needmailhelo,restrictmailq,restrictqrun' >/dev/null &&
    sm -y apply >/dev/null 2>&1 || { bad "weaken the sandbox"; finish; exit 1; }
sm daemon start > /dev/null 2>&1 || { bad "daemon start"; finish; exit 1; }
pid() { head -n1 "$dir/run/sendmail.pid"; }
pid0=$(pid)

tui_console audit 80 24

see "dashboard" "smadm - Dashboard"
see "the dashboard shows the audit score" "Audit         score "
see "two medium findings counted" "0 high, 2 medium"
see "key bar has A Audit" "A Audit"
check "nothing wider than 80 columns" sh -c "[ \$($TM capture-pane -p -t $s | wc -L) -le 80 ]"
keys A
see "A opens the audit screen" "smadm - Security audit"
see "the medium group" "medium ("
see "greeting-version listed" "greeting-version"
see "the live probe's banner finding" "live-banner"
see "the live probe's EXPN finding" "live-expn"
see "fixable through apply" "apply SMTP greeting names"
see "key bar" "Enter Why  f Fix  r Re-check  a All"

# --- Enter explains
keys / greeting-version Enter
keys Enter
see "Enter shows audit show" "why it matters:"
see "the value found" 'SmtpGreetingMessage=$j Sendmail $v/$Z; $b'
keys q
see "back on the audit screen" "smadm - Security audit"

# --- f previews, F fixes (the dialog asks), the audit runs again
cp "$dir/etc/sendmail.mc" "$T_TMP/mc.before"
nb0=$(ls "$dir/.smadm/backups" | wc -l)
keys f
see "f previews the fix" "smadm - Fix preview"
see "the cf diff in the preview" '+O SmtpGreetingMessage=$j'
check "the preview installed nothing" grep -q '^O SmtpGreetingMessage=\$j Sendmail' "$cf"
check "the preview did not touch the mc" cmp -s "$dir/etc/sendmail.mc" "$T_TMP/mc.before"
check "nor made a backup set" test "$(ls "$dir/.smadm/backups" | wc -l)" -eq "$nb0"
see "the preview says so" "The mc is not changed: the cf was generated from an edited copy"
keys F
see "F asks first" "Install the new cf and reload sendmail?"
keys n
see "declined: nothing was changed" "not fixed: nothing was changed"
check "declined: the cf is unchanged" grep -q '^O SmtpGreetingMessage=\$j Sendmail' "$cf"
check "declined: the mc is unchanged" cmp -s "$dir/etc/sendmail.mc" "$T_TMP/mc.before"
see "still on the preview" "smadm - Fix preview"
keys F
see "F asks again" "Install the new cf and reload sendmail?"
keys y
see "the fix's steps are shown" "fixed: greeting-version"
check "the cf has the new greeting" grep -qx 'O SmtpGreetingMessage=$j' "$cf"
check "the daemon was reloaded (new pid)" sh -c "[ \"\$(head -n1 '$dir/run/sendmail.pid')\" != '$pid0' ]"
keys q
see "one q: the spent preview is gone, the audit screen is back" "smadm - Security audit"
see "re-checked: noexpn and its live finding left" "0 high, 2 medium"
if screen | grep -q 'greeting-version'; then
	bad "greeting-version still listed"; screen | sed 's/^/      | /'
else ok "greeting-version gone"; fi
if screen | grep -q 'live-banner'; then
	bad "live-banner still listed"; screen | sed 's/^/      | /'
else ok "live-banner gone (probed again)"; fi

# --- a: the passed checks too; r: check again
keys a
see "a lists the passed checks" "passed"
keys a r
see "r: re-check message" "audit: score"

# --- a finding fixed only by hand says so
keys / forwardpath Enter f
see "forwardpath: fixed by hand" "fixed by hand"
keys q
see "q goes back to the dashboard" "smadm - Dashboard"
see "the dashboard's score followed" "0 high, 1 medium"
keys q
see "q quits" "EXITED 0"
finish
