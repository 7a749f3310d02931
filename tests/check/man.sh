# tests/check/man.sh -- smadm.8 agrees with the command table: the built
# page holds what "smadm help --man" writes now, each command's synopsis
# there is its usage line, every option the page names exists, and every
# global option is described.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1

# roff to text: \- to -, \e and \(rs to \, font changes dropped
unroff() { sed -e 's/\\-/-/g; s/\\e/\\/g; s/\\(rs/\\/g; s/\\f[BIRP]//g; s/\\&//g'; }

# The built page is not stale: its COMMANDS entries are the table's.
"$SMADM" help --man > "$T_TMP/cmds"
if [ ! -f man/smadm.8 ]; then
	bad "man/smadm.8 is not built (run make)"
elif missing=$(grep -vxF -f man/smadm.8 "$T_TMP/cmds" | head -3); [ -z "$missing" ]; then
	ok "man/smadm.8 holds the COMMANDS of the table"
else
	bad "man/smadm.8 is stale (run make): $missing"
fi

# Each command's synopsis in the page is its usage line in help.
n=0
"$SMADM" help --list > "$T_TMP/names"
while IFS= read -r c; do
	# shellcheck disable=SC2086
	want=$("$SMADM" help $c | sed -n '1s/^usage: smadm \[-r DIR\] //p')
	got=$(awk -v name="$c" 'prev == ".TP" && /^\.B / { s = $0; sub(/^\.B /, "", s); print s } { prev = $0 }' \
	    "$T_TMP/cmds" | unroff | sed 's/ *$//' | grep -xF -- "$want")
	if [ -n "$got" ]; then n=$((n + 1))
	else bad "smadm.8: the synopsis of $c is not \"$want\""; fi
done < "$T_TMP/names"
check "smadm.8 gives every command its usage line ($n)" [ "$n" -eq "$(wc -l < "$T_TMP/names")" ]

# Every option in the table, from each command's help and smadm --help.
{
	while IFS= read -r c; do
		# shellcheck disable=SC2086
		"$SMADM" help $c
	done < "$T_TMP/names"
	"$SMADM" --help
} | sed -n 's/^  \(-[a-zA-Z], \|    \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' | sort -u > "$T_TMP/opts"
check "the table has options" [ "$(wc -l < "$T_TMP/opts")" -gt 30 ]

# Every --option the hand-written page names exists (help --list and
# --man are the help command's; --install-deps is configure's).
unroff < man/smadm.8.in | grep -oE -- '--[a-z][a-z-]*[a-z]' | sort -u > "$T_TMP/named"
bad_opts=""
while IFS= read -r o; do
	case $o in --install-deps|--enable-asan|--prefix|--with-*|--without-*) continue ;; esac
	grep -qxF -- "$o" "$T_TMP/opts" || bad_opts="$bad_opts $o"
done < "$T_TMP/named"
if [ -z "$bad_opts" ]; then ok "every option smadm.8 names is in the table ($(wc -l < "$T_TMP/named"))"
else bad "smadm.8 names options the table does not have:$bad_opts"; fi

# Every global option is described under OPTIONS.
"$SMADM" --help | sed -n 's/^  \(-[a-zA-Z], \|    \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' > "$T_TMP/global"
awk '/^\.SH OPTIONS/ { on = 1; next } /^\.SH / { on = 0 } on' man/smadm.8.in | unroff > "$T_TMP/optsec"
miss=""
while IFS= read -r o; do
	grep -qF -- "$o" "$T_TMP/optsec" || miss="$miss $o"
done < "$T_TMP/global"
if [ -z "$miss" ]; then ok "smadm.8 OPTIONS describes every global option"
else bad "smadm.8 OPTIONS lacks:$miss"; fi

finish
