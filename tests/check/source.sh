# tests/check/source.sh -- rules about the source tree itself.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1

# The backend never draws: no curses header under backend/ or db/.
hits=$(grep -rlE '#include[[:space:]]*[<"](n?curses|ncursesw/|panel\.h|menu\.h|form\.h)' backend db 2>/dev/null)
if [ -z "$hits" ]; then ok "backend/ and db/ include no curses header"
else bad "curses included in the backend: $hits"; fi

# No shell: programs run by argv.
hits=$(grep -rnE '\b(system|popen|execlp|execvp)[[:space:]]*\(' --include='*.c' backend db cli tui 2>/dev/null)
if [ -z "$hits" ]; then ok "no system(), popen() or PATH-searching exec"
else bad "shell-style process calls: $hits"; fi

# No unbounded string functions.
hits=$(grep -rnE '\b(strcpy|strcat|sprintf|vsprintf|strtok|gets)[[:space:]]*\(' --include='*.c' backend db cli tui 2>/dev/null)
if [ -z "$hits" ]; then ok "no strcpy/strcat/sprintf/strtok/gets"
else bad "unbounded string calls: $hits"; fi

# Programs that configure finds are config.h's PATH_*, never literals.
# The exception: a detected layout's paths on the managed host (FreeBSD's
# base system), marked "host path" in backend/profile.c.
hits=$(grep -rnE '"/(usr/)?(s?bin|lib)/(sudo|flock|kill|mv|env|id|cat|gzip|m4|makemap|sendmail)"' --include='*.c' --include='*.h' backend db cli tui 2>/dev/null |
    grep -v '^backend/profile\.c:[0-9]*:.*/\* host path \*/$')
if [ -z "$hits" ]; then ok "programs come from configure (config.h PATH_*)"
else bad "hard-coded program paths: $hits"; fi

# One temporary name for a file being replaced: file-commit.h's.
hits=$(grep -rnE 'smadm-(XXXXXX|%)' --include='*.c' backend db cli tui 2>/dev/null | grep -v '^backend/file-commit\.')
if [ -z "$hits" ]; then ok "temporary names come from file-commit.h"
else bad "other temporary name schemes: $hits"; fi

# The man page lists every command of the table, and nothing else.
"$SMADM" help --list | sort > "$T_TMP/cmds"
awk '/^\.SH / { incmds = ($0 == ".SH COMMANDS") } incmds && prev == ".TP" && /^\.B / { sub(/^\.B /, ""); sub(/ \\fR.*/, ""); gsub(/\\-/, "-"); print } { prev = $0 }' man/smadm.8 | sort > "$T_TMP/man"
if cmp -s "$T_TMP/cmds" "$T_TMP/man"; then ok "smadm.8 documents exactly the commands of the table ($(wc -l < "$T_TMP/cmds"))"
else bad "smadm.8 and the command table differ"; diff "$T_TMP/cmds" "$T_TMP/man"; fi

# Every command has help text that names its usage.
for c in $("$SMADM" help --list | tr ' ' '+'); do
	c=$(echo "$c" | tr '+' ' ')
	# shellcheck disable=SC2086
	"$SMADM" help $c > "$T_TMP/help" 2>&1 && grep -q "^usage: smadm" "$T_TMP/help" || bad "help $c"
done
ok "smadm help COMMAND works for every command"

finish
