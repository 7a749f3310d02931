# tests/integration/cli-grammar.sh -- the option grammar of the command
# table, on a real sandbox: every command that has --json gives the same
# JSON with --json before the command or after its words; unknown
# options, missing arguments and --json where it is not supported are
# refused with the usage; "--" ends the options; help and the bash
# completion come from the same table.
. "$(dirname "$0")/../lib.sh"

dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
ok "sandbox created"
sm() { "$SMADM" -r "$dir" "$@"; }
printf 'Dec  7 06:00:01 host sm-mta[123]: 6AM2tfoN014024: from=<a@example.org>, size=10, nrcpts=1\n' \
    > "$dir/log/mail.log"

# json_args COMMAND: the words to give it here (every JSON command must
# have some: a command added with --json and not here fails the test).
json_args() {
	case $1 in
	status|"daemon status"|loglevel|"map list"|"mc show"|backups|\
	"queue list"|"queue summary") echo "" ;;
	"log tail") echo "-n 5" ;;
	"log trace") echo "6AM2tfoN014024" ;;
	"log search") echo "-n 2 from:a@example.org" ;;
	"map show"|"map check"|"map dump") echo "access" ;;
	"map lookup") echo "access Connect:127.0.0.1" ;;
	test-address) echo "root" ;;
	audit) echo "--no-live --all" ;;
	"audit show") echo "loglevel" ;;
	"fleet status") echo "127.0.0.1:1" ;;
	*) return 1 ;;
	esac
}

# valid_json FILE: one JSON document, or one per line (log tail/search)
valid_json() {
	python3 -c 'import json,sys
t=open(sys.argv[1]).read()
try:
	json.loads(t)
except ValueError:
	for l in t.splitlines():
		json.loads(l)
if not t.strip(): sys.exit(1)' "$1"
}

"$SMADM" help --list > "$T_TMP/names"
n=0
while IFS= read -r c; do
	"$SMADM" help $c | grep -q -- '--json for machine-readable output' ||
	    continue
	n=$((n + 1))
	if ! a=$(json_args "$c"); then
		bad "$c has --json but no sample words in cli-grammar.sh"
		continue
	fi
	sm --json $c $a > "$T_TMP/before" 2> "$T_TMP/before.err"
	rb=$?
	sm $c $a --json > "$T_TMP/after" 2> "$T_TMP/after.err"
	ra=$?
	if [ "$rb" = "$ra" ] && cmp -s "$T_TMP/before" "$T_TMP/after" &&
	    valid_json "$T_TMP/after"; then
		ok "$c: --json before and after the words give the same JSON (exit $ra)"
	else
		bad "$c: --json before (exit $rb) and after (exit $ra) differ"
		diff "$T_TMP/before" "$T_TMP/after" | head -5 | sed 's/^/      | /'
		sed 's/^/      | /' "$T_TMP/after.err" | head -3
	fi
	# -j where the command has it, and --json between the words.
	set -- $a
	if [ $# -ge 2 ] && [ "${1#-}" = "$1" ]; then
		first=$1; shift
		sm $c "$first" --json "$@" > "$T_TMP/mid" 2>/dev/null
		check "$c: --json between the words too" cmp -s "$T_TMP/before" "$T_TMP/mid"
	fi
done < "$T_TMP/names"
check "the table has commands with --json ($n)" [ "$n" -ge 19 ]

# err NAME EXIT TEXT CMD...: CMD exits EXIT and says TEXT on stderr
err() {
	d=$1; want=$2; text=$3; shift 3
	"$@" > "$T_TMP/err.out" 2> "$T_TMP/err.err"
	rc=$?
	if [ "$rc" = "$want" ] && grep -qF -- "$text" "$T_TMP/err.err"; then ok "$d"
	else bad "$d (exit $rc)"; sed 's/^/      | /' "$T_TMP/err.err" | head -3; fi
}
err "an unknown option is named, with the usage" 2 \
    "smadm: queue list: unknown option -x; usage: smadm queue list [--sort age|size|sender|recipient|tries|next|status|none]" \
    sm queue list -x
err "an unknown long option too" 2 "map dump: unknown option --nosuch" \
    sm map dump --nosuch access
err "an option after the words is an option" 2 \
    "map dump: unknown option --nosuch" sm map dump access --nosuch
err "a missing argument is named" 2 "log tail: -n needs an argument" \
    sm log tail -n
err "a flag given an argument" 2 "apply: --dry-run takes no argument" \
    sm apply --dry-run=yes
err "--json after the words where it is not supported" 2 \
    "cf check: --json is not supported" sm cf check --json
err "--json before the command where it is not supported: the same exit 2" 2 \
    "cf check: --json is not supported; usage: smadm cf check" sm --json cf check
# The same status and message wherever --json stands, with the usage.
for c in version help "map set access k v" "map del access k"; do
	# shellcheck disable=SC2086
	sm --json $c > /dev/null 2> "$T_TMP/j1"; r1=$?
	# shellcheck disable=SC2086
	sm $c --json > /dev/null 2> "$T_TMP/j2"; r2=$?
	if [ "$r1" = 2 ] && [ "$r2" = 2 ] && cmp -s "$T_TMP/j1" "$T_TMP/j2" &&
	    grep -q 'is not supported; usage: smadm' "$T_TMP/j1"; then
		ok "$c: --json refused alike before and after (exit 2, usage)"
	else
		bad "$c: --json before (exit $r1) and after (exit $r2) differ"
		cat "$T_TMP/j1" "$T_TMP/j2" | sed 's/^/      | /'
	fi
done

# A trailing option of a words-first command is not silently data.
err "map set TABLE KEY --json is refused, not stored" 2 \
    "map set: --json is not supported" \
    sm -y map set virtusertable a@x.example --json
check "... and virtusertable has no such entry" \
    sh -c "[ -f '$dir/etc/virtusertable' ] && ! grep -q 'a@x.example' '$dir/etc/virtusertable'"
err "map del TABLE --json is refused" 2 "map del: --json is not supported" \
    sm map del access --json
err "smadm's own -y after the words is named" 2 \
    "map set: -y is smadm's own option and goes before the command" \
    sm map set access From:y.example REJECT -y
err "a command's own option after the words is named, with --" 2 \
    'mc set: option --submit after the words; options go before them (to give "--submit" as a word, put "--" before it)' \
    sm mc set confFOO --submit
vt=$dir/etc/virtusertable
sm map set -- virtusertable lit@x.example --json > /dev/null 2>&1
check "after -- such a word is data" grep -q '^lit@x.example[[:space:]]*--json$' "$vt"
sm map set virtusertable lit2@x.example -- -y > /dev/null 2>&1
check "-- may stand after the table's name and key too" \
    grep -q '^lit2@x.example[[:space:]]*-y$' "$vt"
sm map set virtusertable neg@x.example -x > /dev/null 2>&1
check "a value starting with - that is no option stays data" \
    grep -q '^neg@x.example[[:space:]]*-x$' "$vt"

# Command groups: a missing or unknown subcommand names the choices.
err "a group alone needs a subcommand" 2 \
    "smadm: map: needs a subcommand: list, show, set, del, rename, comment, check, build, lookup, dump" \
    sm map
err "queue alone too" 2 "queue: needs a subcommand: list, show, summary, hold" sm queue
err "daemon alone too" 2 "daemon: needs a subcommand: start, stop, status" sm daemon
err "an unknown subcommand is named" 2 \
    'unknown map subcommand "bogus"; map has: list, show' sm map bogus
err "an option before the subcommand" 2 \
    "map: needs a subcommand before --json: list" sm map --json list
err "an unknown command still says so" 2 'unknown command "bogus" (try "smadm --help")' \
    sm bogus
"$SMADM" help map > "$T_TMP/hmap" 2>&1
check "help GROUP lists the group's commands with summaries" \
    sh -c "grep -q '^  map list .*List the tables' '$T_TMP/hmap' &&
    grep -q '^  map dump ' '$T_TMP/hmap' && ! grep -q '^  queue' '$T_TMP/hmap'"
err "help GROUP bogus" 1 'help: unknown map subcommand "bogus"' \
    "$SMADM" help map bogus

# CMD --help (and -h) is the command's help, exit 0, no host needed.
"$SMADM" help queue list > "$T_TMP/h.want"
for form in "queue list --help" "queue list -h" "queue list --sort age --help" \
    "map set access --help"; do
	# shellcheck disable=SC2086
	"$SMADM" -r "$T_TMP/nonexistent" $form > "$T_TMP/h.got" 2>&1
	rc=$?
	case $form in map*) "$SMADM" help map set > "$T_TMP/h.want" ;; esac
	check "$form: the command's help (exit $rc)" \
	    sh -c "[ $rc = 0 ] && cmp -s '$T_TMP/h.want' '$T_TMP/h.got'"
done

# Extra words are named; smadm's own options after a command get a hint.
err "an extra word is named" 2 \
    'map list: unexpected word "extra"; usage: smadm map list' sm map list extra
err "an extra word after NAME is named" 2 \
    'map show: unexpected word "extra"' sm map show access extra
err "an extra word of a command without words" 2 \
    'version: unexpected word "x"' sm version x
err "an extra word after a command that is a group too names the group's" 2 \
    'audit: unexpected word "bogus" (audit has: show, fix)' sm audit bogus
err "smadm's -r after a command: a hint" 2 \
    "status: unknown option -r (smadm's own -r goes before the command: smadm -r DIR status" \
    sm status -r "$dir"
err "queue list -r DIR: -r is --reverse there, the word is named" 2 \
    "queue list: unexpected word \"$dir\" (-r here is the command's option" \
    sm queue list -r "$dir"
err "option mistakes are found before the host is opened" 2 \
    "status: unknown option -q" "$SMADM" -r "$T_TMP/nonexistent" status -q
# "--" ends the options: after it, --json and -x are words.
err "-- makes --json a word" 2 "usage: smadm queue list" \
    sm queue list -- --json
sm map dump -- -H > "$T_TMP/dd.out" 2> "$T_TMP/dd.err"
check "-- makes -H a table name for map dump" \
    sh -c "[ $? = 1 ] && grep -q -- '-H' '$T_TMP/dd.err' && ! grep -q usage '$T_TMP/dd.err'"
sm map lookup access -n > "$T_TMP/dd.out" 2> "$T_TMP/dd.err"
check "a key after map lookup's NAME may start with - (absent: exit 1)" \
    sh -c "[ $? = 1 ] && ! grep -q usage '$T_TMP/dd.err'"
sm map dump -H -- access > "$T_TMP/h1" && sm map dump --hash-order access > "$T_TMP/h2"
check "short and long options are the same option" cmp -s "$T_TMP/h1" "$T_TMP/h2"
sm log tail --lin=1 > "$T_TMP/abbr" 2>&1
check "a long option may be abbreviated" grep -q 6AM2tfoN014024 "$T_TMP/abbr"
# map set keeps words after the table's name as they are (-- included).
sm map set access -- From:dash.example REJECT > /dev/null 2>&1
check "map set NAME -- KEY VALUE still works" grep -q '^From:dash.example' "$dir/etc/access"

# queue flush takes one selector: two are refused, naming both.
err "queue flush --all --domain: both named" 2 \
    "queue flush: --all and --domain cannot go together; usage: smadm queue flush" \
    sm queue flush --all --domain x.example
err "queue flush --domain --all: both named" 2 \
    "queue flush: --domain and --all cannot go together" \
    sm queue flush --domain x.example --all
err "queue flush --filter --all" 2 "queue flush: --filter and --all cannot go together" \
    sm queue flush --filter from:a --all
err "queue flush --all QID" 2 "queue flush: --all and a QID cannot go together" \
    sm queue flush --all 6AM2tfoN014024

# A bad SMADM_LOCK_WAIT is an error naming it, not a silent 30 s.
for v in abc -1 5x 86401; do
	err "SMADM_LOCK_WAIT=$v is refused, naming the variable" 1 \
	    "SMADM_LOCK_WAIT=\"$v\": expected the seconds to wait for the lock, 0 to 86400" \
	    env SMADM_LOCK_WAIT="$v" "$SMADM" -r "$dir" map set virtusertable lw@x.example bob
done
check_not "... and nothing was written" grep -q '^lw@x.example' "$dir/etc/virtusertable"
SMADM_LOCK_WAIT=0 sm map set virtusertable lw0@x.example bob > /dev/null 2>&1
check "SMADM_LOCK_WAIT=0 is accepted" grep -q '^lw0@x.example' "$dir/etc/virtusertable"

# help from the table
"$SMADM" help queue list > "$T_TMP/help"
check "help lists the options with their arguments" \
    grep -qE '^  -s, --sort age\|size\|.*\|none$' "$T_TMP/help"
check "help names the implicit --json" grep -qE '^  -j, --json' "$T_TMP/help"
"$SMADM" help map show > "$T_TMP/help"
check "help shows --json for a command without its own -j" \
    grep -qE '^      --json +machine-readable' "$T_TMP/help"
"$SMADM" --help > "$T_TMP/help"
check "smadm --help lists the global options from the table" \
    grep -qE '^  -H, --host HOST' "$T_TMP/help"

# bash completion from the table
"$SMADM" completion bash > "$T_TMP/comp.bash"
comp() {	# comp WORD...: what bash completes for the last word
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
	    _smadm; printf "%s\n" "${COMPREPLY[@]}" | sort' sh \
	    "$T_TMP/comp.bash" smadm "$@"
}
[ "$(comp qu | tr '\n' ' ')" = "queue " ] && ok "completion: qu -> queue" ||
    bad "completion: qu -> $(comp qu | tr '\n' ' ')"
[ "$(comp queue s | tr '\n' ' ')" = "show summary " ] &&
    ok "completion: queue s -> show summary" ||
    bad "completion: queue s -> $(comp queue s | tr '\n' ' ')"
[ "$(comp -r /tmp map l | tr '\n' ' ')" = "list lookup " ] &&
    ok "completion: global options are skipped" ||
    bad "completion: -r /tmp map l -> $(comp -r /tmp map l | tr '\n' ' ')"
[ "$(comp queue list --s | tr '\n' ' ')" = "--sort " ] &&
    ok "completion: a command's options" ||
    bad "completion: queue list --s -> $(comp queue list --s | tr '\n' ' ')"
[ "$(comp map show --j | tr '\n' ' ')" = "--json " ] &&
    ok "completion: the implicit --json" ||
    bad "completion: map show --j -> $(comp map show --j | tr '\n' ' ')"
[ "$(comp queue list --queue s | tr '\n' ' ')" = "submit " ] &&
    ok "completion: an option's values" ||
    bad "completion: --queue s -> $(comp queue list --queue s | tr '\n' ' ')"
[ "$(comp help map '' | tr '\n' ' ')" = "build check comment del dump list lookup rename set show " ] &&
    ok "completion: help map offers map's subcommands" ||
    bad "completion: help map -> $(comp help map '' | tr '\n' ' ')"
[ "$(comp help queue l | tr '\n' ' ')" = "list " ] &&
    ok "completion: help queue l -> list" ||
    bad "completion: help queue l -> $(comp help queue l | tr '\n' ' ')"
[ "$(comp queue list --sort s | tr '\n' ' ')" = "sender size status " ] &&
    ok "completion: --sort's values from the table" ||
    bad "completion: --sort s -> $(comp queue list --sort s | tr '\n' ' ')"
[ "$(comp queue list --queue=s | tr '\n' ' ')" = "--queue=submit " ] &&
    ok "completion: --queue=VALUE as one word" ||
    bad "completion: --queue=s -> $(comp queue list --queue=s | tr '\n' ' ')"
[ "$(comp queue list --queue = s | tr '\n' ' ')" = "submit " ] &&
    ok "completion: --queue=VALUE as bash splits it (--queue = s)" ||
    bad "completion: --queue = s -> $(comp queue list --queue = s | tr '\n' ' ')"
[ "$(comp queue summary --queue = | tr '\n' ' ')" = "all mta submit " ] &&
    ok "completion: --queue= offers every value" ||
    bad "completion: --queue = -> $(comp queue summary --queue = | tr '\n' ' ')"
[ "$(comp help mc | tr '\n' ' ')" = "mc " ] &&
    ok "completion: help completes command words" ||
    bad "completion: help mc -> $(comp help mc | tr '\n' ' ')"
got=$(bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
    _smadm; printf "%s\n" "${COMPREPLY[@]}" | sort' sh "$T_TMP/comp.bash" \
    "$SMADM" -r "$dir" map show a | tr '\n' ' ')
[ "$got" = "access aliases " ] && ok "completion: table names asked of smadm -r DIR" ||
    bad "completion: -r DIR map show a -> $got"
# Every option of every command is offered.
miss=0
while IFS= read -r c; do
	for o in $("$SMADM" help $c | sed -n 's/^  \(-[a-zA-Z], \|    \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p'); do
		set -- $c
		comp "$@" "$o" | grep -qx -- "$o" || { miss=$((miss + 1)); echo "      | $c $o"; }
	done
done < "$T_TMP/names"
check "completion offers every option help lists ($miss missing)" [ "$miss" = 0 ]
if command -v zsh > /dev/null 2>&1; then
	"$SMADM" completion zsh > "$T_TMP/comp.zsh"
	check "the zsh script loads in zsh" zsh -c ". $T_TMP/comp.zsh"
fi
err "completion for an unknown shell" 1 'no script for "fish"' \
    "$SMADM" completion fish

finish
