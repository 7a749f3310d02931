# tests/tui/wizard-drive.sh -- the console wizard in a real terminal (80x24
# tmux on a private server).  The role is checked at the first question
# (an unknown one is asked again, with the names), only the questions of
# the role are asked (no smart host for a local server; the gateway's
# mailertable and virtusertable entries), the daemon's port defaults to
# the profile's.  The screen shows the merge of the host's tables as a
# diff, i asks and a "no" writes nothing, a "yes" writes the merge; then
# the t key test-drives the answers in a temporary sandbox on the port
# given for it, and the steps are shown.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

tui_need_tmux

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
mc=$dir/etc/sendmail.mc
port=$(sed -n 's/^listen = 127\.0\.0\.1://p' "$dir/smadm.conf")
dport=$(free_port)
etc=$dir/etc
# An entry of the admin's own that the wizard must keep.
printf '# hand-written\nspam.example\tREJECT\n' >> "$etc/access"
cp "$etc/access" "$T_TMP/access.before"
cp "$mc" "$T_TMP/mc.before"
mkdir -p "$T_TMP/drive"

cat > "$T_TMP/pane.sh" <<'EOF2'
trap '' INT
"$SMADM" -r "$DIR"
echo "EXITED $?"
exec sleep 600
EOF2
s="smadm-wdrive-$$"
track_tmux "$s"
$TM new-session -d -s "$s" -x 80 -y 24 env SMADM="$SMADM" DIR="$dir" \
    TMPDIR="$T_TMP/drive" LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen \
    sh "$T_TMP/pane.sh"

see "dashboard" "smadm - Dashboard"
keys c
see "c opens the mc screen" "smadm - sendmail.mc"
keys w
see "w asks the role" "Role (nullclient, local, gateway, smarthost)"
keys C-u bogus Enter
see "an unknown role is refused at the first question" 'unknown role "bogus"'
see "and asked again" "Role (nullclient, local, gateway, smarthost)"
not_see "no host name question after a bad role" "Fully qualified host name:"
keys C-u local Enter
see "then the host name" "Fully qualified host name:"
keys drive Enter
see "a host name without a dot is refused when asked" "hostname must be fully qualified"
not_see "... without a FILE:LINE of answers" "answers:"
not_see "... before the next question" "More local domains"
keys drive.smadm.test Enter
see "then local domains" "More local domains"
keys Enter
see "then the daemon's port, the profile's by default" "Port the daemon listens on: $port"
keys Enter
see "then relay networks" "Networks allowed to relay"
keys 192.0.2. Enter
see "a bad network is refused when asked" '"192.0.2." is not a network'
keys C-u Enter
see "then the test drive's port" "Port for the test drive (blank: $port, or a free one if taken)"
not_see "a local server is not asked for a smart host" "Smart host"
keys "$dport" Enter
see "the wizard shows its result" "smadm - Wizard"
see "the answers carry the test drive's port" "test_port = $dport"
keys / "Port=$port" Enter
see "the mc listens on the profile's port" "Port=$port, Addr=127.0.0.1"
keys / "access <==" Enter
see "the access map: entries kept and added" "3 entries kept, 1 added"
see "the diff adds the role's missing entry" "+Connect:IPv6:::1"
see "the admin's entry is context of the diff" " spam.example"
check "showing wrote nothing" cmp -s "$etc/access" "$T_TMP/access.before"
keys i
see "i asks first" "Write these files as the diff shows?"
keys n
see "a no says so" "nothing written"
check "a no writes nothing to access" cmp -s "$etc/access" "$T_TMP/access.before"
check "a no writes nothing to the mc" cmp -s "$mc" "$T_TMP/mc.before"
keys i
see "i asks again" "Write these files as the diff shows?"
keys y
see "a yes writes" "written (backup"
check "the admin's lines are still first, unchanged" sh -c "head -c \$(wc -c < '$T_TMP/access.before') '$etc/access' | cmp -s - '$T_TMP/access.before'"
check "the role's entry was added once" test "$(grep -ci '^Connect:IPv6:::1[[:space:]]' "$etc/access")" = 1
check "Connect:127.0.0.1 is still there once" test "$(grep -ci '^Connect:127.0.0.1[[:space:]]' "$etc/access")" = 1
cp "$mc" "$T_TMP/mc.before"
see "t is offered in the key bar" "t Test drive"
keys t
see "t runs the test drive and shows its steps" "test drive of role local" 60
keys G
see "the message reached the sandbox mailbox" "the message was accepted and delivered" 5
# The search prompt shows what is typed: search one part, see the line.
keys g / "message to" Enter
see "the test drive ran on the port given" "send one message to <root@drive.smadm.test> on 127.0.0.1:$dport" 5
check "the test drive's sandbox is gone" sh -c "[ -z \"\$(ls -A '$T_TMP/drive')\" ]"
check "the test drive wrote nothing to the host's mc" cmp -s "$mc" "$T_TMP/mc.before"

keys q q
# A gateway: its routing entries, asked until a blank answer.
keys w
see "w asks the role again" "Role (nullclient, local, gateway, smarthost)"
keys C-u gateway Enter
see "gateway: host name" "Fully qualified host name:"
keys gw.smadm.test Enter
see "gateway: local domains" "More local domains"
keys Enter
see "gateway: the daemon's port" "Port the daemon listens on:"
keys Enter
see "gateway: relay networks" "Networks allowed to relay"
keys 192.0.2 Enter
see "gateway: mailertable entries" "Mailertable entry"
keys "inside.smadm.test smtp:[192.0.2.25]" Enter
see "gateway: asked again for another" "Mailertable entry"
keys Enter
see "gateway: virtusertable entries" "Virtusertable entry"
keys "info@gw.smadm.test root" Enter
keys Enter
see "gateway: masquerading" "Masquerade as"
keys Enter
see "gateway: the test drive's port" "Port for the test drive"
keys Enter
see "gateway: the result" "smadm - Wizard"
see "gateway: the mailertable entry written" "inside.smadm.test"
see_re "gateway: the virtusertable entry written" "info@gw.smadm.test[[:space:]]+root"
keys q

keys q q q q
if wait_for 5 has "EXITED 0"; then ok "q quits with status 0"
else bad "did not quit"; screen | tail -3; fi

finish
