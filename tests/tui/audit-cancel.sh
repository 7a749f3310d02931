# tests/tui/audit-cancel.sh -- Esc during the audit's fix (F, after yes)
# stops it between the apply's steps: with an m4 that takes 4 s (a
# root-owned script that sleeps, then runs the real one), Esc while the
# fix generates the cf leaves the mc, the cf and the backups as they were,
# and says so.  The Backups screen's rollback runs as one piece: the
# status line says it runs to its end.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"
TUI_WAIT=15

tui_need_tmux

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
cf=$dir/etc/sendmail.cf
mc=$dir/etc/sendmail.mc
sm() { "$SMADM" -r "$dir" "$@"; }
sm mc set confSMTP_LOGIN_MSG '$j Sendmail $v/$Z; $b' >/dev/null &&
    sm -y apply >/dev/null 2>&1 || { bad "weaken the sandbox"; finish; exit 1; }
bin=$T_TMP/slowbin
mkdir -m 755 "$bin" || { bad "mkdir $bin"; finish; exit 1; }
printf '#!/bin/sh\nsleep 4\nexec /usr/bin/m4 "$@"\n' > "$bin/m4"
chmod 755 "$bin/m4"
if grep -q '^m4 *=' "$dir/smadm.conf"; then
	sed -i "s|^m4 *=.*|m4 = $bin/m4|" "$dir/smadm.conf"
else
	echo "m4 = $bin/m4" >> "$dir/smadm.conf"
fi
check "the profile names the slow m4" grep -qx "m4 = $bin/m4" "$dir/smadm.conf"
cp "$mc" "$T_TMP/mc.before"
cp "$cf" "$T_TMP/cf.before"
nb0=$(ls "$dir/.smadm/backups" | wc -l)

tui_console auditcancel 100 30
see "dashboard" "smadm - Dashboard"
keys A
see "the audit screen" "smadm - Security audit"
see "greeting-version listed" "greeting-version"
idle() { ! has "(Esc cancels)"; }
check "the audit's own job has ended" wait_for 20 idle
keys / greeting-version Enter
keys f
see "the preview (slow m4)" "smadm - Fix preview" 20
keys F
see "F asks" "Install the new cf and reload sendmail?"
keys y
see "the fix runs, and says Esc cancels" "(Esc cancels)" 3
keys Escape
see "Esc: cancelled before the backup, nothing changed" \
    "greeting-version: cancelled, nothing was changed" 20
check "the mc is as it was" cmp -s "$mc" "$T_TMP/mc.before"
check "the cf is as it was" cmp -s "$cf" "$T_TMP/cf.before"
check "no backup set was made" test "$(ls "$dir/.smadm/backups" | wc -l)" -eq "$nb0"
check "no copy left next to the mc" sh -c "! ls '$mc'.smadm-* 2>/dev/null | grep -q ."
# q out: the fix's report, the audit screen, the dashboard.
for i in 1 2 3 4; do has "EXITED" && break; keys q; sleep 1; done
see "q quits" "EXITED 0"
finish
