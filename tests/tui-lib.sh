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
