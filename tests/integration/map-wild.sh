#!/bin/sh
# tests/integration/map-wild.sh -- tables as people write them, checked
# against the real makemap and sendmail of a sandbox: virtusertable keys
# without a domain and a quoted ERROR: access value are warnings that say
# why, never blocking a build or an unrelated apply; duplicate keys name
# the value sendmail uses (asked with sendmail -bt); a CRLF (Windows) file
# builds byte for byte like makemap builds it, and "map set" keeps its
# line ends and says so with FILE:LINE; a trailing blank after a value is
# a warning in every map; "REJECT text" a warning, "OK text" an error.
. "$(dirname "$0")/../lib.sh"
FIX=$(cd "$(dirname "$0")/../fixtures/tables" && pwd)
MAKEMAP=/usr/sbin/makemap

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
etc=$dir/etc
sm() { "$SMADM" -y -r "$dir" "$@"; }
bt() {	# bt INPUT: sendmail -bt with the sandbox cf, in its namespace
	printf '%s\n' "$1" | sm sandbox exec /usr/sbin/sendmail \
	    -C "$etc/sendmail.cf" -bt 2>&1
}

# --- an unrelated mc change applies although virtusertable has dead keys
cat "$FIX/virtusertable-nodomain" >> "$etc/virtusertable"
sm mc set LogLevel 13 > /dev/null 2>&1
sm apply > "$T_TMP/out" 2>&1; rc=$?
check "apply succeeds with domain-less virtusertable keys" test $rc -eq 0
check "the new cf is installed, not rolled back" grep -q '^O LogLevel=13$' "$etc/sendmail.cf"
check_not "nothing was rolled back" grep -qi 'rolled back\|rollback:' "$T_TMP/out"
check "apply shows the warning with FILE:LINE" \
	grep -q "$etc/virtusertable:[0-9]*: warning: never looked up: key \"root\" has no domain" "$T_TMP/out"
check "\".com\" is named too" grep -q 'never looked up: key ".com"' "$T_TMP/out"
$MAKEMAP -u hash "$etc/virtusertable.db" > "$T_TMP/vdump" 2>/dev/null
check "virtusertable.db was built" grep -q '^info@virtual.example	jane$' "$T_TMP/vdump"
check "makemap stores the dead key too, as smadm did" grep -q '^root	jane$' "$T_TMP/vdump"
sm map check virtusertable > "$T_TMP/out" 2>&1; rc=$?
check "map check: warnings only, exit 0" test $rc -eq 0
check "map check counts no error" grep -q '3 warnings' "$T_TMP/out"

# --- a Windows-edited access map
cp "$FIX/access-windows" "$etc/access"
sm map build access > "$T_TMP/out" 2>&1; rc=$?
check "map build accepts the CRLF access map" test $rc -eq 0
check "CRLF warning names file and line" \
	grep -q "^$etc/access:3: warning: CRLF (Windows) line ends on 8 of 8 lines" "$T_TMP/out"
check "the blank CRLF line is a warning at its line" \
	grep -q "^$etc/access:4: warning: empty line but for the CR" "$T_TMP/out"
check "the quoted ERROR: is a warning that says what sendmail replies" \
	grep -q "^$etc/access:5: warning: quoted value \"\"ERROR:550 go away\"\": sendmail still rejects, but takes it all as the reply text (553 5.3.0 ... ERROR:550 go away)" "$T_TMP/out"
check "the duplicate names the value sendmail uses" \
	grep -q "^$etc/access:7: warning: duplicate key \"From:twice@bad.example\": sendmail uses line 6's value \"REJECT\", never this \"OK\"" "$T_TMP/out"
check_not "no error" grep -q 'error;' "$T_TMP/out"

# The same text through the real makemap: the same records, CRs included.
$MAKEMAP hash "$T_TMP/mm" < "$etc/access" > "$T_TMP/mm.out" 2>&1
check "makemap itself calls the blank CRLF line a syntax error" \
	grep -q 'line 4: syntax error (leading space)' "$T_TMP/mm.out"
$MAKEMAP -u hash "$T_TMP/mm.db" | sort > "$T_TMP/mm.dump"
$MAKEMAP -u hash "$etc/access.db" | sort > "$T_TMP/sm.dump"
check "smadm's access.db has makemap's records, byte for byte" cmp -s "$T_TMP/mm.dump" "$T_TMP/sm.dump"
check "the values keep their CR, as makemap keeps it" \
	test "$(grep -c "$(printf '\r')\$" "$T_TMP/sm.dump")" -eq 4

# What sendmail makes of them: the warnings say what it does.
bt 'check_mail <twice@bad.example>' > "$T_TMP/bt"
check "sendmail uses the first duplicate (REJECT)" grep -q 'F *returns: < REJECT >' "$T_TMP/bt"
bt 'check_mail <spammer@bad.example>' > "$T_TMP/bt"
check "sendmail rejects with the quoted text" \
	grep -q 'check_mail *returns: $# error $: "ERROR:550 go away"' "$T_TMP/bt"
bt 'check_mail <cr@bad.example>' > "$T_TMP/bt"
check "a value with its CR still works (ERROR with its status)" \
	grep -q 'check_mail *returns: $# error $@ 5 . 7 . 1 $: "*550 not from here"*$' "$T_TMP/bt"

# --- map set on the CRLF file: CRLF kept, warning with FILE:LINE
cp "$etc/access" "$T_TMP/access.before"
sm map set access Connect:192.0.2.45 REJECT > "$T_TMP/out" 2>&1; rc=$?
check "map set on a CRLF file succeeds" test $rc -eq 0
check "map set warns about CRLF at the written line" \
	grep -q "^$etc/access:9: warning: CRLF (Windows) line ends: the line written keeps the file's CRLF" "$T_TMP/out"
check "every line still ends in CRLF" \
	test "$(grep -c "$(printf '\r')\$" "$etc/access")" -eq "$(wc -l < "$etc/access")"
check "the old lines are unchanged" \
	cmp -s "$T_TMP/access.before" "$(head -c "$(wc -c < "$T_TMP/access.before")" "$etc/access" > "$T_TMP/head"; echo "$T_TMP/head")"
sm map build access > /dev/null 2>&1
$MAKEMAP hash "$T_TMP/mm2" < "$etc/access" > /dev/null 2>&1
$MAKEMAP -u hash "$T_TMP/mm2.db" | sort > "$T_TMP/mm.dump"
$MAKEMAP -u hash "$etc/access.db" | sort > "$T_TMP/sm.dump"
check "after map set, smadm's build is still makemap's" cmp -s "$T_TMP/mm.dump" "$T_TMP/sm.dump"
sm map del access Connect:192.0.2.45 > /dev/null 2>&1
check "map del undoes it on the CRLF file" cmp -s "$T_TMP/access.before" "$etc/access"

# --- aliases with CRLF: map set keeps them, the build is sendmail -bi's
printf 'postmaster: root\r\nabuse: root\r\n' > "$etc/aliases"
sm map set aliases webmaster root > "$T_TMP/out" 2>&1; rc=$?
check "map set on CRLF aliases succeeds" test $rc -eq 0
check "map set warns about CRLF at the written line (aliases)" \
	grep -q "^$etc/aliases:3: warning: CRLF (Windows) line ends: the line written keeps the file's CRLF, and sendmail -bi keeps the CR" "$T_TMP/out"
check "the new alias line ends in CRLF" test "$(tail -n 1 "$etc/aliases")" = "$(printf 'webmaster: root\r')"
sm map build aliases > /dev/null 2>&1
$MAKEMAP -u hash "$etc/aliases.db" | sort > "$T_TMP/sm.dump"
sm sandbox exec /usr/sbin/sendmail -C "$etc/sendmail.cf" -bi > /dev/null 2>&1
$MAKEMAP -u hash "$etc/aliases.db" | sort > "$T_TMP/bi.dump"
check "smadm's aliases.db is sendmail -bi's, CRs and all" cmp -s "$T_TMP/sm.dump" "$T_TMP/bi.dump"
check "the CR is in the stored value" grep -q "^webmaster	root$(printf '\r')\$" "$T_TMP/bi.dump"
check "sendmail delivers it to root all the same" \
	sh -c "'$SMADM' -r '$dir' sandbox exec /usr/sbin/sendmail -C '$etc/sendmail.cf' -bv webmaster 2>&1 | grep -q 'deliverable: mailer local, user root'"

# --- a trailing blank after a value: makemap stores it, sendmail's rules
# read the value as without it, so it is a warning in every map table and
# never blocks "map build" (and with it "apply")
printf 'trail@vm.sandbox.example\troot\t\n' >> "$etc/virtusertable"
printf 'example.org\tesmtp:[mx.example.org] \n' >> "$etc/mailertable"
$MAKEMAP hash "$etc/virtusertable" < "$etc/virtusertable"
$MAKEMAP hash "$etc/mailertable" < "$etc/mailertable"
check "sendmail resolves the virtusertable entry with its trailing tab" \
	sh -c "'$SMADM' -r '$dir' sandbox exec /usr/sbin/sendmail -C '$etc/sendmail.cf' -bv trail@vm.sandbox.example 2>&1 | grep -q 'mailer local, user root'"
check "sendmail resolves the mailertable entry with its trailing blank" \
	sh -c "'$SMADM' -r '$dir' sandbox exec /usr/sbin/sendmail -C '$etc/sendmail.cf' -bv u@example.org 2>&1 | grep -q 'host \[mx.example.org\]'"
sm map check virtusertable > "$T_TMP/out" 2>&1; rc=$?
check "map check virtusertable: a warning, not an error" test $rc -eq 0
check "the virtusertable warning says what sendmail does" \
	grep -q "^$etc/virtusertable:[0-9]*: warning: trailing blanks after the value \"root\" (makemap stores them, sendmail reads the value as without them" "$T_TMP/out"
sm map check mailertable > "$T_TMP/out" 2>&1; rc=$?
check "map check mailertable: a warning, not an error" test $rc -eq 0
check "the mailertable warning names the value" \
	grep -q "warning: trailing blanks after the value \"esmtp:\[mx.example.org\]\"" "$T_TMP/out"
check "map build succeeds" sm map build virtusertable mailertable

# --- access: "REJECT extra" still rejects (a warning), "OK extra" and
# "DISCARD extra" reject instead of accepting (errors); asked of sendmail
cat > "$etc/access" <<'EOA'
From:rej@bad.example	REJECT go away
From:qrej@bad.example	"REJECT"
From:okx@bad.example	OK extra
From:discx@bad.example	DISCARD extra
From:trail@bad.example	REJECT	
EOA
sm map check access > "$T_TMP/out" 2>&1; rc=$?
check "REJECT with more words is a warning that says what sendmail does" \
	grep -q "^$etc/access:1: warning: \"REJECT go away\": sendmail still rejects, but takes it all as the reply text" "$T_TMP/out"
check "a quoted REJECT is a warning" grep -q "^$etc/access:2: warning: quoted value" "$T_TMP/out"
check "OK with more words is an error" grep -q "^$etc/access:3: unknown action \"OK extra\"" "$T_TMP/out"
check "DISCARD with more words is an error" grep -q "^$etc/access:4: unknown action \"DISCARD extra\"" "$T_TMP/out"
check "a trailing tab after REJECT: the same warning as other maps" \
	grep -q "^$etc/access:5: warning: trailing blanks after the value \"REJECT\"" "$T_TMP/out"
check "map check access: 2 errors (OK extra, DISCARD extra)" grep -q '2 errors' "$T_TMP/out"
$MAKEMAP hash "$etc/access" < "$etc/access"
bt 'check_mail <rej@bad.example>' > "$T_TMP/bt"
check "sendmail rejects REJECT go away, with it as the text" \
	grep -q 'check_mail *returns: $# error $: REJECT go away' "$T_TMP/bt"
bt 'check_mail <qrej@bad.example>' > "$T_TMP/bt"
check "sendmail rejects a quoted REJECT" grep -q 'check_mail *returns: $# error $: "REJECT"' "$T_TMP/bt"
bt 'check_mail <okx@bad.example>' > "$T_TMP/bt"
check "sendmail rejects OK extra: it misreads it" grep -q 'check_mail *returns: $# error $: OK extra' "$T_TMP/bt"
bt 'check_mail <discx@bad.example>' > "$T_TMP/bt"
check "sendmail rejects DISCARD extra: it misreads it" grep -q 'check_mail *returns: $# error $: DISCARD extra' "$T_TMP/bt"
bt 'check_mail <trail@bad.example>' > "$T_TMP/bt"
check "sendmail reads REJECT<TAB> as REJECT" grep -q 'check_mail *returns: $# error $@ 5 . 7 . 1 $: "550 Access denied"' "$T_TMP/bt"

finish
