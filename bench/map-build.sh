#!/bin/sh
# bench/map-build.sh -- smadm's map builds against the tools a person would
# otherwise run: a 1,000,000-entry virtusertable (makemap hash) and a
# 100,000-entry aliases file (sendmail -bi), from the same text, in one run.
# Prints each time, the median of 3 and the ratio smadm/tool, then checks
# that sendmail's own lookups give the same answers for a sample of keys.
# Needs root (sendmail -bi and the private mount namespace).
#
#	sh bench/map-build.sh [ENTRIES] [ALIASES]
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
SMADM=${SMADM:-$top/smadm}
SENDMAIL=/usr/sbin/sendmail
MAKEMAP=/usr/sbin/makemap
N=${1:-1000000}
NA=${2:-100000}
[ -x "$SMADM" ] || { echo "build smadm first (make)"; exit 1; }
W=$(mktemp -d /tmp/smadm-bench-XXXXXX)
chmod 755 "$W"
trap 'rm -rf "$W"' EXIT

# sendmail runs with files-only name service, as in the tests.
mkdir -p "$W/ns"
printf 'passwd: files\ngroup: files\nhosts: files\n' > "$W/ns/nsswitch.conf"
printf 'nameserver 127.0.0.1\n' > "$W/ns/resolv.conf"
h=$(hostname); s=${h%%.*}
printf '127.0.0.1\tlocalhost %s.bench.example %s\n' "$s" "$s" > "$W/ns/hosts"
nsrun() {
	unshare --mount --propagation private -- /bin/sh -c '
		mount --bind "$0/nsswitch.conf" /etc/nsswitch.conf &&
		mount --bind "$0/resolv.conf" /etc/resolv.conf &&
		mount --bind "$0/hosts" /etc/hosts || exit 111
		exec "$@"' "$W/ns" "$@"
}
for d in A B; do
	mkdir -p "$W/$d/q"
	cat > "$W/$d/sendmail.mc" <<MC
divert(0)dnl
OSTYPE(\`debian')dnl
define(\`confDOMAIN_NAME', \`$s.bench.example')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`QUEUE_DIR', \`$W/$d/q')dnl
define(\`ALIAS_FILE', \`$W/$d/aliases')dnl
undefine(\`confHOST_STATUS_DIRECTORY')dnl
define(\`confDONT_BLAME_SENDMAIL', \`TrustStickyBit')dnl
FEATURE(\`virtusertable', \`hash -o $W/$d/virtusertable')dnl
MAILER(\`local')dnl
MAILER(\`smtp')dnl
MC
	m4 /usr/share/sendmail/cf/m4/cf.m4 "$W/$d/sendmail.mc" > "$W/$d/sendmail.cf"
done
printf 'cf = sendmail.cf\nvirtusertable = virtusertable\naliases = aliases\n' > "$W/A/smadm.conf"

echo "generating $N virtusertable entries and $NA aliases..."
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++)
	if (i % 10 == 0) printf "@Domain%d.Example\t%%1@host%d.example.net\n", i, i % 97
	else printf "User%d@Domain%d.Example.COM\tlocal%d@host%d.example.net\n", i, i % 5000, i, i % 97 }' > "$W/A/virtusertable"
awk -v n="$NA" 'BEGIN { for (i = 0; i < n; i++)
	if (i % 3 == 0) printf "User%d: a%d,\n\tb%d@example.com\n", i, i, i
	else if (i % 3 == 1) printf "list%d: :include:/etc/mail/lists/l%d\n", i, i
	else printf "Alias%d: person%d@example.org\n", i, i }' > "$W/A/aliases"
cp "$W/A/virtusertable" "$W/A/aliases" "$W/B/"
ls -l "$W/A/virtusertable" "$W/A/aliases" | awk '{ printf "  %s  %d bytes\n", $NF, $5 }'

ms() { date +%s%N; }
median() { sort -n | sed -n 2p; }
# run LABEL CMD...: time CMD 3 times, print the times, return the median (ms)
run() {
	label=$1; shift
	: > "$W/times"
	for i in 1 2 3; do
		t0=$(ms)
		"$@" > "$W/out" 2>&1 || { echo "$label failed:"; cat "$W/out"; exit 1; }
		t1=$(ms)
		echo $(( (t1 - t0) / 1000000 )) >> "$W/times"
	done
	med=$(median < "$W/times")
	printf '  %-34s %s ms (median %s ms)\n' "$label" "$(tr '\n' ' ' < "$W/times")" "$med" >&2
	echo "$med"
}
mm() { $MAKEMAP -C "$W/B/sendmail.cf" hash "$W/B/virtusertable" < "$W/B/virtusertable"; }
bi() { nsrun $SENDMAIL -C "$W/B/sendmail.cf" -bi; }

echo "virtusertable, $N entries:"
tm=$(run "makemap hash" mm)
ts=$(run "smadm map build virtusertable" "$SMADM" -r "$W/A" map build virtusertable)
echo "aliases, $NA entries:"
tb=$(run "sendmail -bi" bi)
ta=$(run "smadm map build aliases" "$SMADM" -r "$W/A" map build aliases)
echo
awk -v a="$ts" -v b="$tm" 'BEGIN { printf "virtusertable: smadm/makemap = %.2f (%d ms / %d ms)\n", a / b, a, b }'
awk -v a="$ta" -v b="$tb" 'BEGIN { printf "aliases:       smadm/sendmail -bi = %.2f (%d ms / %d ms)\n", a / b, a, b }'

# Same answers from sendmail's own lookups, for a sample of keys.
awk -v n="$N" 'NR % 997 == 1 { print "/map virtuser " $1; print "/map virtuser " toupper($1) }' "$W/A/virtusertable" > "$W/lookups"
awk -F: '/^[^ \t]/ && NR % 97 == 1 { print "/map aliases " $1 }' "$W/A/aliases" >> "$W/lookups"
echo "/map virtuser nosuch@domain.example" >> "$W/lookups"
nsrun $SENDMAIL -C "$W/A/sendmail.cf" -bt < "$W/lookups" > "$W/bt.a" 2>&1
nsrun $SENDMAIL -C "$W/B/sendmail.cf" -bt < "$W/lookups" > "$W/bt.b" 2>&1
found=$(grep -c returns "$W/bt.a")
if cmp -s "$W/bt.a" "$W/bt.b" && [ "$found" -gt 0 ]; then
	echo "lookups: $(wc -l < "$W/lookups") sendmail -bt lookups identical ($found found)"
else
	echo "lookups: DIFFERENT"; diff "$W/bt.a" "$W/bt.b" | head; exit 1
fi
ls -l "$W/A/virtusertable.db" "$W/B/virtusertable.db" | awk '{ printf "  %s  %d bytes\n", $NF, $5 }'
