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

#include "ssh-knownhosts.h"
#include "transport-ssh.h"

/*
 * Before connecting: read the ssh config's known_hosts settings for
 * alias (the host as given; Host lines are matched against it) into cfg
 * and refuse a known_hosts file that exists but is not a regular file.
 * spec names the host in messages.  0 (kh_config_release cfg later), or
 * -1 and *cause.
 */
int	ssh_hostkey_config(const char *alias, const char *spec,
	    struct kh_config *cfg, char **cause);
/*
 * Just before ssh_connect (host and port final): give libssh, which reads
 * known_hosts to order the host key types it asks for, the keys smadm
 * expects for the host (HostKeyAlias and every file counted) in a memfd,
 * else /dev/null.  Returns the memfd, to close after ssh_connect, or -1.
 */
int	ssh_hostkey_options(ssh_session s, const struct kh_config *cfg);

/*
 * Check the key the connected session s presented against cfg (looked
 * up and recorded under the HostKeyAlias when there is one); spec names
 * the host in messages.  An unknown key is recorded (in the first
 * UserKnownHostsFile, hashed when HashKnownHosts is yes) only with
 * o->accept_new or, when may_ask and o->ask_host_key, a "yes" from
 * o->prompt; o->notice then hears "Permanently added ...".  A revoked,
 * changed or certificate-only host is always refused.  0, or -1 and
 * *cause.
 */
int	ssh_hostkey_verify(ssh_session s, const struct kh_config *cfg,
	    const char *spec, const struct ssh_opts *o, int may_ask,
	    char **cause);
#endif

#endif
