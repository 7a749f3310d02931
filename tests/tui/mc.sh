# tests/tui/mc.sh -- the sendmail.mc screen in a real terminal (80x24 tmux
# on a private server) over a sandbox with its daemon running: features
# and defines from the catalog, a feature toggled, a define edited, the
# mc edited in $EDITOR, pending changes, the apply screen (diff, confirm,
# steps, the daemon reloaded), backups and rollback, the address tester
# and the wizard's questions.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

tui_need_tmux

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
cf=$dir/etc/sendmail.cf
mc=$dir/etc/sendmail.mc
"$SMADM" -r "$dir" daemon start > /dev/null 2>&1 || { bad "daemon start"; finish; exit 1; }
pid() { head -n1 "$dir/run/sendmail.pid"; }
pid0=$(pid)

# The "editor": appends a line to the file it is given; once the file
# warn is beside it, it adds a deprecated FEATURE before the MAILERs.
cat > "$T_TMP/editor" <<'EOF'
#!/bin/sh
if [ -e "$(dirname "$0")/warn" ]; then
	awk '!done && /^MAILER\(/ { print "FEATURE(`blacklist_recipients'"'"')dnl"; done = 1 } { print }' "$1" > "$1.new" && cat "$1.new" > "$1"
	rm -f "$1.new"
else
	printf 'dnl edited in the editor\n' >> "$1"
fi
EOF
chmod 755 "$T_TMP/editor"

cat > "$T_TMP/pane.sh" <<'EOF'
trap '' INT
"$SMADM" -r "$DIR"
echo "EXITED $?"
exec sleep 600
EOF
s="smadm-mc-$$"
track_tmux "$s"
$TM new-session -d -s "$s" -x 80 -y 24 env SMADM="$SMADM" DIR="$dir" \
    EDITOR="$T_TMP/editor" VISUAL= LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen \
    sh "$T_TMP/pane.sh"

see "dashboard" "smadm - Dashboard"
keys c
see "c opens the mc screen" "smadm - sendmail.mc"
see "features of the mc" "Features in the mc"
see "the sandbox's features listed" "[x] use_cw_file"
keys '?'
see "? lists the mc screen's keys" "Remove the define under the cursor"
keys q

# --- a define, described from the catalog, edited through a prompt
keys / confMAX_DAEMON_CHILDREN Enter
see "search finds the define" "confMAX_DAEMON_CHILDREN"
see "the catalog names its option" "(MaxDaemonChildren)"
keys Enter
see "Enter prompts for the value, filled in" "confMAX_DAEMON_CHILDREN = 20"
keys BSpace BSpace 25 Enter
see "mc set reports the edit in the status line" "sendmail.mc: line"
see "the list shows the new value" "confMAX_DAEMON_CHILDREN      25"
check "the mc has the new value" grep -q "define(\`confMAX_DAEMON_CHILDREN', \`25')dnl" "$mc"

# --- a value that m4 would run is refused in the edit field too
cp "$mc" "$T_TMP/mc.before-inject"
keys / confMAX_DAEMON_CHILDREN Enter
keys Enter
see "the prompt opens again" "confMAX_DAEMON_CHILDREN = 25"
keys BSpace BSpace "1 syscmd(touch $T_TMP/canary)" Enter
see "the status line says why the value is refused" "is an m4 builtin"
check "the refused value left the mc as it was" cmp -s "$mc" "$T_TMP/mc.before-inject"
check_not "and nothing ran" test -e "$T_TMP/canary"

# --- a feature toggled off
keys / genericstable Enter
see "search finds the feature" "[x] genericstable"
keys Space
see "Space turns it off" "FEATURE(\`genericstable') remo"
check_not "the mc no longer has it" grep -q 'FEATURE(`genericstable' "$mc"
keys / genericstable Enter
see "it is listed with the features that are off" "[ ] genericstable"

# --- pending changes
keys p
see "p shows the pending changes" "smadm - Pending changes"
see "with the diff of the cf" "-Kgenerics hash"
keys q

# --- the apply screen: diff, confirm, steps
keys a
see "a opens the apply screen" "smadm - Apply"
see "the diff is shown before installing" "Press i to install"
check "nothing installed yet" grep -q '^Kgenerics' "$cf"
# Another writer holds the configuration lock (flock(1) stands in for a
# second smadm): the console refuses at once and installs nothing.
mkdir -p "$dir/.smadm"
flock -x "$dir/.smadm/lock" sleep 4 &
lockpid=$!
track_pid "$lockpid"
sleep 0.5
keys i
see "i asks first" "Install the new cf and reload sendmail?"
keys y
see "a held lock is named" "locked by"
check "nothing was installed under someone else's lock" grep -q '^Kgenerics' "$cf"
wait "$lockpid"
keys i
see "i asks again" "Install the new cf and reload sendmail?"
keys y
see "each step's result" "Applied."
see "the install step" "install sendmail.cf"
see "the reload step" "ok       reload: sent SIGHUP"
check_not "the cf has no genericstable map" grep -q '^Kgenerics' "$cf"
check "the cf has MaxDaemonChildren 25" grep -qx 'O MaxDaemonChildren=25' "$cf"
pid1=$(pid)
check "the daemon was reloaded (new pid)" test "$pid1" != "$pid0"
keys q

# --- backups and rollback
keys b
see "b lists the backups" "smadm - Backups"
see "the apply's set is listed" " apply"
keys R
see "R asks before restoring, naming the files" "Restore 1 file (sendmail.cf) from backup"
see "and the set" '"apply" of 20' 
keys y
see "rollback reports the restore" "restored backup"
see "rollback reloads the daemon" "reload: sent SIGHUP"
check "the cf has the genericstable map again" grep -q '^Kgenerics' "$cf"
check "the daemon was reloaded again" test "$(pid)" != "$pid1"
keys q q

# --- the address tester
keys t
see "t prompts for an address" "Address:"
keys postmaster Enter
see "test-address: the alias" "postmaster -> root"
see "test-address: -bv's answer" "deliverable: mailer local, user root"
keys q

# --- raw edit in $EDITOR
keys e
see "the edited mc is saved and checked by m4" "m4 accepts it"
check "the editor's change is in the mc" grep -qx 'dnl edited in the editor' "$mc"

# --- the wizard's questions, then its result; q writes nothing
cp "$mc" "$T_TMP/mc.before-wizard"
keys w
see "w asks the role" "Role (nullclient, local, gateway, smarthost): local"
keys Enter
see "then the host name" "Fully qualified host name:"
keys wiz.sandbox.example Enter
see "then local domains" "More local domains"
keys Enter
see "then the daemon's port" "Port the daemon listens on:"
keys Enter
see "then relay networks" "Networks allowed to relay"
keys 192.0.2 Enter
see "then the test drive's port (a local server has no smart host)" "Port for the test drive"
keys Enter
see "the wizard shows its result" "smadm - Wizard"
see "with the mc" "sendmail.mc <=="
keys G
see "and the access table it writes" "Connect:192.0.2"
keys q
check "leaving the wizard writes nothing" cmp -s "$mc" "$T_TMP/mc.before-wizard"

# --- m4 warns about a raw edit: the edit is kept and the warning shown
touch "$T_TMP/warn"
keys e
see "m4's warning is shown after the edit" "m4 warns: WARNING: FEATURE(blacklist"
check "the mc keeps the deprecated feature" grep -q "^FEATURE(\`blacklist_recipients')dnl" "$mc"

keys q q
if wait_for 5 has "EXITED 0"; then ok "q q quits with status 0"
else bad "did not quit"; screen | tail -3; fi

finish
