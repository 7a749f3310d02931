# tests/tui/ssh-hostswitch.sh -- switching host in the console (Hosts
# screen, Enter) leaves nothing of the old host behind: the dashboard's
# file list, Enter on "cf", the mc screen and the log screen all show the
# new host's files.  Two sandboxes reached over a private sshd on loopback
# are the two hosts (~/.config/smadm/hosts of a private HOME); each has
# its own marker in its cf, its mc and its mail log, so a path or a file
# of the first host on the second host's screens is seen.  A switch to a
# host that cannot be opened is an error and changes nothing.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"
. "$(dirname "$0")/../ssh-lib.sh"

tui_need_tmux
ssh_start || { bad "private sshd did not start"; finish; exit 1; }
dira=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
dirb=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
for x in a b; do
	eval d=\$dir$x
	sed -i "1i # hostswitch-cf-marker-$x" "$d/etc/sendmail.cf"
	printf 'Dec  7 04:00:00 vm sm-mta[4242]: hostswitch-log-marker-%s\n' \
	    "$x" >> "$d/log/mail.log"
done
# The second host's mc sets a value of its own.
sed -i "s/confMAX_DAEMON_CHILDREN', \`20'/confMAX_DAEMON_CHILDREN', \`37'/" \
    "$dirb/etc/sendmail.mc"
grep -q "confMAX_DAEMON_CHILDREN', \`37'" "$dirb/etc/sendmail.mc" ||
    bad "the second host's mc was not changed"
mkdir -p "$T_HOME/.config/smadm"
# A third entry names a profile directory that does not exist.
printf 'smtest %s\nsmtest %s\nsmtest %s\n' "$dira" "$dirb" "$T_TMP/none" \
    > "$T_HOME/.config/smadm/hosts"

cat > "$T_TMP/pane.sh" <<'PANE'
trap '' INT
HOME=$THOME "$SMADM" -H smtest -r "$DIR"
echo "EXITED $?"
exec sleep 600
PANE
s="smadm-hostswitch-$$"
track_tmux "$s"
# Wide enough that no path is shortened.
$TM new-session -d -s "$s" -x 200 -y 40 \
    env SMADM="$SMADM" DIR="$dira" THOME="$T_HOME" LANG=C.UTF-8 \
    LC_ALL=C.UTF-8 TERM=screen sh "$T_TMP/pane.sh"
# Put the dashboard's cursor on the "cf" row: the list's search, from
# the top ("submit cf" is submit.cf).
to_cf() { keys Home / etc/sendmail.cf Enter; sleep 0.5; }

see "dashboard of the first host" "smadm - Dashboard"
see_re "its profile" "^ Profile +$dira/smadm.conf"
see_re "its cf listed" " cf +$dira/etc/sendmail.cf"
to_cf
keys Enter
see "Enter on cf shows the first host's cf" "hostswitch-cf-marker-a"
keys q

# Switch to the second host.
keys H
see "hosts screen" "smadm - Hosts"
see_re "both hosts answered" "smtest [^ ]+ +stopped"
see "entries of one host name their profile directories" "smtest $(basename "$dira")"
see "the second too" "smtest $(basename "$dirb")"
keys Home Down Enter
see "switched" "now managing smtest"
see_re "the second host's profile" "^ Profile +$dirb/smadm.conf"
see_re "the file list is the second host's: cf" " cf +$dirb/etc/sendmail.cf"
see_re "and its mc" " mc +$dirb/etc/sendmail.mc"
see_re "and its mail log" " mail log +$dirb/log/mail.log"
not_see "no path of the first host is left" "$dira/"
to_cf
keys Enter
see "Enter on cf shows the second host's cf" "hostswitch-cf-marker-b"
see "titled with its path" "$dirb/etc/sendmail.cf"
not_see "not the first host's cf" "hostswitch-cf-marker-a"
keys q

# The mc screen reads the second host's mc.
keys c
see "mc screen" "smadm - sendmail.mc"
see "names the second host's mc" "$dirb/etc/sendmail.mc"
keys / confMAX_DAEMON_CHILDREN Enter
see_re "with its value" "confMAX_DAEMON_CHILDREN +37"
not_see "not the first host's value" "confMAX_DAEMON_CHILDREN      20"
keys q

# The log screen follows the second host's mail log.
keys l
see "log screen of the second host's log" "Log $dirb/log/mail.log"
see "its lines" "hostswitch-log-marker-b"
not_see "none of the first host's" "hostswitch-log-marker-a"
keys q

# And back: the first host's files again.
keys H
see_re "hosts screen again" "smtest [^ ]+ +stopped"
keys Home Enter
see_re "back on the first host" "^ Profile +$dira/smadm.conf"
see_re "its cf listed again" " cf +$dira/etc/sendmail.cf"
to_cf
keys Enter
see "Enter on cf shows the first host's cf again" "hostswitch-cf-marker-a"
keys q

# A host that cannot be opened: an error, and the console stays on the
# host it manages, with that host's files.
keys H
see_re "hosts screen a third time" "smtest [^ ]+ +stopped"
keys Home Down Down Enter
# On the status line, from its first column (the Hosts screen's rows
# start with a space).
see_re "the failed switch is an error naming the file" "^$T_TMP/none/smadm.conf: "
keys q
see_re "still the first host" "^ Profile +$dira/smadm.conf"
see_re "with its files" " cf +$dira/etc/sendmail.cf"
to_cf
keys Enter
see "Enter on cf still shows the first host's cf" "hostswitch-cf-marker-a"
keys q
keys q
see "the console quits" "EXITED 0"
finish
