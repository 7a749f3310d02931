/*
 * fleet.h -- several hosts over SSH: the host list and a status of each,
 * asked in parallel ("smadm fleet status" and the console's Hosts screen).
 *
 * The host list is smadm's own (~/.config/smadm/hosts: "SPEC [DIR]" per
 * line, DIR a profile directory on that host as with -r; "#" comments),
 * or else the Host entries of ~/.ssh/config without wildcards.
 */
#ifndef SMADM_FLEET_H
#define SMADM_FLEET_H

#include "transport-ssh.h"

struct fleet_host {
	char		*spec;		/* [user@]host[:port] or a Host */
	char		*root;		/* remote profile dir, or NULL */

	/* Filled by fleet_query(). */
	int		 ok;
	char		*error;		/* !ok: why */
	int		 running;
	long		 pid;
	long		 mta;
	long		 submit;
	long		 deferred;	/* MTA messages with a last error */
	char		*last_error;	/* the newest of those, or NULL */
};

/* Append the configured hosts (see above) to *v; returns how many. */
size_t	fleet_hosts(struct fleet_host **, size_t *);
/* Add one host by hand. */
void	fleet_add(struct fleet_host **, size_t *, const char *, const char *);
/*
 * Ask every host at once, a thread and a connection each, without
 * prompts (opts->prompt is ignored).  Returns how many failed.
 */
size_t	fleet_query(struct fleet_host *, size_t, const struct ssh_opts *);
/* Forget the answers (before asking again). */
void	fleet_reset(struct fleet_host *, size_t);
void	fleet_free(struct fleet_host *, size_t);

#endif
