# tests/integration/audit-stock.sh -- the audit on configurations as
# distributions ship them.  Loopback relaying (Debian's stock Connect:127,
# IPv6:::1 and friends) is not an open relay: not reported, never commented
# out by "audit fix", and sendmail still looks it up as RELAY; a real /8
# beside it is, and so are Connect:IPv6 (every IPv6 client) and
# Connect:IPv6:::ffff (every IPv4 client of an IPv6 daemon), as sendmail
# -bt confirms.  The role comes from what the cf does: a server that
# delivers locally and also has a mailertable is not a gateway, one that
# only routes by mailertable is, and "audit show role" says why.  Debian's
# group-readable queue (2750) and TempFileMode 0640 are low, not medium.
. "$(dirname "$0")/../lib.sh"

sm() { "$SMADM" -r "$dir" "$@"; }
audit_to() { _f=$1; shift; "$SMADM" -r "$dir" audit "$@" > "$_f" 2>&1; }
bt_access() {	# bt_access KEY: what sendmail -bt finds in the access map
	printf '/map access %s\n' "$1" | sm sandbox exec /usr/sbin/sendmail \
	    -C "$dir/etc/sendmail.cf" -bt 2>&1 | sed -n 's/.* returns \([^ ]*\) .*/\1/p' | head -1
}

dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
acc=$dir/etc/access
# --- Debian's loopback entries, in its own spellings
for k in Connect:127 Connect:IPv6:::1 IPv6:::1 localhost \
    Connect:localhost.localdomain Connect:127.0.0.1; do
	sm map set access "$k" RELAY > "$T_TMP/set.out" 2>&1 || bad "map set $k"
	check_not "map set $k: no open-relay warning" grep -q 'open relay' "$T_TMP/set.out"
done
check "maps built" sm map build access
check "sendmail finds Connect:127 RELAY" test "$(bt_access Connect:127)" = RELAY
audit_to "$T_TMP/a1" --no-live
check_not "loopback RELAY is not access-relay-broad" grep -q '^high *access-relay-broad' "$T_TMP/a1"
sm audit show access-relay-broad > "$T_TMP/show1" 2>&1
check "audit show: none beyond this host" grep -q 'none beyond this host' "$T_TMP/show1"
check "audit show: names the loopback keys" grep -q 'Connect:127' "$T_TMP/show1"

# --- a real /8 beside them is still an open relay; the fix keeps loopback
sm map set access Connect:10 RELAY > "$T_TMP/set10.out" 2>&1
check "Connect:10 warns as an open relay" grep -q 'open relay' "$T_TMP/set10.out"
check "maps built again" sm map build access
audit_to "$T_TMP/a2" --no-live
check "Connect:10 is high access-relay-broad" grep -q '^high *access-relay-broad' "$T_TMP/a2"
sm audit show access-relay-broad > "$T_TMP/show2" 2>&1
check "the finding names Connect:10" grep -q 'Connect:10 RELAY' "$T_TMP/show2"
check_not "and not Connect:127" grep -q 'Connect:127 RELAY (' "$T_TMP/show2"
check "audit fix access-relay-broad" sm -y audit fix access-relay-broad
check "Connect:10 is commented out" grep -q '^#Connect:10' "$acc"
for k in Connect:127 Connect:IPv6:::1 IPv6:::1 localhost \
    Connect:localhost.localdomain Connect:127.0.0.1; do
	check "$k kept" grep -Eq "^$k[[:space:]]+RELAY" "$acc"
done
check "sendmail still finds Connect:127 RELAY" test "$(bt_access Connect:127)" = RELAY
check "sendmail finds no Connect:10" test "$(bt_access Connect:10)" != RELAY

# --- IPv6: "Connect:IPv6" relays for every IPv6 client and
# "Connect:IPv6:::ffff" for every IPv4 client of an IPv6 daemon (its
# IPv4-mapped addresses), as sendmail -bt shows; ::1 stays the host itself
bt_rcpt() {	# bt_rcpt CLIENT_ADDR: check_rcpt of an outside address from it
	printf '.D{client_addr}%s\ncheck_rcpt <x@example.com>\n' "$1" | sm sandbox exec \
	    /usr/sbin/sendmail -C "$dir/etc/sendmail.cf" -bt 2>&1 | grep '^check_rcpt'
}
bt_rcpt IPv6:::ffff:192.0.2.7 > "$T_TMP/r0"
check "an IPv4-mapped client may not relay yet" grep -q 'Relaying denied' "$T_TMP/r0"
for k in Connect:IPv6 Connect:IPv6:::ffff; do
	sm map set access "$k" RELAY > "$T_TMP/set6.out" 2>&1 || bad "map set $k"
	check "map set $k warns as an open relay" grep -q 'open relay' "$T_TMP/set6.out"
done
check "maps built with the IPv6 keys" sm map build access
bt_rcpt IPv6:2001:db8::5 > "$T_TMP/r1"
check "sendmail: Connect:IPv6 relays for any IPv6 client" grep -q 'returns: RELAY' "$T_TMP/r1"
bt_rcpt IPv6:::ffff:192.0.2.7 > "$T_TMP/r2"
check "sendmail: Connect:IPv6:::ffff relays for any IPv4-mapped client" grep -q 'returns: RELAY' "$T_TMP/r2"
audit_to "$T_TMP/a6" --no-live
check "IPv6 keys are high access-relay-broad" grep -q '^high *access-relay-broad' "$T_TMP/a6"
# the finding's lines, unwrapped
sm audit --json --no-live 2>/dev/null | python3 -c '
import json, sys
for f in json.load(sys.stdin)["findings"]:
    if f["id"] == "access-relay-broad":
        print(f["current"])' > "$T_TMP/show6"
check "the finding names Connect:IPv6" grep -q ': Connect:IPv6 RELAY (IPv6 alone' "$T_TMP/show6"
check "the finding names Connect:IPv6:::ffff" grep -q ': Connect:IPv6:::ffff RELAY (every IPv4 client' "$T_TMP/show6"
check_not "and not Connect:IPv6:::1" grep -q 'Connect:IPv6:::1 RELAY' "$T_TMP/show6"
check "audit fix access-relay-broad (IPv6)" sm -y audit fix access-relay-broad
check "Connect:IPv6 is commented out" grep -q '^#Connect:IPv6[[:space:]]' "$acc"
check "Connect:IPv6:::ffff is commented out" grep -q '^#Connect:IPv6:::ffff[[:space:]]' "$acc"
check "Connect:IPv6:::1 kept" grep -Eq '^Connect:IPv6:::1[[:space:]]+RELAY' "$acc"
bt_rcpt IPv6:::ffff:192.0.2.7 > "$T_TMP/r3"
check "sendmail: the IPv4-mapped client is denied again" grep -q 'Relaying denied' "$T_TMP/r3"
bt_rcpt IPv6:::1 > "$T_TMP/r4"
check "sendmail: ::1 still relays" grep -q 'returns: RELAY' "$T_TMP/r4"

# --- the role
sm audit show role > "$T_TMP/role" 2>&1
check "sandbox (local delivery, mailertable, smart host): smarthost" grep -qx 'role: smarthost' "$T_TMP/role"
check "audit show role says it delivers locally" grep -q 'delivers locally: MAILER(local) in the mc' "$T_TMP/role"
check "and that the mailertable does not make it a gateway" grep -q 'does not make' "$T_TMP/role"
sm audit show loglevel > "$T_TMP/ll" 2>&1
check "audit show names the role of each check" grep -q '^role: smarthost, listens on loopback only' "$T_TMP/ll"
check "--json gives the role and why" sh -c "'$SMADM' -r '$dir' audit --json --no-live | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d[\"role\"] == \"smarthost\", d[\"role\"]
assert \"delivers locally\" in d[\"role_why\"]
'"

# Profiles of our own (in a namespace that resolves from its own hosts
# file), each with an mc written for it.
mkprofile() {	# mkprofile DIR: an empty profile; the mc is the caller's
	mkdir -p "$1/ns"
	printf '127.0.0.1\tmc.smadm.test mc localhost\n' > "$1/ns/hosts"
	printf 'passwd: files\ngroup: files\nhosts: files\n' > "$1/ns/nsswitch.conf"
	printf 'nameserver 127.0.0.1\n' > "$1/ns/resolv.conf"
	printf 'mc = sendmail.mc\ncf = sendmail.cf\ncf_dir = /usr/share/sendmail/cf\nsendmail = /usr/sbin/sendmail\nm4 = /usr/bin/m4\nnamespace = ns\n' > "$1/smadm.conf"
}
P=$T_TMP/debianlike
mkprofile "$P"
: > "$P/local-host-names"
: > "$P/mailertable"
cat > "$P/sendmail.mc" <<EOM
divert(-1)dnl
# A server like Debian's stock one: delivers here, routes a few domains.
divert(0)dnl
OSTYPE(\`debian')dnl
define(\`confDONT_BLAME_SENDMAIL', \`TrustStickyBit')dnl
define(\`confCW_FILE', \`$P/local-host-names')dnl
DAEMON_OPTIONS(\`Family=inet, Name=MTA-v4, Port=2999, Addr=127.0.0.1')dnl
FEATURE(\`use_cw_file')dnl
FEATURE(\`mailertable', \`hash -o $P/mailertable')dnl
MAILER_DEFINITIONS
MAILER(\`local')dnl
MAILER(\`smtp')dnl
EOM
check "Debian-like: apply" "$SMADM" -y -r "$P" apply
"$SMADM" -r "$P" audit show role > "$T_TMP/r2" 2>&1
check "Debian-like (mailertable, local delivery): local, not gateway" grep -qx 'role: local' "$T_TMP/r2"
check "it says why" grep -q 'FEATURE(use_cw_file)' "$T_TMP/r2"

G=$T_TMP/gatewaylike
mkprofile "$G"
: > "$G/mailertable"
cat > "$G/sendmail.mc" <<EOM
divert(-1)dnl
# Routes every domain it takes by mailertable; keeps nothing itself.
divert(0)dnl
OSTYPE(\`debian')dnl
define(\`confDONT_BLAME_SENDMAIL', \`TrustStickyBit')dnl
DAEMON_OPTIONS(\`Family=inet, Name=MTA-v4, Port=2999, Addr=127.0.0.1')dnl
FEATURE(\`mailertable', \`hash -o $G/mailertable')dnl
MAILER_DEFINITIONS
MAILER(\`smtp')dnl
EOM
check "gateway-like: apply" "$SMADM" -y -r "$G" apply
"$SMADM" -r "$G" audit show role > "$T_TMP/r3" 2>&1
check "mailertable and no local delivery: gateway" grep -qx 'role: gateway' "$T_TMP/r3"
"$SMADM" -r "$G" audit --all --no-live > "$T_TMP/g" 2>&1
check "the gateway's runasuser check applies" grep -q '^low *runasuser ' "$T_TMP/g"
"$SMADM" -r "$P" audit --all --no-live > "$T_TMP/p" 2>&1
check "the local server's does not" grep -q '^pass *runasuser ' "$T_TMP/p"

# --- Debian's queue modes: group read only is low
chmod 2750 "$dir/queue"
sm mc set confTEMP_FILE_MODE 0640 > /dev/null 2>&1 && sm -y apply > /dev/null 2>&1 || bad "TempFileMode 0640: apply"
audit_to "$T_TMP/m" --no-live
check "queue 2750: low, readable by its group" grep -q "^low *mode:$dir/queue *Queue directory readable by its group" "$T_TMP/m"
check "TempFileMode 0640: low" grep -q '^low *tempfilemode ' "$T_TMP/m"
check "audit fix mode: one key" sm -y audit fix "mode:$dir/queue" tempfilemode
audit_to "$T_TMP/m2" --no-live
check_not "both gone" grep -Eq "mode:$dir/queue|tempfilemode" "$T_TMP/m2"
chmod 0755 "$dir/queue"
audit_to "$T_TMP/m3" --no-live
check "queue 0755 (others) is still medium" grep -q "^medium *mode:$dir/queue " "$T_TMP/m3"
chmod 0700 "$dir/queue"

finish
