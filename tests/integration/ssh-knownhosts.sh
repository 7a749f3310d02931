#!/bin/sh
# ssh-knownhosts.sh -- known_hosts read as OpenSSH reads it, against a
# real sshd on 127.0.0.1.  A key under @revoked is refused, even when a
# plain line lists it too and even with --accept-new-host-key; a changed
# key names the file and line and the ssh-keygen -R command; a new key is
# written hashed when the ssh config says HashKnownHosts yes (ssh-keygen -F
# finds it) and plain otherwise, with ssh's "Permanently added" line;
# every UserKnownHostsFile and GlobalKnownHostsFile is read; a host that
# only a @cert-authority line names is refused, even with
# --accept-new-host-key (libssh 0.10 cannot verify host certificates),
# while ssh(1) itself accepts that host through the CA.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ssh-lib.sh"

ssh_start || { bad "private sshd did not start"; finish; exit 1; }
dir=$(new_sandbox) || { bad "sandbox create failed"; finish; exit 1; }

kh_keys

# home N [CONFIG-LINES]: a fresh HOME with the client key and the test
# config (smtest), CONFIG-LINES first (the first value wins); sets H, KH.
home() {
	kh_home "$1"
	{ [ -n "${2:-}" ] && printf '%s\n' "$2"; cat "$T_HOME/.ssh/config"; } > "$H/.ssh/config"
}
# run [ARGS...]: smadm -H smtest status in that HOME, no terminal; output
# in $T_TMP/out, exit status in $rc.
run() {
	HOME=$H setsid -w "$SMADM" -H smtest -r "$dir" "$@" status > "$T_TMP/out" 2>&1 < /dev/null
	rc=$?
}
has() { grep -qF -- "$1" "$T_TMP/out"; }

# --- @revoked
home 1
{ printf '%s %s\n' "$NAME" "$HOSTKEY"; printf '@revoked * %s\n' "$HOSTKEY"; } > "$KH"
run
check "a revoked key is refused although a plain line lists it" test "$rc" -ne 0
check "loudly: REVOKED HOST KEY" has "REVOKED HOST KEY"
check "naming the @revoked line ($KH:2)" has "marked @revoked in $KH:2"
check_not "no login happened" grep -q '^profile:' "$T_TMP/out"

printf '@revoked %s %s\n' "$NAME" "$HOSTKEY" > "$KH"
cp "$KH" "$T_TMP/kh.before"
run --accept-new-host-key
check "revoked alone: refused with --accept-new-host-key" test "$rc" -ne 0
check "as revoked, not as unknown" has "marked @revoked in $KH:1"
check "known_hosts left alone" cmp -s "$KH" "$T_TMP/kh.before"

# Revoked in a GlobalKnownHostsFile, the key plain in the user file.
home 2 "GlobalKnownHostsFile $T_TMP/global_kh"
printf '%s %s\n' "$NAME" "$HOSTKEY" > "$KH"
printf '# site-wide\n@revoked * %s\n' "$HOSTKEY" > "$T_TMP/global_kh"
run
check "a key revoked in the GlobalKnownHostsFile is refused" test "$rc" -ne 0
check "naming that file and line" has "marked @revoked in $T_TMP/global_kh:2"
rm -f "$T_TMP/global_kh"

# --- changed key
home 3
{ printf '# first line\n'; printf '%s %s\n' "$NAME" "$OTHERKEY"; } > "$KH"
run --accept-new-host-key
check "a changed key is refused with --accept-new-host-key" test "$rc" -ne 0
check "with the warning" has "host key of smtest has CHANGED"
check "naming the file and line of the old key" has "The old key is in $KH:2"
check "and the ssh-keygen -R command" has "ssh-keygen -f '$KH' -R '$NAME'"
# The command given works: afterwards the key is new and can be accepted.
ssh-keygen -f "$KH" -R "$NAME" > /dev/null 2>&1
run --accept-new-host-key
check "after ssh-keygen -R the key is accepted as new" test "$rc" -eq 0

# --- writing a new key
home 4 "HashKnownHosts yes"
run --accept-new-host-key
check "HashKnownHosts yes: accepted" test "$rc" -eq 0
check "says Permanently added, as ssh does" has "Permanently added '$NAME' (ED25519) to the list of known hosts."
check "the line is hashed (|1|)" grep -q '^|1|' "$KH"
check_not "the host name is not in the file" grep -q '127.0.0.1' "$KH"
check "ssh-keygen -F finds it" ssh-keygen -F "$NAME" -f "$KH"
run
check "the next run knows the host" test "$rc" -eq 0
check_not "and says nothing about adding it" has "Permanently added"
check "one line recorded" test "$(wc -l < "$KH")" -eq 1

home 5 "HashKnownHosts no"
run --accept-new-host-key
check "HashKnownHosts no: accepted" test "$rc" -eq 0
check "written plain" grep -qxF "$NAME $HOSTKEY" "$KH"
check "saying so" has "Permanently added '$NAME' (ED25519)"

# A missing ~/.ssh is made (0700) for the new file.
home 6
rm -rf "$H/.ssh"
HOME=$H setsid -w "$SMADM" -H "root@127.0.0.1:$SSH_PORT" -r "$dir" --accept-new-host-key status > "$T_TMP/out" 2>&1 < /dev/null
check "a missing ~/.ssh is made" test -d "$H/.ssh"
check "with mode 0700" test "$(stat -c %a "$H/.ssh")" = 700
check "and the key recorded in it" ssh-keygen -F "$NAME" -f "$H/.ssh/known_hosts"

# --- reading: hashed lines of ssh-keygen -H, several files, patterns
home 7
{ printf 'other.example.com %s\n' "$OTHERKEY"; printf '%s %s\n' "$NAME" "$HOSTKEY"; } > "$KH"
ssh-keygen -H -f "$KH" > /dev/null 2>&1
check "ssh-keygen -H hashed the file" grep -q '^|1|' "$KH"
run
check "a key hashed by ssh-keygen -H is known" test "$rc" -eq 0

home 8 "UserKnownHostsFile ~/.ssh/kh_a ~/.ssh/kh_b"
printf 'other.example.com %s\n' "$OTHERKEY" > "$H/.ssh/kh_a"
printf '%s %s\n' "$NAME" "$HOSTKEY" > "$H/.ssh/kh_b"
run
check "the second UserKnownHostsFile is read" test "$rc" -eq 0
rm -f "$H/.ssh/kh_b"
run --accept-new-host-key
check "a new key goes to the first UserKnownHostsFile" ssh-keygen -F "$NAME" -f "$H/.ssh/kh_a"

home 9
printf '[127.0.0.1]:*,!%s %s\n' "$NAME" "$HOSTKEY" > "$KH"
run
check "a negated pattern does not make the host known" test "$rc" -ne 0
check "it is unknown" has "unknown host key"
printf 'nothing.example,[127.0.0.?]:%s %s\n' "$SSH_PORT" "$HOSTKEY" > "$KH"
run
check "a wildcard in a comma list makes it known" test "$rc" -eq 0

# --- @cert-authority.  A second sshd on the same host key presents a
# host certificate signed by a test CA.
ssh-keygen -q -t ed25519 -N '' -C '' -f "$T_TMP/ca" > /dev/null
CAKEY=$(cut -d' ' -f1,2 "$T_TMP/ca.pub")
cp "$SSH_DIR/host_ed25519.pub" "$T_TMP/hostcert.pub"
ssh-keygen -q -s "$T_TMP/ca" -h -I smadm-test -n 127.0.0.1 "$T_TMP/hostcert.pub"
CERT_PORT=$(free_port)
sed -e "s/^Port .*/Port $CERT_PORT/" -e "s|^PidFile .*|PidFile $SSH_DIR/sshd-cert.pid|" \
    "$SSH_DIR/sshd_config" > "$SSH_DIR/sshd_config.cert"
echo "HostCertificate $T_TMP/hostcert-cert.pub" >> "$SSH_DIR/sshd_config.cert"
$SSHD -D -f "$SSH_DIR/sshd_config.cert" -E "$SSH_DIR/sshd-cert.log" &
track_pid $!
wait_for 10 port_listening $CERT_PORT || bad "the certificate sshd did not start"
CNAME="[127.0.0.1]:$CERT_PORT"
# runc [ARGS...]: like run, to the certificate sshd
runc() {
	HOME=$H setsid -w "$SMADM" -H "root@127.0.0.1:$CERT_PORT" -r "$dir" "$@" status > "$T_TMP/out" 2>&1 < /dev/null
	rc=$?
}

# OpenSSH's client accepts this host through the CA: the setup is real.
home 10
printf '@cert-authority %s %s\n' "$CNAME" "$CAKEY" > "$KH"
check "ssh(1) accepts the host through the @cert-authority line" \
    ssh -F /dev/null -o UserKnownHostsFile="$KH" -o GlobalKnownHostsFile=/dev/null \
    -o BatchMode=yes -o StrictHostKeyChecking=yes -i "$H/.ssh/id_ed25519" \
    -p "$CERT_PORT" root@127.0.0.1 true
cp "$KH" "$T_TMP/kh.before"
runc --accept-new-host-key
check "only a @cert-authority line: refused even with --accept-new-host-key" test "$rc" -ne 0
check "saying the host has only @cert-authority entries" has "the host has only @cert-authority entries ($KH:1)"
check "that libssh cannot verify host certificates" has "smadm cannot verify host certificates with libssh 0."
check "and what to do" has "add the host key itself"
check "known_hosts left alone" cmp -s "$KH" "$T_TMP/kh.before"
check_not "no login happened" grep -q '^profile:' "$T_TMP/out"

# libssh 0.10 drops certificate types even from HostKeyAlgorithms: the
# host shows its plain key, and the answer is the same.
home 11 "HostKeyAlgorithms ssh-ed25519-cert-v01@openssh.com,ssh-ed25519"
printf '@cert-authority %s %s\n' "$CNAME" "$CAKEY" > "$KH"
runc --accept-new-host-key
check "asking for a certificate changes nothing: refused" test "$rc" -ne 0
check "and said why" has "cannot verify host certificates"

printf '@cert-authority %s %s\n' "$NAME" "$CAKEY" > "$KH"
run --accept-new-host-key
check "a CA line for a host without a certificate: refused as well" test "$rc" -ne 0
check "saying so" has "the host has only @cert-authority entries"

home 12
{ printf '@cert-authority %s %s\n' "$CNAME" "$CAKEY"; printf '%s %s\n' "$CNAME" "$HOSTKEY"; } > "$KH"
runc
check "a CA line and the plain key: connects" test "$rc" -eq 0

{ printf '%s %s\n' "$CNAME" "$HOSTKEY"; printf '@revoked * %s\n' "$HOSTKEY"; } > "$KH"
runc
check "a revoked key of a host with a certificate is refused" has "REVOKED HOST KEY"

finish
