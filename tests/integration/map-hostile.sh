#!/bin/sh
# map-hostile.sh -- "smadm map set" with keys holding quotes, backslashes,
# colons, "@" and blanks, in every table kind smadm edits.  Each edit
# either writes an entry that "map check" passes and "map del" removes
# again (the file back byte for byte), or is refused with the file, the
# key and the reason, and the file and its backups are left alone.
#
# What sendmail -bi does with such alias names was measured with the real
# sendmail (8.17.1.9) in a private namespace, and is checked again below:
#	a"b: root	"Unbalanced '"'" (exit 70)
#	x\: root	stored as "x" (the "\" quotes the ":")
#	a%b, a!b	"cannot alias non-local names"
#	a,b		"Invalid route address"
#	a<b		"Unbalanced '<'"
#	a(b): root	stored as "a" (a comment)
#	"a:b": root	name "a:b", value 'b": root' (the first colon ends it)
#	a b: root	stored as "a.b" (accepted)
#	"a b": root	stored as "\"a b\"", quotes and all (accepted)
#	a\b, a\"b	stored as written, "\" included (accepted)
#	v: root\	joins the next line to its value
# smadm refuses the first group and accepts the second; for the accepted
# ones the aliases.db smadm builds must hold the records sendmail -bi
# writes from the same text.
. "$(dirname "$0")/../lib.sh"
FIX=$(cd "$(dirname "$0")/../fixtures/tables" && pwd)
SENDMAIL=/usr/sbin/sendmail

D=$T_TMP/prof
mkdir -p "$D"
for f in access mailertable virtusertable genericstable domaintable \
    aliases local-host-names relay-domains trusted-users; do
	cp "$FIX/$f" "$D/$f"
done
cat > "$D/smadm.conf" <<CONF
access = access
mailertable = mailertable
virtusertable = virtusertable
genericstable = genericstable
domaintable = domaintable
aliases = aliases
local_host_names = local-host-names
relay_domains = relay-domains
trusted_users = trusted-users
CONF
sm() { "$SMADM" -r "$D" "$@"; }
file_of() { case $1 in *_*) echo "$1" | tr _ - ;; *) echo "$1" ;; esac; }
nbackups() { find "$D" -name '*.smadm~' | wc -l; find "$D/.smadm/backups" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }

# try TABLE KEY VALUE accept|refuse
try() {
	t=$1 k=$2 v=$3 want=$4
	f=$D/$(file_of "$t")
	cp "$f" "$T_TMP/before"
	nb=$(nbackups)
	sm map set "$t" "$k" "$v" > "$T_TMP/out" 2>&1
	rc=$?
	if [ "$want" = refuse ]; then
		if [ $rc -ne 0 ] && cmp -s "$T_TMP/before" "$f" &&
		    [ "$(nbackups)" = "$nb" ] &&
		    grep -q "^smadm: $f" "$T_TMP/out"; then
			ok "$t: '$k' refused, file untouched ($(cut -c1-90 "$T_TMP/out" | sed "s|$D/||g"))"
		else
			bad "$t: '$k' should be refused with the file named and nothing written (rc $rc)"
			sed 's/^/      | /' "$T_TMP/out"
			cp "$T_TMP/before" "$f"
		fi
		return
	fi
	if [ $rc -ne 0 ]; then
		bad "$t: '$k' should be accepted"; sed 's/^/      | /' "$T_TMP/out"
		return
	fi
	if sm map check "$t" > "$T_TMP/check" 2>&1; then
		ok "$t: '$k' written, map check passes"
	else
		bad "$t: '$k' written but map check fails"; sed 's/^/      | /' "$T_TMP/check"
	fi
	if sm map del "$t" "$k" > /dev/null 2>&1 && cmp -s "$T_TMP/before" "$f"; then
		ok "$t: map del finds '$k'; the file is as before"
	else
		bad "$t: map del cannot undo '$k'"
		cp "$T_TMP/before" "$f"
	fi
}

# --- maps: makemap takes any non-blank key, the checker knows the table
for k in 'a"b' 'a\b' 'x\' 'a b' '"a b"' 'a(b)' 'a,b' 'a<b'; do
	try access "$k" OK refuse
	try mailertable "$k" 'smtp:[127.0.0.1]' refuse
	try domaintable "$k" example.com refuse
done
# A virtusertable key without "@": makemap stores it, sendmail never looks
# it up; a warning that says so, not a refusal.  A blank still splits it.
for k in 'a"b' 'a\b' 'x\' 'a(b)' 'a,b' 'a<b'; do
	try virtusertable "$k" root accept
	check "virtusertable: '$k' is written with a warning" \
		grep -q ": warning: never looked up: key " "$T_TMP/out"
done
for k in 'a b' '"a b"'; do
	try virtusertable "$k" root refuse
done
try access 'a:b' OK accept			# tag "a:", a warning only
try access 'a@b' OK accept
try access 'To:a"b@example.com' OK refuse
try access 'To:a@b:c' OK refuse
try mailertable 'a:b' 'smtp:[127.0.0.1]' refuse
try mailertable 'a@b' 'smtp:[127.0.0.1]' refuse
try virtusertable 'a@b' root accept
try virtusertable 'a:b@example.com' root refuse
try virtusertable 'a"b@example.com' root refuse
try genericstable 'a"b' u@example.com refuse
try genericstable 'a\b' u@example.com refuse
try genericstable 'a b' u@example.com refuse
try genericstable '"a:b"' u@example.com accept	# a quoted local part
try genericstable 'a@b' u@example.com accept
try genericstable 'a:b' u@example.com refuse
try domaintable 'a:b' example.com refuse
try domaintable 'a@b' example.com refuse
try virtusertable v5@example.com 'root\' accept	# makemap joins nothing

# --- class files: one word per entry
for t in local_host_names relay_domains trusted_users; do
	for k in 'a"b' 'a\b' 'x\' 'a:b' 'a@b' 'a b' '"a b"' 'a#b'; do
		try "$t" "$k" x refuse
	done
done

# --- aliases (see the top for what sendmail -bi does with each)
for k in 'a"b' 'x\' 'a%b' 'a!b' 'a,b' 'a<b' 'a(b)' 'a@b' 'a:b' '"a:b"' \
    'u@a"b.example'; do
	try aliases "$k" root refuse
done
try aliases v1 'root\' refuse
try aliases v2 'a"b' refuse
for k in 'a\b' 'a b' '"a b"' 'a\"b'; do
	try aliases "$k" root accept
done
try aliases v3 '"a b"' accept

# --- an error already in the file does not block an unrelated edit
cp "$D/aliases" "$T_TMP/aliases.orig"
printf 'a line without a colon\n' >> "$D/aliases"
sm map set aliases newname root > "$T_TMP/out" 2>&1
check "an old error elsewhere does not block an edit" test $? -eq 0
check "the old error is still there after it" sh -c "! '$SMADM' -r '$D' map check aliases"
check_not "but a new error is refused" sm map set aliases 'b"c' root
cp "$T_TMP/aliases.orig" "$D/aliases"

# --- the accepted alias names against the real sendmail -bi
if [ ! -x "$SENDMAIL" ] || ! command -v db_dump > /dev/null; then
	bad "sendmail and db_dump are needed"; finish; exit 1
fi
NS=$T_TMP/ns
mkdir -p "$NS" "$T_TMP/q"
printf 'passwd: files\ngroup: files\nhosts: files\n' > "$NS/nsswitch.conf"
printf 'nameserver 127.0.0.1\n' > "$NS/resolv.conf"
h=$(hostname); s=${h%%.*}
printf '127.0.0.1\tlocalhost %s.smadm-test.example %s\n' "$s" "$s" > "$NS/hosts"
nsrun() {
	unshare --mount --propagation private -- /bin/sh -c '
		mount --bind "$0/nsswitch.conf" /etc/nsswitch.conf &&
		mount --bind "$0/resolv.conf" /etc/resolv.conf &&
		mount --bind "$0/hosts" /etc/hosts || exit 111
		exec "$@"' "$NS" "$@"
}
B=$T_TMP/bi
mkdir -p "$B"
cat > "$B/sendmail.mc" <<EOF
divert(0)dnl
OSTYPE(\`debian')dnl
define(\`confDOMAIN_NAME', \`$s.smadm-test.example')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`QUEUE_DIR', \`$T_TMP/q')dnl
define(\`ALIAS_FILE', \`$B/aliases')dnl
undefine(\`confHOST_STATUS_DIRECTORY')dnl
define(\`confDONT_BLAME_SENDMAIL', \`TrustStickyBit')dnl
MAILER(\`local')dnl
EOF
m4 /usr/share/sendmail/cf/m4/cf.m4 "$B/sendmail.mc" > "$B/sendmail.cf" 2>/dev/null
dump() { db_dump -p "$1" | sed '1,/^HEADER=END/d;/^DATA=END/d' | paste - - | sort; }

# Every name smadm accepted: smadm's build and sendmail -bi's agree.
printf 'first: root\n' > "$D/aliases"
for k in 'a\b' 'a b' '"a b"' 'a\"b' 'plain'; do
	sm map set aliases "$k" root > /dev/null 2>&1
done
sm map set aliases v3 '"a b"' > /dev/null 2>&1
cp "$D/aliases" "$B/aliases"
nsrun "$SENDMAIL" -C "$B/sendmail.cf" -bi > "$T_TMP/bi.out" 2>&1
check "sendmail -bi builds the accepted names without complaint" \
	sh -c "[ \$(grep -vc -e 'World writable' -e 'aliases, longest' '$T_TMP/bi.out') -eq 0 ]"
sm map build aliases > "$T_TMP/build.out" 2>&1
check "smadm builds the same aliases" test $? -eq 0
dump "$D/aliases.db" > "$T_TMP/smadm.dump"
dump "$B/aliases.db" > "$T_TMP/bi.dump"
if [ -s "$T_TMP/bi.dump" ] && cmp -s "$T_TMP/smadm.dump" "$T_TMP/bi.dump"; then
	ok "aliases.db records equal sendmail -bi's ($(wc -l < "$T_TMP/bi.dump") records)"
else
	bad "aliases.db records differ from sendmail -bi's"
	diff "$T_TMP/smadm.dump" "$T_TMP/bi.dump" | sed 's/^/      | /'
fi

# Each refused name, written by hand: sendmail -bi complains, or stores a
# name other than the one written.
for line in 'a"b: root' 'x\: root' 'a%b: root' 'a!b: root' 'a,b: root' \
    'a<b: root' 'a(b): root' '"a:b": root'; do
	printf '%s\n' "$line" > "$B/aliases"
	rm -f "$B/aliases.db"
	nsrun "$SENDMAIL" -C "$B/sendmail.cf" -bi > "$T_TMP/bi.out" 2>&1
	name=${line%: root}
	if grep -q -e 'Unbalanced' -e 'non-local' -e 'Invalid route' "$T_TMP/bi.out" ||
	    ! dump "$B/aliases.db" | grep -qF " $name\\00"; then
		ok "sendmail -bi refuses or renames '$name' too"
	else
		bad "sendmail -bi stores '$name' as written"; cat "$T_TMP/bi.out"
	fi
	printf '%s\n' "$line" > "$D/aliases"
	check_not "map check reports '$name' written by hand" sm map check aliases
done

# --- found in review: the \user idiom, control characters, "--", class values
cp "$FIX/aliases" "$D/aliases"
printf 'bob: \\bob, alice\n' >> "$D/aliases"
check "an alias target \\user (local delivery, no further aliasing) checks clean" sm map check aliases
check "map set aliases carol \\carol is accepted" sm map set aliases carol '\carol'
check "map build aliases builds with them" sm map build aliases
check "sendmail -bi reads them too" sh -c "cp '$D/aliases' '$T_TMP/al' && $SENDMAIL -bi -oA'$T_TMP/al' > '$T_TMP/bi.out' 2>&1"
cp "$D/access" "$T_TMP/access.before"
check_not "a C1 control (U+009B) in an access key is refused" sm map set access "$(printf '\302\233.example')" REJECT
check_not "a byte that is not UTF-8 in an access key is refused" sm map set access "$(printf '\377.example')" REJECT
check "... and access is unchanged" cmp -s "$D/access" "$T_TMP/access.before"
check_not "a class file refuses a VALUE instead of dropping it" sm map set local_host_names val.example extra
check_not "... and writes nothing" grep -q val.example "$D/local-host-names"
check "\"--\" after the table name ends the options: a key may start with -" \
	sm map set trusted_users -- -n
check "... the key is -n, not --" grep -qx -- '-n' "$D/trusted-users"
check "map del takes -- too" sm map del trusted_users -- -n
check_not "... and the entry is gone" grep -qx -- '-n' "$D/trusted-users"

finish
