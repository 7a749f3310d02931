# tests/tui/console.sh -- the console in a real terminal.
#
# smadm runs in a detached tmux session of a fixed size on a private tmux
# server; keys go in with send-keys and the screen comes back with
# capture-pane, which is compared with what a person should see.  The
# profile is a small one made here, in a directory whose name is UTF-8.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

ESC=$(printf '\033')
if ! command -v tmux >/dev/null 2>&1; then
	bad "tmux is not installed (apt-get install tmux)"
	finish
	exit 1
fi

# --- a profile: a few files that exist, a few that do not
dir="$T_TMP/sb-é"
mkdir -p "$dir/mqueue" "$dir/clientmqueue"
printf 'divert(-1)\n' > "$dir/sendmail.mc"
long="$dir/a-rather-long-directory-name/that-goes-on/and-on-for-a-while/to-be-cut"
mkdir -p "$long"
: > "$long/mailertable"
printf 'mc = sendmail.mc\ncf = sendmail.cf\npid_file = run/sendmail.pid\n' > "$dir/smadm.conf"
printf 'mail_log = log/mail.log\nqueue_dirs = mqueue\n' >> "$dir/smadm.conf"
printf 'submit_queue_dirs = clientmqueue\nlisten = 127.0.0.1:2599\n' >> "$dir/smadm.conf"
printf 'mailertable = %s/mailertable\n' "$long" >> "$dir/smadm.conf"
# A name with an invalid UTF-8 byte and one with an escape sequence.
printf 'virtusertable = bad\377name\n' >> "$dir/smadm.conf"
printf 'genericstable = esc\033[31mred\n' >> "$dir/smadm.conf"

# A script for the pane: the console, then its exit status.
# This sh has no job control: ^C reaches it too, so it ignores SIGINT
# (smadm installs its own handler) and lives on to report the status.
cat > "$T_TMP/pane.sh" <<'EOF'
trap '' INT
"$SMADM" -r "$DIR"
echo "EXITED $?"
exec sleep 600
EOF

n=0
# start [ENV=VALUE...]: a new 80x24 session; its name goes in $s
start() {
	n=$((n + 1))
	s="smadm-$$-$n"
	track_tmux "$s"
	$TM new-session -d -s "$s" -x 80 -y 24 \
	    env SMADM="$SMADM" DIR="$dir" LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    TERM=screen "$@" sh "$T_TMP/pane.sh"
}
# line N: row N of the screen (1-based)
line() { screen | sed -n "${1}p"; }
# SGR colour parameters (30-38, 40-48, 90-97, 100-107) in the capture
colours() {
	$TM capture-pane -e -p -t "$s" | grep -o "$ESC\[[0-9;]*m" |
	    sed "s/^$ESC\[//; s/m\$//" | tr ';' '\n' |
	    grep -cE '^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$'
}
smadm_pid() { pgrep -P "$($TM display -p -t "$s" '#{pane_pid}')" -x smadm; }

# --- the dashboard
start
see "dashboard title" "smadm - Dashboard"
see_re "host name" "^ Host +$(uname -n)\$"
see_re "profile path in UTF-8" "^ Profile +$dir/smadm.conf"
see_re "daemon status line" "^ Daemon +(running|not running|unknown)"
see "MTA queue count" " MTA queue "
see "submit queue count" " Submit queue "
see "listening address" "127.0.0.1:2599"
see "missing files are listed" "$dir/sendmail.cf does not exist"
see "key bar" "? Help  m Tables  l Log  d Daemon  Q Queue  c Config  A Audit  : Cmd  q Quit"
check "key bar is the last line of 24" sh -c "[ \"\$($TM capture-pane -p -t $s | sed -n 24p | cut -c1-6)\" = '? Help' ]"
check "title spans 80 columns, host at the right" \
    sh -c "[ \"\$($TM capture-pane -p -t $s | sed -n 1p | wc -L)\" = 79 ] && $TM capture-pane -p -t $s | sed -n 1p | grep -q ' $(uname -n)\$'"
check "nothing wider than 80 columns" sh -c "[ \$($TM capture-pane -p -t $s | wc -L) -le 80 ]"
if screen | grep -qE "^ mailertable +…[^ ]*/to-be-cut/mailertable\$"; then
	ok "long path cut on the left with an ellipsis"
else
	bad "long path not cut on the left"; screen | grep mailertable
fi
if screen | grep -qF 'bad\xffname'; then ok "invalid UTF-8 byte shown as \\xff"
else bad "invalid UTF-8 byte not shown as \\xff"; screen | grep -a name; fi
if screen | grep -qF 'esc\x1b[31mred'; then ok "escape character shown as \\x1b"
else bad "escape character not made visible"; screen | grep -a red; fi
[ "$(colours)" -gt 0 ] && ok "colour without NO_COLOR" || bad "no colour without NO_COLOR"

# --- help, generated from the command table
keys '?'
see "? opens help" "smadm - Help"
see "help lists the console keys" "Keys everywhere"
# A tall window shows the whole help at once: no paging to get wrong.
$TM resize-window -t "$s" -x 80 -y 300
see "help redrawn in a tall window" "describe each command in full"
screen > "$T_TMP/help.txt"
$TM resize-window -t "$s" -x 80 -y 24
missing=""
for c in $("$SMADM" help --list | tr ' ' '+'); do
	c=$(echo "$c" | tr '+' ' ')
	grep -qE "^ +$c( |\$)" "$T_TMP/help.txt" || missing="$missing [$c]"
done
[ -z "$missing" ] && ok "help lists every command of smadm help --list" ||
	bad "help does not list:$missing"
keys q
see "q goes back from help" "smadm - Dashboard"
keys '?'
see "help again" "smadm - Help"
keys Escape
see "Esc goes back from help" "smadm - Dashboard"

# --- a command by name, its output in a pager, search in it
keys : 'help' Enter
see "command output opens in a pager" "smadm commands:"
keys / version Enter
see "search in the pager" "Print smadm's version"
keys q
see "q back from the pager" "smadm - Dashboard"
keys : version Enter
see "one-line output in the status line" "smadm $(cat "$(dirname "$0")/../../VERSION")"
keys : nosuch Enter
see "unknown command reported" 'unknown command "nosuch"'

# --- a key bound to a command that asks first
keys S
if "$SMADM" help --list | grep -qx "daemon stop"; then
	# Either it asks first, or it says why there is nothing to stop.
	if wait_for 5 sh -c "$TM capture-pane -p -t $s | grep -qE '\\[y/N\\]|daemon stop:'"; then
		if has "[y/N]"; then
			ok "S asks before stopping the daemon"
			keys n
			see "answering no cancels" "daemon stop: cancelled"
		else
			ok "S runs daemon stop: $(screen | grep 'daemon stop:')"
		fi
	else
		bad "S: neither a question nor a result"; screen | sed 's/^/      | /'
	fi
else
	see "S without a daemon stop command" "daemon stop: command not available"
fi

# --- resizing
$TM resize-window -t "$s" -x 120 -y 40
see "redrawn at 120x40" "smadm - Dashboard"
if wait_for 5 sh -c "[ \"\$($TM capture-pane -p -t $s | sed -n 40p | cut -c1-6)\" = '? Help' ]"; then
	ok "key bar moves to line 40"
else bad "key bar not on line 40"; screen | sed 's/^/      | /'; fi
check "title spans 120 columns" sh -c "[ \"\$($TM capture-pane -p -t $s | sed -n 1p | wc -L)\" = 119 ]"
$TM resize-window -t "$s" -x 80 -y 24
if wait_for 5 sh -c "[ \"\$($TM capture-pane -p -t $s | sed -n 24p | cut -c1-6)\" = '? Help' ]"; then
	ok "back to 80x24"
else bad "not redrawn at 80x24"; screen | sed 's/^/      | /'; fi

# --- q quits and gives the terminal back
pid=$(smadm_pid)
keys q
see "q exits with status 0" "EXITED 0"
check "the alternate screen is off again" sh -c "[ \"\$($TM display -p -t $s '#{alternate_on}')\" = 0 ]"
check_not "the smadm process is gone" kill -0 "${pid:-999999999}"

# --- NO_COLOR
start NO_COLOR=1
see "NO_COLOR: dashboard" "smadm - Dashboard"
[ "$(colours)" -eq 0 ] && ok "NO_COLOR: no colour sequences" ||
	bad "NO_COLOR: $(colours) colour sequences"
keys '?'
see "NO_COLOR: help" "smadm - Help"
[ "$(colours)" -eq 0 ] && ok "NO_COLOR: help without colour" ||
	bad "NO_COLOR: colour in help"
keys q q
see "NO_COLOR: exits" "EXITED 0"

# --- signals restore the terminal
start
see "started for SIGTERM" "smadm - Dashboard"
pid=$(smadm_pid)
if [ -n "$pid" ]; then
	kill -TERM "$pid"
	see "SIGTERM: clean exit with 143" "EXITED 143"
	check "SIGTERM: the alternate screen is off" sh -c "[ \"\$($TM display -p -t $s '#{alternate_on}')\" = 0 ]"
else
	bad "no smadm process in the pane"
fi
start
see "started for ^C" "smadm - Dashboard"
keys C-c
see "^C: clean exit with 130" "EXITED 130"

# --- no terminal: a clear refusal, not a broken screen
"$SMADM" -r "$dir" </dev/null >"$T_TMP/notty.out" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q "needs a terminal" "$T_TMP/notty.out" &&
	ok "without a terminal: refuses with a message" ||
	{ bad "without a terminal: status $rc"; cat "$T_TMP/notty.out"; }

finish
