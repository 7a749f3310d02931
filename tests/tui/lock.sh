# tests/tui/lock.sh -- the console's writes go through the operations of
# backend/op.h, as the CLI's do: they take the configuration lock (and say
# who holds it), and they first undo an apply that died between install
# and reload, exactly as the next CLI command would.  In a 160x40 tmux over
# a sandbox with its daemon running.
#
#  (a) While another smadm holds the lock (a real "smadm remote lock" on
#      STATE/lock for "map set", the lock_file_take() of every smadm): a
#      table edit, the audit's fix preview and the apply screen each name
#      the holder and change nothing (no file, no backup set); after the
#      release the same table edit goes through.
#  (b) An apply killed at its HUP (SMADM_CRASH_AT at the "signal a
#      process" crash point, counted with SMADM_CRASH_TRACE): the dashboard
#      says so under Problems; the console's next write (a table edit)
#      reports the recovery, the live cf is the previous one byte for byte
#      and the daemon was reloaded; the apply screen then shows the change
#      again and installs it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"
TUI_WAIT=15

tui_need_tmux

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
etc=$dir/etc
cf=$etc/sendmail.cf
mc=$etc/sendmail.mc
sm() { "$SMADM" -r "$dir" "$@"; }
sm daemon start > /dev/null 2>&1 || { bad "daemon start"; finish; exit 1; }
pid() { head -n1 "$dir/run/sendmail.pid"; }
port=$(sed -n 's/^listen = 127\.0\.0\.1://p' "$dir/smadm.conf")
greeting() { smtp_greeting "$port"; }
nsets() { ls "$dir/.smadm/backups" 2>/dev/null | grep -vc '\.tmp$'; }
# The cf without its "##### built by/in" stamp lines.
nostamp() { grep -v '^#####' "$1"; }

tui_console lock 160 40

see "dashboard" "smadm - Dashboard"
see "no problems at first" "none"

# ---- (a) another smadm holds the lock
mkfifo "$T_TMP/hold"
"$SMADM" remote lock "$dir/.smadm/lock" 0 "map set" < "$T_TMP/hold" \
    > "$T_TMP/holder.out" 2>&1 &
holder=$!
track_pid "$holder"
exec 3> "$T_TMP/hold"
held() { grep -qx L "$T_TMP/holder.out"; }
check "another smadm holds the lock (pid $holder, map set)" wait_for 10 held
cp "$etc/access" "$T_TMP/access.before"
cp "$mc" "$T_TMP/mc.before"
ino_mc=$(stat -c %i "$mc")
nb=$(nsets)
busy="locked by pid $holder (smadm map set since "

keys m
see "the Tables screen" "smadm - Tables"
keys / access Enter Enter
see "the access table" "smadm - Table access"
keys a "From:waiting.example" Enter OK Enter
see "a console edit names the holder" "$busy"
check "and the table is unchanged" cmp -s "$T_TMP/access.before" "$etc/access"
keys q q
see "back on the dashboard" "smadm - Dashboard"

keys A
see "the audit screen" "smadm - Security audit"
see "the audit has run (a job: the screen came first)" "Score "
keys / greeting-version Enter f
see "the fix preview names the holder" "$busy"
not_see "no preview while the lock is held" "smadm - Fix preview"
check "the mc was not rewritten (same inode)" test "$(stat -c %i "$mc")" = "$ino_mc"
check "nor changed" cmp -s "$T_TMP/mc.before" "$mc"
check "no backup set was made" test "$(nsets)" -eq "$nb"
keys q
see "back on the dashboard" "smadm - Dashboard"

keys c
see "the mc screen" "smadm - sendmail.mc"
keys a
see "the apply screen names the holder" "$busy"
not_see "and shows no apply" "smadm - Apply"
check "no CF.smadm-new was written" sh -c "! ls '$etc' | grep -q 'smadm-new'"
keys q
see "back on the dashboard" "smadm - Dashboard"

exec 3>&-
wait "$holder"
keys m
see "the Tables screen again" "smadm - Tables"
keys / access Enter Enter
keys a "From:waiting.example" Enter OK Enter
see "after the release the same edit goes through" "added From:waiting.example"
check "the table has it" grep -q '^From:waiting.example	OK' "$etc/access"
keys q q
see "back on the dashboard" "smadm - Dashboard"

# ---- (b) an apply killed between install and reload
# A first apply does the one-time work (state directories, the maps the
# console's edits changed), so the traced apply and the killed one take
# the same steps and the crash point counted in one is the other's HUP.
sm -y apply > /dev/null 2>&1 || bad "the first apply"
sm mc set confSMTP_LOGIN_MSG '$j gen1 ESMTP' > /dev/null
SMADM_CRASH_TRACE=1 sm -y apply > /dev/null 2> "$T_TMP/trace" ||
    bad "apply of gen1"
gen1() { greeting | grep -q gen1; }
gen2() { greeting | grep -q gen2; }
check "gen1 is live" wait_for 20 gen1
point=$(sed -n 's/^smadm: crash point \([0-9]*\): signal a process$/\1/p' "$T_TMP/trace" | head -n1)
check "the apply's HUP is crash point $point" test -n "$point"
cp "$cf" "$T_TMP/cf.gen1"
pid1=$(pid)
sm mc set confSMTP_LOGIN_MSG '$j gen2 ESMTP' > /dev/null
SMADM_CRASH_AT=$point sm -y apply > "$T_TMP/killed.out" 2>&1 < /dev/null
rc=$?
check "the apply of gen2 was killed (status $rc)" test "$rc" -eq 137
check "it left its journal" test -f "$dir/.smadm/apply-pending"
check "the live cf is gen2's" grep -q '^O SmtpGreetingMessage=\$j gen2 ESMTP' "$cf"
check "the daemon was not reloaded: same pid" test "$(pid)" = "$pid1"
case $(greeting) in *gen1*) ok "the daemon still greets with gen1" ;;
*) bad "greeting: $(greeting)" ;; esac

keys r
see "the dashboard says an apply died half-way" "an apply died half-way (backup "
not_see "and not \"Problems none\"" "Problems      none"

keys m
see "the Tables screen" "smadm - Tables"
keys / access Enter Enter
keys a "From:after-crash.example" Enter OK Enter
see "the console's next write reports the recovery" "an interrupted apply was rolled back"
see "and its own result" "added From:after-crash.example"
check "the journal is gone" test ! -f "$dir/.smadm/apply-pending"
check "the live cf is the previous one (gen1), stamps aside" sh -c \
    "cmp -s '$T_TMP/cf.gen1' '$cf' || { grep -v '^#####' '$T_TMP/cf.gen1' > '$T_TMP/a'; grep -v '^#####' '$cf' > '$T_TMP/b'; cmp -s '$T_TMP/a' '$T_TMP/b'; }"
check "the daemon was reloaded (new pid)" wait_for 10 sh -c "[ \"\$(head -n1 '$dir/run/sendmail.pid')\" != '$pid1' ]"
check "the daemon greets with gen1 again" wait_for 10 gen1
check "the edit itself was made" grep -q '^From:after-crash.example	OK' "$etc/access"
keys q q
see "back on the dashboard" "smadm - Dashboard"
keys r
see "the dashboard has no problem left" "Problems      none"

# The apply screen sees the mc's gen2 again, and installs it.
keys c
see "the mc screen" "smadm - sendmail.mc"
keys a
see "the apply screen" "smadm - Apply"
see "it shows gen2 as a change" "+O SmtpGreetingMessage=\$j gen2 ESMTP"
keys i
see "i asks" "Install the new cf and reload sendmail?"
keys y
see "applied" "Applied."
check "the daemon greets with gen2" wait_for 20 gen2
check "no journal, no temporary file" sh -c "! test -f '$dir/.smadm/apply-pending' && ! ls '$etc' | grep -q 'smadm-'"

finish
