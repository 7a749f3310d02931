# tests/tui/prompt.sh -- the console's ":" prompt splits words as a shell
# does: quoted words reach the command intact (checked in the file the
# command wrote), an unterminated quote is refused in the status line
# with nothing run, and --json after the words works there too; errors
# are prefixed with the command's name once, and a group without a (known)
# subcommand lists its subcommands.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	bad "tmux is not installed (apt-get install tmux)"
	finish
	exit 1
fi

dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
ok "sandbox created"
A="$dir/etc/access"

tui_console prompt 100 24


see "dashboard" "smadm - Dashboard"

# Single and double quotes, a backslash-escaped quote, two blanks kept.
keys : "map set access 'From:quoted.example' \"ERROR:550 \\\"no\\\"  thanks\"" Enter
see "map set from the prompt reports the entry" ":6: From:quoted.example"
keys q
want=$(printf 'From:quoted.example\tERROR:550 "no"  thanks')
line=$(grep -F 'quoted.example' "$A")
check "the quoted key and value reach the file intact" \
    [ "$(printf '%s' "$line" | sed 's/[ 	][ 	]*/ /; s/ /	/')" = "$want" ]
check_not "no quote character ended up in the key" grep -q "^'" "$A"

# A backslash outside quotes keeps the blank in the word.
keys : 'map set access From:bs.example ERROR:550\ \ two' Enter
see "map set with backslashes reports the entry" ":7: From:bs.example"
keys q
check "a backslash-escaped blank is kept" grep -qF 'ERROR:550  two' "$A"

# An unterminated quote: an error in the status line, nothing run.
cp "$A" "$T_TMP/before"
keys : "map set access 'From:open.example REJECT" Enter
see "an unterminated quote is shown in the status line" \
    "unterminated ' quote at column 16"
check "nothing was written" cmp -s "$A" "$T_TMP/before"

# --json after the words, from the prompt too.
keys : "map show access --json" Enter
see "--json after the words gives JSON in the console" '"key": "From:quoted.example"'
keys q

# A command's error is prefixed with its name once, not twice.
keys : "queue delete -y 6AM2tfoN014024" Enter
see "an option mistake at the prompt names the command" "queue delete: unknown option -y"
not_see "... once" "queue delete: queue delete:"
# A group without its subcommand, or with a wrong one, names the choices.
keys : "map bogus" Enter
see "an unknown subcommand at the prompt names the group's" \
    'unknown map subcommand "bogus"; map has: list, show'
keys : "queue" Enter
see "a group alone at the prompt" "queue: needs a subcommand: list, show"

finish
