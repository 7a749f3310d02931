# tests/integration/test-address.sh -- "smadm test-address" asks the real
# sendmail of a sandbox (-bt and -bv, in its namespace) what it does with
# addresses routed by aliases, virtusertable and mailertable.
. "$(dirname "$0")/../lib.sh"

sm() { "$SMADM" -r "$dir" "$@"; }
dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }

check "aliases: sales -> root" sm map set aliases sales root
check "local-host-names: a virtual domain" sm map set local_host_names virt.test
check "virtusertable: info@virt.test -> sales" sm map set virtusertable info@virt.test sales
check "virtusertable: catch-all for virt.test" sm map set virtusertable @virt.test 'error:nouser 550 No such user here'
check "mailertable: gw.test -> 127.0.0.2" sm map set mailertable gw.test 'smtp:[127.0.0.2]'
check "mailertable: subdomains of parent.test" sm map set mailertable .parent.test 'smtp:[127.0.0.3]'
check "build the maps" sm map build

sm test-address sales > "$T_TMP/a" 2>&1
check "alias: the aliases lookup" grep -q '^aliases  *sales -> root$' "$T_TMP/a"
check "alias: resolves to the local mailer" grep -q '^resolves to  *mailer local, user sales$' "$T_TMP/a"
check "alias: -bv expands it to root" grep -q '^delivery  *root... deliverable: mailer local, user root' "$T_TMP/a"

sm test-address info@virt.test > "$T_TMP/v" 2>&1
check "virtual: the domain is local (class w)" grep -q '^domain  *virt.test: local (class w)$' "$T_TMP/v"
check "virtual: the virtusertable entry" grep -q '^virtusertable  *info@virt.test -> sales$' "$T_TMP/v"
check "virtual: resolves to local user sales" grep -q '^resolves to  *mailer local, user sales$' "$T_TMP/v"
check "virtual: delivered to root through the alias" grep -q 'deliverable: mailer local, user root' "$T_TMP/v"

sm test-address nobody@virt.test > "$T_TMP/c" 2>&1
check "catch-all: @virt.test matches" grep -q '^  *@virt.test -> error:nouser 550 No such user here$' "$T_TMP/c"
check "catch-all: refused with its message" grep -q '^resolves to  *refused: .*No such user here' "$T_TMP/c"

sm test-address someone@gw.test > "$T_TMP/m" 2>&1
check "mailertable: the domain is not local" grep -q '^domain  *gw.test: not local$' "$T_TMP/m"
check "mailertable: the entry" grep -q '^mailertable  *gw.test -> smtp:\[127.0.0.2\]$' "$T_TMP/m"
check "mailertable: smtp to 127.0.0.2" grep -q '^resolves to  *mailer smtp, host \[127.0.0.2\], user someone@gw.test$' "$T_TMP/m"
check "mailertable: virtusertable not consulted" grep -q 'not consulted: the domain is neither local' "$T_TMP/m"

sm test-address x@deep.parent.test > "$T_TMP/p" 2>&1
check "mailertable parent: .parent.test found" grep -q '^  *.parent.test -> smtp:\[127.0.0.3\]$' "$T_TMP/p"
check "mailertable parent: routed to 127.0.0.3" grep -q 'mailer smtp, host \[127.0.0.3\]' "$T_TMP/p"

sm test-address elsewhere@remote.test > "$T_TMP/r" 2>&1
check "no entry: the smart host" grep -q '^resolves to  *mailer relay, host \[127.0.0.1\]' "$T_TMP/r"

sm test-address 'a@@b' > "$T_TMP/e" 2>&1
check "bad address: sendmail's complaint" grep -q 'Invalid route address' "$T_TMP/e"
check "bad address: the error mailer" grep -q '^resolves to  *refused: ' "$T_TMP/e"
sm test-address nosuchuser > "$T_TMP/u" 2>&1
check "unknown user: -bv says so" grep -q '^delivery  *nosuchuser... User unknown' "$T_TMP/u"

sm --json test-address info@virt.test > "$T_TMP/j" 2>&1
check "--json: mailer, user, lookups, deliverable" python3 -c "
import json
d = json.load(open('$T_TMP/j'))
assert d['mailer'] == 'local' and d['user'] == 'sales' and d['local_domain'], d
v = [l for l in d['lookups'] if l['map'] == 'virtuser' and l['value']]
assert v and v[0]['key'] == 'info@virt.test' and v[0]['consulted'], d
assert d['deliverable'] is True, d"
check_not "an option-like address is refused" sm test-address -bi
check_not "no address: usage" sm test-address

finish
