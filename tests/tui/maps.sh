# tests/tui/maps.sh -- the console's Tables screen and table screen in a
# real terminal, on a real sandbox (no daemon needed): what the screens
# show is compared with the files and with "smadm map show/list/lookup",
# and every edit made by keys is checked in the file itself.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

ESC=$(printf '\033')
if ! command -v tmux >/dev/null 2>&1; then
	bad "tmux is not installed (apt-get install tmux)"
	finish
	exit 1
fi

dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
ok "sandbox created"
A="$dir/etc/access"
sm() { "$SMADM" -r "$dir" "$@"; }

tui_console maps 80 24

# list ROWS: the rows of the list (not the status line)
list() { screen | sed -n '4,20p'; }
# entries NAME: how many entries "map show --json" lists
entries() { sm map show --json "$1" | grep -c '"line":'; }
# go KEY: put the cursor on KEY with a search
go() { keys / "$1" Enter; }

# --- the dashboard has a key for the tables
see "dashboard" "smadm - Dashboard"
see "m on the dashboard's key bar" "m Tables"
keys m
see "m opens the Tables screen" "smadm - Tables"
for t in access mailertable aliases local_host_names; do
	n=$(entries "$t")
	see_re "Tables: $t with its $n entries" "^ $t +$n +[a-z-]"
done
see_re "Tables: access map built by the sandbox" "^ access +[0-9]+ built +ok "
see_re "Tables: a class file has no db" "^ local_host_names +[0-9]+ - +ok "
see_re "Tables: the text path (its end at 80 columns)" "^ aliases .*/etc/aliases\$"
sm map list > "$T_TMP/list"
check "map list agrees: access built" grep -Eq "^access .* built\$" "$T_TMP/list"
check "nothing wider than 80 columns" sh -c "[ \$($TM capture-pane -p -t $s | wc -L) -le 80 ]"

# --- the access table
keys Enter
see "Enter opens access" "smadm - Table access"
see "the file and its entry count" "$A  $(entries access) entries"
see "state: built" "built from this text"
see_re "an entry with its line number" "^ +[0-9]+ Connect:127\.0\.0\.1 +RELAY\$"
see "key bar of the table screen" "a Add  e Edit  d Delete  # Comment  b Build  / Find"
see "q says Back on a table" "q Back"

# search: the cursor moves there, so e edits that entry
go localhost
keys e
see "e asks for the value, filled in" "Connect:localhost: RELAY"
keys Escape
see "Esc leaves the value alone" "smadm - Table access"
go nosuchkey
see "a search without match says so" "not found: nosuchkey"

# --- add with a bad value: refused with FILE:LINE, file untouched
cp "$A" "$T_TMP/access.before"
# backup sets holding access (table edits keep them in DIR/.smadm/backups)
nsets() { grep -l "^file	access	" "$dir"/.smadm/backups/*/MANIFEST 2>/dev/null | wc -l; }
nb=$(nsets)
keys a
see "a asks for the key" "Add to access, key:"
keys "Connect:192.0.2.7" Enter
see "then for the value" "Value for Connect:192.0.2.7:"
keys RELAYY Enter
see_re "the status line names FILE:LINE" "^$A:[0-9]+: unknown action \"RELAYY\""
see "under the list, the whole message" "or an SMTP code) (access not changed)"
check "the file is unchanged" cmp "$T_TMP/access.before" "$A"
check "no backup was made" test "$(nsets)" -eq "$nb"
see "the map is still built" "built from this text"

# --- add a good entry: one more line, pending build
keys a "To:new.example" Enter "ERROR:5.7.1:550 go away" Enter
see "the new entry is listed" "To:new.example"
diff "$T_TMP/access.before" "$A" > "$T_TMP/diff"
check "the file has exactly one more line" \
	test "$(grep -c '^>' "$T_TMP/diff")" -eq 1 -a "$(grep -c '^<' "$T_TMP/diff")" -eq 0
check "it is the new entry" grep -Eq '^> To:new\.example[[:space:]]+ERROR:5\.7\.1:550 go away$' "$T_TMP/diff"
check "a backup was made" test "$(nsets)" -gt "$nb"
see "pending: modified since the last build" "modified since last build - press b to build"
check "map list says stale" sh -c "'$SMADM' -r '$dir' map list | grep -Eq '^access .* stale\$'"
check_not "the map does not have it yet" sm map lookup access To:new.example
keys m
see "m is not a key here" "m: no such key here"

# --- b builds
keys b
see "b builds: state built" "built from this text"
see_re "the build's report" "access: [0-9]+ entries -> $dir/etc/access.db"
check "map lookup finds the new value" \
	sh -c "[ \"\$('$SMADM' -r '$dir' map lookup access To:new.example)\" = 'ERROR:5.7.1:550 go away' ]"
check "map list says built" sh -c "'$SMADM' -r '$dir' map list | grep -Eq '^access .* built\$'"

# --- a warning is shown, the entry saved and marked
keys a "From:friend.example" Enter RELAY Enter
see_re "the status line tells of a warning" "^access:[0-9]+: added From:friend.example, with 1 warning"
see "the warning is under the list" "warning: RELAY for an envelope sender: anyone can forge"
check "the entry with a warning is saved" grep -q '^From:friend.example' "$A"
see_re "its row is marked ?" "^ \? +[0-9]+ From:friend\.example"

# --- edit
cp "$A" "$T_TMP/access.before"
go To:new.example
keys e C-u REJECT Enter
see_re "e changes the value" "To:new\.example +REJECT\$"
diff "$T_TMP/access.before" "$A" > "$T_TMP/diff"
check "exactly that line changed" \
	test "$(grep -c '^[<>]' "$T_TMP/diff")" -eq 2
check "the file has the new value" grep -Eq '^To:new\.example[[:space:]]+REJECT$' "$A"
see "pending again after the edit" "modified since last build"

# --- delete: n keeps, y deletes
cp "$A" "$T_TMP/access.before"
go To:new.example
keys d
see "d asks first" 'Delete "To:new.example"'
see "a yes/no question" "[y/N]"
keys n
see "n keeps it" "To:new.example: left as it was"
check "n: the file is unchanged" cmp "$T_TMP/access.before" "$A"
keys d
see "d asks again" "[y/N]"
keys y
see "y deletes it" "deleted To:new.example"
check_not "the entry is gone from the file" grep -q '^To:new.example' "$A"
check "exactly one line went" sh -c "[ \$(diff '$T_TMP/access.before' '$A' | grep -c '^<') -eq 1 ] && [ \$(diff '$T_TMP/access.before' '$A' | grep -c '^>') -eq 0 ]"
if wait_for 3 sh -c "! $TM capture-pane -p -t $s | grep -q 'To:new.example '"; then
	ok "the row is gone from the screen"
else
	bad "the deleted row is still shown"
fi

# --- comment out
cp "$A" "$T_TMP/access.before"
go From:friend.example
keys '#'
see "# asks first" 'Comment out "From:friend.example"'
keys y
see "y comments it out" "commented out From:friend.example"
check "the line starts with #" grep -q '^#From:friend.example' "$A"
check "nothing else changed" sh -c "[ \$(diff '$T_TMP/access.before' '$A' | grep -c '^[<>]') -eq 2 ]"
if wait_for 3 sh -c "! $TM capture-pane -p -t $s | sed -n '4,20p' | grep -q 'From:friend'"; then
	ok "comments are hidden"
else
	bad "the commented line is shown with comments hidden"
fi
keys c
see "c shows comment lines" "#From:friend.example"
see "including the file's own comments" "# access -- the sandbox"
keys c
if wait_for 3 sh -c "! $TM capture-pane -p -t $s | grep -q '# access --'"; then
	ok "c hides them again"
else
	bad "c did not hide comments"
fi

# --- lines with errors made outside are marked, with their message
printf 'Conect:192.0.2.99\tREJECT\n' >> "$A"
keys r
see_re "a bad line is marked !" "^ ! +[0-9]+ Conect:192\.0\.2\.99"
go Conect:192.0.2.99
see "its message is under the list" 'access:7: unknown tag "Conect:" (did you mean "Connect:"?)'
see_re "the file line counts the error" "$A  [0-9]+ entries, 1 error"

# --- rename through R
keys R
see "R asks for the new key" "New key for Conect:192.0.2.99: Conect:192.0.2.99"
keys C-u "Connect:192.0.2.99" Enter
see "R renames" "renamed Connect:192.0.2.99"
check "the file has the fixed key" grep -q '^Connect:192.0.2.99' "$A"
check "and no error any more" sm map check access

# --- help lists the view's keys
keys '?'
see "? shows the table's keys" "Keys in Table access"
see "help: rename" "Change the key of the entry"
see "help: comments toggle" "Show or hide comment lines"
keys q
see "back to access" "smadm - Table access"

# --- aliases: a multi-line alias is one row
printf 'staff: alice,\n\tbob\n' >> "$dir/etc/aliases"
keys q
see "q back to the Tables" "smadm - Tables"
n=$(entries aliases)
see_re "Tables: aliases count updated, map stale" "^ aliases +$n +stale "
go aliases
keys Enter
see "aliases opens" "smadm - Table aliases"
see_re "the multi-line alias is one row" "^ +[0-9]+ staff +alice, bob\$"
keys q

# --- a class file: add a word, no build
go local_host_names
keys Enter
see "local_host_names opens" "smadm - Table local_host_names"
see "a class file has no map" "class file: no database"
keys a "mail.sandbox.example" Enter
see "a adds a word at once" "added mail.sandbox.example"
check "the word is in the file" grep -qx 'mail.sandbox.example' "$dir/etc/local-host-names"
keys b
see "b on a class file explains" "a class file has no map to build"

# --- back out and quit
keys q q
see "q q: dashboard" "smadm - Dashboard"
keys q
see "q quits with status 0" "EXITED 0"

finish
