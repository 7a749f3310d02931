/*
 * ns.h -- the sandbox's private mount namespace.
 *
 * A sandbox keeps, in its ns directory, the files that replace the system's
 * name-service configuration for every sendmail command smadm runs for it:
 *
 *	hosts		127.0.0.1 and ::1 with the qualified host name
 *	nsswitch.conf	"hosts: files", so glibc never asks DNS
 *	resolv.conf	nameserver 127.0.0.1, for sendmail's own resolver
 *	log.sock	the sandbox's syslog socket, which becomes /dev/log
 *	olddev/		an empty directory used while /dev is rebuilt
 *
 * ns_enter() runs in a child between fork() and execve().
 */
#ifndef SMADM_NS_H
#define SMADM_NS_H

#include "transport.h"

/* Enter a new private mount namespace set up from ns_dir. */
int	ns_enter(const char *, char **);

/*
 * Write hosts, nsswitch.conf and resolv.conf into ns_dir through the
 * transport, for a qualified host name (the transport's host name is
 * listed beside it).
 */
int	ns_write_files(struct transport *, const char *, const char *,
	    char **);

#endif
