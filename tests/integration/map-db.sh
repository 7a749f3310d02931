# tests/integration/map-db.sh -- maps smadm builds against the ones the real
# makemap and sendmail -bi build from the same text: same records (makemap
# -u, db_dump -p), same answers from sendmail's own /map lookups in -bt,
# same owner; bad text leaves the database untouched; locks are honoured.
# Every sendmail command runs in a private mount namespace whose name
# service is files only.
. "$(dirname "$0")/../lib.sh"

SENDMAIL=/usr/sbin/sendmail
MAKEMAP=/usr/sbin/makemap
CFM4=/usr/share/sendmail/cf/m4/cf.m4
for p in $SENDMAIL $MAKEMAP /usr/bin/m4 /usr/bin/db_dump /usr/bin/unshare; do
	[ -x "$p" ] || { echo "missing $p"; bad "tools present"; finish; exit 1; }
done

# --- the namespace: files-only name service, a qualified host name
NS=$T_TMP/ns
mkdir -p "$NS"
printf 'passwd: files\ngroup: files\nhosts: files\n' > "$NS/nsswitch.conf"
printf 'nameserver 127.0.0.1\n' > "$NS/resolv.conf"
h=$(hostname); s=${h%%.*}
printf '127.0.0.1\tlocalhost %s.smadm-test.example %s\n::1\tlocalhost\n' "$s" "$s" > "$NS/hosts"
nsrun() {
	unshare --mount --propagation private -- /bin/sh -c '
		mount --bind "$0/nsswitch.conf" /etc/nsswitch.conf &&
		mount --bind "$0/resolv.conf" /etc/resolv.conf &&
		mount --bind "$0/hosts" /etc/hosts || exit 111
		exec "$@"' "$NS" "$@"
}

# --- two map sets: A built by smadm, B by makemap and sendmail -bi
TU=root
id smmta >/dev/null 2>&1 && TU=smmta
mkcf() {	# mkcf DIR
	mkdir -p "$1/q"
	cat > "$1/sendmail.mc" <<EOF
divert(0)dnl
OSTYPE(\`debian')dnl
define(\`confDOMAIN_NAME', \`$s.smadm-test.example')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`QUEUE_DIR', \`$1/q')dnl
define(\`ALIAS_FILE', \`$1/aliases')dnl
undefine(\`confHOST_STATUS_DIRECTORY')dnl
define(\`confDONT_BLAME_SENDMAIL', \`TrustStickyBit')dnl
define(\`confTRUSTED_USER', \`$TU')dnl
FEATURE(\`access_db', \`hash -o -T<TMPF> $1/access')dnl
FEATURE(\`mailertable', \`hash -o $1/mailertable')dnl
FEATURE(\`virtusertable', \`hash -o $1/virtusertable')dnl
FEATURE(\`genericstable', \`hash -o $1/genericstable')dnl
FEATURE(\`domaintable', \`hash -o $1/domaintable')dnl
MAILER(\`local')dnl
MAILER(\`smtp')dnl
EOF
	m4 "$CFM4" "$1/sendmail.mc" > "$1/sendmail.cf" 2> "$1/m4.err" &&
	    ! grep -q ERROR "$1/m4.err"
}
A=$T_TMP/A
B=$T_TMP/B
check "m4 makes the smadm cf" mkcf "$A"
check "m4 makes the makemap cf" mkcf "$B"
cat > "$A/smadm.conf" <<EOF
cf = sendmail.cf
sendmail = $SENDMAIL
makemap = $MAKEMAP
access = access
mailertable = mailertable
virtusertable = virtusertable
genericstable = genericstable
domaintable = domaintable
aliases = aliases
local_host_names = local-host-names
EOF
printf 'localhost\n' > "$A/local-host-names"
sm() { "$SMADM" -r "$A" "$@"; }

# --- texts: thousands of entries with the cases that matter
gen() {
	awk -v what="$1" 'BEGIN {
	n = split("Connect From To Spam GreetPause ClientRate ClientConn Srv_Features Try_TLS TLS_Clt TLS_Srv TLS_Rcpt CERTISSUER CERTSUBJECT Compat Verify", tag, " ")
	m = split("OK|RELAY|REJECT|DISCARD|SKIP|ERROR:5.7.1:550 Go away|ERROR:\"451 4.7.1 later\"|550 No thanks|QUARANTINE:held for review|FRIEND|HATER|0|5000|V|M|S|  OK  ", act, "|")
	if (what == "access") {
		print "# access, generated"
		for (i = 0; i < 4000; i++) {
			t = tag[i % n + 1]
			if (i % 5 == 0) k = "192.0." (i % 256) "." (i * 7 % 256)
			else if (i % 5 == 1) k = "Host" i ".Example.ORG"
			else if (i % 5 == 2) k = "User" i "@Domain" (i % 37) ".Example"
			else if (i % 5 == 3) k = "User" i "@"
			else k = "IPv6:2001:db8::" i
			printf "%s:%s\t%s\n", t, k, act[i % m + 1]
		}
		print "Connect:127.0.0.1\tRELAY"
		print "CONNECT:127.0.0.1\tREJECT"
		print "From:MiXeD@Case.Example\tREJECT"
		print "#From:commented@out\tRELAY"
		print "To:trail.example\tRELAY \t"
		print "Spam:abuse@\tFRIEND"
	} else if (what == "virtusertable") {
		for (i = 0; i < 4000; i++) {
			if (i % 4 == 0) printf "@Catch%d.Example\t%%1@mailhost%d.example\n", i, i % 9
			else if (i % 4 == 1) printf "Info%d@Virt.Example\tlocal%d\n", i, i
			else if (i % 4 == 2) printf "+detail%d@Virt.Example\terror:nouser 550 No such user\n", i
			else printf "Sales%d@Virt%d.Example\tuser%d@elsewhere.example, other%d\n", i, i % 11, i, i
		}
		print "@virt.example\terror:nouser 550 Unknown"
		print "@VIRT.example\tsecond"
	} else if (what == "mailertable") {
		for (i = 0; i < 2000; i++) {
			if (i % 2) printf ".Sub%d.Example\tsmtp:[127.0.0.%d]\n", i, i % 250 + 1
			else printf "Dom%d.Example\tesmtp:[127.0.0.1]:mx%d\n", i, i
		}
		print ".\tsmtp:[127.0.0.1]"
	} else if (what == "genericstable") {
		for (i = 0; i < 1500; i++)
			printf "User%d\tFirst%d.Last@Example.COM\n", i, i
		print "Root@Local.Example\tpostmaster@example.com"
	} else if (what == "domaintable") {
		for (i = 0; i < 800; i++)
			printf "Old%d.Example\tnew%d.example\n", i, i
	} else if (what == "aliases") {
		print "# aliases, generated"
		print "MAILER-DAEMON: postmaster"
		print "Postmaster: root"
		for (i = 0; i < 3000; i++) {
			if (i % 6 == 0) printf "List%d: :include:/etc/mail/lists/l%d\n", i, i
			else if (i % 6 == 1) printf "Multi%d: a%d,\n   b%d@example.com ,\n\tc%d\n", i, i, i, i
			else if (i % 6 == 2) printf "Pipe%d: \"|/usr/bin/true %d\"\n", i, i
			else if (i % 6 == 3) printf "Joined%d: first%d,\\\nsecond%d\n", i, i, i
			else if (i % 6 == 4) printf "user.name-%d :  Target%d  \n", i, i
			else printf "Plain%d: /var/mail/archive%d\n", i, i
			if (i % 500 == 7) printf "\n# comment %d\n\n", i
		}
		print "dup: first"
		print "Dup: second"
	}
	}'
}
for t in access virtusertable mailertable genericstable domaintable aliases; do
	gen $t > "$A/$t"
	cp "$A/$t" "$B/$t"
done

# --- build both sets
for t in access virtusertable mailertable genericstable domaintable; do
	$MAKEMAP -C "$B/sendmail.cf" hash "$B/$t" < "$B/$t" 2>>"$T_TMP/makemap.err"
done
# makemap warns about /tmp even with TrustStickyBit; anything else is wrong.
if grep -v -e 'duplicate key' -e 'World writable directory /tmp' "$T_TMP/makemap.err" | grep .; then
	bad "makemap complained beyond duplicates"
else
	ok "makemap built the reference maps ($(grep -c 'duplicate key' "$T_TMP/makemap.err") duplicates)"
fi
nsrun $SENDMAIL -C "$B/sendmail.cf" -bi > "$T_TMP/bi.out" 2>&1
check "sendmail -bi built the reference aliases" test -s "$B/aliases.db"
check "smadm map build builds every map" sm map build
sm map build > "$T_TMP/build.out" 2>&1
check "a second build finds nothing to do" grep -q "up to date" "$T_TMP/build.out"
check "class files are skipped with a note" sh -c "'$SMADM' -r '$A' map build local_host_names | grep -q 'no database'"

# (a) the same records
for t in access virtusertable mailertable genericstable domaintable; do
	$MAKEMAP -u hash "$A/$t" 2>/dev/null | sort > "$T_TMP/$t.a"
	$MAKEMAP -u hash "$B/$t" 2>/dev/null | sort > "$T_TMP/$t.b"
	if [ -s "$T_TMP/$t.a" ] && cmp -s "$T_TMP/$t.a" "$T_TMP/$t.b"; then
		ok "$t: makemap -u dumps are equal ($(wc -l < "$T_TMP/$t.a") entries)"
	else
		bad "$t: makemap -u dumps differ"; diff "$T_TMP/$t.a" "$T_TMP/$t.b" | head -5
	fi
done
for t in access virtusertable aliases; do
	db_dump -p "$A/$t.db" | sed '1,/^HEADER=END/d;/^DATA=END/d' | paste - - | sort > "$T_TMP/$t.da"
	db_dump -p "$B/$t.db" | sed '1,/^HEADER=END/d;/^DATA=END/d' | paste - - | sort > "$T_TMP/$t.db"
	if [ -s "$T_TMP/$t.da" ] && cmp -s "$T_TMP/$t.da" "$T_TMP/$t.db"; then
		ok "$t: db_dump -p records are byte-identical"
	else
		bad "$t: db_dump -p records differ"; diff "$T_TMP/$t.da" "$T_TMP/$t.db" | head -5
	fi
done
check "aliases.db has the @ sentinel with NULs" grep -q "^ @\\\\00	 @\\\\00" "$T_TMP/aliases.da"
check "both databases are hash with 4096-byte pages" sh -c "db_dump -p '$A/access.db' | grep -q '^type=hash' && db_dump -p '$A/access.db' | grep -q '^db_pagesize=4096'"
ua=$(stat -c '%U %a' "$A/access.db"); ub=$(stat -c '%U %a' "$B/access.db")
check "a new map gets makemap's owner and mode ($ub)" test "$ua" = "$ub"

# smadm map dump is makemap -u, sorted
sm map dump virtusertable > "$T_TMP/dump.a"
check "smadm map dump prints what makemap -u prints" cmp "$T_TMP/dump.a" "$T_TMP/virtusertable.b"
sm --json map dump domaintable > "$T_TMP/dump.json"
check "smadm map dump --json is JSON" sh -c "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)==800 and d[0][\"key\"]' '$T_TMP/dump.json' 2>/dev/null || grep -q '\"key\":\"old0.example\"' '$T_TMP/dump.json'"

# (b) sendmail's own lookups answer the same in both sets
{
	for t in access virtusertable mailertable genericstable domaintable aliases; do
		case $t in
		virtusertable) m=virtuser ;; genericstable) m=generics ;; *) m=$t ;;
		esac
		if [ $t = aliases ]; then
			grep -v '^#' "$A/$t" | grep '^[^ 	]' | sed 's/[ 	]*:.*//'
		else
			grep -v '^#' "$A/$t" | cut -f1
		fi | awk -v m=$m '{ print "/map " m " " $0; print "/map " m " " toupper($0) }'
		printf '/map %s nosuchkey.example\n' $m
	done
} | grep -v '/map [a-z]* $' > "$T_TMP/lookups"
nlook=$(wc -l < "$T_TMP/lookups")
nsrun $SENDMAIL -C "$A/sendmail.cf" -bt < "$T_TMP/lookups" > "$T_TMP/bt.a" 2>&1
nsrun $SENDMAIL -C "$B/sendmail.cf" -bt < "$T_TMP/lookups" > "$T_TMP/bt.b" 2>&1
nret=$(grep -c 'returns' "$T_TMP/bt.a")
if [ "$nret" -gt 10000 ] && cmp -s "$T_TMP/bt.a" "$T_TMP/bt.b"; then
	ok "sendmail -bt: $nlook lookups give the same answers ($nret found)"
else
	bad "sendmail -bt lookups differ ($nret found)"; diff "$T_TMP/bt.a" "$T_TMP/bt.b" | head -5
fi
check "sendmail -bt folds case in smadm's map" grep -q 'map_lookup: access (CONNECT:127.0.0.1) returns RELAY' "$T_TMP/bt.a"
check "sendmail -bt reads the catch-all (%1 left empty by /map)" grep -q 'virtuser (@CATCH0.EXAMPLE) returns @mailhost0.example (0)' "$T_TMP/bt.a"
check "sendmail -bt reads joined alias lines" grep -q 'aliases (MULTI1) returns a1,   b1@example.com ,	c1 (0)' "$T_TMP/bt.a"

# smadm map lookup agrees with sendmail
v=$(sm map lookup access 'from:MIXED@case.example'); check "smadm map lookup folds case" test "$v" = REJECT
v=$(sm map lookup aliases DUP); check "aliases: the last duplicate wins, as sendmail -bi" test "$v" = second
v=$(sm map lookup virtusertable @virt.example); check "maps: the first duplicate wins, as makemap" test "$v" = "error:nouser 550 Unknown"
check_not "smadm map lookup exits 1 for an absent key" sm map lookup access Connect:203.0.113.9

# A sendmail that has the map open sees a rebuild (mtime of the old file).
(
	printf '/map domaintable old5.example\n'
	sleep 1.5
	printf 'Old5.Example\tchanged.example\n' > "$A/domaintable.new"
	grep -v '^Old5\.Example' "$A/domaintable" >> "$A/domaintable.new"
	mv "$A/domaintable.new" "$A/domaintable"
	"$SMADM" -r "$A" map build domaintable >/dev/null 2>&1
	sleep 0.5
	printf '/map domaintable old5.example\n'
) | nsrun $SENDMAIL -C "$A/sendmail.cf" -bt > "$T_TMP/bt.live" 2>&1
check "a running sendmail reads the map rebuilt under it" grep -q 'returns changed.example' "$T_TMP/bt.live"

# -n compares the text with the database and writes nothing
cp "$A/mailertable.db" "$T_TMP/mt.before"
printf 'New.Example\tsmtp:[127.0.0.1]\n' >> "$A/mailertable"
sm map build -n > "$T_TMP/dry.out" 2>&1
check "map build -n counts the new key" grep -q "mailertable: would rebuild .* (1 new, 0 removed, 0 changed keys; text is newer)" "$T_TMP/dry.out"
check "map build -n leaves the database alone" cmp "$A/mailertable.db" "$T_TMP/mt.before"

# (c) bad input names FILE:LINE and leaves the database as it was
cp "$A/access.db" "$T_TMP/access.db.before"
printf 'Connect:10.1.1.1\tOK\n  Connect:10.2.2.2\tREJECT\nnovalue\n' >> "$A/access"
bl=$(( $(wc -l < "$A/access") - 1 ))
sm map build access > "$T_TMP/bad.out" 2>&1
rc=$?
check "a bad access text fails the build" test $rc -ne 0
check "the error names $A/access:$bl" grep -q "$A/access:$bl: line starts with a blank" "$T_TMP/bad.out"
check "the error names the line with no value" grep -q "$A/access:$((bl + 1)): no value" "$T_TMP/bad.out"
check "access.db is byte-identical after the failed build" cmp "$A/access.db" "$T_TMP/access.db.before"
cp "$A/aliases.db" "$T_TMP/aliases.db.before"
printf 'broken alias line\n' >> "$A/aliases"
check_not "a bad aliases text fails the build" sm map build aliases
check "aliases.db is byte-identical after the failed build" cmp "$A/aliases.db" "$T_TMP/aliases.db.before"
check_not "no temporary files are left" sh -c "ls -a '$A' | grep -q -e smadm- -e __db"
sm map build > "$T_TMP/all.out" 2>&1
rc=$?
check "map build without names fails on the bad texts" test $rc -ne 0
check "and names the bad aliases line" grep -q "$A/aliases:[0-9]*: missing colon" "$T_TMP/all.out"

# Locks: smadm waits for makemap's lock on the map, and sendmail -bi's on
# the aliases text, instead of writing under them.
gen access > "$A/access"
sed -i '$d' "$A/aliases"
flock -x "$A/access.db" sleep 2 &
track_pid $!
sleep 0.3
t0=$(date +%s%N)
sm map build access > /dev/null 2>&1
rc=$?
t1=$(date +%s%N)
check "smadm builds after makemap's lock is released" test $rc -eq 0
check "smadm waited for the lock on access.db" test $(( (t1 - t0) / 1000000 )) -ge 1200
flock -x "$A/aliases" sleep 2 &
track_pid $!
sleep 0.3
t0=$(date +%s%N)
sm map build aliases > /dev/null 2>&1
rc=$?
t1=$(date +%s%N)
check "smadm builds aliases after sendmail -bi's lock is released" test $rc -eq 0
check "smadm waited for the lock on the aliases text" test $(( (t1 - t0) / 1000000 )) -ge 1200
check "the rebuilt maps still match the reference" sh -c "'$MAKEMAP' -u hash '$A/access' 2>/dev/null | sort | cmp -s - '$T_TMP/access.b'"
wait

finish
