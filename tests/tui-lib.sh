# tests/tui-lib.sh -- what the terminal tests (tests/tui/*.sh) share: the
# console runs in a detached tmux session named $s on the server
# "smadm-test"; these read its screen and type into it.  Source it after
# tests/lib.sh.
#
#	screen			the screen's text
#	has TEXT, has_re RE	the screen shows TEXT (fixed) / matches RE
#	see LABEL TEXT [SECS]	ok when TEXT shows within SECS (default
#				$TUI_WAIT, 10), else bad and the screen
#	see_re LABEL RE [SECS]	the same with a regular expression
#	not_see LABEL TEXT	ok when TEXT is not on the screen now
#	keys KEY...		tmux send-keys to the console
TM="tmux -L smadm-test"
: "${TUI_WAIT:=10}"

screen() { $TM capture-pane -p -t "$s"; }
has() { screen | grep -qF -- "$1"; }
has_re() { screen | grep -qE -- "$1"; }
see() {
	if wait_for "${3:-$TUI_WAIT}" has "$2"; then ok "$1"
	else bad "$1: \"$2\" not on the screen"; screen | sed 's/^/      | /'; fi
}
see_re() {
	if wait_for "${3:-$TUI_WAIT}" has_re "$2"; then ok "$1"
	else bad "$1: /$2/ not on the screen"; screen | sed 's/^/      | /'; fi
}
not_see() {
	if has "$2"; then bad "$1: \"$2\" is on the screen"; screen | sed 's/^/      | /'
	else ok "$1"; fi
}
keys() { $TM send-keys -t "$s" "$@"; }

# tui_need_tmux: fail the script now when tmux is missing.
tui_need_tmux() {
	command -v tmux >/dev/null 2>&1 && return 0
	bad "tmux is not installed"; finish; exit 1
}

# tui_console NAME COLS ROWS: the console on the sandbox $dir in a new
# tmux session smadm-NAME-PID ($s), COLS x ROWS, UTF-8; when it ends the
# pane shows "EXITED STATUS" (^C in the pane reaches only the console).
tui_console() {
	cat > "$T_TMP/pane.sh" <<'PANE'
trap '' INT
"$SMADM" -r "$DIR"
echo "EXITED $?"
exec sleep 600
PANE
	s="smadm-$1-$$"
	track_tmux "$s"
	$TM new-session -d -s "$s" -x "$2" -y "$3" env SMADM="$SMADM" \
	    DIR="$dir" LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen \
	    sh "$T_TMP/pane.sh"
}

# queue_deferred N: N messages queued in $dir by the real sendmail (-odq,
# nothing tried yet) for deferred.example, whose relay is a dead port.
# nq: the qf files; tried: the ones sendmail tried once (N1).
queue_deferred() {
	_i=0
	while [ $_i -lt "$1" ]; do
		printf 'Subject: job test %d\n\nbody %d\n' $_i $_i |
		    "$SMADM" -r "$dir" sandbox exec /usr/sbin/sendmail \
		    -C "$dir/etc/sendmail.cf" -odq -f alice@vm.sandbox.example \
		    "r$_i@deferred.example" || break
		_i=$((_i + 1))
	done
}
nq() { ls "$dir/queue" | grep -c '^qf'; }
tried() { grep -lx 'N1' "$dir"/queue/qf* 2>/dev/null | wc -l; }
# check_tried_after_cancel N NMSG: after Esc stopped a flush that handled N
# of NMSG messages, sendmail's queue files agree: each handled message was
# tried once (N1), but the one whose run Esc killed may or may not count
# ("not tried" on the screen); all are still queued, and nothing more is
# tried a second later.  Sets tn, the count tried.
check_tried_after_cancel() {
	_nt=$(screen | grep -c ": not tried: its queue run was cancelled")
	tn=$(tried)
	check "each handled message was tried once by sendmail (qf N1): $tn of $1, $_nt stopped" \
	    test "$tn" -le "${1:-x}" -a "$tn" -ge "$(( ${1:-0} - _nt ))"
	check "still queued (the relay is dead): all $2" test "$(nq)" -eq "$2"
	sleep 1
	check "nothing more tried after the cancel" test "$(tried)" -eq "$tn"
}

# tui_deferred_sandbox N: a new sandbox ($dir, $cf) with N messages queued
# for the dead relay and none tried yet (each checked).
tui_deferred_sandbox() {
	dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
	ok "sandbox created"
	cf="$dir/etc/sendmail.cf"
	queue_deferred "$1"
	check "$1 messages queued" test "$(nq)" -eq "$1"
	check "none tried yet" test "$(tried)" -eq 0
}

# flush_progress TOTAL: the count of "flush N/TOTAL [###...]" in the
# status line, or nothing.
flush_progress() {
	screen | sed -nE "s/.*flush ([0-9,]+)\/$1 \[[#.]+\].*/\1/p" |
	    tr -d , | head -1
}
