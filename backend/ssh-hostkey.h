/*
 * ssh-hostkey.h -- the host key check of an SSH connection: the server's
 * key against known_hosts (ssh-knownhosts.h), what to refuse and how to
 * say it, and recording a new key.  Used by transport-ssh.c only.
 */
#ifndef SMADM_SSH_HOSTKEY_H
#define SMADM_SSH_HOSTKEY_H

#include "config.h"

#if HAVE_SSH
#include <libssh/libssh.h>

#include "transport-ssh.h"

/*
 * Check the key the connected session s presented.  alias is the host
 * as given (the ssh config's Host lines are matched against it), spec
 * names the host in messages.  An unknown key is recorded (in the first
 * UserKnownHostsFile, hashed when HashKnownHosts is yes) only with
 * o->accept_new or, when may_ask and o->ask_host_key, a "yes" from
 * o->prompt; o->notice then hears "Permanently added ...".  A revoked,
 * changed or certificate-only host is always refused.  0, or -1 and
 * *cause.
 */
int	ssh_hostkey_verify(ssh_session s, const char *alias, const char *spec,
	    const struct ssh_opts *o, int may_ask, char **cause);
#endif

#endif
