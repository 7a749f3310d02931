# tests/tui/hostname.sh -- the dashboard on a host whose name sendmail
# would sleep on (the sandbox's namespace hosts file lists the short name
# alone; the real /etc/hosts is not touched): the problem and its fix are
# listed under Problems, Enter says it all, and the version check is not
# started (no "checking..." for 30 s): the Version line says why.  With
# the qualified name added, r checks again and all is well.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../tui-lib.sh"

tui_need_tmux
dir=$(new_sandbox) || { bad "sandbox create"; finish; exit 1; }
hosts=$dir/ns/hosts
name=$(cat /proc/sys/kernel/hostname)
short=${name%%.*}
case $name in
*.*)	ok "qualified kernel name: sendmail never sleeps on it"; finish; exit $? ;;
esac
cp "$hosts" "$T_TMP/hosts.good"
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n' "$short" > "$hosts"

tui_console hostname 100 30
see "dashboard" "smadm - Dashboard"
see "Problems counts it" "Problems      1 (listed first below"
see "the row names the host name" "$short is unqualified: sendmail sleeps 60 s at every start"
see "the version check is not started" "not asked: sendmail would sleep 60 s on the host name"
not_see "no checking..." "checking..."
keys Enter
see "Enter gives the fix" "list the qualified name first"
keys q
see "q: back on the dashboard" "smadm - Dashboard"
# Fixed in the hosts file: r reads it again.
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s.sandbox.example %s\n' "$short" "$short" > "$hosts"
keys r
see "r: no problem left" "Problems      none"
see "and the version is asked" "Version       sendmail 8." 40
keys q
see "q quits" "EXITED 0"
cp "$T_TMP/hosts.good" "$hosts"
finish
