#!/bin/sh
# ssh-security.sh -- host keys and quoting over SSH.  An unknown host key
# is refused without --accept-new-host-key (and recorded with it); a
# changed key is refused even with it.  Map keys and values, file names,
# queue ids and program arguments full of shell metacharacters and line
# breaks reach the remote side byte for byte and never run anything: each
# payload would create a canary file if a shell ever interpreted it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ssh-lib.sh"

ssh_start || { bad "private sshd did not start"; finish; exit 1; }
dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }
sm() { "$SMADM" -r "$dir" "$@"; }
rsm() { sm_remote -r "$dir" "$@"; }

# --- host keys
H2=$T_TMP/home2
mkdir -p "$H2/.ssh"
cp "$T_HOME/.ssh/config" "$T_HOME/.ssh/id_ed25519" "$H2/.ssh/"
HOME=$H2 setsid -w "$SMADM" -H smtest -r "$dir" status > "$T_TMP/unk" 2>&1 < /dev/null
check "unknown host key refused in batch mode" test $? -ne 0
check "the refusal shows the SHA256 fingerprint" grep -q 'unknown host key (ssh-ed25519 SHA256:' "$T_TMP/unk"
check "the refusal names --accept-new-host-key" grep -q -- '--accept-new-host-key' "$T_TMP/unk"
check_not "nothing recorded in known_hosts" grep -q . "$H2/.ssh/known_hosts"
fp=$(ssh-keygen -lf "$SSH_DIR/host_ed25519.pub" | cut -d' ' -f2)
check "it is the server's real fingerprint" grep -qF "$fp" "$T_TMP/unk"
check "--accept-new-host-key accepts" env HOME="$H2" "$SMADM" -H smtest -r "$dir" --accept-new-host-key status
check "and records the key" ssh-keygen -F "[127.0.0.1]:$SSH_PORT" -f "$H2/.ssh/known_hosts"
check "the next run needs no flag" env HOME="$H2" "$SMADM" -H smtest -r "$dir" status

ssh-keygen -q -t ed25519 -N '' -f "$T_TMP/other_key" > /dev/null
printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$(cut -d' ' -f1,2 "$T_TMP/other_key.pub")" > "$H2/.ssh/known_hosts"
cp "$H2/.ssh/known_hosts" "$T_TMP/kh.before"
HOME=$H2 setsid -w "$SMADM" -H smtest -r "$dir" --accept-new-host-key status > "$T_TMP/chg" 2>&1 < /dev/null
check "changed host key refused, even with --accept-new-host-key" test $? -ne 0
check "with a clear warning" grep -q 'host key of smtest has CHANGED' "$T_TMP/chg"
check "known_hosts left alone" cmp -s "$H2/.ssh/known_hosts" "$T_TMP/kh.before"
check_not "no login happened (no status printed)" grep -q '^profile:' "$T_TMP/chg"

# --- ssh-agent: a key only the agent holds (this test's own agent)
H4=$T_TMP/home4
mkdir -p "$H4/.ssh"
cp "$T_HOME/.ssh/known_hosts" "$H4/.ssh/"
grep -v IdentityFile "$T_HOME/.ssh/config" > "$H4/.ssh/config"
ssh-keygen -q -t ed25519 -N '' -f "$T_TMP/agent_key" > /dev/null
cat "$T_TMP/agent_key.pub" >> "$SSH_DIR/authorized_keys"
ssh-agent -D -a "$T_TMP/agent.sock" > /dev/null 2>&1 &
track_pid $!
wait_for 5 test -S "$T_TMP/agent.sock"
SSH_AUTH_SOCK=$T_TMP/agent.sock ssh-add -q "$T_TMP/agent_key" 2>/dev/null
rm -f "$T_TMP/agent_key"
check_not "no key file, no agent: refused" env HOME="$H4" "$SMADM" -H smtest -r "$dir" status
check "the agent's key logs in" env HOME="$H4" SSH_AUTH_SOCK="$T_TMP/agent.sock" "$SMADM" -H smtest -r "$dir" status

# --- quoting: payloads that would touch a canary if a shell ran them
C=$T_TMP/canary
mkdir -p "$C"
nl='
'
P1="a;touch $C/p1|touch $C/p1b&touch $C/p1c"
P2="\$(touch $C/p2)\`touch $C/p2b\`"
P3="x'; touch $C/p3; echo '\"y\""
P4="line1${nl}touch $C/p4"
P5="\\\"\$HOME\$(id)|&;()<>*?[]~#!{}"

# Program arguments come back verbatim (sandbox exec runs the program in
# the sandbox namespace through the remote smadm).
for p in "$P1" "$P2" "$P3" "$P4" "$P5"; do
	printf '%s\n' "$p" > "$T_TMP/want"
	rsm sandbox exec /usr/bin/printf '%s\n' "$p" > "$T_TMP/got" 2>&1
	if cmp -s "$T_TMP/want" "$T_TMP/got"; then ok "argument verbatim: $(printf '%s' "$p" | head -c 30 | tr '\n' ' ')"
	else bad "argument verbatim: $p"; diff "$T_TMP/want" "$T_TMP/got" | head -5; fi
done

# Map values with metacharacters: set over SSH, built by the remote
# makemap, read back locally byte for byte.
MV="ERROR:\"550 5.7.1 x;id>$C/mt|id\$(id>$C/mt2)\`id>$C/mt3\`&'\\\""
check "map set with a metacharacter value" rsm map set access Connect:10.1.1.1 "$MV"
check "map build over ssh" rsm map build access
sm map lookup access Connect:10.1.1.1 > "$T_TMP/mv" 2>&1
check "the value reached the map verbatim" grep -qxF "$MV" "$T_TMP/mv"
check "aliases value with metacharacters" rsm map set aliases evilalias "/dev/null, \"|touch $C/alias\""
check "aliases built over ssh" rsm map build aliases
sm map lookup aliases evilalias > "$T_TMP/av" 2>&1
check "alias value verbatim" grep -qxF "/dev/null, \"|touch $C/alias\"" "$T_TMP/av"
# A key full of metacharacters: refused by the table check or stored
# verbatim, never run.
rsm map set virtusertable "k\$(touch $C/key)\`touch $C/key2\`;@x.example" "u|touch $C/kv" > /dev/null 2>&1
rsm map build virtusertable > /dev/null 2>&1

# Queue ids and log ids are refused as ids; nothing runs.
for p in "$P1" "$P2" "$P3" "$P4"; do
	rsm queue show "$p" > /dev/null 2>&1
	rsm -y queue delete "$p" > /dev/null 2>&1
	rsm log trace "$p" > /dev/null 2>&1
	rsm test-address "$p" > /dev/null 2>&1
	rsm map lookup access "$p" > /dev/null 2>&1
	rsm map del access "$p" > /dev/null 2>&1
done

# File names: a profile directory and a table file whose names are
# payloads, used over SSH (SFTP paths, makemap and mv command lines).
# A file name cannot hold "/": these payloads would touch files in "/",
# the remote commands' working directory.
K=smadm-canary-$$
odd="$T_TMP/odd;touch $K-d1\$(touch $K-d2)'q${nl}x"
oddf="acc;touch $K-f1|touch $K-f2\`touch $K-f3\`"
mkdir -p "$odd"
# The sandbox's profile with absolute paths, but the access table odd.
awk -v d="$dir" '$2 == "=" && $3 !~ /^\// && $1 !~ /^(sandbox|listen|daemon_flags|daemon_label|access)$/ { $3 = d "/" $3 }
    $1 != "access" { print }' "$dir/smadm.conf" > "$odd/smadm.conf"
printf 'access = %s\n' "$oddf" >> "$odd/smadm.conf"
printf 'Connect:127.0.0.9\tREJECT\n' > "$odd/$oddf"
check "profile in an odd directory over ssh" sm_remote -r "$odd" map show access
check "map build of an odd file name over ssh" sm_remote -r "$odd" map build access
check "the map exists under its odd name" test -f "$odd/$oddf.db"
check "the odd map holds the key" sh -c "\"$SMADM\" -r \"\$1\" map lookup access Connect:127.0.0.9 | grep -qx REJECT" sh "$odd"
check "map set in an odd file over ssh (SFTP write and rename)" sm_remote -r "$odd" map set access Connect:127.0.0.8 OK
check "written verbatim" grep -q '^Connect:127.0.0.8' "$odd/$oddf"
check "no canary in /" sh -c "! ls -d /$K-* 2>/dev/null"
rm -rf "/$K-d1" "/$K-d2" "/$K-f1" "/$K-f2" "/$K-f3" 2>/dev/null

# sudo = yes where sudo is missing or refuses: a clear message, not a
# misleading "No such file" about the program.
if [ ! -x /usr/bin/sudo ]; then
	sd=$T_TMP/sudo-profile
	mkdir -p "$sd"
	awk -v d="$dir" '$2 == "=" && $3 !~ /^\// && $1 !~ /^(sandbox|listen|daemon_flags|daemon_label)$/ { $3 = d "/" $3 } { print }' \
	    "$dir/smadm.conf" > "$sd/smadm.conf"
	echo 'sudo = yes' >> "$sd/smadm.conf"
	sm_remote -r "$sd" cf check > "$T_TMP/sudo.out" 2>&1
	check "sudo = yes without sudo fails" test $? -ne 0
	check "naming sudo, the program and the login user" grep -q '/usr/sbin/sendmail on smtest: the profile says "sudo = yes" but sudo -n refused or is missing.*let root run it' "$T_TMP/sudo.out"
	check "files are still read (SFTP as the login user)" sm_remote -r "$sd" map show access
fi

n=$(ls -A "$C" | wc -l)
check "no canary file was created ($n)" test "$n" -eq 0
ls -A "$C" | sed 's/^/      | canary: /'
finish
